import AsyncHTTPClient
import Atomics
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Polls every instance's `/healthz` and marks it healthy or not, so balancing skips instances that are down
/// before a request has to find out; a probe that answers once an open breaker's time is up closes it.
struct HealthChecker: Service {
    let upstreams: [Upstream]
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // Instances start healthy; a request that meets a dead one before the first check is retried elsewhere.
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                await self.checkAll()
            }
        }
    }

    func checkAll() async {
        await withTaskGroup(of: Void.self) { group in
            for upstream in self.upstreams {
                for instance in upstream.instances {
                    group.addTask { await self.check(instance, of: upstream) }
                }
            }
        }
    }

    func check(_ instance: UpstreamInstance, of upstream: Upstream) async {
        let healthy = await Self.probe(instance, client: upstream.client)
        let was = instance.healthy.exchange(healthy, ordering: .relaxed)
        // Without this a returning instance waits for some request to pick it for a trial.
        if healthy { instance.breaker.probeSucceeded() }
        if was != healthy {
            self.logger.notice(
                "Upstream instance health changed",
                metadata: ["upstream": .string(upstream.name), "instance": .string(instance.baseURL), "healthy": .stringConvertible(healthy)]
            )
        }
    }

    static func probe(_ instance: UpstreamInstance, client: HTTPClient) async -> Bool {
        var request = HTTPClientRequest(url: instance.baseURL + "/healthz")
        request.method = .GET
        guard let response = try? await client.execute(request, timeout: .seconds(1)) else { return false }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status.code == 200
    }
}

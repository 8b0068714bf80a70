import AsyncHTTPClient
import Atomics
import Foundation
import NIOCore

/// One instance of an upstream service.
final class UpstreamInstance: Sendable {
    let baseURL: String
    let host: String
    let port: Int
    /// `host:port`, the Host header requests to it carry.
    let authority: String
    let breaker: CircuitBreaker
    /// Kept up to date by ``HealthChecker``; new instances start healthy.
    let healthy = ManagedAtomic(true)

    init(baseURL: String, breaker: CircuitBreaker) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let components = URLComponents(string: self.baseURL)
        self.host = components?.host ?? "127.0.0.1"
        self.port = components?.port ?? (components?.scheme == "https" ? 443 : 80)
        self.authority = "\(self.host):\(self.port)"
        self.breaker = breaker
    }
}

/// An upstream service: its instances, their timeouts, health-aware round-robin between them, and the HTTP
/// client its health probes use.
final class Upstream: Sendable {
    let name: String
    let prefixes: [String]
    /// Where websocket upgrades go to it (``GatewaySettings/webSockets``).
    let webSocketPrefixes: [String]
    let instances: [UpstreamInstance]
    let client: HTTPClient
    let timeout: Duration
    let connectTimeout: Duration
    private let next = ManagedAtomic(0)

    init(settings: UpstreamSettings, failureThreshold: Int, openDuration: Duration) {
        self.name = settings.name
        self.prefixes = settings.prefixes
        self.webSocketPrefixes = settings.webSocketPrefixes
        self.instances = settings.urls.map {
            UpstreamInstance(baseURL: $0, breaker: CircuitBreaker(threshold: failureThreshold, openDuration: openDuration))
        }
        self.timeout = .milliseconds(Int64(settings.timeout * 1000))
        self.connectTimeout = .milliseconds(Int64(settings.connectTimeout * 1000))
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(settings.connectTimeout * 1000)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        configuration.decompression = .disabled
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Instances in the order to try them: round-robin from the next one, healthy before unhealthy,
    /// and never one whose breaker is open (unless it is time for its trial request). Only looks: the
    /// exchange acquires an instance's breaker when it sends there (a trial taken here would strand it).
    func candidates(now: ContinuousClock.Instant = .now) -> [UpstreamInstance] {
        let count = self.instances.count
        guard count > 1 else { return self.instances.first?.breaker.permits(now: now) == true ? self.instances : [] }
        let start = self.next.loadThenWrappingIncrement(ordering: .relaxed) & Int.max
        var ordered: [UpstreamInstance] = []
        ordered.reserveCapacity(count)
        for wantHealthy in [true, false] {
            for offset in 0..<count {
                let instance = self.instances[(start + offset) % count]
                if instance.healthy.load(ordering: .relaxed) == wantHealthy, instance.breaker.permits(now: now) { ordered.append(instance) }
            }
        }
        return ordered
    }
}

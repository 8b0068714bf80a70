import Foundation
import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Prometheus
import ServiceKit

/// What every client connection's proxy handler shares: the routing table, rate limits, limits, connection
/// pools (one per event loop), logging and metrics.
final class ProxyEngine: Sendable {
    let upstreams: [Upstream]
    let limiter: RateLimiter
    let maxBodySize: Int
    let logger: Logger
    let accessLog: Bool
    let metrics: RequestMetrics
    private let pools = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<UpstreamConnectionPool>]>([:])

    init(upstreams: [Upstream], limiter: RateLimiter, maxBodySize: Int, logger: Logger, accessLog: Bool, registry: PrometheusCollectorRegistry) {
        self.upstreams = upstreams
        self.limiter = limiter
        self.maxBodySize = maxBodySize
        self.logger = logger
        self.accessLog = accessLog
        self.metrics = RequestMetrics(registry: registry)
    }

    /// The upstream with the longest matching prefix; internal paths belong to no one.
    func route(_ path: String) -> Upstream? {
        if path == "/internal" || path.hasPrefix("/internal/") { return nil }
        var best: (upstream: Upstream, length: Int)?
        for upstream in self.upstreams {
            if let length = upstream.match(path), length > (best?.length ?? -1) { best = (upstream, length) }
        }
        return best?.upstream
    }

    /// The connection pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: any EventLoop) -> UpstreamConnectionPool {
        let key = ObjectIdentifier(eventLoop)
        let bound = self.pools.withLockedValue { pools in
            if let existing = pools[key] { return existing }
            let created = NIOLoopBound(UpstreamConnectionPool(eventLoop: eventLoop), eventLoop: eventLoop)
            pools[key] = created
            return created
        }
        return bound.value
    }

    /// One access-log line and the request metrics of a proxied exchange.
    func record(method: String, path: String, upstream: String, status: Int, started: NIODeadline, requestID: String) {
        let elapsed = NIODeadline.now() - started
        self.metrics.record(method: method, route: upstream, status: status, duration: .nanoseconds(elapsed.nanoseconds))
        guard self.accessLog else { return }
        self.logger.info(
            "request",
            metadata: [
                "method": .string(method), "path": .string(path), "status": .stringConvertible(status),
                "upstream": .string(upstream), "duration_ms": .stringConvertible(Double(elapsed.nanoseconds) / 1_000_000),
                "request_id": .string(requestID),
            ]
        )
    }
}

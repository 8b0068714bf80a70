import Foundation
import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Prometheus
import ServiceKit

/// What every client connection's proxy handler shares: the routing table, rate limits and the credentials
/// they trust, limits, connection pools (one per event loop), logging and metrics.
final class ProxyEngine: Sendable {
    let upstreams: [Upstream]
    let limiter: RateLimiter
    let credentials: KnownCredentials
    let maxBodySize: Int
    let logger: Logger
    let accessLog: Bool
    let metrics: RequestMetrics
    private let pools = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<UpstreamConnectionPool>]>([:])

    init(
        upstreams: [Upstream], limiter: RateLimiter, credentials: KnownCredentials, maxBodySize: Int, logger: Logger, accessLog: Bool,
        registry: PrometheusCollectorRegistry
    ) {
        self.upstreams = upstreams
        self.limiter = limiter
        self.credentials = credentials
        self.maxBodySize = maxBodySize
        self.logger = logger
        self.accessLog = accessLog
        self.metrics = RequestMetrics(registry: registry)
    }

    /// The upstream with the longest matching prefix; internal paths belong to no one.
    func route(_ path: String) -> Upstream? {
        if path.utf8.count == 9 ? Upstream.starts(path, with: "/internal") : Upstream.starts(path, with: "/internal/") { return nil }
        var best: (upstream: Upstream, length: Int)?
        for upstream in self.upstreams {
            if let length = upstream.match(path), length > (best?.length ?? -1) { best = (upstream, length) }
        }
        return best?.upstream
    }

    /// Whose bucket a request takes from: its credential's once an upstream has accepted that credential, its
    /// client address's otherwise. Also returns the credential's fingerprint, for ``attribute(_:status:unchargedAddress:)``.
    func rateKey(_ head: HTTPRequestHead, address: String) -> (key: RateLimiter.Key, credential: KnownCredentials.Fingerprint?) {
        guard let credential = self.credentials.fingerprint(head.headers) else { return (.address(address), nil) }
        return (self.credentials.contains(credential) ? .credential(credential) : .address(address), credential)
    }

    /// What an upstream's status says about the credential a request carried: a 401 makes it unknown again and
    /// charges the address (so guesses with a once-valid credential are limited too); 403 says nothing; any
    /// other answer means a principal holds it. `unchargedAddress` is set when the credential's bucket paid.
    func attribute(_ credential: KnownCredentials.Fingerprint, status: Int, unchargedAddress: RateLimiter.Key?) {
        switch status {
        case 401:
            self.credentials.forget(credential)
            if let unchargedAddress { _ = self.limiter.take(unchargedAddress) }
        case 403:
            break
        default:
            // Known already when its own bucket paid: `contains` kept it fresh.
            if unchargedAddress == nil { self.credentials.learn(credential) }
        }
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

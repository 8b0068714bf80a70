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
    /// Every upstream's prefixes, `/internal` (owned by no one) first, then longest first: the first match is the route.
    private let prefixes: [RoutePrefix]
    /// The prefixes websocket upgrades are proxied on, longest first.
    private let webSocketPrefixes: [RoutePrefix]
    /// Carriers' callback paths and their own, wider limits per client address (`rateLimit.callback*`).
    private let callbackPrefixes: [RoutePrefix]
    let callbackLimiter: RateLimiter?
    private let pools = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<UpstreamConnectionPool>]>([:])

    init(
        upstreams: [Upstream], limiter: RateLimiter, credentials: KnownCredentials, maxBodySize: Int, logger: Logger, accessLog: Bool,
        registry: PrometheusCollectorRegistry, callbacks: CallbackLimits? = nil
    ) {
        self.upstreams = upstreams
        self.limiter = limiter
        self.credentials = credentials
        self.maxBodySize = maxBodySize
        self.logger = logger
        self.accessLog = accessLog
        self.metrics = RequestMetrics(registry: registry)
        let owned = upstreams.flatMap { upstream in upstream.prefixes.map { RoutePrefix($0, upstream: upstream) } }
        self.prefixes = [RoutePrefix("/internal", upstream: nil)] + owned.sorted { $0.slashed.count > $1.slashed.count }
        let webSockets = upstreams.flatMap { upstream in upstream.webSocketPrefixes.map { RoutePrefix($0, upstream: upstream) } }
        self.webSocketPrefixes = [RoutePrefix("/internal", upstream: nil)] + webSockets.sorted { $0.slashed.count > $1.slashed.count }
        self.callbackPrefixes = (callbacks?.prefixes ?? []).map { RoutePrefix($0, upstream: nil) }
        self.callbackLimiter = callbacks?.limiter
    }

    /// The upstream with the longest prefix matching the target's path (its query ignored); internal paths belong to
    /// no one. Reads the target's bytes in place: no path copy, no lowercased copy.
    func route(_ target: String) -> Upstream? {
        var target = target
        return target.withUTF8 { bytes in
            let pathLength = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
            return self.prefixes.first { $0.matches(bytes, pathLength: pathLength) }?.upstream
        }
    }

    /// The upstream that takes a websocket upgrade of the target's path, if any (``GatewaySettings/webSockets``).
    func webSocketRoute(_ target: String) -> Upstream? {
        var target = target
        return target.withUTF8 { bytes in
            let pathLength = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
            return self.webSocketPrefixes.first { $0.matches(bytes, pathLength: pathLength) }?.upstream
        }
    }

    /// Whether the target's path is a carrier callback's, limited by ``callbackLimiter``.
    func isCallback(_ target: String) -> Bool {
        guard !self.callbackPrefixes.isEmpty else { return false }
        var target = target
        return target.withUTF8 { bytes in
            let pathLength = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
            return self.callbackPrefixes.contains { $0.matches(bytes, pathLength: pathLength) }
        }
    }

    /// Whose bucket a request takes from: its credential's once an upstream has accepted that credential, its
    /// client address's otherwise. Also returns the credential's fingerprint, for ``attribute(_:status:unchargedAddress:)``.
    func rateKey(credential: KnownCredentials.Fingerprint?, address: String) -> (key: RateLimiter.Key, credential: KnownCredentials.Fingerprint?) {
        guard let credential else { return (.address(address), nil) }
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

/// Paths whose senders a service verifies by signature (carriers' status callbacks: two a message, from a few
/// addresses) and the limiter that keeps them apart from the credential and address buckets.
struct CallbackLimits: Sendable {
    let prefixes: [String]
    let limiter: RateLimiter
}

/// One prefix of the routing table, lowercased. A prefix ending in `/` matches every path that starts with it; any
/// other matches itself exactly or followed by `/`. Paths match in any ASCII case: Comm100's paths are case-insensitive
/// (spec notes §2.4), and a service whose vendor's are not answers its own 404.
struct RoutePrefix: Sendable {
    let slashed: [UInt8]
    let bare: [UInt8]?
    let upstream: Upstream?

    init(_ prefix: String, upstream: Upstream?) {
        let lowered = Array(prefix.lowercased().utf8)
        self.slashed = lowered.last == UInt8(ascii: "/") ? lowered : lowered + [UInt8(ascii: "/")]
        self.bare = lowered.last == UInt8(ascii: "/") ? nil : lowered
        self.upstream = upstream
    }

    func matches(_ path: UnsafeBufferPointer<UInt8>, pathLength: Int) -> Bool {
        if pathLength >= self.slashed.count, Self.equal(path, self.slashed) { return true }
        if let bare = self.bare, pathLength == bare.count, Self.equal(path, bare) { return true }
        return false
    }

    /// Whether `path` begins with `lowered` in any ASCII case.
    private static func equal(_ path: UnsafeBufferPointer<UInt8>, _ lowered: [UInt8]) -> Bool {
        for index in lowered.indices where ASCII.lowered(path[index]) != lowered[index] { return false }
        return true
    }
}

import AsyncHTTPClient
import Foundation
import Atomics
import NIOCore

/// One instance of an upstream service.
final class UpstreamInstance: Sendable {
    let baseURL: String
    let host: String
    let port: Int
    let breaker: CircuitBreaker
    /// Kept up to date by ``HealthChecker``; new instances start healthy.
    let healthy = ManagedAtomic(true)

    init(baseURL: String, breaker: CircuitBreaker) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let components = URLComponents(string: self.baseURL)
        self.host = components?.host ?? "127.0.0.1"
        self.port = components?.port ?? (components?.scheme == "https" ? 443 : 80)
        self.breaker = breaker
    }

    var isAvailable: Bool { self.healthy.load(ordering: .relaxed) && !self.breaker.isOpen }
}

/// An upstream service: its instances, their timeouts, health-aware round-robin between them, and the HTTP
/// client its health probes use.
final class Upstream: Sendable {
    let name: String
    let prefixes: [String]
    let instances: [UpstreamInstance]
    let client: HTTPClient
    let timeout: Duration
    let connectTimeout: Duration
    private let next = ManagedAtomic(0)

    init(settings: UpstreamSettings, failureThreshold: Int, openDuration: Duration) {
        self.name = settings.name
        self.prefixes = settings.prefixes
        self.instances = settings.urls.map { UpstreamInstance(baseURL: $0, breaker: CircuitBreaker(threshold: failureThreshold, openDuration: openDuration)) }
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
    /// and never one whose breaker is open (unless it is time for its trial request).
    func candidates() -> [UpstreamInstance] {
        let count = self.instances.count
        guard count > 0 else { return [] }
        let start = self.next.loadThenWrappingIncrement(ordering: .relaxed) & Int.max
        let rotated = (0..<count).map { self.instances[(start + $0) % count] }
        let healthy = rotated.filter { $0.healthy.load(ordering: .relaxed) }
        let unhealthy = rotated.filter { !$0.healthy.load(ordering: .relaxed) }
        return (healthy + unhealthy).filter { $0.breaker.allowsRequest() }
    }

    /// Whether the prefix table sends `path` here; the length of the longest matching prefix.
    func match(_ path: String) -> Int? {
        self.prefixes.compactMap { prefix -> Int? in
            if prefix.hasSuffix("/") {
                return path.hasPrefix(prefix) ? prefix.count : nil
            }
            return path == prefix || path.hasPrefix(prefix + "/") ? prefix.count : nil
        }.max()
    }
}

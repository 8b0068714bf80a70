import NIOConcurrencyHelpers
import Prometheus

/// `http_requests_total` and `http_request_duration_seconds` by method, route and status; shared by the
/// services' middleware and the gateway's proxy. Metric handles are cached so a request costs one lookup.
public final class RequestMetrics: Sendable {
    private struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private let registry: PrometheusCollectorRegistry
    private let handles = NIOLockedValueBox<[Key: (Counter, DurationHistogram)]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Records one finished request; `route` is the matched route (never the raw path, to bound cardinality).
    public func record(method: String, route: String, status: Int, duration: Duration) {
        let key = Key(method: method, route: route, status: status)
        let (counter, histogram) = self.handles.withLockedValue { handles in
            if let cached = handles[key] { return cached }
            let created = (
                self.registry.makeCounter(name: "http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))]),
                self.registry.makeDurationHistogram(
                    name: "http_request_duration_seconds", labels: [("method", method), ("route", route)], buckets: requestDurationBuckets
                )
            )
            handles[key] = created
            return created
        }
        counter.increment()
        histogram.record(duration)
    }
}

/// Latency buckets from half a millisecond to five seconds.
private let requestDurationBuckets: [Duration] = [
    .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
    .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
]

extension Duration {
    /// Whole nanoseconds, for metrics and timeouts.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

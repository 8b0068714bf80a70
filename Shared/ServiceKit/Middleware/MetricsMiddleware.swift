import Hummingbird
import Prometheus

/// Counts requests and times them per route, method and status, into the service's Prometheus registry.
public struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The error middleware sits outside this one in tests that omit it; count the failure anyway.
            self.record(request: request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, start: start)
            throw error
        }
        self.record(request: request, context: context, status: response.status.code, start: start)
        return response
    }

    private func record(request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        // The matched route, not the raw path, keeps label cardinality bounded.
        let route = context.endpointPath ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
        self.registry.makeCounter(name: "http_requests_total", labels: labels).increment()
        self.registry.makeDurationHistogram(
            name: "http_request_duration_seconds",
            labels: [("method", request.method.rawValue), ("route", route)],
            buckets: requestDurationBuckets
        ).recordNanoseconds(Int64((ContinuousClock.now - start).nanoseconds))
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

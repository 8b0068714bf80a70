import Hummingbird
import Prometheus

/// Counts requests and times them per route, method and status, into the service's Prometheus registry.
public struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    public init(registry: PrometheusCollectorRegistry) {
        self.metrics = RequestMetrics(registry: registry)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.record(request, context, response.status.code, start)
            return response
        } catch {
            // The error middleware sits outside this one in tests that omit it; count the failure anyway.
            self.record(request, context, (error as? any HTTPResponseError)?.status.code ?? 500, start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, _ status: Int, _ start: ContinuousClock.Instant) {
        self.metrics.record(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status, duration: ContinuousClock.now - start)
    }
}

extension Duration {
    /// Whole nanoseconds, for metrics and timeouts.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

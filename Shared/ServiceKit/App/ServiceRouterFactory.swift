import Hummingbird
import Prometheus

extension ServiceRouter where Context == AppRequestContext {
    /// A router with the middleware every service runs first (``EdgeMiddleware``: request id, body limit and dialect,
    /// errors, metrics, access log) and the platform routes (`/healthz`, `/readyz`, `/metrics`, `/openapi.json`).
    public static func service(
        dialect: any APIDialect,
        registry: PrometheusCollectorRegistry,
        document: OpenAPIDocument,
        readiness: [ReadinessCheck],
        accessLog: Bool = true,
        maxBodySize: Int = ServiceSettings.defaultMaxBodySize
    ) -> ServiceRouter<AppRequestContext> {
        let router = ServiceRouter<AppRequestContext>()
        router.add(
            middleware: EdgeMiddleware(
                dialect: dialect, maxBodySize: maxBodySize, metrics: RequestMetrics(registry: registry), routes: router.table, accessLog: accessLog))
        PlatformController(registry: registry, document: document, readiness: readiness).addRoutes(to: router)
        return router
    }
}

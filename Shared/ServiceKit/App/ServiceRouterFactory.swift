import Hummingbird
import Prometheus

extension ServiceRouter where Context == AppRequestContext {
    /// A router with the middleware every service runs, in order: request id, access log, metrics, errors (405
    /// for a known path with another method), the request guard (body limit, NUL in the URI); and the platform
    /// routes (`/healthz`, `/readyz`, `/metrics`, `/openapi.json`).
    public static func service(
        dialect: any APIDialect,
        registry: PrometheusCollectorRegistry,
        document: OpenAPIDocument,
        readiness: [ReadinessCheck],
        accessLog: Bool = true,
        maxBodySize: Int = ServiceSettings.defaultMaxBodySize
    ) -> ServiceRouter<AppRequestContext> {
        let router = ServiceRouter<AppRequestContext>()
        router.add(middleware: RequestIDMiddleware())
        if accessLog { router.add(middleware: AccessLogMiddleware()) }
        router.add(middleware: MetricsMiddleware<AppRequestContext>(registry: registry))
        router.add(middleware: ErrorMiddleware(dialect: dialect, routes: router.table))
        router.add(middleware: RequestGuardMiddleware(maxBodySize: maxBodySize, dialect: dialect))
        PlatformController(registry: registry, document: document, readiness: readiness).addRoutes(to: router)
        return router
    }
}

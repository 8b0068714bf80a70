import Configuration
import Hummingbird
import Logging
import Prometheus
import ServiceKit

/// Builds the gateway: one port in front of every service's prefixes.
///
/// Reads the keys of ``ServiceSettings`` and ``GatewaySettings``.
func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let settings = ServiceSettings(reader: reader, name: "gateway", defaultPort: 8080)
    let gateway = GatewaySettings(reader: reader)
    var logger = Logger(label: "gateway")
    logger.logLevel = settings.logLevel
    let upstreams = gateway.upstreams.map {
        Upstream(settings: $0, failureThreshold: gateway.failureThreshold, openDuration: .milliseconds(Int64(gateway.openSeconds * 1000)))
    }
    let registry = PrometheusCollectorRegistry()
    let document = OpenAPIDocument(title: "Switchboard gateway")
    let readiness = upstreams.map { upstream in
        ReadinessCheck(upstream.name) {
            for instance in upstream.instances where await HealthChecker.probe(instance, client: upstream.client) { return }
            throw ServiceError(.serviceUnavailable, message: "no instance of \(upstream.name) answers")
        }
    }
    let router = ServiceRouter<AppRequestContext>.service(
        dialect: GatewayErrorDialect(), registry: registry, document: document, readiness: readiness, accessLog: gateway.accessLog
    )
    DocsController(upstreams: upstreams).addRoutes(to: router, document: document)
    try document.verify(against: router.routes)
    let engine = ProxyEngine(
        upstreams: upstreams,
        limiter: RateLimiter(rate: gateway.requestsPerSecond, burst: gateway.burst),
        credentials: KnownCredentials(capacity: gateway.knownCredentials),
        maxBodySize: gateway.maxBodySize,
        logger: logger,
        accessLog: gateway.accessLog,
        registry: registry,
        callbacks: CallbackLimits(
            prefixes: gateway.callbackPrefixes, limiter: RateLimiter(rate: gateway.callbackRequestsPerSecond, burst: gateway.callbackBurst))
    )
    // Proxied requests are handled in each connection's channel pipeline; the router answers the rest.
    var app = Application(
        router: router,
        server: .gateway(engine: engine),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Switchboard"),
        logger: logger
    )
    app.addServices(HealthChecker(upstreams: upstreams, interval: .milliseconds(Int64(gateway.healthInterval * 1000)), logger: logger))
    for upstream in upstreams { app.addServices(HTTPClientService(client: upstream.client)) }
    return app
}

import AsyncHTTPClient
import Configuration
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// What every service is built on, chosen once in its `buildApplication`: settings, logger, database, metrics
/// registry, outbound HTTP client, OpenAPI document, outbox and scheduler.
public struct ServiceFoundation: Sendable {
    public let reader: ConfigReader
    public let settings: ServiceSettings
    public let logger: Logger
    public let database: Database
    public let registry: PrometheusCollectorRegistry
    public let httpClient: HTTPClient
    public let document: OpenAPIDocument
    public let outbox: Outbox
    public let scheduler: JobScheduler
    public let peers: PeerSettings
    public let clock: WallClock

    public init(
        reader: ConfigReader,
        name: String,
        defaultPort: Int,
        title: String,
        securitySchemes: [String: [String: String]] = [:],
        schemeParameters: [String: [QueryParameter]] = [:],
        defaultMaxBodySize: Int? = nil,
        clock: WallClock = .system
    ) throws {
        self.reader = reader
        var settings = ServiceSettings(reader: reader, name: name, defaultPort: defaultPort)
        // A service that takes uploads reads larger bodies unless `http.maxBodySize` says otherwise.
        if let defaultMaxBodySize { settings.maxBodySize = max(1, reader.int(forKey: "http.maxBodySize", default: defaultMaxBodySize)) }
        self.settings = settings
        var logger = Logger(label: name)
        logger.logLevel = self.settings.logLevel
        self.logger = logger
        self.database = try Database(settings: DatabaseSettings(reader: reader, name: name), logger: logger, clock: clock)
        self.registry = PrometheusCollectorRegistry()
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.document = OpenAPIDocument(
            title: title, securitySchemes: securitySchemes, schemeParameters: schemeParameters,
            checksResponses: reader.bool(forKey: "openapi.checkResponses", default: false)
        )
        self.clock = clock
        self.outbox = Outbox(clock: clock)
        self.scheduler = JobScheduler(clock: clock)
        self.peers = PeerSettings(reader: reader)
    }

    /// A client for another service's internal routes.
    public func peer(_ name: String, url: String) -> InternalClient {
        InternalClient(
            peer: name, baseURL: url, token: self.settings.internalToken, timeout: self.settings.internalTimeout, httpClient: self.httpClient)
    }

    /// The router with the common middleware and platform routes, plus idempotency for POSTs.
    public func router(dialect: any APIDialect, readiness: [ReadinessCheck] = []) -> ServiceRouter<AppRequestContext> {
        let router = ServiceRouter<AppRequestContext>.service(
            dialect: dialect,
            registry: self.registry,
            document: self.document,
            readiness: [.database(self.database)] + readiness,
            accessLog: self.reader.bool(forKey: "log.requests", default: true),
            maxBodySize: self.settings.maxBodySize
        )
        router.add(middleware: IdempotencyMiddleware(database: self.database, reader: self.reader, clock: self.clock))
        return router
    }

    /// The application: migrations before the server starts, then `bootstrap`; the database, HTTP client,
    /// webhook deliverer and scheduler run beside the server and stop with it. Throws when the OpenAPI
    /// document and the routes disagree.
    ///
    /// `server` is how connections are served: HTTP/1.1, or (chatwoot-groups' `/cable`) HTTP/1.1 that also upgrades
    /// the requests its builder accepts to websockets (hummingbird-websocket's `.http1WebSocketUpgrade`); every
    /// other request still goes to `router`.
    public func application(
        router: ServiceRouter<AppRequestContext>,
        migrations: [Migration],
        jobHandlers: [String: JobHandler] = [:],
        server: HTTPServerBuilder = .http1(),
        bootstrap: @escaping @Sendable () async throws -> Void = {}
    ) throws -> Application<RouterResponder<AppRequestContext>> {
        try self.document.verify(against: router.routes)
        var app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(self.settings.host, port: self.settings.port), serverName: "Switchboard"),
            logger: self.logger
        )
        let database = self.database
        let logger = self.logger
        let gate = StartupGate()
        app.beforeServerStarts {
            // Seeding runs under the migrations' lock, so instances starting together never seed twice.
            try await database.migrate(ServiceKitMigrations.all + migrations, logger: logger, then: bootstrap)
            gate.open()
        }
        app.addServices(
            database,
            HTTPClientService(client: self.httpClient),
            WebhookDeliverer(
                database: database, httpClient: self.httpClient, settings: WebhookSettings(reader: self.reader), logger: logger, clock: self.clock,
                startGate: gate),
            SchedulerService(
                database: database, handlers: jobHandlers, settings: SchedulerSettings(reader: self.reader), logger: logger, clock: self.clock,
                startGate: gate)
        )
        return app
    }
}

/// Shuts the shared HTTP client down when the application stops.
public struct HTTPClientService: Service {
    let client: HTTPClient

    public init(client: HTTPClient) {
        self.client = client
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await self.client.shutdown()
    }
}

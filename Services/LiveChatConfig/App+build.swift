import Configuration
import Hummingbird
import ServiceKit

/// Builds livechat-config (Comm100 Live Chat API v1), which owns sites, agents and their credentials.
///
/// Reads the keys of ``ServiceSettings``, ``PeerSettings``, ``WebhookSettings``, ``SchedulerSettings`` and
/// ``LiveChatSettings``.
func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "livechat-config", defaultPort: 8082, title: "Comm100 Live Chat API v1",
        securitySchemes: ["basicAuth": SecuritySchemes.basic, "bearerAuth": SecuritySchemes.bearer, "internalToken": SecuritySchemes.internalToken],
        schemeParameters: ["basicAuth": [.siteId]]
    )
    let settings = LiveChatSettings(reader: reader)
    let database = foundation.database
    let credentials = AgentCredentialSQLRepository(database: database, clock: foundation.clock)
    let store = ConfigurationSQLRepository(database: database)
    let agents = LiveChatAgentSQLRepository(database: database)
    let bans = BanSQLRepository(database: database)
    let runtime = ChatRuntime(
        database: database, store: store, agents: agents, bans: bans, configs: SettingReader(configs: store), clock: foundation.clock)
    let verifier = CachingVerifier(LocalComm100Verifier(agents: credentials), ttl: .seconds(10))
    let document = foundation.document
    let router = foundation.router(dialect: Comm100ErrorDialect())

    let internalRoutes = router.group("/internal").add(middleware: InternalAuthMiddleware(token: foundation.settings.internalToken))
    let internalAPI = Endpoints(
        internalRoutes, prefix: "/internal", tag: "Internal", security: ["internalToken"], isExtension: true, document: document)
    InternalController(verifier: verifier, credentials: credentials, agents: agents, store: store).addRoutes(to: internalAPI)
    OAuthController(agents: credentials).addRoutes(to: router.endpoints("/oauth", tag: "OAuth", document: document))
    // The visitor's side is public, like a chat window: its routes come before the sign-in middleware.
    VisitorController(runtime: runtime).addRoutes(
        to: router.endpoints("/api/v1/livechat/visitor", tag: "Visitor runtime (extension)", isExtension: true, document: document)
    )
    router.add(middleware: Comm100Authentication.middleware(verifier: verifier))
    let api = router.endpoints(
        "/api/v1/livechat", context: AuthenticatedContext.self, tag: "Live Chat", security: ["basicAuth", "bearerAuth"],
        errors: [401: "Unauthorized"],
        document: document
    )
    LiveChatAPI(
        store: store, agents: agents, statuses: CustomAwayStatusSQLRepository(database: database), bans: bans, credentials: credentials,
        runtime: runtime,
        outbox: foundation.outbox, publicURL: settings.publicURL
    ).addRoutes(to: api)
    return try foundation.application(router: router, migrations: LiveChatMigrations.all) {
        if let key = foundation.settings.bootstrapAPIKey { try await credentials.bootstrap(apiKey: key) }
    }
}

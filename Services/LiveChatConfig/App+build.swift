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
    let credentials = AgentCredentialSQLRepository(database: foundation.database, clock: foundation.clock)
    let verifier = CachingVerifier(LocalComm100Verifier(agents: credentials), ttl: .seconds(10))
    let router = foundation.router(dialect: Comm100ErrorDialect())
    let internalRoutes = router.group("/internal").add(middleware: InternalAuthMiddleware(token: foundation.settings.internalToken))
    InternalAuthController(verifier: verifier).addRoutes(to: internalRoutes, document: foundation.document)
    SiteProvisioningController(agents: credentials).addRoutes(to: internalRoutes, document: foundation.document)
    OAuthController(agents: credentials).addRoutes(to: router, document: foundation.document)
    let liveChat = LiveChatAPI(foundation: foundation, settings: settings, credentials: credentials)
    InternalDirectoryController(agents: liveChat.agents, store: liveChat.store).addRoutes(to: internalRoutes, document: foundation.document)
    // The visitor's side is public, like a chat window: its routes come before the sign-in middleware.
    VisitorController(runtime: liveChat.runtime).addRoutes(to: router, document: foundation.document)
    router.add(middleware: Comm100Authentication.middleware(verifier: verifier))
    liveChat.addRoutes(to: router.group("/api/v1/livechat", context: AuthenticatedContext.self))
    return try foundation.application(router: router, migrations: LiveChatMigrations.all) {
        if let key = foundation.settings.bootstrapAPIKey { try await credentials.bootstrap(apiKey: key) }
    }
}

import Configuration
import Hummingbird
import ServiceKit

/// Builds chatwoot-groups (the Chatwoot REST API with WhatsApp group conversations).
///
/// Reads the keys of ``ServiceSettings``, ``WebhookSettings`` and ``SchedulerSettings``.
func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "chatwoot-groups", defaultPort: 8084, title: "Chatwoot API",
        securitySchemes: ["userApiKey": SecuritySchemes.chatwootUserToken, "platformAppApiKey": SecuritySchemes.chatwootUserToken]
    )
    let credentialTTL = Duration.seconds(10)
    let tokens = AccessTokenSQLRepository(database: foundation.database, clock: foundation.clock, keepUsersFor: credentialTTL)
    let router = foundation.router(dialect: ChatwootErrorDialect())
    router.add(
        middleware: AuthenticationMiddleware(
            verifier: CachingVerifier(ChatwootTokenVerifier(tokens: tokens), ttl: credentialTTL),
            scope: { request in request.uri.path.hasPrefix("/platform/") ? "platform" : "account" },
            accepts: { if case .apiAccessToken = $0 { true } else { false } }
        )
    )
    let api = router.endpoints(
        "/api/v1", context: AuthenticatedContext.self, tag: "Profile", security: ["userApiKey"], errors: [401: "Unauthorized"],
        document: foundation.document)
    ProfileController(tokens: tokens).addRoutes(to: api)
    return try foundation.application(router: router, migrations: ChatwootMigrations.all) {
        if let key = foundation.settings.bootstrapAPIKey { try await tokens.bootstrap(token: key) }
    }
}

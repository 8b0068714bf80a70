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
    let tokens = AccessTokenSQLRepository(database: foundation.database, clock: foundation.clock)
    let router = foundation.router(dialect: ChatwootErrorDialect())
    router.add(
        middleware: AuthenticationMiddleware(
            verifier: CachingVerifier(ChatwootTokenVerifier(tokens: tokens), ttl: .seconds(10)),
            scope: { request in request.uri.path.hasPrefix("/platform/") ? "platform" : "account" },
            accepts: { if case .apiAccessToken = $0 { true } else { false } }
        )
    )
    ProfileController(tokens: tokens).addRoutes(to: router, document: foundation.document)
    return try foundation.application(router: router, migrations: ChatwootMigrations.all) {
        if let key = foundation.settings.bootstrapAPIKey { try await tokens.bootstrap(token: key) }
    }
}

import Configuration
import Hummingbird
import ServiceKit

/// Builds sinch-cmi (Sinch Contact Center Contact Management Interface, JSON and XML).
///
/// Reads the keys of ``ServiceSettings``, ``WebhookSettings`` and ``SchedulerSettings``.
func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "sinch-cmi", defaultPort: 8085, title: "Sinch Contact Center CMI",
        securitySchemes: ["basicAuth": SecuritySchemes.basic]
    )
    let users = UserSQLRepository(database: foundation.database, clock: foundation.clock)
    let router = foundation.router(dialect: SinchErrorDialect())
    router.add(
        middleware: AuthenticationMiddleware(
            verifier: CachingVerifier(CMIUserVerifier(users: users), ttl: .seconds(30)),
            challenge: "Basic realm=\"CMI\"",
            accepts: { if case .basic = $0 { true } else { false } }
        )
    )
    return try foundation.application(router: router, migrations: SinchMigrations.all) {
        if let key = foundation.settings.bootstrapAPIKey { try await users.bootstrap(password: key) }
    }
}

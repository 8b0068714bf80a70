import Configuration
import Hummingbird
import ServiceKit

/// Builds sinch-cmi (Sinch Contact Center Contact Management Interface, JSON and XML), under `/RI/cmi/`,
/// with the administration extension under `/RI/cmi-admin/`.
///
/// Reads the keys of ``ServiceSettings``, ``WebhookSettings``, ``SchedulerSettings`` and ``HTTPCarrierAdapter``.
/// `clock` is "now" for send times, retries and creation times (tests move it).
func buildApplication(reader: ConfigReader, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "sinch-cmi", defaultPort: 8085, title: "Sinch Contact Center CMI",
        securitySchemes: ["basicAuth": SecuritySchemes.basic], clock: clock
    )
    let (database, document) = (foundation.database, foundation.document)
    let sender = MessageSender(
        database: database, carrier: HTTPCarrierAdapter(reader: reader, httpClient: foundation.httpClient), clock: foundation.clock,
        logger: foundation.logger
    )
    let router = foundation.router(dialect: CMIDialect())
    let userCache = CachingVerifier(CMIUserVerifier(database: database, clock: foundation.clock), ttl: .seconds(30))
    router.add(
        middleware: AuthenticationMiddleware(
            verifier: userCache, challenge: "Basic realm=\"CMI\"", accepts: { if case .basic = $0 { true } else { false } }))
    let errors = [400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 406: "Not Acceptable"]
    let cmi = router.endpoints("/RI/cmi", context: CMIContext.self, tag: "CMI", security: ["basicAuth"], errors: errors, document: document)
    EmailController(database: database).addRoutes(to: cmi)
    ScriptResultController(database: database).addRoutes(to: cmi)
    ContactController(database: database, clock: foundation.clock).addRoutes(to: cmi)
    ChatController(database: database, clock: foundation.clock).addRoutes(to: cmi)
    CallRecordingController(database: database, clock: foundation.clock).addRoutes(to: cmi)
    CallbackController(database: database, clock: foundation.clock).addRoutes(to: cmi)
    MessageController(database: database, sender: sender, clock: foundation.clock).addRoutes(to: cmi)
    CustomerConsentController(database: database).addRoutes(to: cmi)
    let admin = router.endpoints(
        "/RI/cmi-admin", context: CMIContext.self, tag: "Administration (extension)", security: ["basicAuth"],
        errors: errors.merging([403: "Not an administrator"]) { $1 },
        isExtension: true, document: document
    )
    AdminController(database: database, clock: foundation.clock, userCache: userCache).addRoutes(to: admin)
    return try foundation.application(router: router, migrations: SinchMigrations.all, jobHandlers: [MessageSender.jobKind: sender.run]) {
        guard let key = foundation.settings.bootstrapAPIKey else { return }
        try await database.transaction { try await $0.users(clock: foundation.clock).bootstrap(password: key) }
    }
}

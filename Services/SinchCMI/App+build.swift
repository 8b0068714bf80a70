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
    let users = UserSQLRepository(database: foundation.database, clock: foundation.clock)
    let emails = EmailSQLRepository(database: foundation.database)
    let scriptResults = ScriptResultSQLRepository(database: foundation.database)
    let queues = QueueSQLRepository(database: foundation.database)
    let chats = ChatSQLRepository(database: foundation.database)
    let recordings = CallRecordingSQLRepository(database: foundation.database)
    let settings = SettingsSQLRepository(database: foundation.database)
    let messages = MessageSQLRepository(database: foundation.database)
    let sender = MessageSender(
        messages: messages, database: foundation.database,
        carrier: HTTPCarrierAdapter(reader: reader, httpClient: foundation.httpClient),
        scheduler: foundation.scheduler, clock: foundation.clock, logger: foundation.logger
    )
    let router = foundation.router(dialect: SinchErrorDialect())
    let contacts = ContactSQLRepository(database: foundation.database)
    let userCache = CachingVerifier(CMIUserVerifier(users: users), ttl: .seconds(30))
    router.add(
        middleware: AuthenticationMiddleware(
            verifier: userCache,
            challenge: "Basic realm=\"CMI\"",
            accepts: { if case .basic = $0 { true } else { false } }
        )
    )
    let cmi = router.group("/RI/cmi", context: AuthenticatedContext.self)
    EmailController(emails: emails).addRoutes(to: cmi, document: foundation.document)
    ScriptResultController(results: scriptResults).addRoutes(to: cmi, document: foundation.document)
    ContactController(contacts: contacts, clock: foundation.clock).addRoutes(to: cmi, document: foundation.document)
    ChatController(chats: chats, queues: queues, contacts: contacts, clock: foundation.clock).addRoutes(to: cmi, document: foundation.document)
    CallRecordingController(recordings: recordings, clock: foundation.clock).addRoutes(to: cmi, document: foundation.document)
    CallbackController(callbacks: CallbackSQLRepository(database: foundation.database), queues: queues, settings: settings, clock: foundation.clock)
        .addRoutes(to: cmi, document: foundation.document)
    MessageController(messages: messages, queues: queues, sender: sender, database: foundation.database, clock: foundation.clock)
        .addRoutes(to: cmi, document: foundation.document)
    CustomerConsentController(consents: CustomerConsentSQLRepository(database: foundation.database)).addRoutes(to: cmi, document: foundation.document)
    let admin = router.group("/RI/cmi-admin", context: AuthenticatedContext.self)
    AdminController(
        emails: emails, scriptResults: scriptResults, queues: queues, chats: chats, recordings: recordings, settings: settings, contacts: contacts, users: users, userCache: userCache
    ).addRoutes(to: admin, document: foundation.document)
    return try foundation.application(router: router, migrations: SinchMigrations.all, jobHandlers: [MessageSender.jobKind: sender.run]) {
        if let key = foundation.settings.bootstrapAPIKey { try await users.bootstrap(password: key) }
    }
}

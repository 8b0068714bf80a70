import Configuration
import Hummingbird
import ServiceKit

/// Builds the conversation service (Comm100 Anytime Conversation API v3 and the Ticketing API).
///
/// Reads the keys of ``ServiceSettings``, ``PeerSettings``, ``WebhookSettings``, ``SchedulerSettings`` and ``SMTPSettings``.
/// `clock` is "now" for every time the service stamps (tests move it).
func buildApplication(reader: ConfigReader, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let attachments = AttachmentSettings(reader: reader)
    let smtp = SMTPSettings(reader: reader)
    let foundation = try ServiceFoundation(
        reader: reader, name: "conversation", defaultPort: 8081, title: "Comm100 Anytime Conversation API v3",
        securitySchemes: ["basicAuth": SecuritySchemes.basic, "bearerAuth": SecuritySchemes.bearer, "internalToken": SecuritySchemes.internalToken],
        schemeParameters: ["basicAuth": [.siteId]],
        // An upload of the largest attachment, with its multipart framing, fits.
        defaultMaxBodySize: attachments.maxSize + 1024 * 1024, clock: clock
    )
    let router = foundation.comm100Router()
    let directory = ConversationDirectory(
        liveChat: LiveChatConfigClient(client: foundation.peer("livechat-config", url: foundation.peers.liveChatConfigURL)),
        contacts: OutreachContactClient(client: foundation.peer("outreach-contact", url: foundation.peers.outreachContactURL)))
    let store = ConversationStore(database: foundation.database, clock: foundation.clock, directory: directory)
    let attachmentController = AttachmentController(store: store, settings: attachments)
    attachmentController.addDownloadRoute(
        to: router.endpoints("/api/v3/anytime", tag: "Attachments", isExtension: true, document: foundation.document))
    let anytime = router.endpoints(
        "/api/v3/anytime", context: AuthenticatedContext.self, tag: "Conversations", security: ["basicAuth", "bearerAuth"],
        errors: [401: "Unauthorized"], document: foundation.document)
    ConversationController(store: store).addRoutes(to: anytime)
    MessageController(store: store).addRoutes(to: anytime)
    attachmentController.addRoutes(to: anytime)
    PortalController(store: store, attachments: attachments).addRoutes(to: anytime)
    ChannelController(store: store).addRoutes(to: anytime)
    FieldController(store: store).addRoutes(to: anytime)
    JunkController(store: store).addRoutes(to: anytime)
    WorkingTimeController(store: store).addRoutes(to: anytime)
    SLAPolicyController(store: store).addRoutes(to: anytime)
    TriggerController(store: store, attachments: attachments).addRoutes(to: anytime)
    RoutingController(store: store).addRoutes(to: anytime)
    AutoAllocationController(store: store).addRoutes(to: anytime)
    ViewController(store: store).addRoutes(to: anytime)
    DraftController(store: store).addRoutes(to: anytime)
    MergeController(store: store).addRoutes(to: anytime)
    ActiveAgentController(store: store).addRoutes(to: anytime)
    ReportController(store: store).addRoutes(to: anytime)
    let ticketing = router.endpoints(
        "/ticketing", context: AuthenticatedContext.self, tag: "Ticketing", security: ["basicAuth", "bearerAuth"], errors: [401: "Unauthorized"],
        document: foundation.document)
    TicketController(store: store).addRoutes(to: ticketing)
    let internalRoutes = router.group("/internal").add(middleware: InternalAuthMiddleware(token: foundation.settings.internalToken))
    let internalAPI = Endpoints(
        internalRoutes, prefix: "/internal", tag: "Internal", security: ["internalToken"], isExtension: true, document: foundation.document)
    InternalTicketController(store: store).addRoutes(to: internalAPI)
    let spellings = CanonicalSpellings(routes: router.routes.map(\.path), prefixes: ["/api/v3/anytime", "/ticketing"])
    let application = try foundation.application(
        router: router, migrations: ConversationMigrations.all,
        jobHandlers: [
            SLAClock.jobKind: { job in try await SLAClock.run(job, store: store) },
            TriggerClock.jobKind: { job in try await TriggerClock.run(job, store: store) },
            TriggerMail.jobKind: { job in try await TriggerMail.deliver(job, store: store, smtp: smtp) },
        ])
    return CanonicalPathApplication(wrapped: application, spellings: spellings)
}

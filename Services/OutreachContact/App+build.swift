import Configuration
import Hummingbird
import ServiceKit

/// Builds the outreach-contact service (Comm100 Outreach, Contact and Outbound Unichannel APIs).
///
/// Reads the keys of ``ServiceSettings``, ``PeerSettings``, ``WebhookSettings``, ``SchedulerSettings`` and ``OutreachSettings``.
/// `clock` is "now" for send times and scheduled campaigns (tests move it).
func buildApplication(reader: ConfigReader, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "outreach-contact", defaultPort: 8083, title: "Comm100 Outreach, Contact and Outbound Unichannel APIs",
        securitySchemes: ["basicAuth": SecuritySchemes.basic, "bearerAuth": SecuritySchemes.bearer, "internalToken": SecuritySchemes.internalToken],
        schemeParameters: ["basicAuth": [.siteId]], clock: clock
    )
    let router = foundation.comm100Router()
    let contacts = ContactStore(database: foundation.database, clock: foundation.clock)
    let contactAPI = router.endpoints(
        "/contact", context: AuthenticatedContext.self, tag: "Contacts", security: ["basicAuth", "bearerAuth"], errors: [401: "Unauthorized"],
        document: foundation.document)
    ContactFieldController(store: contacts).addRoutes(to: contactAPI)
    ContactController(store: contacts).addRoutes(to: contactAPI)
    ContactIdentityController(store: contacts).addRoutes(to: contactAPI)
    ContactTransferController(store: contacts).addRoutes(to: contactAPI)
    let internalRoutes = router.group("/internal").add(middleware: InternalAuthMiddleware(token: foundation.settings.internalToken))
    let internalAPI = Endpoints(
        internalRoutes, prefix: "/internal", tag: "Internal", security: ["internalToken"], isExtension: true, document: foundation.document)
    InternalContactController(store: contacts).addRoutes(to: internalAPI)
    let outreachSettings = OutreachSettings(reader: reader)
    let callbacks = OutreachCallbacks(secret: outreachSettings.callbackSecret)
    let channelAccounts = ChannelAccountStore()
    let campaignSender = CampaignSender(
        database: foundation.database, contacts: contacts, queue: OutboundQueue(clock: foundation.clock), accounts: channelAccounts,
        settings: outreachSettings, clock: foundation.clock, logger: foundation.logger)
    let outreachAPI = router.endpoints(
        "/outreach", context: AuthenticatedContext.self, tag: "Outreach", security: ["basicAuth", "bearerAuth"], errors: [401: "Unauthorized"],
        document: foundation.document)
    CampaignController(database: foundation.database, contacts: contacts, accounts: channelAccounts, sender: campaignSender, clock: foundation.clock)
        .addRoutes(to: outreachAPI)
    OutreachMessageController(database: foundation.database, accounts: channelAccounts, callbacks: callbacks, clock: foundation.clock)
        .addRoutes(to: outreachAPI)
    OutreachCallbackController(database: foundation.database, outbox: foundation.outbox).addRoutes(to: outreachAPI)
    // The outreach messages follow their outbound messages (spec §5.4).
    let outreachFollower = OutreachStatusFollower(callbacks: callbacks)
    let unichannel = Unichannel(foundation: foundation, queue: OutboundQueue(clock: foundation.clock), observer: outreachFollower)
    unichannel.addRoutes(to: router, document: foundation.document)
    let spellings = CanonicalSpellings(routes: router.routes.map(\.path), prefixes: ["/contact", "/outreach", "/outboundunichannel"])
    // Sent messages that ask for it land on a ticket of their contact in conversation (spec §5.6).
    let autoAttach = TicketAutoAttach(
        database: foundation.database,
        conversation: ConversationClient(client: foundation.peer("conversation", url: foundation.peers.conversationURL)),
        callbacks: callbacks, logger: foundation.logger)
    var application = try foundation.application(
        router: router, migrations: OutreachMigrations.all,
        jobHandlers: [CampaignSender.jobKind: campaignSender.run, TicketAutoAttach.jobKind: autoAttach.run],
        bootstrap: unichannel.bootstrap)
    // The dispatcher hands queued outbound messages to their carriers.
    application.addServices(unichannel.dispatcher)
    return CanonicalPathApplication(wrapped: application, spellings: spellings)
}

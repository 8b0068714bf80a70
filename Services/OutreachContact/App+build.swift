import Configuration
import Hummingbird
import ServiceKit

/// Builds the outreach-contact service (Comm100 Outreach, Contact and Outbound Unichannel APIs).
///
/// Reads the keys of ``ServiceSettings``, ``PeerSettings``, ``WebhookSettings`` and ``SchedulerSettings``.
func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "outreach-contact", defaultPort: 8083, title: "Comm100 Outreach, Contact and Outbound Unichannel APIs",
        securitySchemes: ["basicAuth": SecuritySchemes.basic, "bearerAuth": SecuritySchemes.bearer],
        schemeParameters: ["basicAuth": [.siteId]]
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
    let unichannel = Unichannel(foundation: foundation, queue: OutboundQueue(clock: foundation.clock), observer: nil)
    unichannel.addRoutes(to: router, document: foundation.document)
    let spellings = CanonicalSpellings(routes: router.routes.map(\.path), prefixes: ["/contact", "/outreach", "/outboundunichannel"])
    var application = try foundation.application(router: router, migrations: OutreachMigrations.all, bootstrap: unichannel.bootstrap)
    // The dispatcher hands queued outbound messages to their carriers.
    application.addServices(unichannel.dispatcher)
    return CanonicalPathApplication(wrapped: application, spellings: spellings)
}

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
    return try foundation.application(router: foundation.comm100Router(), migrations: [])
}

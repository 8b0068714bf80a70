import Configuration
import Hummingbird
import ServiceKit

/// Builds the conversation service (Comm100 Anytime Conversation API v3 and the Ticketing API).
///
/// Reads the keys of ``ServiceSettings``, ``PeerSettings``, ``WebhookSettings`` and ``SchedulerSettings``.
func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let foundation = try ServiceFoundation(
        reader: reader, name: "conversation", defaultPort: 8081, title: "Comm100 Anytime Conversation API v3",
        securitySchemes: ["basicAuth": SecuritySchemes.basic, "bearerAuth": SecuritySchemes.bearer],
        schemeParameters: ["basicAuth": [.siteId]]
    )
    return try foundation.application(router: foundation.comm100Router(), migrations: [])
}

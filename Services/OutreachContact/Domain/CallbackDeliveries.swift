import Hummingbird
import ServiceKit

/// A site's callback deliveries of one event type, read from the outbox with their attempts: what the Outreach and
/// the Outbound Unichannel callbacks both show, as Live Chat shows its webhook deliveries.
struct CallbackDeliveries: Sendable {
    let database: Database
    let outbox: Outbox
    let eventType: String

    struct Filter: Decodable {
        var status: String?
        @QueryInteger var limit: Int?
    }

    /// The newest deliveries, filtered by `status` (400 naming it) and at most `limit` (1–500, default 100).
    func list(_ request: Request, site: String) async throws -> [WebhookDeliveryReport] {
        let filter = try request.decodeQuery(as: Filter.self)
        let status = filter.status.map { $0.lowercased() }
        if let status, !WebhookDeliveryReport.statuses.contains(status) {
            throw ServiceError.invalid(
                "status", "Parameter 'status' must be one of \(WebhookDeliveryReport.statuses.sorted().joined(separator: ", ")).")
        }
        let limit = filter.limit ?? 100
        guard (1...500).contains(limit) else { throw ServiceError.invalid("limit", "Parameter 'limit' must be between 1 and 500.") }
        return try await self.database.readStatement { sql in
            try await self.outbox.events(tenant: site, status: status, eventType: self.eventType, limit: limit, on: sql)
        }.map { WebhookDeliveryReport($0) }
    }

    /// One delivery of the site with every attempt; another site's, or another event type's, is 404.
    func one(id: String, site: String) async throws -> WebhookDeliveryReport {
        try await self.database.read { tx in
            guard let event = try await self.outbox.event(id: id, tenant: site, on: tx.sql), event.eventType == self.eventType else {
                throw ServiceError.notFound("Callback delivery")
            }
            return WebhookDeliveryReport(event, attempts: try await self.outbox.attempts(eventID: id, on: tx.sql))
        }
    }
}

import Hummingbird
import ServiceKit
import WireModels

extension WebhookDeliveryReport: ResponseEncodable {}

/// `/api/v1/livechat/webhookDeliveries` (extension; permission `Manage Settings`, as the webhooks themselves):
/// the site's webhook events newest first, where each delivery stands, and every attempt of one event.
struct WebhookDeliveryController {
    let outbox: Outbox
    let database: Database
    static let permission = "Manage Settings"

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Webhook deliveries", isExtension: true)
        let errors: [Int: String] = [403: "Missing permission Manage Settings"]
        api.get(
            "/webhookDeliveries", "The site's webhook events, newest first (status, event and limit 1–500, default 100, filter them)",
            returns: [WebhookDeliveryReport].self,
            query: [
                .init("status", "pending, delivered or failed"), .init("event", "A webhook event name"),
                .init("limit", "Events to return, 1-500; default 100", .integer),
            ],
            errors: errors.merging([400: "Invalid filter"]) { own, _ in own }, use: self.list
        )
        api.get(
            "/webhookDeliveries/{id}", "One webhook event (its webhook-id) with every delivery attempt", returns: WebhookDeliveryReport.self,
            errors: errors.merging([404: "Not found"]) { own, _ in own }, use: self.get
        )
    }

    /// The list's filters.
    struct Filter: Decodable {
        var status: String?
        var event: String?
        @QueryInteger var limit: Int?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [WebhookDeliveryReport] {
        try context.require(permission: Self.permission)
        let filter = try request.decodeQuery(as: Filter.self)
        let status = filter.status.map { $0.lowercased() }
        if let status, !WebhookDeliveryReport.statuses.contains(status) {
            throw Validation.invalid("status", "must be one of \(WebhookDeliveryReport.statuses.sorted().joined(separator: ", ")).")
        }
        let event = try filter.event.map { spelling in
            guard let event = LiveChatWebhook.Event(spelling: spelling) else {
                throw Validation.invalid("event", "must be one of \(LiveChatWebhook.Event.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return event.rawValue
        }
        let limit = filter.limit ?? 100
        guard (1...500).contains(limit) else { throw Validation.invalid("limit", "must be between 1 and 500.") }
        return try await self.database.readStatement { sql in
            try await self.outbox.events(tenant: context.identity.tenant, status: status, eventType: event, limit: limit, on: sql)
        }.map { WebhookDeliveryReport($0) }
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> WebhookDeliveryReport {
        try context.require(permission: Self.permission)
        let id = try context.parameters.require("id")
        return try await self.database.read { tx in
            guard let event = try await self.outbox.event(id: id, tenant: context.identity.tenant, on: tx.sql) else {
                throw ServiceError.notFound("Webhook delivery")
            }
            return WebhookDeliveryReport(event, attempts: try await self.outbox.attempts(eventID: id, on: tx.sql))
        }
    }
}

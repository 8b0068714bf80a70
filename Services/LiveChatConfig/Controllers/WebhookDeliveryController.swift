import HTTPTypes
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

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/webhookDeliveries", use: self.list)
        group.get("/webhookDeliveries/:id", use: self.get)
        let tag = "Webhook deliveries"
        let security = ["basicAuth", "bearerAuth"]
        document.describe(
            .get, "/api/v1/livechat/webhookDeliveries",
            .init(
                "The site's webhook events, newest first (status, event and limit 1–500, default 100, filter them)", tag: tag, security: security,
                isExtension: true, responses: [200: "WebhookDelivery[]", 400: "Invalid filter", 401: "Unauthorized", 403: "Missing permission Manage Settings"],
                query: [
                    .init("status", "pending, delivered or failed"), .init("event", "A webhook event name"),
                    .init("limit", "Events to return, 1-500; default 100", .integer),
                ]
            )
        )
        document.describe(
            .get, "/api/v1/livechat/webhookDeliveries/{id}",
            .init(
                "One webhook event (its webhook-id) with every delivery attempt", tag: tag, security: security, isExtension: true,
                responses: [200: "WebhookDelivery", 401: "Unauthorized", 403: "Missing permission Manage Settings", 404: "Not found"]
            )
        )
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [WebhookDeliveryReport] {
        try context.require(permission: Self.permission)
        let query = request.uri.queryParameters
        let status = query.get("status").map { $0.lowercased() }
        if let status, !WebhookDeliveryReport.statuses.contains(status) {
            throw Validation.invalid("status", "must be one of \(WebhookDeliveryReport.statuses.sorted().joined(separator: ", ")).")
        }
        let event = try query.get("event").map { spelling in
            guard let event = LiveChatWebhook.Event(spelling: spelling) else {
                throw Validation.invalid("event", "must be one of \(LiveChatWebhook.Event.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return event.rawValue
        }
        let limit = try Validation.queryNumber(query.get("limit"), "limit", default: 100, range: 1...500)
        return try await self.outbox.events(tenant: context.identity.tenant, status: status, eventType: event, limit: limit, on: self.database.sql)
            .map { WebhookDeliveryReport($0) }
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> WebhookDeliveryReport {
        try context.require(permission: Self.permission)
        let id = try context.parameters.require("id")
        guard let event = try await self.outbox.event(id: id, tenant: context.identity.tenant, on: self.database.sql) else {
            throw ServiceError.notFound("Webhook delivery")
        }
        return WebhookDeliveryReport(event, attempts: try await self.outbox.attempts(eventID: id, on: self.database.sql))
    }
}

import Hummingbird
import ServiceKit
import WireModels

extension WebhookDeliveryReport: ResponseEncodable {}

/// `/outreach/callbackDeliveries` (extension; permission `Manage Outreach`): the site's outreach callbacks newest
/// first, where each delivery stands, and every attempt of one, as Live Chat shows its webhook deliveries.
struct OutreachCallbackController {
    let database: Database
    let outbox: Outbox

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Outreach callback deliveries", isExtension: true)
        let errors = [400: "Invalid filter", 403: "Missing permission \(OutreachPermission.outreach)", 404: "Not found"]
        api.get(
            "/callbackDeliveries", "The site's outreach callbacks, newest first (status and limit 1–500, default 100, filter them)",
            returns: [WebhookDeliveryReport].self,
            query: [
                QueryParameter("status", "pending, delivered or failed"),
                QueryParameter("limit", "Callbacks to return, 1-500; default 100", .integer),
            ],
            errors: errors, use: self.list)
        api.get(
            "/callbackDeliveries/{id}", "One outreach callback (its webhook-id) with every delivery attempt", returns: WebhookDeliveryReport.self,
            errors: errors, use: self.get)
    }

    /// The list's filters.
    struct Filter: Decodable {
        var status: String?
        @QueryInteger var limit: Int?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [WebhookDeliveryReport] {
        try context.require(permission: OutreachPermission.outreach)
        let filter = try request.decodeQuery(as: Filter.self)
        let status = filter.status.map { $0.lowercased() }
        if let status, !WebhookDeliveryReport.statuses.contains(status) {
            throw ServiceError.invalid(
                "status", "Parameter 'status' must be one of \(WebhookDeliveryReport.statuses.sorted().joined(separator: ", ")).")
        }
        let limit = filter.limit ?? 100
        guard (1...500).contains(limit) else { throw ServiceError.invalid("limit", "Parameter 'limit' must be between 1 and 500.") }
        let site = context.site
        return try await self.database.readStatement { sql in
            try await self.outbox.events(tenant: site, status: status, eventType: OutreachCallbacks.eventType, limit: limit, on: sql)
        }.map { WebhookDeliveryReport($0) }
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> WebhookDeliveryReport {
        try context.require(permission: OutreachPermission.outreach)
        let (site, id) = (context.site, try context.parameters.require("id"))
        return try await self.database.read { tx in
            guard let event = try await self.outbox.event(id: id, tenant: site, on: tx.sql), event.eventType == OutreachCallbacks.eventType else {
                throw ServiceError.notFound("Callback delivery")
            }
            return WebhookDeliveryReport(event, attempts: try await self.outbox.attempts(eventID: id, on: tx.sql))
        }
    }
}

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
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [WebhookDeliveryReport] {
        try context.require(permission: OutreachPermission.outreach)
        return try await self.deliveries.list(request, site: context.site)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> WebhookDeliveryReport {
        try context.require(permission: OutreachPermission.outreach)
        return try await self.deliveries.one(id: try context.parameters.require("id"), site: context.site)
    }

    private var deliveries: CallbackDeliveries {
        CallbackDeliveries(database: self.database, outbox: self.outbox, eventType: OutreachCallbacks.eventType)
    }
}

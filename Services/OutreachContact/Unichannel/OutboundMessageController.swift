import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension Comm100OutboundMessage: ResponseEncodable {}

/// One callback delivery as an answer: the report itself, written as the report (its own `ResponseEncodable`
/// conformance belongs to whichever controller of the service declares it).
struct CallbackDeliveryAnswer: Codable, Sendable, ResponseEncodable {
    var report: WebhookDeliveryReport

    init(_ report: WebhookDeliveryReport) {
        self.report = report
    }

    init(from decoder: any Decoder) throws {
        self.report = try decoder.singleValueContainer().decode(WebhookDeliveryReport.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.report)
    }
}

/// `/outboundunichannel/messages` (seed #31, L1282–L1325): stores the message `queued` and answers it at once; the
/// dispatcher hands it to the carrier and every later status goes to its `callbackURL` (seed #32).
struct OutboundMessageController {
    let database: Database
    let queue: OutboundQueue
    let outbox: Outbox

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Outbound Unichannel")
        let errors = [400: "Invalid message", 403: "Missing permission \(UnichannelPermission.send)", 404: "Not found"]
        api.post(
            "/messages", "Create an outbound message (stored queued, then sent through the channel account's carrier)",
            body: Comm100OutboundMessageInput.self, returns: Comm100OutboundMessage.self, errors: errors, use: self.create)
        api.tagged("Outbound Unichannel", isExtension: true).get(
            "/messages/{id}", "Get an outbound message as it stands", returns: Comm100OutboundMessage.self, errors: errors, use: self.get)
        let deliveries = api.tagged("Outbound Unichannel callback deliveries", isExtension: true)
        deliveries.get(
            "/callbackDeliveries", "The site's unichannel callbacks, newest first (status pending, delivered or failed; limit 1-500, default 100)",
            returns: [WebhookDeliveryReport].self,
            query: [.init("status", "pending, delivered or failed"), .init("limit", "Events to return, 1-500; default 100", .integer)],
            errors: [400: "Invalid filter", 403: "Missing permission \(UnichannelPermission.channelAccounts)"], use: self.deliveries)
        deliveries.get(
            "/callbackDeliveries/{id}", "One unichannel callback (its webhook-id) with every delivery attempt", returns: CallbackDeliveryAnswer.self,
            errors: [403: "Missing permission \(UnichannelPermission.channelAccounts)", 404: "Not found"], use: self.delivery)
    }

    @Sendable func create(
        _ request: Request, context: AuthenticatedContext, input: Comm100OutboundMessageInput
    ) async throws -> Comm100OutboundMessage {
        try context.require(permission: UnichannelPermission.send)
        let (send, attachments) = try UnichannelRules.sendRequest(input)
        let site = context.site
        return try await self.database.transaction { tx in
            try await self.queue.enqueue(send, attachments: attachments, site: site, outreachMessageID: nil, in: tx)
        }.wire
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutboundMessage {
        try context.require(permission: UnichannelPermission.send)
        let (site, id) = (context.site, try context.guid())
        guard let row = try await self.database.read({ tx in try await self.queue.messages.message(id: id, site: site, in: tx) }) else {
            throw ServiceError.notFound("Outbound message")
        }
        return row.wire
    }

    /// The list's filters.
    @Sendable func deliveries(_ request: Request, context: AuthenticatedContext) async throws -> [WebhookDeliveryReport] {
        try context.require(permission: UnichannelPermission.channelAccounts)
        return try await self.callbackDeliveries.list(request, site: context.site)
    }

    @Sendable func delivery(_ request: Request, context: AuthenticatedContext) async throws -> CallbackDeliveryAnswer {
        try context.require(permission: UnichannelPermission.channelAccounts)
        return CallbackDeliveryAnswer(try await self.callbackDeliveries.one(id: try context.parameters.require("id"), site: context.site))
    }

    private var callbackDeliveries: CallbackDeliveries {
        CallbackDeliveries(database: self.database, outbox: self.outbox, eventType: OutboundStatusChanges.eventType)
    }
}

import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `POST /ticketing/ticket/{id}/messages:attach` (seed 002 L1355–L1404; outreach-contact spec §4.14, §5.13): a
/// message that happened elsewhere (an outreach SMS sent, a contact's answer) lands on the ticket, which is a
/// conversation of the Anytime API, with its delivery status (decisions 205–208).
struct TicketController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        api.post(
            "/ticket/{id}/messages:attach", "Attach a message to a ticket (a conversation)", body: TicketMessageInput.self, returns: EmptyBody.self,
            errors: [400: "Invalid message", 404: "No such ticket"], use: self.attach)
    }

    @Sendable func attach(_ request: Request, context: AuthenticatedContext, input: TicketMessageInput) async throws -> EmptyBody {
        let (site, id, now) = (context.site, try context.conversationId(), self.store.now)
        let attachment = try TicketAttachment(input, ticketId: id, now: now)
        try await self.store.write(locking: [id]) { tx in
            guard let row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else { throw ServiceError.notFound("Ticket") }
            try await attachment.attach(to: row, now: now, in: tx)
        }
        return EmptyBody()
    }
}

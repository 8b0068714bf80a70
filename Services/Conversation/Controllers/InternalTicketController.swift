import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension ContactTicketAnswer: ResponseEncodable {}

/// `/internal/...` (internal token): outreach-contact's auto-attach (ARCHITECTURE §3; outreach-contact spec §5.6,
/// decision 250). A sent outreach message lands on a ticket of its contact, opened for it when there is none.
struct InternalTicketController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.post(
            "/sites/{siteId}/contactTicketMessages", "Attach a message to a ticket of its contact, for outreach-contact",
            body: ContactTicketMessage.self, returns: ContactTicketAnswer.self, errors: [400: "Invalid message"], use: self.attach)
    }

    @Sendable func attach(_ request: Request, context: AppRequestContext, body: ContactTicketMessage) async throws -> ContactTicketAnswer {
        let site = try context.parameters.require("siteId")
        guard !site.isEmpty, site.count <= 32, site.allSatisfy(\.isNumber) else {
            throw ServiceError.invalid("siteId", "Parameter 'siteId' must be a site number.")
        }
        guard let contactId = try AnytimeLimits.id(body.contactId, "contactId") else { throw ServiceError.missing("contactId") }
        guard ["newTicket", "existing"].contains(body.preferredTicket) else {
            throw ServiceError.invalid("preferredTicket", "Field 'preferredTicket' must be newTicket or existing.")
        }
        let subjectText = body.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        let subject = try AnytimeLimits.bounded(subjectText.isEmpty ? "Outreach message" : subjectText, "subject", limit: AnytimeLimits.subject)
        let now = self.store.now
        let attachment = try TicketAttachment(body.message, ticketId: nil, now: now)
        // The original id is what makes a retried attach land once.
        guard let originalId = attachment.originalId else { throw ServiceError.missing("message.originalId") }
        let staff = try await self.store.staff(site: site)
        return try await self.store.write { tx in
            // One contact's attaches one at a time, so two never both open the ticket that `existing` would share.
            try await tx.lock(ConversationStore.lockKey(contact: contactId, site: site))
            if let ticket = try await tx.conversations.ticket(holding: originalId, site: site) { return ContactTicketAnswer(ticketId: Int(ticket)) }
            var row: ConversationRow?
            if body.preferredTicket == "existing", let open = try await tx.conversations.latestOpenTicket(contact: contactId, site: site) {
                // Read again under its lock: trashed or closed meanwhile, it is no longer the contact's open ticket.
                try await tx.lock(ConversationStore.lockKey(conversation: open.id))
                row = try await tx.conversations.conversation(id: open.id, site: site, deleted: false).flatMap {
                    $0.statusValue == .closed ? nil : $0
                }
            }
            let ticket = try await row.asyncOr {
                try await Self.open(subject: subject, contact: contactId, attachment: attachment, site: site, staff: staff, now: now, in: tx)
            }
            try await attachment.attach(to: ticket, now: now, in: tx, raisesEvents: row != nil)
            return ContactTicketAnswer(ticketId: Int(ticket.id))
        }
    }

    /// A new ticket about the contact, opened by the system on the message's channel, with its "created" log.
    static func open(
        subject: String, contact: String, attachment: TicketAttachment, site: String, staff: RoutingStaff, now: Int64, in tx: Tx
    ) async throws -> ConversationRow {
        var row = ConversationRow(
            id: 0, guid: UUID().uuidString.lowercased(), siteId: site, subject: subject, status: AnytimeStatus.new.rawValue,
            statusRank: AnytimeStatus.new.rank, priority: AnytimePriority.normal.rawValue, priorityRank: AnytimePriority.normal.rank,
            assignedAgentId: nil, assignedDepartmentId: nil, relatedType: AnytimeRelatedType.contact.rawValue, relatedId: contact, originalId: nil,
            channelId: attachment.channel.id, isRead: true, isReadByContact: false, isDeleted: false, createdById: attachment.sentById,
            createdByType: AnytimeActorType.system.rawValue, createdTime: now, lastActivityTime: now, lastStatusChangeTime: now,
            lastRepliedTime: 0, lastRepliedById: nil, lastRepliedByType: nil, slaPolicyId: nil, firstRespondBreachAt: nil,
            nextRespondBreachAt: nil, resolveBreachAt: nil, nextSlaBreach: nil)
        row.id = try await tx.conversations.insert(row)
        try await tx.conversations.log(
            "created", "Created for contact \(contact) by an outreach message via \(attachment.channel.id).", conversation: row.id, site: site,
            time: now)
        try await NewConversationPipeline.run(&row, staff: staff, now: now, tx: tx)
        return row
    }
}

extension ConversationStore {
    /// The advisory lock of one contact's tickets: FNV-1a of the site and contact in their own key space.
    static func lockKey(contact: String, site: String) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "contact-ticket:\(site):\(contact)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }
}

extension Optional {
    /// The wrapped value, or what `make` gives.
    fileprivate func asyncOr(_ make: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let value = self { return value }
        return try await make()
    }
}

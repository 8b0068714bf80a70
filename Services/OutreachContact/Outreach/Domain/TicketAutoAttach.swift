import Foundation
import Logging
import ServiceKit
import WireModels

/// Auto-attach `whenTheMessageIsSent` (spec §5.6, decision 250): when a message that asks for it first reaches
/// `sent` (or `delivered`), a scheduler job is written in the same transaction; the job puts the message onto a ticket
/// of its contact in conversation and records the ticket. The job is durable and leased (once across instances),
/// retried with the scheduler's backoff while conversation is unreachable, and idempotent there (the message's id is
/// the ticket message's original id), so a crash between the two steps neither loses nor doubles the attach.
struct TicketAutoAttach: Sendable {
    static let jobKind = "outreach.message.attach"
    static let whenSent = "whenTheMessageIsSent"

    /// What a job carries.
    struct Job: Codable, Sendable {
        var site: String
        var messageId: String
    }

    let database: Database
    let conversation: ConversationClient
    let callbacks: OutreachCallbacks
    let logger: Logger

    /// Arms the attach of `message`, which has just moved from `previous`, when this move is its first into a sent
    /// status and it asks to be attached then.
    static func armIfDue(_ message: OutreachMessageRecord, previous: MessageStatus, site: String, in tx: Tx) async throws {
        let sent: Set<MessageStatus> = [.sent, .delivered]
        guard message.isAutoAttached, message.attachTime == Self.whenSent, message.attachedToTicketId == nil,
            sent.contains(message.status), !sent.contains(previous)
        else { return }
        let payload = String(decoding: try JSONEncoder().encode(Job(site: site, messageId: message.id)), as: UTF8.self)
        _ = try await tx.scheduler.schedule(kind: Self.jobKind, payload: payload, at: Date(timeIntervalSince1970: 0))
    }

    /// Runs a due attach: a message since attached, failed or gone needs nothing; otherwise conversation answers the
    /// ticket, which the message then records (its callback leaving with it). Throwing reschedules the job.
    func run(_ job: ScheduledJob) async throws {
        let due = try JSONDecoder().decode(Job.self, from: Data(job.payload.utf8))
        let pending = try await self.database.read { tx -> (OutreachMessageRecord, String?)? in
            guard let message = try await tx.outreachMessages.message(id: due.messageId, site: due.site), message.attachedToTicketId == nil,
                message.status == .sent || message.status == .delivered
            else { return nil }
            let campaign = try await message.campaignId.asyncMap { try await tx.campaigns.campaign(id: $0, site: due.site) }
            return (message, campaign?.name)
        }
        guard let (message, campaignName) = pending else { return }
        let ticketId = try await self.conversation.attach(Self.ticketMessage(message, campaignName: campaignName), site: due.site)
        try await self.database.transaction { tx in
            guard var current = try await tx.outreachMessages.message(id: message.id, site: due.site, locked: true), current.attachedToTicketId == nil
            else { return }
            current.attachedToTicketId = String(ticketId)
            try await tx.outreachMessages.update(current, site: due.site)
            try await self.callbacks.enqueue(current, site: due.site, in: tx)
        }
        self.logger.debug("Outreach message attached", metadata: ["message": .string(message.id), "ticket": .stringConvertible(ticketId)])
    }

    /// The ticket message an outreach message becomes (spec §5.6): sent by its channel account on SMS, its text as the
    /// body, its id as the original id, the campaign in the metadata, its status mapped per §5.3.
    static func ticketMessage(_ message: OutreachMessageRecord, campaignName: String?) -> ContactTicketMessage {
        var metadata: [String: JSONValue] = ["outreachMessageId": .string(message.id)]
        if let campaignId = message.campaignId { metadata["campaignId"] = .string(campaignId) }
        if let recordId = message.campaignRecordId { metadata["campaignRecordId"] = .string(recordId) }
        let time = ContactTime.format(message.sentTime)
        let subject = campaignName.map { "Outreach: \($0)" } ?? "Outreach message to \(message.to)"
        return ContactTicketMessage(
            contactId: message.contactId, preferredTicket: message.preferredTicket, subject: String(subject.prefix(1000)),
            message: TicketMessageInput(
                sentById: message.channelAccountId, sentByType: .channelAccount, time: time, type: .text, metadata: .object(metadata),
                originalId: message.id, channelId: "SMS", body: Self.plainBody(message.message), ifDisplayInTicketCorrespondences: true,
                messageDelivery: TicketMessageDelivery(messageId: message.id, status: .success, time: time)))
    }
}

extension TicketAutoAttach {
    /// The SMS text as the attach route's `data:text/plain;base64,` body, so a text that itself starts with that
    /// prefix lands as it was sent.
    static func plainBody(_ text: String) -> String {
        "data:text/plain;base64," + Data(text.utf8).base64EncodedString()
    }
}

extension Optional {
    /// The wrapped value transformed by an async function, or nil.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

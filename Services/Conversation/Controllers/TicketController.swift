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
        if let ticketId = input.ticketId, Int64(ticketId) != id {
            throw ServiceError.invalid("ticketId", "Field 'ticketId' (\(ticketId)) differs from the ticket of the path (\(id)).")
        }
        guard let sentById = try AnytimeLimits.id(input.sentById, "sentById") else { throw ServiceError.missing("sentById") }
        guard let sentByType = input.sentByType else { throw ServiceError.missing("sentByType") }
        guard let type = input.type else { throw ServiceError.missing("type") }
        guard input.metadata != nil else { throw ServiceError.missing("metadata") }
        let channel = try AnytimeChannel.named(input.channelId, member: "channelId")
        let time = try input.time.map { try AnytimeTime.parse($0, member: "time") } ?? now
        let originalId = try input.originalId.map { try AnytimeLimits.bounded($0, "originalId", limit: 1000) }.flatMap { $0.isEmpty ? nil : $0 }
        let parentId = try AnytimeLimits.id(input.parentId, "parentId")
        let contents = try Self.contents(input, type: type)
        let received = sentByType == .contact || sentByType == .visitor
        let senderType: AnytimeActorType =
            switch sentByType {
            case .contact, .visitor: .contact
            case .agent: .agent
            case .chatbot, .channelAccount, .system: .system
            }
        let sendStatus: AnytimeSendStatus =
            switch input.messageDelivery?.status {
            case .waitForSending?, .sending?: .sending
            case .failed?: .failed
            case .success?, nil: .success
            }
        let failReason = try input.messageDelivery?.failReason.map { try AnytimeLimits.bounded($0, "messageDelivery.failReason", limit: 1000) }
        try await self.store.write(locking: [id]) { tx in
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else { throw ServiceError.notFound("Ticket") }
            if let originalId, try await tx.conversations.message(originalId: originalId, in: id) != nil { return }
            if let parentId, try await !tx.conversations.hasMessage(parentId, in: id) {
                throw ServiceError.invalid("parentId", "Field 'parentId' must name a message of this ticket.")
            }
            let message = AnytimeMessage(
                id: UUID().uuidString.lowercased(), conversationId: Int(id), channelId: channel.id, type: .message,
                directType: received ? .receive : .send, channelAccountId: nil, contactIdentityId: nil, originalMessageId: originalId,
                originalMessageUrl: nil, parentId: parentId, subject: nil, cc: nil, contents: contents, mentionedAgentIds: [],
                isRead: input.isRead ?? !received, sendStatus: sendStatus, senderId: sentById, senderType: senderType, time: AnytimeTime.format(time))
            try await tx.conversations.insert(
                message, site: site, deliveryStatus: input.messageDelivery?.status?.rawValue, failReason: failReason)
            row.lastActivityTime = now
            if time >= row.lastRepliedTime {
                (row.lastRepliedTime, row.lastRepliedById, row.lastRepliedByType) = (time, sentById, senderType.rawValue)
            }
            if received {
                if !message.isRead { row.isRead = false }
                // A contact writing again reopens a closed conversation or one waiting on them (spec §5.2).
                if row.statusValue == .closed || row.statusValue == .pendingExternal {
                    let before = row.status
                    row.set(status: .pendingInternal)
                    row.lastStatusChangeTime = now
                    try await tx.conversations.log(
                        "status", "Status changed from \(before) to pendingInternal: the contact wrote.", conversation: id, site: site, time: now)
                }
            } else {
                row.isReadByContact = false
            }
            try await tx.conversations.update(row)
        }
        return EmptyBody()
    }

    /// The body (plain text or `data:text/plain;base64,…`) as the content of its type, then each attachment as a
    /// file content with its url.
    static func contents(_ input: TicketMessageInput, type: TicketMessageType) throws -> [AnytimeContent] {
        var contents: [AnytimeContent] = []
        if let raw = input.body {
            var body = raw
            let prefix = "data:text/plain;base64,"
            if raw.lowercased().hasPrefix(prefix) {
                guard let data = Data(base64Encoded: String(raw.dropFirst(prefix.count))), let text = String(data: data, encoding: .utf8) else {
                    throw ServiceError.invalid("body", "Field 'body' is not valid base64 UTF-8 text after 'data:text/plain;base64,'.")
                }
                body = text
            }
            body = try AnytimeLimits.bounded(body, "body", limit: AnytimeLimits.text)
            let content: AnytimeContent
            switch type {
            case .html: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .htmlText, htmlText: body)
            case .image: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .picture, url: body)
            case .video: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .video, url: body)
            case .audio: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .audio, url: body)
            case .file: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .file, url: body)
            case .location: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .location, text: body)
            case .text, .quickReply, .webView: content = AnytimeContent(id: UUID().uuidString.lowercased(), type: .text, text: body)
            }
            contents.append(content)
        }
        let attachments = input.attachments ?? []
        guard attachments.count <= AnytimeLimits.contents else {
            throw ServiceError.invalid("attachments", "Field 'attachments' may hold at most \(AnytimeLimits.contents) attachments.")
        }
        for (index, attachment) in attachments.enumerated() {
            guard let url = attachment.url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
                throw ServiceError.missing("attachments[\(index)].url")
            }
            let type: AnytimeContentType =
                switch attachment.type {
                case .image?: .picture
                case .video?: .video
                case .audio?: .audio
                case .file?, nil: .file
                }
            contents.append(
                AnytimeContent(
                    id: UUID().uuidString.lowercased(), type: type,
                    name: try attachment.name.map { try AnytimeLimits.bounded($0, "attachments[\(index)].name", limit: 1000) },
                    url: try AnytimeLimits.bounded(url, "attachments[\(index)].url", limit: 2048)))
        }
        return contents
    }
}

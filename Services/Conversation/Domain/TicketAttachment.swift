import Foundation
import ServiceKit
import WireModels

/// A message attached to a ticket (seed 002 L1355–L1404; outreach-contact spec §4.14, §5.13), checked once
/// (decisions 205–208) and then written by the public `messages:attach` route or by outreach's internal one.
struct TicketAttachment: Sendable {
    var sentById: String
    var senderType: AnytimeActorType
    var received: Bool
    var channel: AnytimeChannel
    var time: Int64
    var originalId: String?
    var parentId: String?
    var contents: [AnytimeContent]
    var isRead: Bool
    var sendStatus: AnytimeSendStatus
    var deliveryStatus: String?
    var failReason: String?

    /// Checks `input`, a message for ticket `ticketId` (nil: the ticket is chosen by the caller's route), at `now`.
    init(_ input: TicketMessageInput, ticketId: Int64?, now: Int64) throws {
        if let given = input.ticketId, let ticketId, Int64(given) != ticketId {
            throw ServiceError.invalid("ticketId", "Field 'ticketId' (\(given)) differs from the ticket of the path (\(ticketId)).")
        }
        guard let sentById = try AnytimeLimits.id(input.sentById, "sentById") else { throw ServiceError.missing("sentById") }
        guard let sentByType = input.sentByType else { throw ServiceError.missing("sentByType") }
        guard let type = input.type else { throw ServiceError.missing("type") }
        guard input.metadata != nil else { throw ServiceError.missing("metadata") }
        self.sentById = sentById
        self.channel = try AnytimeChannel.named(input.channelId, member: "channelId")
        self.time = try input.time.map { try AnytimeTime.parse($0, member: "time") } ?? now
        self.originalId = try input.originalId.map { try AnytimeLimits.bounded($0, "originalId", limit: 1000) }.flatMap { $0.isEmpty ? nil : $0 }
        self.parentId = try AnytimeLimits.id(input.parentId, "parentId")
        self.contents = try Self.contents(input, type: type)
        self.received = sentByType == .contact || sentByType == .visitor
        self.senderType =
            switch sentByType {
            case .contact, .visitor: .contact
            case .agent: .agent
            case .chatbot, .channelAccount, .system: .system
            }
        self.isRead = input.isRead ?? !self.received
        self.sendStatus =
            switch input.messageDelivery?.status {
            case .waitForSending?, .sending?: .sending
            case .failed?: .failed
            case .success?, nil: .success
            }
        self.deliveryStatus = input.messageDelivery?.status?.rawValue
        self.failReason = try input.messageDelivery?.failReason.map { try AnytimeLimits.bounded($0, "messageDelivery.failReason", limit: 1000) }
    }

    /// Writes the message onto `row`, the ticket, locked by the caller's transaction, and updates the ticket (the
    /// same original id there already: nothing is written, decision 208); answers the message written.
    /// `raisesEvents`: false for the first message of a ticket just opened (its creation was the event).
    @discardableResult
    func attach(to row: ConversationRow, now: Int64, in tx: Tx, raisesEvents: Bool = true) async throws -> AnytimeMessage? {
        var row = row
        let statusBefore = row.status
        let (id, site) = (row.id, row.siteId)
        if let originalId, try await tx.conversations.message(originalId: originalId, in: id) != nil { return nil }
        if let parentId, try await !tx.conversations.hasMessage(parentId, in: id) {
            throw ServiceError.invalid("parentId", "Field 'parentId' must name a message of this ticket.")
        }
        let message = AnytimeMessage(
            id: UUID().uuidString.lowercased(), conversationId: Int(id), channelId: self.channel.id, type: .message,
            directType: self.received ? .receive : .send, channelAccountId: nil, contactIdentityId: nil, originalMessageId: self.originalId,
            originalMessageUrl: nil, parentId: self.parentId, subject: nil, cc: nil, contents: self.contents, mentionedAgentIds: [],
            isRead: self.isRead, sendStatus: self.sendStatus, senderId: self.sentById, senderType: self.senderType,
            time: AnytimeTime.format(self.time))
        try await tx.conversations.insert(message, site: site, deliveryStatus: self.deliveryStatus, failReason: self.failReason)
        row.lastActivityTime = now
        if self.time >= row.lastRepliedTime {
            (row.lastRepliedTime, row.lastRepliedById, row.lastRepliedByType) = (self.time, self.sentById, self.senderType.rawValue)
        }
        if self.received {
            if !message.isRead { row.isRead = false }
            // A contact writing again reopens a closed conversation or one waiting on them (spec §5.2).
            if row.statusValue == .closed || row.statusValue == .pendingExternal {
                let before = row.status
                row.set(status: .pendingInternal)
                row.lastStatusChangeTime = now
                try await tx.conversations.log(
                    "status", "Status changed from \(before) to pendingInternal: the contact wrote.", conversation: id, site: site, time: now)
                try await StatusHistory.record(row, from: before, time: now, tx: tx)
            }
        } else {
            row.isReadByContact = false
        }
        try await SLAClock.message(
            on: &row, agentReply: !self.received && self.senderType == .agent, fromContact: self.received, time: self.time, now: now, tx: tx)
        try await tx.conversations.update(row)
        if raisesEvents {
            try await TriggerEngine.message(
                &row, fromContact: self.received, agentReply: !self.received && self.senderType == .agent, statusBefore: statusBefore, now: now,
                tx: tx)
        }
        return message
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

import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeMessage: ResponseEncodable {}

/// `/conversations/{id}/messages` and `/deletedConversations/{id}/messages` (seed 000 L322–L358, L475–L486;
/// spec §3.2 #13–#15, §5.6, §5.9).
struct MessageController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Conversation messages")
        let errors = [400: "Invalid message or parameter", 404: "Not found"]
        let sender = [QueryParameter("include", "sender: the agent or contact who sent each message")]
        api.get(
            "/conversations/{id}/messages", "A conversation's messages, oldest first", returns: [AnytimeMessage].self, query: sender, errors: errors
        ) { request, context in try await self.messages(request, context: context, deleted: false)
        }
        api.get(
            "/conversations/{id}/messages/{messageId}", "Get a message of a conversation", returns: AnytimeMessage.self, query: sender, errors: errors
        ) {
            request, context in
            let (site, id, messageId) = (context.site, try context.conversationId(), try context.parameters.require("messageId"))
            let include = try MessageInclude(try request.decodeQuery(as: IncludeParameter.self).include)
            let message = try await self.store.read { tx in
                guard try await tx.conversations.conversation(id: id, site: site, deleted: false) != nil else {
                    throw ServiceError.notFound("Conversation")
                }
                guard let message = try await tx.conversations.messages(of: id, messageId: messageId).first else {
                    throw ServiceError.notFound("Message")
                }
                return message
            }
            return try await self.store.directory.expand([message], sender: include.sender, site: site)[0]
        }
        api.post(
            "/conversations/{id}/messages", "Reply to a conversation or add a note", body: AnytimeMessageInput.self, returns: AnytimeMessage.self,
            status: .created, errors: errors, use: self.reply)
        api.put(
            "/conversations/{id}/messages/{messageId}", "A channel connector reports a message's delivery: status, original id and url, content urls",
            body: AnytimeMessageUpdate.self, returns: AnytimeMessage.self, errors: errors, use: self.update)
        api.raw(
            .put, "/conversations/{id}/messages/{messageId}/resend", "Send a failed message again (it is sending until the connector reports)",
            responses: [200: "The message, sending again"].merging(errors) { $1 }
        ) { request, context in try await self.resend(context: context).response(from: request, context: context) }
        for (path, read, summary) in [
            ("/conversations/{id}/messages/{messageId}/read", true, "Mark a message read (the conversation too once none is unread)"),
            ("/conversations/{id}/messages/{messageId}/unread", false, "Mark a message and its conversation unread"),
        ] {
            api.raw(.put, path, summary, responses: [204: summary].merging(errors) { $1 }) { _, context in
                try await self.mark(read: read, context: context)
                return Response(status: .noContent)
            }
        }
        api.tagged("Deleted conversations").get(
            "/deletedConversations/{id}/messages", "A deleted conversation's messages, oldest first", returns: [AnytimeMessage].self, query: sender,
            errors: errors
        ) { request, context in try await self.messages(request, context: context, deleted: true) }
    }

    /// `include=` of the message routes.
    struct IncludeParameter: Decodable { var include: String? }

    func messages(_ request: Request, context: AuthenticatedContext, deleted: Bool) async throws -> [AnytimeMessage] {
        let (site, id) = (context.site, try context.conversationId())
        let include = try MessageInclude(try request.decodeQuery(as: IncludeParameter.self).include)
        let messages = try await self.store.read { tx in
            guard try await tx.conversations.conversation(id: id, site: site, deleted: deleted) != nil else {
                throw ServiceError.notFound(deleted ? "Deleted conversation" : "Conversation")
            }
            return try await tx.conversations.messages(of: id)
        }
        return try await self.store.directory.expand(messages, sender: include.sender, site: site)
    }

    /// An agent's reply (sent: `sending` until the connector reports, a reply for `lastReplied*`) or note (internal:
    /// `success`, not a reply, may mention agents), checked against the channel's rules (spec §5.9, decision 203).
    @Sendable func reply(_ request: Request, context: AuthenticatedContext, input: AnytimeMessageInput) async throws -> AnytimeMessage {
        let (site, id, agent, now) = (context.site, try context.conversationId(), context.agentId, self.store.now)
        guard let type = input.type else { throw ServiceError.missing("type") }
        let channel = try AnytimeChannel.named(input.channelId, member: "channelId")
        let contents = try ContentRules.contents(input.contents, channel: channel, member: "contents", sending: type == .message)
        guard !contents.isEmpty else { throw ServiceError.invalid("contents", "Field 'contents' must hold at least one content.") }
        var mentioned: [String] = []
        if let given = input.mentionedAgentIds, !given.isEmpty {
            guard type == .note else {
                throw ServiceError.invalid("mentionedAgentIds", "Field 'mentionedAgentIds' is for notes only: a message mentions nobody.")
            }
            guard given.count <= AnytimeLimits.mentions else {
                throw ServiceError.invalid("mentionedAgentIds", "Field 'mentionedAgentIds' may hold at most \(AnytimeLimits.mentions) ids.")
            }
            for (index, text) in given.enumerated() {
                guard let agentId = try AnytimeLimits.id(text, "mentionedAgentIds[\(index)]") else {
                    throw ServiceError.invalid("mentionedAgentIds[\(index)]", "Agent ids cannot be empty.")
                }
                if !mentioned.contains(agentId) { mentioned.append(agentId) }
            }
        }
        let mentions = mentioned
        let account = try AnytimeLimits.id(input.channelAccountId, "channelAccountId")
        let identity = try AnytimeLimits.id(input.contactIdentityId, "contactIdentityId")
        let parentId = try AnytimeLimits.id(input.parentId, "parentId")
        let subject = try input.subject.map { try AnytimeLimits.bounded($0, "subject", limit: AnytimeLimits.subject) }
        let cc = try input.cc.map { try AnytimeLimits.bounded($0, "cc", limit: AnytimeLimits.subject) }
        return try await self.store.write(locking: [id]) { tx in
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else {
                throw ServiceError.notFound("Conversation")
            }
            if let parentId, try await !tx.conversations.hasMessage(parentId, in: id) {
                throw ServiceError.invalid("parentId", "Field 'parentId' must name a message of this conversation.")
            }
            if type == .message, !channel.repliesFromAnyAccount, let latest = try await tx.conversations.latestInboundAccount(of: id),
                account != latest
            {
                throw ServiceError.invalid(
                    "channelAccountId", "The \(channel.id) channel replies from the account the contact wrote to ('\(latest)').")
            }
            let message = AnytimeMessage(
                id: UUID().uuidString.lowercased(), conversationId: Int(id), channelId: channel.id, type: type, directType: .send,
                channelAccountId: account, contactIdentityId: identity, originalMessageId: nil, originalMessageUrl: nil, parentId: parentId,
                subject: subject, cc: cc, contents: contents, mentionedAgentIds: mentions, isRead: true,
                sendStatus: type == .note ? .success : .sending, senderId: agent, senderType: .agent, time: AnytimeTime.format(now))
            try await tx.conversations.insert(message, site: site)
            try await tx.conversations.mention(mentions, in: id, message: message.id, site: site)
            // The caller's draft was this reply (spec §5.7).
            try await tx.drafts.delete(of: id, sender: agent)
            row.lastActivityTime = now
            if type == .message {
                (row.lastRepliedTime, row.lastRepliedById, row.lastRepliedByType) = (now, agent, AnytimeActorType.agent.rawValue)
                row.isReadByContact = false
                try await SLAClock.message(on: &row, agentReply: true, fromContact: false, time: now, now: now, tx: tx)
            }
            try await tx.conversations.update(row)
            if type == .message { try await TriggerEngine.fire(.agentReplied, on: &row, now: now, tx: tx) }
            return message
        }
    }

    /// The conversation's message of the path, for a write under the conversation's lock.
    func withMessage<T: Sendable>(
        _ context: AuthenticatedContext, _ body: @escaping @Sendable (Tx, inout ConversationRow, inout MessageRow) async throws -> T
    ) async throws -> T {
        let (site, id, messageId) = (context.site, try context.conversationId(), try context.parameters.require("messageId"))
        return try await self.store.write(locking: [id]) { tx in
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else {
                throw ServiceError.notFound("Conversation")
            }
            guard var message = try await tx.conversations.messageRow(messageId, in: id) else { throw ServiceError.notFound("Message") }
            return try await body(tx, &row, &message)
        }
    }

    /// Delivery as the connector reports it (spec §5.9, §6 C7; decision 209): only sent messages have a delivery;
    /// contents are matched by id and only their url changes; an unknown content id is a 400 naming it.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeMessageUpdate) async throws -> AnytimeMessage {
        let originalId = try input.originalMessageId.map { try AnytimeLimits.bounded($0, "originalMessageId", limit: 1000) }
        let originalUrl = try input.originalMessageUrl.map { try AnytimeLimits.bounded($0, "originalMessageUrl", limit: 2048) }
        let member = input.content != nil ? "content" : "contents"
        let urls = input.content ?? input.contents ?? []
        guard urls.count <= AnytimeLimits.contents else {
            throw ServiceError.invalid(member, "Field '\(member)' may hold at most \(AnytimeLimits.contents) contents.")
        }
        var changes: [(id: String, url: String)] = []
        for (index, item) in urls.enumerated() {
            guard let id = item.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { throw ServiceError.missing("\(member)[\(index)].id") }
            guard let url = item.url else { throw ServiceError.missing("\(member)[\(index)].url") }
            changes.append((id, try AnytimeLimits.bounded(url, "\(member)[\(index)].url", limit: 2048)))
        }
        let updates = changes
        return try await self.withMessage(context) { tx, row, message in
            if input.sendStatus != nil, message.directType != AnytimeDirectType.send.rawValue || message.type == AnytimeMessageType.note.rawValue {
                throw ServiceError.invalid("sendStatus", "Field 'sendStatus' is for messages sent to the contact; this one is not.")
            }
            let known = try await tx.conversations.contentIds(of: message.id)
            for (index, change) in updates.enumerated() where !known.contains(change.id) {
                throw ServiceError.invalid(
                    "\(member)[\(index)].id",
                    "Field '\(member)[\(index)].id' names no content of this message: '\(AnytimeLimits.shortened(change.id))'.")
            }
            for change in updates { try await tx.conversations.setContentUrl(change.url, content: change.id, message: message.id) }
            if let status = input.sendStatus { (message.sendStatus, message.deliveryStatus) = (status.rawValue, status.rawValue) }
            if let originalId { message.originalMessageId = originalId }
            if let originalUrl { message.originalMessageUrl = originalUrl }
            try await tx.conversations.update(message)
            guard let answer = try await tx.conversations.messages(of: row.id, messageId: message.id).first else {
                throw ServiceError.notFound("Message")
            }
            return answer
        }
    }

    /// Resend: only a failed message, which becomes `sending` again (spec §5.9).
    func resend(context: AuthenticatedContext) async throws -> AnytimeMessage {
        try await self.withMessage(context) { tx, row, message in
            guard message.sendStatus == AnytimeSendStatus.failed.rawValue else {
                throw ServiceError.invalid("sendStatus", "Only a failed message is sent again; this one is \(message.sendStatus).")
            }
            (message.sendStatus, message.deliveryStatus, message.failReason) = (
                AnytimeSendStatus.sending.rawValue, AnytimeSendStatus.sending.rawValue, nil
            )
            try await tx.conversations.update(message)
            guard let answer = try await tx.conversations.messages(of: row.id, messageId: message.id).first else {
                throw ServiceError.notFound("Message")
            }
            return answer
        }
    }

    /// Message read: it and the caller's mention of it; the conversation once none is unread. Unread: it and the
    /// conversation (spec §5.5).
    func mark(read: Bool, context: AuthenticatedContext) async throws {
        let agent = context.agentId
        try await self.withMessage(context) { tx, row, message in
            message.isRead = read
            try await tx.conversations.update(message)
            if read {
                try await tx.conversations.readMentions(of: agent, in: row.id, message: message.id)
                if try await tx.conversations.unreadMessages(of: row.id) == 0 { row.isRead = true }
            } else {
                row.isRead = false
            }
            try await tx.conversations.update(row)
        }
    }
}

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
        api.get("/conversations/{id}/messages", "A conversation's messages, oldest first", returns: [AnytimeMessage].self, errors: errors) {
            _, context in try await self.messages(context: context, deleted: false)
        }
        api.get("/conversations/{id}/messages/{messageId}", "Get a message of a conversation", returns: AnytimeMessage.self, errors: errors) {
            _, context in
            let (site, id, messageId) = (context.site, try context.conversationId(), try context.parameters.require("messageId"))
            return try await self.store.read { tx in
                guard try await tx.conversations.conversation(id: id, site: site, deleted: false) != nil else {
                    throw ServiceError.notFound("Conversation")
                }
                guard let message = try await tx.conversations.messages(of: id, messageId: messageId).first else {
                    throw ServiceError.notFound("Message")
                }
                return message
            }
        }
        api.post(
            "/conversations/{id}/messages", "Reply to a conversation or add a note", body: AnytimeMessageInput.self, returns: AnytimeMessage.self,
            status: .created, errors: errors, use: self.reply)
        api.tagged("Deleted conversations").get(
            "/deletedConversations/{id}/messages", "A deleted conversation's messages, oldest first", returns: [AnytimeMessage].self, errors: errors
        ) { _, context in try await self.messages(context: context, deleted: true) }
    }

    func messages(context: AuthenticatedContext, deleted: Bool) async throws -> [AnytimeMessage] {
        let (site, id) = (context.site, try context.conversationId())
        return try await self.store.read { tx in
            guard try await tx.conversations.conversation(id: id, site: site, deleted: deleted) != nil else {
                throw ServiceError.notFound(deleted ? "Deleted conversation" : "Conversation")
            }
            return try await tx.conversations.messages(of: id)
        }
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
            row.lastActivityTime = now
            if type == .message {
                (row.lastRepliedTime, row.lastRepliedById, row.lastRepliedByType) = (now, agent, AnytimeActorType.agent.rawValue)
                row.isReadByContact = false
            }
            try await tx.conversations.update(row)
            return message
        }
    }
}

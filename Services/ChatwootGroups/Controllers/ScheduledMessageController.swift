import Hummingbird
import ServiceKit
import WireModels

extension ChatwootScheduledMessage: ResponseEncodable {}
extension ChatwootScheduledMessageList: ResponseEncodable {}

/// A conversation's scheduled messages (`/conversations/{conversation_id}/scheduled_messages`): whoever may see the
/// conversation (agents in its inbox) schedules, changes and removes them; the scheduler sends them at their time.
struct ScheduledMessageController {
    let access: ChatwootAccess
    let conversations: ConversationSQLRepository
    let scheduled: ScheduledMessageSQLRepository

    /// `scheduled_message_create_update_payload` (JSON; `scheduled_at` as ISO 8601 or epoch seconds).
    struct Input: Codable, Sendable {
        var content: String?
        var scheduledAt: JSONValue?
        var status: String?
        var templateParams: JSONValue?

        enum CodingKeys: String, CodingKey {
            case content, status
            case scheduledAt = "scheduled_at"
            case templateParams = "template_params"
        }

        func changes() throws -> ScheduledMessageSQLRepository.Changes {
            ScheduledMessageSQLRepository.Changes(
                content: self.content, scheduledAt: ScheduledMessageSQLRepository.time(self.scheduledAt), status: self.status,
                templateParams: try ChatwootRows.object(self.templateParams, field: "template_params"))
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        let path = "/{account_id}/conversations/{conversation_id}/scheduled_messages"
        accounts.tagged("Scheduled Messages")
            .get(path, "List Scheduled Messages", returns: ChatwootScheduledMessageList.self, use: self.list)
            .post(
                path, "Create a Scheduled Message", body: Input.self, returns: ChatwootScheduledMessage.self, errors: [422: "Invalid"],
                use: self.create
            )
            .patch(
                path + "/{scheduled_message_id}", "Update a Scheduled Message", body: Input.self, returns: ChatwootScheduledMessage.self,
                errors: [422: "Invalid"], use: self.update
            )
            .delete(
                path + "/{scheduled_message_id}", "Delete a Scheduled Message", returns: ChatwootScheduledMessage.self, errors: [422: "Already sent"],
                use: self.delete)
    }

    /// The conversation's scheduled messages, latest time first.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootScheduledMessageList {
        let conversation = try await self.conversation(context)
        return ChatwootScheduledMessageList(payload: try await self.scheduled.list(conversation))
    }

    /// Schedules a message (a draft unless `status` is pending).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootScheduledMessage {
        let caller = try await self.access.member(context)
        let conversation = try await self.conversation(context, caller)
        return try await self.scheduled.create(conversation, author: caller.userID, try input.changes())
    }

    /// Changes a draft or pending message.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Input) async throws -> ChatwootScheduledMessage {
        let conversation = try await self.conversation(context)
        let current = try await self.scheduled.row(try ChatwootAccess.id(context, "scheduled_message_id"), conversation: conversation)
        return try await self.scheduled.update(current, conversation, try input.changes())
    }

    /// Removes a draft or pending message; answers it as it was.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootScheduledMessage {
        let conversation = try await self.conversation(context)
        let current = try await self.scheduled.row(try ChatwootAccess.id(context, "scheduled_message_id"), conversation: conversation)
        return try await self.scheduled.delete(current, conversation)
    }

    /// The path's conversation, as the caller may see it (another account's 404, another inbox's 401).
    private func conversation(_ context: AuthenticatedContext, _ known: ChatwootCaller? = nil) async throws -> ConversationSQLRepository.Row {
        let caller: ChatwootCaller
        if let known { caller = known } else { caller = try await self.access.member(context) }
        return try await self.conversations.find(caller, displayID: try ChatwootAccess.id(context, "conversation_id"))
    }
}

import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Customer satisfaction surveys (Chatwoot's `CsatSurveyService`, `CsatSurveys::ResponseBuilder`, `csat_survey` views):
/// the survey message sent when a conversation of an inbox with `csat_survey_enabled` is resolved, and the answers
/// stored in `csat_survey_responses`.
enum ChatwootCSAT {
    /// Chatwoot's `conversations.templates.csat_input_message_body`.
    static let surveyContent = "Please rate the conversation"
    /// Chatwoot locks an answer 14 days (336 hours) after the survey was sent.
    static let lockAfter: Int64 = 336 * 3_600_000

    /// On a resolve: the survey (a template message of content type `input_csat`, raising `message_created`) when the
    /// inbox asks for one and the conversation has none yet.
    static func surveyOnResolve(_ tx: Tx, conversation: ConversationSQLRepository.Row, messages: MessageSQLRepository) async throws {
        let inbox = try await tx.sql.select().column("settings").from("inboxes").where("id", .equal, conversation.inboxId).first(SettingsRow.self)
        guard case .bool(true)? = ChatwootRows.json(inbox?.settings).object?["csat_survey_enabled"] else { return }
        let sent = try await tx.sql.select().column("id").from("messages").where("conversation_id", .equal, conversation.id)
            .where("content_type", .equal, "input_csat").first(IDRow.self)
        guard sent == nil else { return }
        let id = try await messages.insert(
            tx, conversation: conversation,
            .init(
                content: Self.surveyContent, messageType: MessageSQLRepository.template, private: false, contentType: "input_csat",
                contentAttributes: .object([:]), additionalAttributes: .object([:]), sourceID: nil, uploads: []),
            actor: .system)
        try await messages.publish(.messageCreated, tx, id: id, conversation: conversation)
    }

    private struct SettingsRow: Codable {
        var settings: String
    }

    /// The rating (1 to 5) and feedback of `submitted_values.csat_survey_response`; nil without a rating (Chatwoot
    /// stores nothing then); a rating outside 1...5 is a 422.
    static func answer(_ submitted: JSONValue) throws -> (rating: Int, feedback: String?)? {
        guard let response = submitted.object?["csat_survey_response"]?.object else { return nil }
        let rating: Int
        switch response["rating"] {
        case nil, .null: return nil
        case .number(let value) where value == value.rounded(): rating = Int(value)
        case .string(let text) where Int(text) != nil: rating = Int(text)!
        case .string(let text) where text.isEmpty: return nil
        default: throw ServiceError(.unprocessableContent, message: "Rating is not included in the list", field: "rating")
        }
        guard (1...5).contains(rating) else {
            throw ServiceError(.unprocessableContent, message: "Rating is not included in the list", field: "rating")
        }
        var feedback: String?
        switch response["feedback_message"] {
        case nil, .null: feedback = nil
        case .string(let text): feedback = text
        default: throw ServiceError(.badRequest, message: "feedback_message must be a string", field: "feedback_message")
        }
        return (rating, feedback)
    }

    /// Stores the answer of a CSAT message (one per message: a second answer replaces the first), with the
    /// conversation's contact and, on the first answer, its assignee.
    static func record(_ tx: Tx, messageID: Int, conversation: ConversationSQLRepository.Row, submitted: JSONValue, at now: Int64) async throws {
        guard let answer = try Self.answer(submitted) else { return }
        let existing = try await tx.sql.select().column("id").from("csat_survey_responses").where("message_id", .equal, messageID).first(IDRow.self)
        if let existing {
            try await tx.sql.update("csat_survey_responses").set("rating", to: answer.rating).set("feedback_message", to: answer.feedback)
                .set("updated_at", to: now).where("id", .equal, existing.id).run()
        } else {
            try await tx.sql.insert(into: "csat_survey_responses")
                .columns(
                    "account_id", "conversation_id", "message_id", "contact_id", "assigned_agent_id", "rating", "feedback_message", "created_at",
                    "updated_at"
                )
                .values(
                    conversation.accountId, conversation.id, messageID, conversation.contactId, conversation.assigneeId, answer.rating,
                    answer.feedback,
                    now, now
                ).run()
        }
    }

    /// Whether the survey message is past Chatwoot's 14 days.
    static func isLocked(_ message: MessageSQLRepository.Row, now: Int64) -> Bool {
        message.contentType == "input_csat" && now - message.createdAt > Self.lockAfter
    }

    private struct ResponseRow: Codable {
        var id: Int
        var accountId: Int
        var conversationId: Int
        var messageId: Int
        var contactId: Int
        var assignedAgentId: Int?
        var rating: Int
        var feedbackMessage: String?
        var createdAt: Int64
        var updatedAt: Int64
    }

    /// The stored answer to a survey message.
    static func response(_ sql: any SQLDatabase, messageID: Int) async throws -> ChatwootCSATResponse? {
        let row = try await sql.select()
            .columns(
                "id", "account_id", "conversation_id", "message_id", "contact_id", "assigned_agent_id", "rating", "feedback_message", "created_at",
                "updated_at"
            )
            .from("csat_survey_responses").where("message_id", .equal, messageID).first(ResponseRow.self)
        return row.map {
            ChatwootCSATResponse(
                id: $0.id, accountId: $0.accountId, conversationId: $0.conversationId, messageId: $0.messageId, contactId: $0.contactId,
                assignedAgentId: $0.assignedAgentId, rating: $0.rating, feedbackMessage: $0.feedbackMessage,
                createdAt: ChatwootRows.iso($0.createdAt),
                updatedAt: ChatwootRows.iso($0.updatedAt))
        }
    }

    /// The conversation with `uuid` and its latest survey message; a 404 when either is missing.
    static func survey(_ database: Database, uuid: String) async throws -> (ConversationSQLRepository.Row, MessageSQLRepository.Row) {
        try await database.read { tx in
            guard
                let conversation = try await tx.sql.select().columns(ConversationSQLRepository.columns).from("conversations")
                    .where("uuid", .equal, uuid).first(ConversationSQLRepository.Row.self),
                let message = try await tx.sql.select().columns(MessageSQLRepository.columns).from("messages")
                    .where("conversation_id", .equal, conversation.id).where("content_type", .equal, "input_csat").orderBy("id", .descending)
                    .first(MessageSQLRepository.Row.self)
            else { throw ChatwootRows.notFound }
            return (conversation, message)
        }
    }

    /// Chatwoot's `_csat_survey` partial.
    static func render(
        _ database: Database, conversation: ConversationSQLRepository.Row, message: MessageSQLRepository.Row
    ) async throws
        -> ChatwootCSATSurvey
    {
        try await database.read { tx in
            let inbox = try await tx.sql.select().column("settings").from("inboxes").where("id", .equal, conversation.inboxId).first(SettingsRow.self)
            var avatar = ""
            if case .string(let url)? = ChatwootRows.json(inbox?.settings).object?["avatar_url"] { avatar = url }
            return ChatwootCSATSurvey(
                id: message.id, csatSurveyResponse: try await Self.response(tx.sql, messageID: message.id), inboxAvatarUrl: avatar,
                conversationId: conversation.id, createdAt: ChatwootRows.iso(message.createdAt))
        }
    }
}

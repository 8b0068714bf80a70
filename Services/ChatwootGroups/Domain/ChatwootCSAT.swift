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

    /// `csat_config.display_type` values (the widget shows emoji or stars).
    static let displayTypes = ["emoji", "star"]
    /// `csat_config.survey_rules.operator` values (labels of the conversation).
    static let ruleOperators = ["contains", "does_not_contain"]

    /// Chatwoot's `format_csat_config`: `display_type` (default `emoji`), `message` (default empty) and `survey_rules`
    /// (`operator` default `contains`, `values` default none: label names); a member of the wrong type or value is a 422
    /// naming it (decision 368).
    static func config(_ input: JSONValue) throws -> JSONValue {
        func invalid(_ message: String) -> ServiceError { ServiceError(.unprocessableContent, message: message, field: "csat_config") }
        guard let object = input.object else { throw invalid("Csat config must be an object") }
        var displayType = "emoji"
        switch object["display_type"] {
        case nil, .null: break
        case .string(let value) where Self.displayTypes.contains(value): displayType = value
        default: throw invalid("Csat config display_type must be one of \(Self.displayTypes.joined(separator: ", "))")
        }
        var message = ""
        switch object["message"] {
        case nil, .null: break
        case .string(let value): message = value
        default: throw invalid("Csat config message must be a string")
        }
        var operatorName = "contains"
        var values: [JSONValue] = []
        switch object["survey_rules"] {
        case nil, .null: break
        case .object(let rules):
            switch rules["operator"] {
            case nil, .null: break
            case .string(let value) where Self.ruleOperators.contains(value): operatorName = value
            default: throw invalid("Csat config survey_rules operator must be one of \(Self.ruleOperators.joined(separator: ", "))")
            }
            switch rules["values"] {
            case nil, .null: break
            case .array(let labels) where labels.allSatisfy({ if case .string = $0 { true } else { false } }): values = labels
            default: throw invalid("Csat config survey_rules values must be a list of label names")
            }
        default: throw invalid("Csat config survey_rules must be an object")
        }
        return .object([
            "display_type": .string(displayType), "message": .string(message),
            "survey_rules": .object(["operator": .string(operatorName), "values": .array(values)]),
        ])
    }

    /// Chatwoot's `CsatSurveyService#csat_allowed_by_survey_rules?`: with rule values, the conversation's labels must
    /// contain one of them (`contains`) or none of them (`does_not_contain`).
    static func allowed(by config: JSONValue?, labels: [String]) -> Bool {
        let rules = config?.object?["survey_rules"]?.object
        guard case .array(let items)? = rules?["values"] else { return true }
        let values = items.compactMap { value -> String? in if case .string(let text) = value { text } else { nil } }
        guard !values.isEmpty else { return true }
        switch rules?["operator"] {
        case .string("does_not_contain")?: return !values.contains(where: labels.contains)
        default: return values.contains(where: labels.contains)
        }
    }

    /// On a resolve: the survey (a template message of content type `input_csat`, raising `message_created`) when the
    /// inbox asks for one, its `survey_rules` allow it and the conversation has none yet; its content is the config's
    /// `message` (Chatwoot's default text without one) and its `content_attributes.display_type` the config's.
    static func surveyOnResolve(_ tx: Tx, conversation: ConversationSQLRepository.Row, messages: MessageSQLRepository) async throws {
        let inbox = try await tx.sql.select().column("settings").from("inboxes").where("id", .equal, conversation.inboxId).first(SettingsRow.self)
        let settings = ChatwootRows.json(inbox?.settings).object
        guard case .bool(true)? = settings?["csat_survey_enabled"] else { return }
        let config = settings?["csat_config"]
        let labels = try await tx.sql.select().column("label").from("conversation_labels").where("conversation_id", .equal, conversation.id)
            .all(LabelRow.self).map(\.label)
        guard Self.allowed(by: config, labels: labels) else { return }
        let sent = try await tx.sql.select().column("id").from("messages").where("conversation_id", .equal, conversation.id)
            .where("content_type", .equal, "input_csat").first(IDRow.self)
        guard sent == nil else { return }
        var content = Self.surveyContent
        if case .string(let message)? = config?.object?["message"], !message.isEmpty { content = message }
        var displayType = "emoji"
        if case .string(let type)? = config?.object?["display_type"] { displayType = type }
        let id = try await messages.insert(
            tx, conversation: conversation,
            .init(
                content: content, messageType: MessageSQLRepository.template, private: false, contentType: "input_csat",
                contentAttributes: .object(["display_type": .string(displayType)]), additionalAttributes: .object([:]), sourceID: nil,
                uploads: []),
            actor: .system)
        try await messages.publish(.messageCreated, tx, id: id, conversation: conversation)
    }

    private struct LabelRow: Codable {
        var label: String
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

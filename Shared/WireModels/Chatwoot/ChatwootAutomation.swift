/// An automation rule (swagger `automation_rule_item`, Chatwoot's `_automation_rule` partial): on `event_name`, when
/// the `conditions` match the conversation (and message), the `actions` run.
public struct ChatwootAutomationRule: Codable, Sendable, Equatable {
    public var id: Int
    public var accountId: Int
    public var name: String
    public var description: String?
    public var eventName: String
    /// `{attribute_key, filter_operator, values, query_operator}` objects, as given.
    public var conditions: [JSONValue]
    /// `{action_name, action_params}` objects, as given.
    public var actions: [JSONValue]
    /// When it was made (epoch seconds).
    public var createdOn: Int
    public var active: Bool

    public init(
        id: Int, accountId: Int, name: String, description: String?, eventName: String, conditions: [JSONValue], actions: [JSONValue],
        createdOn: Int, active: Bool
    ) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.description = description
        self.eventName = eventName
        self.conditions = conditions
        self.actions = actions
        self.createdOn = createdOn
        self.active = active
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, conditions, actions, active
        case accountId = "account_id"
        case eventName = "event_name"
        case createdOn = "created_on"
    }
}

/// `{"payload": [rules]}`: the list as Chatwoot's `index.json.jbuilder` answers it.
public struct ChatwootAutomationRuleList: Codable, Sendable, Equatable {
    public var payload: [ChatwootAutomationRule]

    public init(payload: [ChatwootAutomationRule]) {
        self.payload = payload
    }
}

/// `{"payload": rule}`: show, create and update.
public struct ChatwootAutomationRuleEnvelope: Codable, Sendable, Equatable {
    public var payload: ChatwootAutomationRule

    public init(payload: ChatwootAutomationRule) {
        self.payload = payload
    }
}

/// A scheduled message (swagger `scheduled_message`, Chatwoot's `ScheduledMessage#push_event_data`): sent into its
/// conversation at `scheduled_at` while `pending`.
public struct ChatwootScheduledMessage: Codable, Sendable, Equatable {
    public var id: Int
    public var content: String?
    public var inboxId: Int
    /// The conversation's display id.
    public var conversationId: Int
    public var accountId: Int
    /// draft, pending, sent or failed.
    public var status: String
    /// Epoch seconds; none for a draft without a time.
    public var scheduledAt: Int?
    public var templateParams: JSONValue?
    public var authorId: Int?
    public var authorType: String?
    /// The message it became, once sent.
    public var messageId: Int?
    public var createdAt: Int
    public var updatedAt: Int
    /// The author's `push_event_data`.
    public var author: JSONValue?

    public init(
        id: Int, content: String?, inboxId: Int, conversationId: Int, accountId: Int, status: String, scheduledAt: Int?,
        templateParams: JSONValue?, authorId: Int?, authorType: String?, messageId: Int?, createdAt: Int, updatedAt: Int, author: JSONValue?
    ) {
        self.id = id
        self.content = content
        self.inboxId = inboxId
        self.conversationId = conversationId
        self.accountId = accountId
        self.status = status
        self.scheduledAt = scheduledAt
        self.templateParams = templateParams
        self.authorId = authorId
        self.authorType = authorType
        self.messageId = messageId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.author = author
    }

    enum CodingKeys: String, CodingKey {
        case id, content, status, author
        case inboxId = "inbox_id"
        case conversationId = "conversation_id"
        case accountId = "account_id"
        case scheduledAt = "scheduled_at"
        case templateParams = "template_params"
        case authorId = "author_id"
        case authorType = "author_type"
        case messageId = "message_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// `{"payload": [scheduled messages]}`: a conversation's, latest time first.
public struct ChatwootScheduledMessageList: Codable, Sendable, Equatable {
    public var payload: [ChatwootScheduledMessage]

    public init(payload: [ChatwootScheduledMessage]) {
        self.payload = payload
    }
}

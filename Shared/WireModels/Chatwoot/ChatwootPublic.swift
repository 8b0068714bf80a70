/// The API inbox as Chatwoot's Client API shows it (`public/api/v1/inboxes/show`, swagger `public_inbox`).
public struct ChatwootPublicInbox: Codable, Sendable, Equatable {
    public var identifier: String
    public var identityValidationEnabled: Bool
    public var name: String
    public var timezone: String
    public var workingHours: [ChatwootInbox.WorkingHour]
    public var workingHoursEnabled: Bool
    public var csatSurveyEnabled: Bool
    public var greetingEnabled: Bool

    public init(
        identifier: String, identityValidationEnabled: Bool, name: String, timezone: String, workingHours: [ChatwootInbox.WorkingHour],
        workingHoursEnabled: Bool, csatSurveyEnabled: Bool, greetingEnabled: Bool
    ) {
        self.identifier = identifier
        self.identityValidationEnabled = identityValidationEnabled
        self.name = name
        self.timezone = timezone
        self.workingHours = workingHours
        self.workingHoursEnabled = workingHoursEnabled
        self.csatSurveyEnabled = csatSurveyEnabled
        self.greetingEnabled = greetingEnabled
    }

    enum CodingKeys: String, CodingKey {
        case identifier, name, timezone
        case identityValidationEnabled = "identity_validation_enabled"
        case workingHours = "working_hours"
        case workingHoursEnabled = "working_hours_enabled"
        case csatSurveyEnabled = "csat_survey_enabled"
        case greetingEnabled = "greeting_enabled"
    }
}

/// A contact as the Client API shows it (swagger `public_contact`; Chatwoot's `public/api/v1/models/_contact` with the
/// contact inbox's `source_id` and `pubsub_token`). Blank members are left out, as the swagger types them non-nullable.
public struct ChatwootPublicContact: Codable, Sendable, Equatable {
    public var id: Int
    public var sourceId: String?
    public var pubsubToken: String?
    public var name: String?
    public var email: String?
    public var phoneNumber: String?

    public init(id: Int, sourceId: String?, pubsubToken: String?, name: String?, email: String?, phoneNumber: String?) {
        self.id = id
        self.sourceId = sourceId
        self.pubsubToken = pubsubToken
        self.name = name
        self.email = email
        self.phoneNumber = phoneNumber
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email
        case sourceId = "source_id"
        case pubsubToken = "pubsub_token"
        case phoneNumber = "phone_number"
    }
}

/// The contact record Chatwoot renders with `render json: contact` (the Client API's contact update, a public
/// conversation's `contact`): its columns, times as ISO 8601; absent values left out.
public struct ChatwootPublicContactRecord: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String?
    public var email: String?
    public var phoneNumber: String?
    public var accountId: Int
    public var identifier: String?
    public var additionalAttributes: JSONValue
    public var customAttributes: JSONValue
    public var contactType: String?
    public var blocked: Bool
    public var lastActivityAt: String?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: Int, name: String?, email: String?, phoneNumber: String?, accountId: Int, identifier: String?, additionalAttributes: JSONValue,
        customAttributes: JSONValue, contactType: String?, blocked: Bool, lastActivityAt: String?, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.phoneNumber = phoneNumber
        self.accountId = accountId
        self.identifier = identifier
        self.additionalAttributes = additionalAttributes
        self.customAttributes = customAttributes
        self.contactType = contactType
        self.blocked = blocked
        self.lastActivityAt = lastActivityAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, identifier, blocked
        case phoneNumber = "phone_number"
        case accountId = "account_id"
        case additionalAttributes = "additional_attributes"
        case customAttributes = "custom_attributes"
        case contactType = "contact_type"
        case lastActivityAt = "last_activity_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A message as the Client API shows it (Chatwoot's `public/api/v1/models/_message`): numbers where Chatwoot sends
/// numbers, though the swagger's `public_message` types them as strings (decision 306).
public struct ChatwootPublicMessage: Codable, Sendable, Equatable {
    public var id: Int
    public var content: String?
    public var messageType: Int
    public var contentType: String
    public var contentAttributes: JSONValue
    /// Epoch seconds.
    public var createdAt: Int64
    /// The conversation's display id.
    public var conversationId: Int
    public var attachments: [ChatwootAttachment]?
    public var sender: ChatwootMessageSender?

    public init(
        id: Int, content: String?, messageType: Int, contentType: String, contentAttributes: JSONValue, createdAt: Int64, conversationId: Int,
        attachments: [ChatwootAttachment]?, sender: ChatwootMessageSender?
    ) {
        self.id = id
        self.content = content
        self.messageType = messageType
        self.contentType = contentType
        self.contentAttributes = contentAttributes
        self.createdAt = createdAt
        self.conversationId = conversationId
        self.attachments = attachments
        self.sender = sender
    }

    enum CodingKeys: String, CodingKey {
        case id, content, attachments, sender
        case messageType = "message_type"
        case contentType = "content_type"
        case contentAttributes = "content_attributes"
        case createdAt = "created_at"
        case conversationId = "conversation_id"
    }
}

/// A conversation as the Client API shows it (Chatwoot's `public/api/v1/models/_conversation`, swagger
/// `public_conversation`): its chat messages (neither private nor activities) and its contact.
public struct ChatwootPublicConversation: Codable, Sendable, Equatable {
    /// The display id.
    public var id: Int
    public var uuid: String
    public var inboxId: Int
    /// Epoch seconds (0 when never).
    public var contactLastSeenAt: Int64
    public var status: String
    /// Epoch seconds (0 when never).
    public var agentLastSeenAt: Int64
    public var messages: [ChatwootPublicMessage]
    public var contact: ChatwootPublicContactRecord?

    public init(
        id: Int, uuid: String, inboxId: Int, contactLastSeenAt: Int64, status: String, agentLastSeenAt: Int64, messages: [ChatwootPublicMessage],
        contact: ChatwootPublicContactRecord?
    ) {
        self.id = id
        self.uuid = uuid
        self.inboxId = inboxId
        self.contactLastSeenAt = contactLastSeenAt
        self.status = status
        self.agentLastSeenAt = agentLastSeenAt
        self.messages = messages
        self.contact = contact
    }

    enum CodingKeys: String, CodingKey {
        case id, uuid, status, messages, contact
        case inboxId = "inbox_id"
        case contactLastSeenAt = "contact_last_seen_at"
        case agentLastSeenAt = "agent_last_seen_at"
    }
}

/// A stored CSAT answer (Chatwoot's `CsatSurveyResponse` as `as_json` renders it).
public struct ChatwootCSATResponse: Codable, Sendable, Equatable {
    public var id: Int
    public var accountId: Int
    public var conversationId: Int
    public var messageId: Int
    public var contactId: Int
    public var assignedAgentId: Int?
    public var rating: Int
    public var feedbackMessage: String?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: Int, accountId: Int, conversationId: Int, messageId: Int, contactId: Int, assignedAgentId: Int?, rating: Int, feedbackMessage: String?,
        createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.accountId = accountId
        self.conversationId = conversationId
        self.messageId = messageId
        self.contactId = contactId
        self.assignedAgentId = assignedAgentId
        self.rating = rating
        self.feedbackMessage = feedbackMessage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, rating
        case accountId = "account_id"
        case conversationId = "conversation_id"
        case messageId = "message_id"
        case contactId = "contact_id"
        case assignedAgentId = "assigned_agent_id"
        case feedbackMessage = "feedback_message"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.accountId, forKey: .accountId)
        try container.encode(self.conversationId, forKey: .conversationId)
        try container.encode(self.messageId, forKey: .messageId)
        try container.encode(self.contactId, forKey: .contactId)
        // Chatwoot sends these keys with null rather than leaving them out.
        try container.encode(self.assignedAgentId, forKey: .assignedAgentId)
        try container.encode(self.rating, forKey: .rating)
        try container.encode(self.feedbackMessage, forKey: .feedbackMessage)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.updatedAt, forKey: .updatedAt)
    }
}

/// The CSAT survey of a conversation (Chatwoot's `public/api/v1/models/_csat_survey`): the survey message, with the
/// answer once given.
public struct ChatwootCSATSurvey: Codable, Sendable, Equatable {
    /// The survey message's id.
    public var id: Int
    public var csatSurveyResponse: ChatwootCSATResponse?
    public var inboxAvatarUrl: String
    /// The conversation's internal id, as Chatwoot's partial gives it.
    public var conversationId: Int
    public var createdAt: String

    public init(id: Int, csatSurveyResponse: ChatwootCSATResponse?, inboxAvatarUrl: String, conversationId: Int, createdAt: String) {
        self.id = id
        self.csatSurveyResponse = csatSurveyResponse
        self.inboxAvatarUrl = inboxAvatarUrl
        self.conversationId = conversationId
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case csatSurveyResponse = "csat_survey_response"
        case inboxAvatarUrl = "inbox_avatar_url"
        case conversationId = "conversation_id"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        // `null` until the contact answers, as Chatwoot's partial sends it.
        try container.encode(self.csatSurveyResponse, forKey: .csatSurveyResponse)
        try container.encode(self.inboxAvatarUrl, forKey: .inboxAvatarUrl)
        try container.encode(self.conversationId, forKey: .conversationId)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}

/// A message as Chatwoot renders it (swagger `message`; Chatwoot's `push_event_data`): `message_type` 0 incoming,
/// 1 outgoing, 2 activity, 3 template; `conversation_id` is the conversation's `display_id`; times in epoch seconds.
public struct ChatwootMessage: Codable, Sendable, Equatable {
    public var id: Int
    public var content: String?
    public var accountId: Int
    public var inboxId: Int
    public var conversationId: Int
    public var messageType: Int
    public var createdAt: Int64
    public var updatedAt: Int64
    public var `private`: Bool
    public var status: String
    public var sourceId: String?
    public var contentType: String
    public var contentAttributes: JSONValue
    public var senderId: Int?
    public var externalSourceIds: JSONValue
    public var additionalAttributes: JSONValue
    public var echoId: String?
    public var attachments: [ChatwootAttachment]?
    public var sender: ChatwootMessageSender?

    public init(
        id: Int, content: String?, accountId: Int, inboxId: Int, conversationId: Int, messageType: Int, createdAt: Int64, updatedAt: Int64,
        private: Bool, status: String, sourceId: String?, contentType: String, contentAttributes: JSONValue, senderId: Int?,
        additionalAttributes: JSONValue, attachments: [ChatwootAttachment]?, sender: ChatwootMessageSender?
    ) {
        self.id = id
        self.content = content
        self.accountId = accountId
        self.inboxId = inboxId
        self.conversationId = conversationId
        self.messageType = messageType
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.private = `private`
        self.status = status
        self.sourceId = sourceId
        self.contentType = contentType
        self.contentAttributes = contentAttributes
        self.senderId = senderId
        self.externalSourceIds = .object([:])
        self.additionalAttributes = additionalAttributes
        self.attachments = attachments
        self.sender = sender
    }

    enum CodingKeys: String, CodingKey {
        case id, content, status, sender, attachments, `private`
        case accountId = "account_id"
        case inboxId = "inbox_id"
        case conversationId = "conversation_id"
        case messageType = "message_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case sourceId = "source_id"
        case contentType = "content_type"
        case contentAttributes = "content_attributes"
        case senderId = "sender_id"
        case externalSourceIds = "external_source_ids"
        case additionalAttributes = "additional_attributes"
        case echoId = "echo_id"
    }
}

/// Who wrote a message, or a conversation's contact (`meta.sender`): Chatwoot's `push_event_data` of a user
/// (`type` "user"), a contact ("contact") or an agent bot ("agent_bot"); members a kind lacks are omitted.
public struct ChatwootMessageSender: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var type: String
    public var availableName: String?
    public var availabilityStatus: String?
    public var email: String?
    public var phoneNumber: String?
    public var identifier: String?
    public var thumbnail: String
    public var additionalAttributes: JSONValue?
    public var customAttributes: JSONValue?
    public var createdAt: Int64?

    public init(
        id: Int, name: String, type: String, availableName: String? = nil, availabilityStatus: String? = nil, email: String? = nil,
        phoneNumber: String? = nil, identifier: String? = nil, additionalAttributes: JSONValue? = nil, customAttributes: JSONValue? = nil,
        createdAt: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.availableName = availableName
        self.availabilityStatus = availabilityStatus
        self.email = email
        self.phoneNumber = phoneNumber
        self.identifier = identifier
        self.thumbnail = ""
        self.additionalAttributes = additionalAttributes
        self.customAttributes = customAttributes
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, email, identifier, thumbnail
        case availableName = "available_name"
        case availabilityStatus = "availability_status"
        case phoneNumber = "phone_number"
        case additionalAttributes = "additional_attributes"
        case customAttributes = "custom_attributes"
        case createdAt = "created_at"
    }
}

/// A file attached to a message (Chatwoot's `attachment.push_event_data`): `data_url` downloads it.
public struct ChatwootAttachment: Codable, Sendable, Equatable {
    public var id: Int
    public var messageId: Int
    public var fileType: String
    public var accountId: Int
    public var `extension`: String?
    public var dataUrl: String
    public var thumbUrl: String
    public var fileSize: Int
    public var fileName: String

    public init(id: Int, messageId: Int, fileType: String, accountId: Int, extension: String?, dataUrl: String, fileSize: Int, fileName: String) {
        self.id = id
        self.messageId = messageId
        self.fileType = fileType
        self.accountId = accountId
        self.extension = `extension`
        self.dataUrl = dataUrl
        self.thumbUrl = ""
        self.fileSize = fileSize
        self.fileName = fileName
    }

    enum CodingKeys: String, CodingKey {
        case id, `extension`
        case messageId = "message_id"
        case fileType = "file_type"
        case accountId = "account_id"
        case dataUrl = "data_url"
        case thumbUrl = "thumb_url"
        case fileSize = "file_size"
        case fileName = "file_name"
    }
}

/// `GET /conversations/{id}/messages`: the conversation's labels, contact and assignee, and up to 20 messages.
public struct ChatwootMessageList: Codable, Sendable, Equatable {
    public var meta: Meta
    public var payload: [ChatwootMessage]

    public init(meta: Meta, payload: [ChatwootMessage]) {
        self.meta = meta
        self.payload = payload
    }

    /// What the message view shows beside the messages; last-seen times as ISO 8601 strings, as Chatwoot renders them.
    public struct Meta: Codable, Sendable, Equatable {
        public var labels: [String]
        public var additionalAttributes: JSONValue
        public var contact: ChatwootMessageSender?
        public var assignee: ChatwootConversationAssignee?
        public var agentLastSeenAt: String?
        public var assigneeLastSeenAt: String?

        public init(
            labels: [String], additionalAttributes: JSONValue, contact: ChatwootMessageSender?, assignee: ChatwootConversationAssignee?,
            agentLastSeenAt: String?, assigneeLastSeenAt: String?
        ) {
            self.labels = labels
            self.additionalAttributes = additionalAttributes
            self.contact = contact
            self.assignee = assignee
            self.agentLastSeenAt = agentLastSeenAt
            self.assigneeLastSeenAt = assigneeLastSeenAt
        }

        enum CodingKeys: String, CodingKey {
            case labels, contact, assignee
            case additionalAttributes = "additional_attributes"
            case agentLastSeenAt = "agent_last_seen_at"
            case assigneeLastSeenAt = "assignee_last_seen_at"
        }
    }
}

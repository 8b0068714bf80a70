/// A contact as Chatwoot's `api/v1/models/_contact` partial renders it (swagger `contact_list_item`): members
/// Chatwoot sends as `null` are sent as `null`; `contact_inboxes` only where the endpoint includes them.
public struct ChatwootContact: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var email: String?
    public var phoneNumber: String?
    public var identifier: String?
    public var blocked: Bool
    /// `online` or `offline`.
    public var availabilityStatus: String
    /// The avatar's URL, or empty.
    public var thumbnail: String
    public var additionalAttributes: JSONValue
    public var customAttributes: JSONValue
    /// Epoch seconds.
    public var lastActivityAt: Int?
    /// Epoch seconds.
    public var createdAt: Int
    public var contactInboxes: [ChatwootContactInbox]?

    public init(
        id: Int, name: String, email: String?, phoneNumber: String?, identifier: String?, blocked: Bool, availabilityStatus: String,
        thumbnail: String, additionalAttributes: JSONValue, customAttributes: JSONValue, lastActivityAt: Int?, createdAt: Int,
        contactInboxes: [ChatwootContactInbox]?
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.phoneNumber = phoneNumber
        self.identifier = identifier
        self.blocked = blocked
        self.availabilityStatus = availabilityStatus
        self.thumbnail = thumbnail
        self.additionalAttributes = additionalAttributes
        self.customAttributes = customAttributes
        self.lastActivityAt = lastActivityAt
        self.createdAt = createdAt
        self.contactInboxes = contactInboxes
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, identifier, blocked, thumbnail
        case phoneNumber = "phone_number"
        case availabilityStatus = "availability_status"
        case additionalAttributes = "additional_attributes"
        case customAttributes = "custom_attributes"
        case lastActivityAt = "last_activity_at"
        case createdAt = "created_at"
        case contactInboxes = "contact_inboxes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.additionalAttributes, forKey: .additionalAttributes)
        try container.encode(self.availabilityStatus, forKey: .availabilityStatus)
        try container.encode(self.email, forKey: .email)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.phoneNumber, forKey: .phoneNumber)
        try container.encode(self.blocked, forKey: .blocked)
        try container.encode(self.identifier, forKey: .identifier)
        try container.encode(self.thumbnail, forKey: .thumbnail)
        try container.encode(self.customAttributes, forKey: .customAttributes)
        try container.encode(self.lastActivityAt, forKey: .lastActivityAt)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encodeIfPresent(self.contactInboxes, forKey: .contactInboxes)
    }
}

/// A contact's presence in an inbox (`_contact_inbox` partial, swagger `contact_inbox`): the source id the
/// channel knows the contact by (the Client API's `contact_identifier`) and the inbox in brief.
public struct ChatwootContactInbox: Codable, Sendable, Equatable {
    /// `inbox_slim`.
    public struct Inbox: Codable, Sendable, Equatable {
        public var id: Int
        public var avatarUrl: String
        public var channelId: Int
        public var name: String
        public var channelType: String
        public var provider: String?

        public init(id: Int, avatarUrl: String, channelId: Int, name: String, channelType: String, provider: String?) {
            self.id = id
            self.avatarUrl = avatarUrl
            self.channelId = channelId
            self.name = name
            self.channelType = channelType
            self.provider = provider
        }

        enum CodingKeys: String, CodingKey {
            case id, name, provider
            case avatarUrl = "avatar_url"
            case channelId = "channel_id"
            case channelType = "channel_type"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.id, forKey: .id)
            try container.encode(self.avatarUrl, forKey: .avatarUrl)
            try container.encode(self.channelId, forKey: .channelId)
            try container.encode(self.name, forKey: .name)
            try container.encode(self.channelType, forKey: .channelType)
            // Chatwoot sends `null`; one of the swagger's two inbox schemas types it non-nullable (decision 302).
            try container.encodeIfPresent(self.provider, forKey: .provider)
        }
    }

    public var sourceId: String
    public var inbox: Inbox

    public init(sourceId: String, inbox: Inbox) {
        self.sourceId = sourceId
        self.inbox = inbox
    }

    enum CodingKeys: String, CodingKey {
        case inbox
        case sourceId = "source_id"
    }
}

/// `GET /contacts`, `/contacts/search`, `POST /contacts/filter`: a page of 15 and the total.
public struct ChatwootContactList: Codable, Sendable, Equatable {
    /// `count` is every matching contact; `current_page` the page asked for, as text.
    public struct Meta: Codable, Sendable, Equatable {
        public var count: Int
        public var currentPage: String

        public init(count: Int, currentPage: String) {
            self.count = count
            self.currentPage = currentPage
        }

        enum CodingKeys: String, CodingKey {
            case count
            case currentPage = "current_page"
        }
    }

    public var meta: Meta
    public var payload: [ChatwootContact]

    public init(meta: Meta, payload: [ChatwootContact]) {
        self.meta = meta
        self.payload = payload
    }
}

/// `{"payload": contact}` (show, update).
public struct ChatwootContactEnvelope: Codable, Sendable, Equatable {
    public var payload: ChatwootContact

    public init(payload: ChatwootContact) {
        self.payload = payload
    }
}

/// `POST /contacts`: `{"payload": {"contact": ..., "contact_inbox": {"inbox": ..., "source_id": ...}}}`, the contact
/// inbox's members `null` when no `inbox_id` was given.
public struct ChatwootContactCreated: Codable, Sendable, Equatable {
    public struct Payload: Codable, Sendable, Equatable {
        public var contact: ChatwootContact
        public var contactInbox: CreatedInbox

        public init(contact: ChatwootContact, contactInbox: CreatedInbox) {
            self.contact = contact
            self.contactInbox = contactInbox
        }

        enum CodingKeys: String, CodingKey {
            case contact
            case contactInbox = "contact_inbox"
        }
    }

    /// The inbox the contact was created in, and its source id there.
    public struct CreatedInbox: Codable, Sendable, Equatable {
        public var inbox: ChatwootContactInbox.Inbox?
        public var sourceId: String?

        public init(inbox: ChatwootContactInbox.Inbox?, sourceId: String?) {
            self.inbox = inbox
            self.sourceId = sourceId
        }

        enum CodingKeys: String, CodingKey {
            case inbox
            case sourceId = "source_id"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.inbox, forKey: .inbox)
            try container.encode(self.sourceId, forKey: .sourceId)
        }
    }

    public var payload: Payload

    public init(payload: Payload) {
        self.payload = payload
    }
}

/// `{"payload": [...]}`: a contact's contactable inboxes.
public struct ChatwootContactableInboxes: Codable, Sendable, Equatable {
    public var payload: [ChatwootContactInbox]

    public init(payload: [ChatwootContactInbox]) {
        self.payload = payload
    }
}

/// `{"payload": ["label", ...]}`: a contact's labels.
public struct ChatwootContactLabels: Codable, Sendable, Equatable {
    public var payload: [String]

    public init(payload: [String]) {
        self.payload = payload
    }
}

/// A conversation as Chatwoot's `_conversation` partial renders it (swagger `conversation_show`, and each item of
/// `conversation_list`): `id` is the account's `display_id`, times are epoch seconds (0 when never).
public struct ChatwootConversation: Codable, Sendable, Equatable {
    public var meta: Meta
    public var id: Int
    public var messages: [ChatwootMessage]
    public var accountId: Int
    public var uuid: String
    public var additionalAttributes: JSONValue
    public var agentLastSeenAt: Int64
    public var assigneeLastSeenAt: Int64
    public var canReply: Bool
    public var contactLastSeenAt: Int64
    public var customAttributes: JSONValue
    public var inboxId: Int
    public var labels: [String]
    public var muted: Bool
    public var snoozedUntil: Int64?
    public var status: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The last activity in epoch seconds, as text: the swagger types it a string (Chatwoot renders the number).
    public var timestamp: String
    public var firstReplyCreatedAt: Int64
    public var unreadCount: Int
    public var lastNonActivityMessage: ChatwootMessage?
    public var lastActivityAt: Int64
    public var priority: String?
    public var waitingSince: Int64

    public init(
        meta: Meta, id: Int, messages: [ChatwootMessage], accountId: Int, uuid: String, additionalAttributes: JSONValue, agentLastSeenAt: Int64,
        assigneeLastSeenAt: Int64, contactLastSeenAt: Int64, customAttributes: JSONValue, inboxId: Int, labels: [String], muted: Bool,
        snoozedUntil: Int64?, status: String, createdAt: Int64, updatedAt: Int64, firstReplyCreatedAt: Int64, unreadCount: Int,
        lastNonActivityMessage: ChatwootMessage?, lastActivityAt: Int64, priority: String?, waitingSince: Int64
    ) {
        self.meta = meta
        self.id = id
        self.messages = messages
        self.accountId = accountId
        self.uuid = uuid
        self.additionalAttributes = additionalAttributes
        self.agentLastSeenAt = agentLastSeenAt
        self.assigneeLastSeenAt = assigneeLastSeenAt
        self.canReply = true
        self.contactLastSeenAt = contactLastSeenAt
        self.customAttributes = customAttributes
        self.inboxId = inboxId
        self.labels = labels
        self.muted = muted
        self.snoozedUntil = snoozedUntil
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.timestamp = String(lastActivityAt)
        self.firstReplyCreatedAt = firstReplyCreatedAt
        self.unreadCount = unreadCount
        self.lastNonActivityMessage = lastNonActivityMessage
        self.lastActivityAt = lastActivityAt
        self.priority = priority
        self.waitingSince = waitingSince
    }

    /// The conversation's `meta`: its contact (`sender`), channel, assignee and team.
    public struct Meta: Codable, Sendable, Equatable {
        public var sender: ChatwootMessageSender?
        public var channel: String
        public var assignee: ChatwootConversationAssignee?
        public var team: ChatwootConversationTeam?
        public var hmacVerified: Bool

        public init(
            sender: ChatwootMessageSender?, channel: String, assignee: ChatwootConversationAssignee?, team: ChatwootConversationTeam?,
            hmacVerified: Bool
        ) {
            self.sender = sender
            self.channel = channel
            self.assignee = assignee
            self.team = team
            self.hmacVerified = hmacVerified
        }

        enum CodingKeys: String, CodingKey {
            case sender, channel, assignee, team
            case hmacVerified = "hmac_verified"
        }
    }

    enum CodingKeys: String, CodingKey {
        case meta, id, messages, uuid, labels, muted, status, timestamp, priority
        case accountId = "account_id"
        case additionalAttributes = "additional_attributes"
        case agentLastSeenAt = "agent_last_seen_at"
        case assigneeLastSeenAt = "assignee_last_seen_at"
        case canReply = "can_reply"
        case contactLastSeenAt = "contact_last_seen_at"
        case customAttributes = "custom_attributes"
        case inboxId = "inbox_id"
        case snoozedUntil = "snoozed_until"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case firstReplyCreatedAt = "first_reply_created_at"
        case unreadCount = "unread_count"
        case lastNonActivityMessage = "last_non_activity_message"
        case lastActivityAt = "last_activity_at"
        case waitingSince = "waiting_since"
    }
}

/// The assignee in a conversation's `meta` and the answer of an assignment (Chatwoot's `_agent` partial).
public struct ChatwootConversationAssignee: Codable, Sendable, Equatable {
    public var id: Int
    public var accountId: Int
    public var availabilityStatus: String
    public var autoOffline: Bool
    public var confirmed: Bool
    public var email: String
    public var availableName: String
    public var name: String
    public var role: String
    public var thumbnail: String

    public init(
        id: Int, accountId: Int, availabilityStatus: String, autoOffline: Bool, email: String, name: String, displayName: String?, role: String
    ) {
        self.id = id
        self.accountId = accountId
        self.availabilityStatus = availabilityStatus
        self.autoOffline = autoOffline
        self.confirmed = true
        self.email = email
        self.availableName = displayName ?? name
        self.name = name
        self.role = role
        self.thumbnail = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, confirmed, email, name, role, thumbnail
        case accountId = "account_id"
        case availabilityStatus = "availability_status"
        case autoOffline = "auto_offline"
        case availableName = "available_name"
    }
}

/// The team in a conversation's `meta` and the answer of a team assignment (Chatwoot's `_team` partial).
public struct ChatwootConversationTeam: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var description: String?
    public var allowAutoAssign: Bool
    public var accountId: Int

    public init(id: Int, name: String, description: String?, allowAutoAssign: Bool, accountId: Int) {
        self.id = id
        self.name = name
        self.description = description
        self.allowAutoAssign = allowAutoAssign
        self.accountId = accountId
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case allowAutoAssign = "allow_auto_assign"
        case accountId = "account_id"
    }
}

/// `GET /conversations` and `POST /conversations/filter` (swagger `conversation_list`).
public struct ChatwootConversationList: Codable, Sendable, Equatable {
    public var data: Data

    public init(meta: ChatwootConversationCounts.Counts, payload: [ChatwootConversation]) {
        self.data = Data(meta: meta, payload: payload)
    }

    /// The counts and the page.
    public struct Data: Codable, Sendable, Equatable {
        public var meta: ChatwootConversationCounts.Counts
        public var payload: [ChatwootConversation]
    }
}

/// `GET /conversations/meta`: the counts of the list's four assignee tabs.
public struct ChatwootConversationCounts: Codable, Sendable, Equatable {
    public var meta: Counts

    public init(meta: Counts) { self.meta = meta }

    /// Mine, unassigned, assigned and all, under the same filters.
    public struct Counts: Codable, Sendable, Equatable {
        public var mineCount: Int
        public var unassignedCount: Int
        public var assignedCount: Int
        public var allCount: Int

        public init(mineCount: Int, unassignedCount: Int, assignedCount: Int, allCount: Int) {
            self.mineCount = mineCount
            self.unassignedCount = unassignedCount
            self.assignedCount = assignedCount
            self.allCount = allCount
        }

        enum CodingKeys: String, CodingKey {
            case mineCount = "mine_count"
            case unassignedCount = "unassigned_count"
            case assignedCount = "assigned_count"
            case allCount = "all_count"
        }
    }
}

/// The answer of `POST /conversations`: Chatwoot's `create.json.jbuilder` renders the whole conversation partial.
public typealias ChatwootConversationCreated = ChatwootConversation

/// `toggle_status`'s answer.
public struct ChatwootToggleStatus: Codable, Sendable, Equatable {
    public var meta: JSONValue
    public var payload: Payload

    public init(success: Bool, currentStatus: String, conversationId: Int) {
        self.meta = .object([:])
        self.payload = Payload(success: success, currentStatus: currentStatus, conversationId: conversationId)
    }

    /// Whether the change was saved, and the status now.
    public struct Payload: Codable, Sendable, Equatable {
        public var success: Bool
        public var currentStatus: String
        public var conversationId: Int

        enum CodingKeys: String, CodingKey {
            case success
            case currentStatus = "current_status"
            case conversationId = "conversation_id"
        }
    }
}

/// A conversation's labels (swagger `conversation_labels`).
public struct ChatwootLabelList: Codable, Sendable, Equatable {
    public var payload: [String]

    public init(payload: [String]) { self.payload = payload }
}

/// `POST /conversations/{id}/custom_attributes`' answer.
public struct ChatwootCustomAttributes: Codable, Sendable, Equatable {
    public var customAttributes: JSONValue

    public init(customAttributes: JSONValue) { self.customAttributes = customAttributes }

    enum CodingKeys: String, CodingKey {
        case customAttributes = "custom_attributes"
    }
}

import Foundation

/// A conversation of the Anytime Conversation API (seed 000 L85–L118, spec §4): its state, who it is about and who
/// holds it, and its times (ISO 8601 in UTC with milliseconds). `messages` and `eventLogs` are present only when
/// `include` asks for them (spec §2.5).
public struct AnytimeConversation: Codable, Sendable, Equatable {
    public var id: Int
    public var guid: String
    public var relatedType: AnytimeRelatedType?
    public var relatedId: String?
    public var subject: String
    public var assignedAgentId: String?
    public var assignedDepartmentId: String?
    public var originalId: String?
    public var priority: AnytimePriority
    public var status: AnytimeStatus
    public var hasDraft: Bool
    public var isDeleted: Bool
    public var isRead: Bool
    public var isReadByContact: Bool
    public var isEditable: Bool
    public var isActive: Bool
    public var tagIds: [String]
    public var mentionedAgents: [AnytimeMentionedAgent]
    public var customFields: [AnytimeCustomFieldValue]
    public var createdById: String?
    public var createdByType: AnytimeActorType
    public var createdTime: String
    public var lastActivityTime: String
    public var lastStatusChangeTime: String
    public var lastRepliedTime: String
    public var lastRepliedById: String?
    public var lastRepliedByType: AnytimeActorType?
    public var slaPolicyId: String?
    public var firstRespondBreachAt: String?
    public var nextRespondBreachAt: String?
    public var resolveBreachAt: String?
    public var messages: [AnytimeMessage]?
    public var eventLogs: [AnytimeEventLog]?
    /// What `include` expands beside the ids (spec §2.5): the agent, department, contact or visitor object, `null`
    /// when the id is none or names no one; absent unless asked for.
    public var assignedAgent: JSONValue?
    public var assignedDepartment: JSONValue?
    public var contactOrVisitor: JSONValue?
    public var createdBy: JSONValue?
    public var lastRepliedBy: JSONValue?

    public init(
        id: Int, guid: String, relatedType: AnytimeRelatedType?, relatedId: String?, subject: String, assignedAgentId: String?,
        assignedDepartmentId: String?, originalId: String?, priority: AnytimePriority, status: AnytimeStatus, hasDraft: Bool, isDeleted: Bool,
        isRead: Bool, isReadByContact: Bool, isEditable: Bool, isActive: Bool, tagIds: [String], mentionedAgents: [AnytimeMentionedAgent],
        customFields: [AnytimeCustomFieldValue], createdById: String?, createdByType: AnytimeActorType, createdTime: String,
        lastActivityTime: String, lastStatusChangeTime: String, lastRepliedTime: String, lastRepliedById: String?,
        lastRepliedByType: AnytimeActorType?, slaPolicyId: String?, firstRespondBreachAt: String?, nextRespondBreachAt: String?,
        resolveBreachAt: String?, messages: [AnytimeMessage]? = nil, eventLogs: [AnytimeEventLog]? = nil
    ) {
        self.id = id
        self.guid = guid
        self.relatedType = relatedType
        self.relatedId = relatedId
        self.subject = subject
        self.assignedAgentId = assignedAgentId
        self.assignedDepartmentId = assignedDepartmentId
        self.originalId = originalId
        self.priority = priority
        self.status = status
        self.hasDraft = hasDraft
        self.isDeleted = isDeleted
        self.isRead = isRead
        self.isReadByContact = isReadByContact
        self.isEditable = isEditable
        self.isActive = isActive
        self.tagIds = tagIds
        self.mentionedAgents = mentionedAgents
        self.customFields = customFields
        self.createdById = createdById
        self.createdByType = createdByType
        self.createdTime = createdTime
        self.lastActivityTime = lastActivityTime
        self.lastStatusChangeTime = lastStatusChangeTime
        self.lastRepliedTime = lastRepliedTime
        self.lastRepliedById = lastRepliedById
        self.lastRepliedByType = lastRepliedByType
        self.slaPolicyId = slaPolicyId
        self.firstRespondBreachAt = firstRespondBreachAt
        self.nextRespondBreachAt = nextRespondBreachAt
        self.resolveBreachAt = resolveBreachAt
        self.messages = messages
        self.eventLogs = eventLogs
    }
}

/// `relatedType` (L89): who the conversation is about; `agent` is set by the server only (spec §6 C2).
public enum AnytimeRelatedType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case contact, visitor, agent
}

/// `priority` (L95), ranked urgent > high > normal > low (spec §2.7).
public enum AnytimePriority: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case urgent, high, normal, low

    /// The sort rank: higher is more urgent.
    public var rank: Int {
        switch self {
        case .urgent: 3
        case .high: 2
        case .normal: 1
        case .low: 0
        }
    }
}

/// `status` (L96), in the order the list sorts them (spec §2.7).
public enum AnytimeStatus: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case new, pendingInternal, pendingExternal, onHold, closed

    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// Who created, last replied to or sent something (L108, L113, L153).
public enum AnytimeActorType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case agent, contact, system, visitor
}

/// An agent @mentioned in a note (L127–L132).
public struct AnytimeMentionedAgent: Codable, Sendable, Equatable {
    public var agentId: String
    public var isRead: Bool
    public var messageId: String

    public init(agentId: String, isRead: Bool, messageId: String) {
        self.agentId = agentId
        self.isRead = isRead
        self.messageId = messageId
    }
}

/// A custom field's value on a conversation (L120–L125).
public struct AnytimeCustomFieldValue: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var value: String

    public init(id: String, name: String, value: String) {
        self.id = id
        self.name = name
        self.value = value
    }
}

/// A message of a conversation (L134–L155): a reply, an inbound message or an internal note.
public struct AnytimeMessage: Codable, Sendable, Equatable {
    public var id: String
    public var conversationId: Int
    public var channelId: String
    public var type: AnytimeMessageType
    public var directType: AnytimeDirectType
    public var channelAccountId: String?
    public var contactIdentityId: String?
    public var originalMessageId: String?
    public var originalMessageUrl: String?
    public var parentId: String?
    public var subject: String?
    public var cc: String?
    public var contents: [AnytimeContent]
    public var mentionedAgentIds: [String]
    public var isRead: Bool
    public var sendStatus: AnytimeSendStatus
    public var senderId: String?
    public var senderType: AnytimeActorType
    public var time: String
    /// `include=sender` (spec §2.5): the agent or contact object by `senderType`, `null` for the system or no one.
    public var sender: JSONValue?

    public init(
        id: String, conversationId: Int, channelId: String, type: AnytimeMessageType, directType: AnytimeDirectType, channelAccountId: String?,
        contactIdentityId: String?, originalMessageId: String?, originalMessageUrl: String?, parentId: String?, subject: String?, cc: String?,
        contents: [AnytimeContent], mentionedAgentIds: [String], isRead: Bool, sendStatus: AnytimeSendStatus, senderId: String?,
        senderType: AnytimeActorType, time: String
    ) {
        self.id = id
        self.conversationId = conversationId
        self.channelId = channelId
        self.type = type
        self.directType = directType
        self.channelAccountId = channelAccountId
        self.contactIdentityId = contactIdentityId
        self.originalMessageId = originalMessageId
        self.originalMessageUrl = originalMessageUrl
        self.parentId = parentId
        self.subject = subject
        self.cc = cc
        self.contents = contents
        self.mentionedAgentIds = mentionedAgentIds
        self.isRead = isRead
        self.sendStatus = sendStatus
        self.senderId = senderId
        self.senderType = senderType
        self.time = time
    }
}

/// `type` of a message (L139): a message the contact sees, or an internal note.
public enum AnytimeMessageType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case note, message
}

/// `directType` (L140): received from the contact or sent to them.
public enum AnytimeDirectType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case receive, send
}

/// `sendStatus` (L151).
public enum AnytimeSendStatus: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case success, sending, failed
}

/// One part of a message (L157–L170).
public struct AnytimeContent: Codable, Sendable, Equatable {
    public var id: String
    public var type: AnytimeContentType
    public var text: String?
    public var htmlText: String?
    public var name: String?
    public var url: String?
    public var title: String?
    public var latitude: String?
    public var longitude: String?
    public var scale: String?
    public var desc: String?

    public init(
        id: String, type: AnytimeContentType, text: String? = nil, htmlText: String? = nil, name: String? = nil, url: String? = nil,
        title: String? = nil, latitude: String? = nil, longitude: String? = nil, scale: String? = nil, desc: String? = nil
    ) {
        self.id = id
        self.type = type
        self.text = text
        self.htmlText = htmlText
        self.name = name
        self.url = url
        self.title = title
        self.latitude = latitude
        self.longitude = longitude
        self.scale = scale
        self.desc = desc
    }
}

/// A content's `type` (L160).
public enum AnytimeContentType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case text, htmlText, video, audio, picture, file, location
}

/// An entry of a conversation's history (L680–L686).
public struct AnytimeEventLog: Codable, Sendable, Equatable {
    public var id: String
    public var conversationId: Int
    public var text: String
    public var time: String

    public init(id: String, conversationId: Int, text: String, time: String) {
        self.id = id
        self.conversationId = conversationId
        self.text = text
        self.time = time
    }
}

/// A page of conversations (L238–L243, spec §2.6); the page links are written as `null` at the edges.
public struct AnytimeConversationPage: Codable, Sendable, Equatable {
    public var conversations: [AnytimeConversation]
    public var total: Int
    public var previousPage: String?
    public var nextPage: String?
    public var currentPage: String

    public init(conversations: [AnytimeConversation], total: Int, previousPage: String?, nextPage: String?, currentPage: String) {
        self.conversations = conversations
        self.total = total
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.currentPage = currentPage
    }

    enum CodingKeys: String, CodingKey {
        case conversations, total, previousPage, nextPage, currentPage
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.conversations, forKey: .conversations)
        try container.encode(self.total, forKey: .total)
        try container.encode(self.previousPage, forKey: .previousPage)
        try container.encode(self.nextPage, forKey: .nextPage)
        try container.encode(self.currentPage, forKey: .currentPage)
    }
}

/// A page of deleted conversations (L441–L446): the same page under `deletedConversations`.
public struct AnytimeDeletedConversationPage: Codable, Sendable, Equatable {
    public var deletedConversations: [AnytimeConversation]
    public var total: Int
    public var previousPage: String?
    public var nextPage: String?
    public var currentPage: String

    public init(deletedConversations: [AnytimeConversation], total: Int, previousPage: String?, nextPage: String?, currentPage: String) {
        self.deletedConversations = deletedConversations
        self.total = total
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.currentPage = currentPage
    }

    enum CodingKeys: String, CodingKey {
        case deletedConversations, total, previousPage, nextPage, currentPage
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.deletedConversations, forKey: .deletedConversations)
        try container.encode(self.total, forKey: .total)
        try container.encode(self.previousPage, forKey: .previousPage)
        try container.encode(self.nextPage, forKey: .nextPage)
        try container.encode(self.currentPage, forKey: .currentPage)
    }
}

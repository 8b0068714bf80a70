import SQLKit
import ServiceKit
import WireModels

/// A `chats` row: one column per property (`visitorIp` is `visitor_ip`); the pre-chat answers, custom variables,
/// survey, wrap-up and attachments are JSON read and written whole with the chat.
struct ChatRow: Codable, Sendable {
    var id: Int = 0
    var siteId: String
    var campaignId: Int
    var visitorId: String
    var visitorIp: String?
    var ssoUserId: String?
    var name: String?
    var email: String?
    var departmentId: Int
    var agentId: Int
    var status: String
    var priority: String
    var segmentId: Int
    var requestTime: Int64
    var acceptTime: Int64?
    var endTime: Int64?
    var prechat: JSONText<[LiveChatFieldValue]>
    var customVariables: JSONText<[LiveChatFieldValue]>
    var postchat: JSONText<LiveChatSurvey>?
    var wrapup: JSONText<LiveChatWrapup>?
    var wrapupCategoryId: Int
    var attachments: JSONText<[LiveChatAttachment]>
    var visitorTokenHash: String?

    /// The columns a history page reads: all but the visitor's token hash.
    static let columns = [
        "id", "site_id", "campaign_id", "visitor_id", "visitor_ip", "sso_user_id", "name", "email", "department_id", "agent_id", "status", "priority",
        "segment_id", "request_time", "accept_time", "end_time", "prechat", "custom_variables", "postchat", "wrapup", "wrapup_category_id",
        "attachments",
    ]

    init(_ chat: ChatRecord, visitorTokenHash: String?) {
        self.id = chat.id
        self.siteId = chat.siteId
        self.campaignId = chat.campaignId
        self.visitorId = chat.visitorId
        self.visitorIp = chat.visitorIP
        self.ssoUserId = chat.ssoUserId
        self.name = chat.name
        self.email = chat.email
        self.departmentId = chat.departmentId
        self.agentId = chat.agentId
        self.status = chat.status.rawValue
        self.priority = chat.priority
        self.segmentId = chat.segmentId
        self.requestTime = chat.requestTime
        self.acceptTime = chat.acceptTime
        self.endTime = chat.endTime
        self.prechat = JSONText(chat.prechat)
        self.customVariables = JSONText(chat.customVariables)
        self.postchat = chat.postChat.map(JSONText.init)
        self.wrapup = chat.wrapup.map(JSONText.init)
        self.wrapupCategoryId = chat.wrapupCategoryId
        self.attachments = JSONText(chat.attachments)
        self.visitorTokenHash = visitorTokenHash
    }

    func record(participants: [Int]) -> ChatRecord {
        ChatRecord(
            id: self.id, siteId: self.siteId, campaignId: self.campaignId, visitorId: self.visitorId, visitorIP: self.visitorIp,
            ssoUserId: self.ssoUserId,
            name: self.name, email: self.email, departmentId: self.departmentId, agentId: self.agentId,
            status: ChatStatus(rawValue: self.status) ?? .ended,
            priority: self.priority, segmentId: self.segmentId, requestTime: self.requestTime, acceptTime: self.acceptTime, endTime: self.endTime,
            prechat: self.prechat.value, customVariables: self.customVariables.value, postChat: self.postchat?.value, wrapup: self.wrapup?.value,
            wrapupCategoryId: self.wrapupCategoryId, attachments: self.attachments.value, participants: participants
        )
    }
}

/// A `chat_agents` row: an agent who took part in a chat.
struct ChatAgentRow: Codable, Sendable {
    var chatId: Int
    var agentId: Int
}

/// A `chat_messages` row: a transcript line.
struct ChatMessageRow: Codable, Sendable {
    var chatId: Int
    var time: Int64
    var sender: String
    var type: String
    var content: String

    var record: ChatMessageRecord { ChatMessageRecord(time: self.time, sender: self.sender, type: self.type, content: self.content) }
}

/// An `offline_messages` row.
struct OfflineMessageRow: Codable, Sendable {
    var id: Int = 0
    var siteId: String
    var campaignId: Int
    var visitorId: String
    var time: Int64
    var ssoUserId: String?
    var name: String?
    var email: String?
    var departmentId: Int
    var agentId: Int
    var segmentId: Int
    var content: String
    var fields: JSONText<[LiveChatFieldValue]>
    var customVariables: JSONText<[LiveChatFieldValue]>
    var attachment: JSONText<LiveChatAttachment>?

    init(_ message: OfflineMessageRecord) {
        self.id = message.id
        self.siteId = message.siteId
        self.campaignId = message.campaignId
        self.visitorId = message.visitorId
        self.time = message.time
        self.ssoUserId = message.ssoUserId
        self.name = message.name
        self.email = message.email
        self.departmentId = message.departmentId
        self.agentId = message.agentId
        self.segmentId = message.segmentId
        self.content = message.content
        self.fields = JSONText(message.fields)
        self.customVariables = JSONText(message.customVariables)
        self.attachment = message.attachment.map(JSONText.init)
    }

    var record: OfflineMessageRecord {
        OfflineMessageRecord(
            id: self.id, siteId: self.siteId, campaignId: self.campaignId, visitorId: self.visitorId, time: self.time, ssoUserId: self.ssoUserId,
            name: self.name, email: self.email, departmentId: self.departmentId, agentId: self.agentId, segmentId: self.segmentId,
            content: self.content,
            fields: self.fields.value, customVariables: self.customVariables.value, attachment: self.attachment?.value
        )
    }
}

/// An `agent_chat_messages` row.
struct AgentChatMessageRow: Codable, Sendable {
    var agentChatId: Int
    var time: Int64
    var agentId: Int
    var content: String
}

/// An `agent_chat_members` row.
struct AgentChatMemberRow: Codable, Sendable {
    var agentChatId: Int
    var agentId: Int
}

/// One column of one row, for the small lookups (`site_id`, `agent_id`, `last_agent_id`).
struct SiteRow: Codable, Sendable { var siteId: String }
struct AgentRow: Codable, Sendable { var agentId: Int }
struct LastAgentRow: Codable, Sendable { var lastAgentId: Int }
struct AgentLoadRow: Codable, Sendable {
    var agentId: Int
    var count: Int
}

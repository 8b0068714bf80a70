import ServiceKit
import WireModels

/// Where a chat stands.
enum ChatStatus: String, Codable, Sendable, CaseIterable {
    /// Waiting for an agent.
    case queued
    case active
    /// Answered, then ended.
    case ended
    /// Nobody answered before the visitor left.
    case missed
    /// An agent declined it.
    case refused
}

/// A chat as stored: a `chats` row, one column per property (`visitorIp` is `visitor_ip`), the pre-chat answers,
/// custom variables, survey, wrap-up and attachments JSON read and written whole; and, from `chat_agents`, every
/// agent who took part.
struct ChatRecord: Codable, Sendable {
    var id = 0
    var siteId: String
    var campaignId: Int
    var visitorId: String
    var visitorIp: String?
    var ssoUserId: String?
    var name: String?
    var email: String?
    var departmentId: Int
    /// The agent serving it now (0: none yet).
    var agentId: Int
    var status: ChatStatus
    var priority: String
    var segmentId: Int
    var requestTime: Int64
    var acceptTime: Int64?
    var endTime: Int64?
    var prechat: JSONText<[LiveChatFieldValue]>
    var customVariables: JSONText<[LiveChatFieldValue]>
    var postchat: JSONText<LiveChatSurvey>?
    var wrapup: JSONText<LiveChatWrapup>?
    /// The wrap-up category's position among the campaign's categories (1-based; 0: none).
    var wrapupCategoryId = 0
    var attachments = JSONText<[LiveChatAttachment]>([])
    /// Written when the chat starts; the visitor's later calls find the chat by it.
    var visitorTokenHash: String?
    var participants: [Int] = []

    /// The `chats` columns (participants are `chat_agents` rows).
    enum CodingKeys: String, CodingKey {
        case id, siteId, campaignId, visitorId, visitorIp, ssoUserId, name, email, departmentId, agentId, status, priority, segmentId, requestTime
        case acceptTime, endTime, prechat, customVariables, postchat, wrapup, wrapupCategoryId, attachments, visitorTokenHash
    }
}

/// A transcript line: a `chat_messages` row.
struct ChatMessageRecord: Codable, Sendable, Equatable {
    var chatId = 0
    var time: Int64
    var sender: String
    /// `agent`, `visitor` or `system`.
    var type: String
    var content: String
}

/// An offline message: an `offline_messages` row, the form's fields, custom variables and attachment as JSON.
struct OfflineMessageRecord: Codable, Sendable {
    var id = 0
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
}

/// A conversation between agents, with its lines.
typealias AgentChatRecord = (id: Int, members: [Int], messages: [AgentChatMessageRow])

/// An `agent_chat_messages` row.
struct AgentChatMessageRow: Codable, Sendable {
    var agentChatId: Int
    var time: Int64
    var agentId: Int
    var content: String
}

/// A `chat_agents` row: an agent who took part in a chat.
struct ChatAgentRow: Codable, Sendable {
    var chatId: Int
    var agentId: Int
}

/// An `agent_chat_members` row.
struct AgentChatMemberRow: Codable, Sendable {
    var agentChatId: Int
    var agentId: Int
}

/// One column of one row, for the small lookups (`agent_id`, `last_agent_id`).
struct AgentRow: Codable, Sendable { var agentId: Int }
struct AgentLoadRow: Codable, Sendable {
    var agentId: Int
    var count: Int
}

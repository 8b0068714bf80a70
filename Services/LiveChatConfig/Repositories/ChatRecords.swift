import WireModels

/// Where a chat stands.
enum ChatStatus: String, Sendable, CaseIterable {
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

/// A chat as stored.
struct ChatRecord: Sendable, Equatable {
    var id: Int = 0
    var siteId: String
    var campaignId: Int
    var visitorId: String
    var visitorIP: String?
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
    var prechat: [LiveChatFieldValue]
    var customVariables: [LiveChatFieldValue]
    var postChat: LiveChatSurvey?
    var wrapup: LiveChatWrapup?
    /// The wrap-up category's position among the campaign's categories (1-based; 0: none).
    var wrapupCategoryId: Int = 0
    var attachments: [LiveChatAttachment] = []
    /// Every agent who took part.
    var participants: [Int] = []
}

/// A transcript line as stored.
struct ChatMessageRecord: Sendable, Equatable {
    var time: Int64
    var sender: String
    /// `agent`, `visitor` or `system`.
    var type: String
    var content: String
}

/// An offline message as stored.
struct OfflineMessageRecord: Sendable, Equatable {
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
    var fields: [LiveChatFieldValue]
    var customVariables: [LiveChatFieldValue]
    var attachment: LiveChatAttachment?
}

/// A conversation between agents, with its lines.
struct AgentChatRecord: Sendable, Equatable {
    var id: Int
    var members: [Int]
    var messages: [(time: Int64, agentId: Int, content: String)]

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.id == rhs.id && lhs.members == rhs.members && lhs.messages.count == rhs.messages.count }
}

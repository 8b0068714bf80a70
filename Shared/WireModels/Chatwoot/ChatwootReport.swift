/// A reporting event (swagger `reporting_event`): what happened, how long it took in seconds (and within the inbox's
/// working hours), when it started and ended.
public struct ChatwootReportingEvent: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var value: Double
    public var valueInBusinessHours: Double
    public var eventStartTime: String
    public var eventEndTime: String
    public var accountId: Int
    public var conversationId: Int?
    public var inboxId: Int?
    public var userId: Int?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: Int, name: String, value: Double, valueInBusinessHours: Double, eventStartTime: String, eventEndTime: String, accountId: Int,
        conversationId: Int?, inboxId: Int?, userId: Int?, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.name = name
        self.value = value
        self.valueInBusinessHours = valueInBusinessHours
        self.eventStartTime = eventStartTime
        self.eventEndTime = eventEndTime
        self.accountId = accountId
        self.conversationId = conversationId
        self.inboxId = inboxId
        self.userId = userId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, value
        case valueInBusinessHours = "value_in_business_hours"
        case eventStartTime = "event_start_time"
        case eventEndTime = "event_end_time"
        case accountId = "account_id"
        case conversationId = "conversation_id"
        case inboxId = "inbox_id"
        case userId = "user_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.value, forKey: .value)
        try container.encode(self.valueInBusinessHours, forKey: .valueInBusinessHours)
        try container.encode(self.eventStartTime, forKey: .eventStartTime)
        try container.encode(self.eventEndTime, forKey: .eventEndTime)
        try container.encode(self.accountId, forKey: .accountId)
        // Nullable in the swagger; Chatwoot sends null.
        try container.encode(self.conversationId, forKey: .conversationId)
        try container.encode(self.inboxId, forKey: .inboxId)
        try container.encode(self.userId, forKey: .userId)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.updatedAt, forKey: .updatedAt)
    }
}

/// `GET /reporting_events`: a page of 25, newest first (swagger `reporting_events_list_response`).
public struct ChatwootReportingEventPage: Codable, Sendable, Equatable {
    /// The page's place among all matching events.
    public struct Meta: Codable, Sendable, Equatable {
        public var count: Int
        public var currentPage: Int
        public var totalPages: Int

        public init(count: Int, currentPage: Int, totalPages: Int) {
            self.count = count
            self.currentPage = currentPage
            self.totalPages = totalPages
        }

        enum CodingKeys: String, CodingKey {
            case count
            case currentPage = "current_page"
            case totalPages = "total_pages"
        }
    }

    public var meta: Meta
    public var payload: [ChatwootReportingEvent]

    public init(meta: Meta, payload: [ChatwootReportingEvent]) {
        self.meta = meta
        self.payload = payload
    }
}

/// One period of a report's timeseries (`GET /api/v2/accounts/{account_id}/reports`): counts as numbers, averages as
/// Chatwoot's decimal strings with the number of events averaged (decision 318).
public struct ChatwootReportPoint: Codable, Sendable, Equatable {
    public var value: JSONValue
    public var timestamp: Int
    public var count: Int?

    public init(value: JSONValue, timestamp: Int, count: Int?) {
        self.value = value
        self.timestamp = timestamp
        self.count = count
    }
}

/// The totals of a report summary (swagger `account_summary` without `previous`).
public struct ChatwootReportTotals: Codable, Sendable, Equatable {
    public var avgFirstResponseTime: String?
    public var avgResolutionTime: String?
    public var conversationsCount: Int
    public var incomingMessagesCount: Int
    public var outgoingMessagesCount: Int
    public var resolutionsCount: Int
    public var replyTime: String?

    public init(
        avgFirstResponseTime: String?, avgResolutionTime: String?, conversationsCount: Int, incomingMessagesCount: Int,
        outgoingMessagesCount: Int, resolutionsCount: Int, replyTime: String?
    ) {
        self.avgFirstResponseTime = avgFirstResponseTime
        self.avgResolutionTime = avgResolutionTime
        self.conversationsCount = conversationsCount
        self.incomingMessagesCount = incomingMessagesCount
        self.outgoingMessagesCount = outgoingMessagesCount
        self.resolutionsCount = resolutionsCount
        self.replyTime = replyTime
    }

    enum CodingKeys: String, CodingKey {
        case avgFirstResponseTime = "avg_first_response_time"
        case avgResolutionTime = "avg_resolution_time"
        case conversationsCount = "conversations_count"
        case incomingMessagesCount = "incoming_messages_count"
        case outgoingMessagesCount = "outgoing_messages_count"
        case resolutionsCount = "resolutions_count"
        case replyTime = "reply_time"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Chatwoot's averages are null when nothing happened in the range.
        try container.encode(self.avgFirstResponseTime, forKey: .avgFirstResponseTime)
        try container.encode(self.avgResolutionTime, forKey: .avgResolutionTime)
        try container.encode(self.conversationsCount, forKey: .conversationsCount)
        try container.encode(self.incomingMessagesCount, forKey: .incomingMessagesCount)
        try container.encode(self.outgoingMessagesCount, forKey: .outgoingMessagesCount)
        try container.encode(self.resolutionsCount, forKey: .resolutionsCount)
        try container.encode(self.replyTime, forKey: .replyTime)
    }
}

/// `GET /reports/summary`: the range's totals and those of the same length of time before it (swagger `account_summary`):
/// the current totals' members at the top level beside `previous`.
public struct ChatwootReportSummary: Codable, Sendable, Equatable {
    public var current: ChatwootReportTotals
    public var previous: ChatwootReportTotals

    public init(current: ChatwootReportTotals, previous: ChatwootReportTotals) {
        self.current = current
        self.previous = previous
    }

    enum CodingKeys: String, CodingKey {
        case previous
    }

    public init(from decoder: any Decoder) throws {
        // The current totals are this object's own members.
        self.current = try ChatwootReportTotals(from: decoder)
        self.previous = try decoder.container(keyedBy: CodingKeys.self).decode(ChatwootReportTotals.self, forKey: .previous)
    }

    public func encode(to encoder: any Encoder) throws {
        try self.current.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.previous, forKey: .previous)
    }
}

/// `GET /reports/conversations?type=account`: the account's open conversations now.
public struct ChatwootAccountConversationMetrics: Codable, Sendable, Equatable {
    public var open: Int
    public var unattended: Int
    public var unassigned: Int

    public init(open: Int, unattended: Int, unassigned: Int) {
        self.open = open
        self.unattended = unattended
        self.unassigned = unassigned
    }
}

/// `GET /reports/conversations/?type=agent`: one agent's open conversations now (swagger `agent_conversation_metrics`).
public struct ChatwootAgentConversationMetrics: Codable, Sendable, Equatable {
    /// The agent's open and unattended conversations.
    public struct Metric: Codable, Sendable, Equatable {
        public var open: Int
        public var unattended: Int

        public init(open: Int, unattended: Int) {
            self.open = open
            self.unattended = unattended
        }
    }

    public var id: Int
    public var name: String
    public var email: String
    public var thumbnail: String
    public var availability: String
    public var metric: Metric

    public init(id: Int, name: String, email: String, thumbnail: String, availability: String, metric: Metric) {
        self.id = id
        self.name = name
        self.email = email
        self.thumbnail = thumbnail
        self.availability = availability
        self.metric = metric
    }
}

/// One agent, inbox or team of `GET /summary_reports/{agent,inbox,team}` (swagger `agent_summary` and its twins).
public struct ChatwootSummaryReportRow: Codable, Sendable, Equatable {
    public var id: Int
    public var conversationsCount: Int
    public var resolvedConversationsCount: Int
    public var avgResolutionTime: Double?
    public var avgFirstResponseTime: Double?
    public var avgReplyTime: Double?

    public init(
        id: Int, conversationsCount: Int, resolvedConversationsCount: Int, avgResolutionTime: Double?, avgFirstResponseTime: Double?,
        avgReplyTime: Double?
    ) {
        self.id = id
        self.conversationsCount = conversationsCount
        self.resolvedConversationsCount = resolvedConversationsCount
        self.avgResolutionTime = avgResolutionTime
        self.avgFirstResponseTime = avgFirstResponseTime
        self.avgReplyTime = avgReplyTime
    }

    enum CodingKeys: String, CodingKey {
        case id
        case conversationsCount = "conversations_count"
        case resolvedConversationsCount = "resolved_conversations_count"
        case avgResolutionTime = "avg_resolution_time"
        case avgFirstResponseTime = "avg_first_response_time"
        case avgReplyTime = "avg_reply_time"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.conversationsCount, forKey: .conversationsCount)
        try container.encode(self.resolvedConversationsCount, forKey: .resolvedConversationsCount)
        // Null when there is no data, as the swagger says.
        try container.encode(self.avgResolutionTime, forKey: .avgResolutionTime)
        try container.encode(self.avgFirstResponseTime, forKey: .avgFirstResponseTime)
        try container.encode(self.avgReplyTime, forKey: .avgReplyTime)
    }
}

/// One channel type of `GET /summary_reports/channel` (swagger `channel_summary`'s values).
public struct ChatwootChannelSummary: Codable, Sendable, Equatable {
    public var open: Int
    public var resolved: Int
    public var pending: Int
    public var snoozed: Int
    public var total: Int

    public init(open: Int, resolved: Int, pending: Int, snoozed: Int) {
        self.open = open
        self.resolved = resolved
        self.pending = pending
        self.snoozed = snoozed
        self.total = open + resolved + pending + snoozed
    }
}

/// One channel type of `GET /reports/first_response_time_distribution`: first responses by how long they took.
public struct ChatwootFirstResponseBuckets: Codable, Sendable, Equatable {
    public var underOneHour: Int
    public var oneToFourHours: Int
    public var fourToEightHours: Int
    public var eightToTwentyFourHours: Int
    public var overTwentyFourHours: Int

    public init(underOneHour: Int, oneToFourHours: Int, fourToEightHours: Int, eightToTwentyFourHours: Int, overTwentyFourHours: Int) {
        self.underOneHour = underOneHour
        self.oneToFourHours = oneToFourHours
        self.fourToEightHours = fourToEightHours
        self.eightToTwentyFourHours = eightToTwentyFourHours
        self.overTwentyFourHours = overTwentyFourHours
    }

    enum CodingKeys: String, CodingKey {
        case underOneHour = "0-1h"
        case oneToFourHours = "1-4h"
        case fourToEightHours = "4-8h"
        case eightToTwentyFourHours = "8-24h"
        case overTwentyFourHours = "24h+"
    }
}

/// `GET /reports/inbox_label_matrix`: conversations of each inbox carrying each label.
public struct ChatwootInboxLabelMatrix: Codable, Sendable, Equatable {
    /// An inbox of the matrix's rows.
    public struct Inbox: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String

        public init(id: Int, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A label of the matrix's columns.
    public struct Label: Codable, Sendable, Equatable {
        public var id: Int
        public var title: String

        public init(id: Int, title: String) {
            self.id = id
            self.title = title
        }
    }

    public var inboxes: [Inbox]
    public var labels: [Label]
    public var matrix: [[Int]]

    public init(inboxes: [Inbox], labels: [Label], matrix: [[Int]]) {
        self.inboxes = inboxes
        self.labels = labels
        self.matrix = matrix
    }
}

/// One agent, team, inbox or label of `GET /reports/outgoing_messages_count`.
public struct ChatwootOutgoingMessagesCount: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String?
    public var outgoingMessagesCount: Int

    public init(id: Int?, name: String?, outgoingMessagesCount: Int) {
        self.id = id
        self.name = name
        self.outgoingMessagesCount = outgoingMessagesCount
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case outgoingMessagesCount = "outgoing_messages_count"
    }
}

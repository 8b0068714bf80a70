import Foundation
import Hummingbird

/// The report payloads (seed 000 L1496–L1716; spec §3.19, §6 G8, G10, RP10): ids are strings (a member's id, or the
/// bucket number from 1 for `byTime`), the doc's misspelled keys are written in camelCase, times in UTC.
enum Reports {
    /// `GET /reports/realtime/now`.
    struct Now: Codable, Sendable, Equatable, ResponseEncodable {
        var unassignedConversations = 0
        var openConversations = 0
        var newConversations = 0
        var pendingInternalConversations = 0
        var pendingExternalConversations = 0
        var onHoldConversations = 0
        var urgentPriorityConversations = 0
        var highPriorityConversations = 0
    }

    /// `GET /reports/realtime/bytime` (and `/today`): one aggregate object (spec §6 RP2).
    struct ByTime: Codable, Sendable, Equatable, ResponseEncodable {
        var createdConversations: Int
        var resolvedConversations: Int
        var repliedConversations: Int
        var reopenedConversations: Int
    }

    /// A row of `realtime/departments` (`departmentId`) or `realtime/agents` (`agentId`).
    struct MemberNow: Codable, Sendable, Equatable {
        var departmentId: String?
        var agentId: String?
        var openConversations = 0
        var todayRepliedConversations = 0
        var todayResolvedConversations = 0
        var newConversations = 0
        var pendingInternalConversations = 0
        var pendingExternalConversations = 0
        var onHoldConversations = 0
        var urgentPriorityConversations = 0
        var highPriorityConversations = 0
    }

    struct MemberList: Codable, Sendable, Equatable, ResponseEncodable {
        var dataList: [MemberNow]
    }

    /// A row of the volume report.
    struct VolumeRow: Codable, Sendable, Equatable {
        var id: String
        var createdConversations: Int
        var createdConversationsPercentage: Double
        var closedConversations: Int
        var closedConversationsPercentage: Double
        var repliedConversations: Int
        var repliedConversationsPercentage: Double
        var reopenedConversations: Int
        var reopenedConversationsPercentage: Double
        var openConversations: Int
        var openConversationsPercentage: Double
        var startTime: String
        var endTime: String
    }

    /// `GET /reports/volume`.
    struct Volume: Codable, Sendable, Equatable, ResponseEncodable {
        var dataList: [VolumeRow]
        var totalCreatedConversations: Int
        var totalClosedConversations: Int
        var totalRepliedConversations: Int
        var totalReopenedConversations: Int
        var totalOpenConversations: Int
    }

    /// One channel's messages in a row of the channel report.
    struct ChannelEfficiency: Codable, Sendable, Equatable {
        var channelId: String
        var channelName: String
        var channelMessageNumber: Int
        var channelPercentage: Double
    }

    struct ChannelRow: Codable, Sendable, Equatable {
        var id: String
        var name: String
        var channelEfficiencies: [ChannelEfficiency]
        var startTime: String
        var endTime: String
    }

    /// One channel's messages over the whole range.
    struct ChannelTotal: Codable, Sendable, Equatable {
        var channelId: String
        var channelName: String
        var totalNumber: Int
    }

    /// `GET /reports/channel`: the totals under `channelTotalNumbers` (the doc writes "channel total number").
    struct Channel: Codable, Sendable, Equatable, ResponseEncodable {
        var dataList: [ChannelRow]
        var channelTotalNumbers: [ChannelTotal]
    }

    /// A row of the efficiency report: durations as `HH:MM:SS`, message averages per conversation.
    struct EfficiencyRow: Codable, Sendable, Equatable {
        var id: String
        var avgAgentResponseTime: String
        var avgFirstResponseTime: String
        var avgConversationTime: String
        var avgContactMessages: Double
        var avgAgentMessages: Double
        var startTime: String
        var endTime: String
    }

    /// `GET /reports/efficiency`.
    struct Efficiency: Codable, Sendable, Equatable, ResponseEncodable {
        var dataList: [EfficiencyRow]
        var totalAvgAgentResponseTime: String
        var totalAvgFirstResponseTime: String
        var totalAvgConversationTime: String
        var totalAvgContactMessages: Double
        var totalAvgAgentMessages: Double
    }

    /// A row of the SLA report: one member in one time bucket; times in minutes.
    struct SLARow: Codable, Sendable, Equatable {
        var id: String
        var firstRespondTimeAchievedPercentage: Double
        var avgFirstRespondTime: Double
        var nextRespondTimeAchievedPercentage: Double
        var avgNextRespondTime: Double
        var resolveTimeAchievedPercentage: Double
        var avgResolveTime: Double
        var breachedTickets: Int
        var startTime: String
        var endTime: String
    }

    /// `GET /reports/sla`.
    struct SLA: Codable, Sendable, Equatable, ResponseEncodable {
        var dataList: [SLARow]
    }

    /// `value` rounded to 2 decimals.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// `part` of `whole` in percent, 2 decimals; 0 when `whole` is 0.
    static func percentage(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Self.rounded(Double(part) * 100 / Double(whole)) }

    /// A mean duration in milliseconds as `HH:MM:SS` (hours may pass 24); `00:00:00` for none.
    static func duration(_ milliseconds: [Int64]) -> String {
        guard !milliseconds.isEmpty else { return "00:00:00" }
        let seconds = Int64((Double(milliseconds.reduce(0, +)) / Double(milliseconds.count) / 1000).rounded())
        return String(format: "%02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }
}

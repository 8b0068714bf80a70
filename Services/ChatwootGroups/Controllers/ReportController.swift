import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension ChatwootReportingEvent: ResponseEncodable {}
extension ChatwootReportingEventPage: ResponseEncodable {}
extension ChatwootReportPoint: ResponseEncodable {}
extension ChatwootReportSummary: ResponseEncodable {}
extension ChatwootSummaryReportRow: ResponseEncodable {}
extension ChatwootChannelSummary: ResponseEncodable {}
extension ChatwootFirstResponseBuckets: ResponseEncodable {}
extension ChatwootInboxLabelMatrix: ResponseEncodable {}
extension ChatwootOutgoingMessagesCount: ResponseEncodable {}

/// Chatwoot's reporting events (`/api/v1/accounts/{account_id}/reporting_events`, a conversation's) and v2 reports
/// (`ReportsController`, `SummaryReportsController`): administrators only, as Chatwoot's `ReportPolicy#view?` (an
/// agent's 401); every figure aggregated in SQL from conversations, messages and the reporting events.
struct ReportController {
    let access: ChatwootAccess
    let reports: ReportSQLRepository
    let conversations: ConversationSQLRepository
    let users: UserSQLRepository

    static let eventsPageSize = 25
    static let agentsPageSize = 25
    /// Periods a timeseries may have (a day-by-day report of 27 years, an hourly one of a year).
    static let maximumPeriods = 10_000
    /// `summary_reports/channel` covers at most 6 months (Chatwoot's `ChannelSummaryBuilder::MAX_DURATION`).
    static let channelRangeDays = 182

    static let range = [
        QueryParameter("since", "From this Unix time (seconds)"), QueryParameter("until", "Up to this Unix time (seconds), not included"),
    ]
    static let scope = [
        QueryParameter("type", "account, agent, inbox, label or team", required: true),
        QueryParameter("id", "The agent, inbox, label or team", .integer),
    ]

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>, v2: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Reports")
            .get(
                "/{account_id}/reporting_events", "Account Reporting Events", returns: ChatwootReportingEventPage.self,
                query: [
                    QueryParameter("page", "Page number (25 events a page)", .integer), QueryParameter("inbox_id", "Events of this inbox", .integer),
                    QueryParameter("user_id", "Events of this agent", .integer), QueryParameter("name", "Events of this name"),
                ] + Self.range, use: self.events)
        accounts.tagged("Conversations")
            .get(
                "/{account_id}/conversations/{conversation_id}/reporting_events", "Conversation Reporting Events",
                returns: [ChatwootReportingEvent].self, use: self.conversationEvents)
        v2.get(
            "/{account_id}/reports", "Get Account reports", returns: [ChatwootReportPoint].self,
            query: [
                QueryParameter(
                    "metric", "conversations_count, incoming_messages_count, outgoing_messages_count, avg_first_response_time, ...", required: true),
                QueryParameter("group_by", "day (default), week, month, year or hour"),
                QueryParameter("business_hours", "Averages within the inboxes' working hours", .boolean),
                QueryParameter("timezone_offset", "Hours east of UTC the periods start in"),
            ] + Self.scope + Self.range, use: self.timeseries)
        v2.get(
            "/{account_id}/reports/summary", "Get Account reports summary", returns: ChatwootReportSummary.self,
            query: Self.scope + Self.range + [QueryParameter("business_hours", "Averages within the inboxes' working hours", .boolean)],
            use: self.summary)
        // Both of the swagger's paths (`conversations` and its trailing-slash twin, which the router takes as the same route):
        // an object for the account, agents as a list, as Chatwoot's one `conversations` action answers.
        v2.raw(
            .get, "/{account_id}/reports/conversations", "Account Conversation Metrics", responses: [200: "Conversation metrics"],
            query: [
                QueryParameter("type", "account or agent", required: true), QueryParameter("user_id", "The agent", .integer),
                QueryParameter("page", "Page of agents (25 a page)", .integer),
            ], use: self.conversationMetrics)
        let groupings: [(String, String, ReportSQLRepository.Grouping)] = [
            ("agent", "Get conversation statistics grouped by agent", ReportSQLRepository.Grouping.agent),
            ("inbox", "Get conversation statistics grouped by inbox", .inbox), ("team", "Get conversation statistics grouped by team", .team),
        ]
        for (path, summary, grouping) in groupings {
            v2.get(
                "/{account_id}/summary_reports/\(path)", summary, returns: [ChatwootSummaryReportRow].self,
                query: Self.range + [QueryParameter("business_hours", "Averages within the inboxes' working hours", .boolean)]
            ) { request, context in try await self.summaryReport(request, context: context, grouping) }
        }
        v2.get(
            "/{account_id}/summary_reports/channel", "Get conversation statistics grouped by channel type",
            returns: [String: ChatwootChannelSummary].self, query: Self.range, errors: [400: "Date range exceeds 6 months limit"],
            use: self.channels)
        v2.get(
            "/{account_id}/reports/first_response_time_distribution", "Get first response time distribution by channel",
            returns: [String: ChatwootFirstResponseBuckets].self, query: Self.range, use: self.firstResponseDistribution)
        v2.get(
            "/{account_id}/reports/inbox_label_matrix", "Get inbox-label matrix report", returns: ChatwootInboxLabelMatrix.self,
            query: Self.range + [
                QueryParameter("inbox_ids[]", "These inboxes only", .integer), QueryParameter("label_ids[]", "These labels only", .integer),
            ],
            use: self.inboxLabelMatrix)
        v2.get(
            "/{account_id}/reports/outgoing_messages_count", "Get outgoing messages count grouped by entity",
            returns: [ChatwootOutgoingMessagesCount].self,
            query: Self.range + [QueryParameter("group_by", "agent, team, inbox or label", required: true)], use: self.outgoingMessages)
    }

    // MARK: Reporting events

    /// A page of the account's reporting events, newest first.
    @Sendable func events(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootReportingEventPage {
        let caller = try await self.access.administrator(context)
        let query = request.uri.queryParameters
        let page = try max(1, Self.integer(query.get("page"), "page") ?? 1)
        var filters = ReportSQLRepository.EventFilters()
        filters.range = try Self.range(request)
        filters.inboxID = try Self.integer(query.get("inbox_id"), "inbox_id")
        filters.userID = try Self.integer(query.get("user_id"), "user_id")
        filters.name = query.get("name").flatMap { $0.isEmpty ? nil : $0 }
        let (rows, total) = try await self.reports.events(account: caller.accountID, filters, page: page, size: Self.eventsPageSize)
        return ChatwootReportingEventPage(
            meta: .init(count: total, currentPage: page, totalPages: (total + Self.eventsPageSize - 1) / Self.eventsPageSize),
            payload: rows.map(\.event))
    }

    /// A conversation's reporting events, oldest first.
    @Sendable func conversationEvents(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootReportingEvent] {
        let caller = try await self.access.administrator(context)
        let conversation = try await self.conversations.find(caller, displayID: try ChatwootAccess.id(context, "conversation_id"))
        return try await self.reports.events(conversation: conversation.id).map(\.event)
    }

    // MARK: Reports

    /// A metric in each period of the range (Chatwoot's `V2::Reports::Conversations::ReportBuilder#timeseries`).
    @Sendable func timeseries(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootReportPoint] {
        let caller = try await self.access.administrator(context)
        let query = request.uri.queryParameters
        let metric = try Self.metric(query.get("metric"))
        let scope = try await self.scope(request, caller)
        let range = try Self.range(request)
        let period = Period(rawValue: query.get("group_by") ?? "") ?? .day
        let offset = try Self.offset(query.get("timezone_offset"))
        let rows = try await self.reports.buckets(
            account: caller.accountID, scope: scope, metric: metric, range: range, unit: period == .hour ? 3_600_000 : 86_400_000, offset: offset,
            businessHours: Self.boolean(query.get("business_hours")))
        // Days (or hours) from SQL, folded into the report's periods; every period of the range is listed, empty ones as 0.
        var totals: [Int64: (count: Int64, total: Double)] = [:]
        for row in rows {
            let start = period.start(ofBucket: row.bucket)
            totals[start, default: (0, 0)].count += row.count
            totals[start, default: (0, 0)].total += row.total ?? 0
        }
        let first: Int64?
        let last: Int64?
        if let since = range.since, let until = range.until {
            first = period.start(of: since + offset)
            last = period.start(of: max(since, until - 1) + offset)
        } else {
            first = totals.keys.min()
            last = totals.keys.max()
        }
        guard let first, let last, first <= last else { return [] }
        var points: [ChatwootReportPoint] = []
        var start = first
        while start <= last {
            guard points.count < Self.maximumPeriods else {
                throw ServiceError(
                    .unprocessableContent, message: "The range has more than \(Self.maximumPeriods) periods of \(period.rawValue)", field: "group_by")
            }
            let found = totals[start] ?? (0, 0)
            let timestamp = Int((start - offset) / 1000)
            if metric.isAverage {
                points.append(
                    .init(
                        value: .string(Self.decimal(found.count > 0 ? found.total / Double(found.count) : 0)), timestamp: timestamp,
                        count: Int(found.count)))
            } else {
                points.append(.init(value: .number(Double(found.count)), timestamp: timestamp, count: nil))
            }
            start = period.next(start)
        }
        return points
    }

    /// The range's totals beside those of as long a time before it (Chatwoot's `summary` with `previous`).
    @Sendable func summary(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootReportSummary {
        let caller = try await self.access.administrator(context)
        let scope = try await self.scope(request, caller)
        let range = try Self.range(request)
        let businessHours = Self.boolean(request.uri.queryParameters.get("business_hours"))
        var previous = ReportSQLRepository.Range()
        if let since = range.since, let until = range.until {
            previous = .init(since: since - (until - since), until: since)
        } else {
            // Chatwoot's previous range without `since` and `until` is the epoch's first instant: nothing.
            previous = .init(since: 0, until: 0)
        }
        return ChatwootReportSummary(
            current: try await self.totals(caller.accountID, scope, range, businessHours),
            previous: try await self.totals(caller.accountID, scope, previous, businessHours))
    }

    private func totals(
        _ account: Int, _ scope: ReportSQLRepository.Scope, _ range: ReportSQLRepository.Range, _ businessHours: Bool
    ) async throws
        -> ChatwootReportTotals
    {
        func run(_ metric: ReportSQLRepository.Metric) async throws -> (count: Int, average: Double?) {
            try await self.reports.aggregate(account: account, scope: scope, metric: metric, range: range, businessHours: businessHours)
        }
        return ChatwootReportTotals(
            avgFirstResponseTime: try await run(.avgFirstResponseTime).average.map(Self.decimal),
            avgResolutionTime: try await run(.avgResolutionTime).average.map(Self.decimal),
            conversationsCount: try await run(.conversationsCount).count, incomingMessagesCount: try await run(.incomingMessagesCount).count,
            outgoingMessagesCount: try await run(.outgoingMessagesCount).count, resolutionsCount: try await run(.resolutionsCount).count,
            replyTime: try await run(.replyTime).average.map(Self.decimal))
    }

    /// Open conversations now: the account's (`type=account`), or each agent's, most open first (`type=agent`).
    @Sendable func conversationMetrics(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.administrator(context)
        let query = request.uri.queryParameters
        switch query.get("type") ?? "" {
        case "account":
            let (all, unassigned) = try await self.reports.openConversations(account: caller.accountID)
            let open = all[0] ?? (0, 0)
            return try JSONAnswer.chatwoot.response(
                for: ChatwootAccountConversationMetrics(open: open.open, unattended: open.unattended, unassigned: unassigned))
        case "agent":
            let page = try max(1, Self.integer(query.get("page"), "page") ?? 1)
            var members = try await self.reports.members(account: caller.accountID, .agent)
            if let user = try Self.integer(query.get("user_id"), "user_id") { members = members.filter { $0 == user } }
            let ids = Array(members.dropFirst((page - 1) * Self.agentsPageSize).prefix(Self.agentsPageSize))
            let agents = try await self.users.agents(account: caller.accountID, ids: ids)
            let (counts, _) = try await self.reports.openConversations(account: caller.accountID, assignees: ids)
            let metrics = ids.compactMap { id in agents.first { $0.id == id } }.map { agent in
                let count = counts[agent.id] ?? (0, 0)
                return ChatwootAgentConversationMetrics(
                    id: agent.id, name: agent.name, email: agent.email, thumbnail: agent.thumbnail, availability: agent.availabilityStatus,
                    metric: .init(open: count.open, unattended: count.unattended))
            }
            // Most open first; equal counts keep the members' order.
            let sorted = metrics.enumerated().sorted { ($0.element.metric.open, -$0.offset) > ($1.element.metric.open, -$1.offset) }.map(\.element)
            return try JSONAnswer.chatwoot.response(for: sorted)
        case "": throw ServiceError(.unprocessableContent, message: "type can't be blank", field: "type")
        case let type: throw Self.invalid("type", type)
        }
    }

    /// Per agent, inbox or team: conversations created, resolutions and the average times of the range.
    func summaryReport(
        _ request: Request, context: AuthenticatedContext, _ grouping: ReportSQLRepository.Grouping
    ) async throws
        -> [ChatwootSummaryReportRow]
    {
        let caller = try await self.access.administrator(context)
        let range = try Self.range(request)
        let summaries = try await self.reports.summaries(
            account: caller.accountID, by: grouping, range: range, businessHours: Self.boolean(request.uri.queryParameters.get("business_hours")))
        return try await self.reports.members(account: caller.accountID, grouping).map { id in
            let summary = summaries[id] ?? .init()
            return ChatwootSummaryReportRow(
                id: id, conversationsCount: summary.conversations, resolvedConversationsCount: summary.resolved,
                avgResolutionTime: summary.resolution, avgFirstResponseTime: summary.firstResponse, avgReplyTime: summary.reply)
        }
    }

    /// Conversations of the range by channel type and status; a range over 6 months is a 400.
    @Sendable func channels(_ request: Request, context: AuthenticatedContext) async throws -> [String: ChatwootChannelSummary] {
        let caller = try await self.access.administrator(context)
        let range = try Self.range(request)
        if let since = range.since, let until = range.until, (until - since) / 86_400_000 > Self.channelRangeDays {
            throw ServiceError(.badRequest, message: "Date range cannot exceed 6 months")
        }
        return try await self.reports.channels(account: caller.accountID, range: range)
    }

    /// First responses of the range by channel type, in buckets of 0-1, 1-4, 4-8, 8-24 and over 24 hours.
    @Sendable func firstResponseDistribution(_ request: Request, context: AuthenticatedContext) async throws -> [String: ChatwootFirstResponseBuckets]
    {
        let caller = try await self.access.administrator(context)
        return try await self.reports.firstResponseDistribution(account: caller.accountID, range: try Self.range(request))
    }

    /// Conversations of the range in each inbox carrying each label.
    @Sendable func inboxLabelMatrix(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootInboxLabelMatrix {
        let caller = try await self.access.administrator(context)
        let range = try Self.range(request)
        return try await self.reports.inboxLabelMatrix(
            account: caller.accountID, range: range, inboxIDs: try Self.integers(request, "inbox_ids"),
            labelIDs: try Self.integers(request, "label_ids"))
    }

    /// Outgoing messages of the range by agent, team, inbox or label.
    @Sendable func outgoingMessages(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootOutgoingMessagesCount] {
        let caller = try await self.access.administrator(context)
        let range = try Self.range(request)
        let group = request.uri.queryParameters.get("group_by") ?? ""
        guard !group.isEmpty else { throw ServiceError(.unprocessableContent, message: "group_by can't be blank", field: "group_by") }
        guard ["agent", "team", "inbox", "label"].contains(group) else { throw Self.invalid("group_by", group) }
        return try await self.reports.outgoingMessages(account: caller.accountID, range: range, by: group)
    }

    // MARK: Parameters

    /// `type` and `id`: the account, or one of its agents, inboxes, labels or teams (another's, or none, a 404).
    private func scope(_ request: Request, _ caller: ChatwootCaller) async throws -> ReportSQLRepository.Scope {
        let query = request.uri.queryParameters
        let type = query.get("type") ?? ""
        guard type != "account" else { return .account }
        guard ["agent", "inbox", "label", "team"].contains(type) else {
            if type.isEmpty { throw ServiceError(.unprocessableContent, message: "type can't be blank", field: "type") }
            throw Self.invalid("type", type)
        }
        guard let text = query.get("id"), let id = Int(text) else { throw ChatwootRows.notFound }
        let scope: ReportSQLRepository.Scope
        switch type {
        case "agent": scope = .agent(id)
        case "inbox": scope = .inbox(id)
        case "team": scope = .team(id)
        default:
            guard let title = try await self.reports.label(account: caller.accountID, id: id) else { throw ChatwootRows.notFound }
            return .label(title)
        }
        guard try await self.reports.exists(account: caller.accountID, scope) else { throw ChatwootRows.notFound }
        return scope
    }

    private static func metric(_ text: String?) throws -> ReportSQLRepository.Metric {
        guard let text, !text.isEmpty else { throw ServiceError(.unprocessableContent, message: "metric can't be blank", field: "metric") }
        guard let metric = ReportSQLRepository.Metric(rawValue: text) else { throw Self.invalid("metric", text) }
        return metric
    }

    /// `since` and `until` in Unix seconds (whole or not) as milliseconds; both or neither, as Chatwoot's `range`.
    static func range(_ request: Request) throws -> ReportSQLRepository.Range {
        let query = request.uri.queryParameters
        func time(_ name: String) throws -> Int64? {
            guard let text = query.get(name), !text.isEmpty else { return nil }
            guard let seconds = Double(text), seconds.isFinite, abs(seconds) < 1e11 else {
                throw ServiceError(.badRequest, message: "\(name) must be a Unix timestamp, not '\(text.prefix(40))'", field: name)
            }
            return Int64((seconds * 1000).rounded())
        }
        let since = try time("since")
        let until = try time("until")
        guard let since, let until else { return .init() }
        return .init(since: since, until: until)
    }

    /// `timezone_offset` in hours as milliseconds.
    private static func offset(_ text: String?) throws -> Int64 {
        guard let text, !text.isEmpty else { return 0 }
        guard let hours = Double(text), abs(hours) <= 14 else {
            throw ServiceError(.badRequest, message: "timezone_offset must be a number of hours, not '\(text.prefix(40))'", field: "timezone_offset")
        }
        return Int64((hours * 3_600_000).rounded())
    }

    /// Rails' boolean cast: anything but false-like text is true; absent is false.
    private static func boolean(_ text: String?) -> Bool {
        guard let text, !text.isEmpty else { return false }
        return !["false", "0", "f", "off", "no", "n"].contains(text.lowercased())
    }

    private static func integer(_ text: String?, _ field: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw ServiceError(.badRequest, message: "\(field) must be an integer, not '\(text.prefix(40))'", field: field)
        }
        return value
    }

    /// `name[]=1&name[]=2`, `name=1,2`: ids; nil when none is given.
    private static func integers(_ request: Request, _ field: String) throws -> [Int]? {
        let query = request.uri.queryParameters
        let texts = (query.getAll("\(field)[]") + query.getAll(field)).flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        .filter { !$0.isEmpty }
        guard !texts.isEmpty else { return nil }
        return try texts.map { text in
            guard let value = Int(text) else {
                throw ServiceError(.badRequest, message: "\(field) must be integers, not '\(text.prefix(40))'", field: field)
            }
            return value
        }
    }

    private static func invalid(_ field: String, _ value: String) -> ServiceError {
        ServiceError(.unprocessableContent, message: "'\(value.prefix(40))' is not a valid \(field)", field: field)
    }

    /// An average as Chatwoot's JSON writes a decimal: a string (`"120.0"`).
    static func decimal(_ value: Double) -> String { String(value) }
}

/// A timeseries period (`group_by`), on times shifted into the report's time zone (epoch milliseconds).
enum Period: String, Sendable {
    case hour, day, week, month, year

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The start of the period of a bucket from SQL (hours for `hour`, days otherwise).
    func start(ofBucket bucket: Int64) -> Int64 {
        self == .hour ? bucket * 3_600_000 : self.start(of: bucket * 86_400_000)
    }

    /// The start of the period holding `time`; weeks start on Monday.
    func start(of time: Int64) -> Int64 {
        switch self {
        case .hour: return Self.floor(time, 3_600_000)
        case .day: return Self.floor(time, 86_400_000)
        case .week:
            // 1970-01-01 was a Thursday: Mondays are 3 days after the epoch's week boundaries.
            let monday: Int64 = 4 * 86_400_000
            return Self.floor(time - monday, 7 * 86_400_000) + monday
        case .month, .year:
            let date = Date(timeIntervalSince1970: Double(time) / 1000)
            let parts = Self.calendar.dateComponents([.year, .month], from: date)
            let start = Self.calendar.date(from: DateComponents(year: parts.year, month: self == .year ? 1 : parts.month, day: 1)) ?? date
            return Int64(start.timeIntervalSince1970 * 1000)
        }
    }

    /// The start of the next period.
    func next(_ start: Int64) -> Int64 {
        switch self {
        case .hour: return start + 3_600_000
        case .day: return start + 86_400_000
        case .week: return start + 7 * 86_400_000
        case .month, .year:
            let date = Date(timeIntervalSince1970: Double(start) / 1000)
            let next = Self.calendar.date(byAdding: self == .year ? .year : .month, value: 1, to: date) ?? date.addingTimeInterval(86_400 * 31)
            return Int64(next.timeIntervalSince1970 * 1000)
        }
    }

    private static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        let quotient = value / unit
        return (value % unit < 0 ? quotient - 1 : quotient) * unit
    }
}

import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Chatwoot's v2 reports on SQLite or PostgreSQL: conversations, messages and reporting events of an account counted
/// and summed in SQL (`GROUP BY` a period, an agent, an inbox, a team, a channel type or a label).
struct ReportSQLRepository: Sendable {
    let database: Database

    /// What a report is about (Chatwoot's `type` and `id`).
    enum Scope: Sendable, Equatable {
        case account
        case agent(Int)
        case inbox(Int)
        case team(Int)
        case label(String)
    }

    /// A time range in epoch milliseconds: from `since`, up to but not including `until` (Chatwoot's `since...until`).
    struct Range: Sendable {
        var since: Int64?
        var until: Int64?
    }

    /// The metrics of `GET /reports` (Chatwoot's `COUNT_METRICS` and `AVG_METRICS`).
    enum Metric: String, CaseIterable, Sendable {
        case conversationsCount = "conversations_count"
        case incomingMessagesCount = "incoming_messages_count"
        case outgoingMessagesCount = "outgoing_messages_count"
        case avgFirstResponseTime = "avg_first_response_time"
        case avgResolutionTime = "avg_resolution_time"
        case resolutionsCount = "resolutions_count"
        case replyTime = "reply_time"
        case botResolutionsCount = "bot_resolutions_count"
        case botHandoffsCount = "bot_handoffs_count"

        /// The reporting event the metric counts or averages.
        var event: String? {
            switch self {
            case .avgFirstResponseTime: ChatwootReporting.firstResponse
            case .avgResolutionTime, .resolutionsCount: ChatwootReporting.resolved
            case .replyTime: ChatwootReporting.replyTime
            case .botResolutionsCount: ChatwootReporting.botResolved
            case .botHandoffsCount: ChatwootReporting.botHandoff
            default: nil
            }
        }

        var isAverage: Bool { self == .avgFirstResponseTime || self == .avgResolutionTime || self == .replyTime }
    }

    /// A count (and for averages the sum of values) in one period, numbered from the epoch in the report's time zone.
    struct BucketRow: Codable, Sendable {
        var bucket: Int64
        var count: Int64
        var total: Double?
    }

    /// A count and sum under a key.
    private struct KeyedRow: Codable {
        var key: Int64?
        var name: String?
        var count: Int64
        var total: Double?
    }

    // MARK: Timeseries and totals

    /// The metric's events in each period of `unit` milliseconds, shifted by `offset` milliseconds (the time zone).
    func buckets(
        account: Int, scope: Scope, metric: Metric, range: Range, unit: Int64, offset: Int64, businessHours: Bool
    ) async throws
        -> [BucketRow]
    {
        try await self.database.readStatement { sql in
            let (query, time) = self.source(sql, account: account, scope: scope, metric: metric, range: range)
            let shifted = SQLGroupExpression(SQLBinaryExpression(time, .add, SQLLiteral.numeric(String(offset))))
            query.column(SQLAlias(SQLBinaryExpression(shifted, .divide, SQLLiteral.numeric(String(unit))), as: SQLIdentifier("bucket")))
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            if metric.isAverage {
                query.column(SQLFunction("SUM", args: SQLColumn(businessHours ? "value_in_business_hours" : "value")), as: "total")
            }
            return try await query.groupBy(SQLIdentifier("bucket")).orderBy(SQLIdentifier("bucket")).all(BucketRow.self)
        }
    }

    /// The metric over the whole range: how many, and for averages the mean (nil when nothing happened).
    func aggregate(account: Int, scope: Scope, metric: Metric, range: Range, businessHours: Bool) async throws -> (count: Int, average: Double?) {
        let row = try await self.database.readStatement { sql in
            let (query, _) = self.source(sql, account: account, scope: scope, metric: metric, range: range)
            query.column(SQLLiteral.numeric("0"), as: "bucket").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            if metric.isAverage {
                query.column(SQLFunction("SUM", args: SQLColumn(businessHours ? "value_in_business_hours" : "value")), as: "total")
            }
            return try await query.first(BucketRow.self)
        }
        let count = Int(row?.count ?? 0)
        return (count, count > 0 ? row?.total.map { $0 / Double(count) } : nil)
    }

    /// The rows a metric counts, narrowed to the account, the scope and the range, with the column that dates them.
    private func source(_ sql: any SQLDatabase, account: Int, scope: Scope, metric: Metric, range: Range) -> (SQLSelectBuilder, SQLColumn) {
        let table: String
        let query: SQLSelectBuilder
        switch metric {
        case .conversationsCount:
            table = "conversations"
            query = sql.select().from(table).where(SQLColumn("account_id", table: table), .equal, SQLBind(account))
            switch scope {
            case .account: break
            case .agent(let id): query.where(SQLColumn("assignee_id", table: table), .equal, SQLBind(id))
            case .inbox(let id): query.where(SQLColumn("inbox_id", table: table), .equal, SQLBind(id))
            case .team(let id): query.where(SQLColumn("team_id", table: table), .equal, SQLBind(id))
            case .label(let title): query.where(SQLColumn("id", table: table), .in, Self.labelled(title))
            }
        case .incomingMessagesCount, .outgoingMessagesCount:
            table = "messages"
            query = sql.select().from(table).where(SQLColumn("account_id", table: table), .equal, SQLBind(account))
                .where(
                    SQLColumn("message_type", table: table), .equal,
                    SQLBind(metric == .incomingMessagesCount ? MessageSQLRepository.incoming : MessageSQLRepository.outgoing))
            switch scope {
            case .account: break
            // An agent's messages are those they sent (Chatwoot's `user.messages`).
            case .agent(let id):
                query.where(SQLColumn("sender_type", table: table), .equal, SQLBind("User"))
                    .where(SQLColumn("sender_id", table: table), .equal, SQLBind(id))
            case .inbox(let id): query.where(SQLColumn("inbox_id", table: table), .equal, SQLBind(id))
            case .team(let id): query.where(SQLColumn("conversation_id", table: table), .in, Self.team(id, account: account))
            case .label(let title): query.where(SQLColumn("conversation_id", table: table), .in, Self.labelled(title))
            }
        default:
            table = "reporting_events"
            query = sql.select().from(table).where(SQLColumn("account_id", table: table), .equal, SQLBind(account))
                .where(SQLColumn("name", table: table), .equal, SQLBind(metric.event ?? ""))
            self.narrowEvents(query, scope: scope, account: account)
        }
        let time = SQLColumn("created_at", table: table)
        Self.within(query, time, range)
        return (query, time)
    }

    /// Reporting events of the scope: an agent's are theirs, a team's or label's those of its conversations.
    private func narrowEvents(_ query: SQLSelectBuilder, scope: Scope, account: Int) {
        let table = "reporting_events"
        switch scope {
        case .account: break
        case .agent(let id): query.where(SQLColumn("user_id", table: table), .equal, SQLBind(id))
        case .inbox(let id): query.where(SQLColumn("inbox_id", table: table), .equal, SQLBind(id))
        case .team(let id): query.where(SQLColumn("conversation_id", table: table), .in, Self.team(id, account: account))
        case .label(let title): query.where(SQLColumn("conversation_id", table: table), .in, Self.labelled(title))
        }
    }

    private static func labelled(_ title: String) -> any SQLExpression {
        SQLSubquery.select { $0.column("conversation_id").from("conversation_labels").where("label", .equal, title) }
    }

    private static func team(_ id: Int, account: Int) -> any SQLExpression {
        SQLSubquery.select { $0.column("id").from("conversations").where("account_id", .equal, account).where("team_id", .equal, id) }
    }

    private static func within(_ query: SQLSelectBuilder, _ time: SQLColumn, _ range: Range) {
        if let since = range.since { query.where(time, .greaterThanOrEqual, SQLBind(since)) }
        if let until = range.until { query.where(time, .lessThan, SQLBind(until)) }
    }

    // MARK: Summary reports

    /// Per agent, inbox or team (`summary_reports`).
    enum Grouping: Sendable {
        case agent, inbox, team
    }

    /// One row of a summary report, before rendering.
    struct Summary: Sendable {
        var conversations = 0
        var resolved = 0
        var resolution: Double?
        var firstResponse: Double?
        var reply: Double?
    }

    /// Conversations created in the range, and resolutions, first responses and replies of the range, under each key.
    func summaries(account: Int, by grouping: Grouping, range: Range, businessHours: Bool) async throws -> [Int: Summary] {
        try await self.database.read { tx in
            let conversationKey: String
            switch grouping {
            case .agent: conversationKey = "assignee_id"
            case .inbox: conversationKey = "inbox_id"
            case .team: conversationKey = "team_id"
            }
            let conversations = tx.sql.select().column(SQLColumn(conversationKey, table: "conversations"), as: "key")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversations")
                .where(SQLColumn("account_id", table: "conversations"), .equal, SQLBind(account))
            Self.within(conversations, SQLColumn("created_at", table: "conversations"), range)
            var summaries: [Int: Summary] = [:]
            for row in try await conversations.groupBy(SQLColumn(conversationKey, table: "conversations")).all(KeyedRow.self) {
                guard let key = row.key else { continue }
                summaries[Int(key), default: Summary()].conversations = Int(row.count)
            }
            let events = tx.sql.select().from("reporting_events")
            let eventKey: SQLColumn
            switch grouping {
            case .agent: eventKey = SQLColumn("user_id", table: "reporting_events")
            case .inbox: eventKey = SQLColumn("inbox_id", table: "reporting_events")
            case .team:
                // A team's events are those of its conversations (Chatwoot groups by `conversations.team_id`).
                eventKey = SQLColumn("team_id", table: "conversations")
                events.join(
                    SQLIdentifier("conversations"), on: SQLColumn("id", table: "conversations"), .equal,
                    SQLColumn("conversation_id", table: "reporting_events"))
            }
            events.column(eventKey, as: "key").column(SQLColumn("name", table: "reporting_events"), as: "name")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .column(
                    SQLFunction("SUM", args: SQLColumn(businessHours ? "value_in_business_hours" : "value", table: "reporting_events")), as: "total"
                )
                .where(SQLColumn("account_id", table: "reporting_events"), .equal, SQLBind(account))
                .where(
                    SQLColumn("name", table: "reporting_events"), .in,
                    SQLGroupExpression(
                        [ChatwootReporting.resolved, ChatwootReporting.firstResponse, ChatwootReporting.replyTime].map { SQLBind($0) }))
            Self.within(events, SQLColumn("created_at", table: "reporting_events"), range)
            for row in try await events.groupBy(eventKey).groupBy(SQLColumn("name", table: "reporting_events")).all(KeyedRow.self) {
                guard let key = row.key, row.count > 0 else { continue }
                let average = (row.total ?? 0) / Double(row.count)
                switch row.name {
                case ChatwootReporting.resolved:
                    summaries[Int(key), default: Summary()].resolved = Int(row.count)
                    summaries[Int(key), default: Summary()].resolution = average
                case ChatwootReporting.firstResponse: summaries[Int(key), default: Summary()].firstResponse = average
                default: summaries[Int(key), default: Summary()].reply = average
                }
            }
            return summaries
        }
    }

    /// The ids of the account's agents, inboxes or teams, in Chatwoot's order (by id; agents by membership).
    func members(account: Int, _ grouping: Grouping) async throws -> [Int] {
        try await self.database.readStatement { sql in
            switch grouping {
            case .agent:
                return try await sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account)
                    .orderBy("created_at").orderBy("user_id").all(IDRow.self).map { Int($0.id) }
            case .inbox, .team:
                return try await sql.select().column("id").from(grouping == .inbox ? "inboxes" : "teams").where("account_id", .equal, account)
                    .orderBy("id").all(IDRow.self).map { Int($0.id) }
            }
        }
    }

    /// Conversations created in the range by channel type and status (`summary_reports/channel`).
    func channels(account: Int, range: Range) async throws -> [String: ChatwootChannelSummary] {
        let rows = try await self.database.readStatement { sql in
            let query = sql.select().column(SQLColumn("channel_type", table: "inboxes"), as: "name")
                .column(SQLColumn("status", table: "conversations"), as: "status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("conversations").join(
                    SQLIdentifier("inboxes"), on: SQLColumn("id", table: "inboxes"), .equal, SQLColumn("inbox_id", table: "conversations")
                )
                .where(SQLColumn("account_id", table: "conversations"), .equal, SQLBind(account))
            Self.within(query, SQLColumn("created_at", table: "conversations"), range)
            return try await query.groupBy(SQLColumn("channel_type", table: "inboxes")).groupBy(SQLColumn("status", table: "conversations"))
                .all(StatusRow.self)
        }
        return Dictionary(grouping: rows, by: \.name).mapValues { rows in
            func count(_ status: String) -> Int { Int(rows.first { $0.status == status }?.count ?? 0) }
            return ChatwootChannelSummary(open: count("open"), resolved: count("resolved"), pending: count("pending"), snoozed: count("snoozed"))
        }
    }

    private struct StatusRow: Codable {
        var name: String
        var status: String
        var count: Int64
    }

    /// First responses of the range by channel type and how long they took (`first_response_time_distribution`).
    func firstResponseDistribution(account: Int, range: Range) async throws -> [String: ChatwootFirstResponseBuckets] {
        let bounds: [Int64] = [3600, 14400, 28800, 86400]
        let rows = try await self.database.readStatement { sql in
            let query = sql.select().column(SQLColumn("channel_type", table: "inboxes"), as: "name")
                .column(SQLAlias(ValueBucket(value: SQLColumn("value", table: "reporting_events"), bounds: bounds), as: SQLIdentifier("key")))
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("reporting_events")
                .join(SQLIdentifier("inboxes"), on: SQLColumn("id", table: "inboxes"), .equal, SQLColumn("inbox_id", table: "reporting_events"))
                .where(SQLColumn("account_id", table: "reporting_events"), .equal, SQLBind(account))
                .where(SQLColumn("name", table: "reporting_events"), .equal, SQLBind(ChatwootReporting.firstResponse))
            Self.within(query, SQLColumn("created_at", table: "reporting_events"), range)
            return try await query.groupBy(SQLColumn("channel_type", table: "inboxes")).groupBy(SQLIdentifier("key")).all(KeyedRow.self)
        }
        var result: [String: [Int]] = [:]
        for row in rows {
            guard let name = row.name, let key = row.key, (0...4).contains(key) else { continue }
            result[name, default: [0, 0, 0, 0, 0]][Int(key)] += Int(row.count)
        }
        return result.mapValues {
            ChatwootFirstResponseBuckets(
                underOneHour: $0[0], oneToFourHours: $0[1], fourToEightHours: $0[2], eightToTwentyFourHours: $0[3], overTwentyFourHours: $0[4])
        }
    }

    /// The account's inboxes (by name) and labels (by title), narrowed to `inboxIDs` and `labelIDs` when given, and the
    /// conversations of the range in each inbox carrying each label (`inbox_label_matrix`).
    func inboxLabelMatrix(account: Int, range: Range, inboxIDs: [Int]?, labelIDs: [Int]?) async throws -> ChatwootInboxLabelMatrix {
        try await self.database.read { tx in
            let inboxQuery = tx.sql.select().columns("id", "name").from("inboxes").where("account_id", .equal, account)
            if let inboxIDs { inboxQuery.where("id", .in, inboxIDs.isEmpty ? [-1] : inboxIDs) }
            let inboxes = try await inboxQuery.orderBy("name").orderBy("id").all(NamedRow.self)
            let labelQuery = tx.sql.select().column("id").column("title", as: "name").from("labels").where("account_id", .equal, account)
            if let labelIDs { labelQuery.where("id", .in, labelIDs.isEmpty ? [-1] : labelIDs) }
            let labels = try await labelQuery.orderBy("title").all(NamedRow.self)
            var counts: [String: Int] = [:]
            if !labels.isEmpty, !inboxes.isEmpty {
                let query = tx.sql.select().column(SQLColumn("inbox_id", table: "conversations"), as: "key")
                    .column(SQLColumn("label", table: "conversation_labels"), as: "name").column(
                        SQLFunction("COUNT", args: SQLLiteral.all), as: "count"
                    )
                    .from("conversation_labels")
                    .join(
                        SQLIdentifier("conversations"), on: SQLColumn("id", table: "conversations"), .equal,
                        SQLColumn("conversation_id", table: "conversation_labels")
                    )
                    .where(SQLColumn("account_id", table: "conversations"), .equal, SQLBind(account))
                    .where(SQLColumn("inbox_id", table: "conversations"), .in, SQLGroupExpression(inboxes.map { SQLBind($0.id) }))
                    .where(SQLColumn("label", table: "conversation_labels"), .in, SQLGroupExpression(labels.map { SQLBind($0.name) }))
                Self.within(query, SQLColumn("created_at", table: "conversations"), range)
                for row in try await query.groupBy(SQLColumn("inbox_id", table: "conversations"))
                    .groupBy(SQLColumn("label", table: "conversation_labels")).all(KeyedRow.self)
                {
                    counts["\(row.key ?? 0) \(row.name ?? "")"] = Int(row.count)
                }
            }
            return ChatwootInboxLabelMatrix(
                inboxes: inboxes.map { .init(id: $0.id, name: $0.name) }, labels: labels.map { .init(id: $0.id, title: $0.name) },
                matrix: inboxes.map { inbox in labels.map { counts["\(inbox.id) \($0.name)"] ?? 0 } })
        }
    }

    private struct NamedRow: Codable {
        var id: Int
        var name: String
    }

    /// Outgoing messages of the range by the conversation's assignee (bots' messages left out), team, inbox or label.
    func outgoingMessages(account: Int, range: Range, by group: String) async throws -> [ChatwootOutgoingMessagesCount] {
        try await self.database.read { tx in
            let messages = "messages"
            let query = tx.sql.select().from(messages).where(SQLColumn("account_id", table: messages), .equal, SQLBind(account))
                .where(SQLColumn("message_type", table: messages), .equal, SQLBind(MessageSQLRepository.outgoing))
            Self.within(query, SQLColumn("created_at", table: messages), range)
            let joinConversations = {
                _ = query.join(
                    SQLIdentifier("conversations"), on: SQLColumn("id", table: "conversations"), .equal, SQLColumn("conversation_id", table: messages)
                )
            }
            let key: SQLColumn
            let names: String?
            switch group {
            case "agent":
                joinConversations()
                key = SQLColumn("assignee_id", table: "conversations")
                query.where(key, .isNot, SQLLiteral.null).where(
                    SQLFunction("COALESCE", args: SQLColumn("sender_type", table: messages), SQLLiteral.string("")), .notEqual,
                    SQLBind("AgentBot"))
                names = "users"
            case "team":
                joinConversations()
                key = SQLColumn("team_id", table: "conversations")
                query.where(key, .isNot, SQLLiteral.null)
                names = "teams"
            case "inbox":
                key = SQLColumn("inbox_id", table: messages)
                names = "inboxes"
            default:
                // By label: the conversation's labels, with the account's label ids.
                query.join(
                    SQLIdentifier("conversation_labels"), on: SQLColumn("conversation_id", table: "conversation_labels"), .equal,
                    SQLColumn("conversation_id", table: messages))
                let rows = try await query.column(SQLColumn("label", table: "conversation_labels"), as: "name")
                    .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").groupBy(SQLColumn("label", table: "conversation_labels"))
                    .orderBy(SQLColumn("label", table: "conversation_labels")).all(KeyedRow.self)
                let ids = try await tx.sql.select().column("id").column("title", as: "name").from("labels").where("account_id", .equal, account)
                    .where("title", .in, rows.compactMap(\.name)).all(NamedRow.self)
                return rows.map { row in
                    ChatwootOutgoingMessagesCount(id: ids.first { $0.name == row.name }?.id, name: row.name, outgoingMessagesCount: Int(row.count))
                }
            }
            let rows = try await query.column(key, as: "key").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").groupBy(key)
                .orderBy(key).all(KeyedRow.self)
            let ids = rows.compactMap(\.key).map { Int($0) }
            let named = try await tx.sql.select().column("id").column("name").from(names ?? "users").where("id", .in, ids.isEmpty ? [-1] : ids)
                .all(NamedRow.self)
            return rows.compactMap { row in
                guard let key = row.key else { return nil }
                return ChatwootOutgoingMessagesCount(
                    id: Int(key), name: named.first { $0.id == Int(key) }?.name, outgoingMessagesCount: Int(row.count))
            }
        }
    }

    // MARK: Live conversation metrics

    /// Open conversations now: all, unattended (no first reply yet, or a contact waiting), unassigned; under `assignee`
    /// when given (Chatwoot's `live_conversations`).
    func openConversations(account: Int, assignees: [Int]? = nil) async throws -> (all: [Int: (open: Int, unattended: Int)], unassigned: Int) {
        try await self.database.read { tx in
            func open() -> SQLSelectBuilder {
                let query = tx.sql.select().from("conversations").where("account_id", .equal, account).where("status", .equal, "open")
                if let assignees { query.where("assignee_id", .in, assignees.isEmpty ? [-1] : assignees) }
                return query
            }
            let key: any SQLExpression = assignees == nil ? SQLLiteral.numeric("0") as any SQLExpression : SQLColumn("assignee_id")
            var result: [Int: (open: Int, unattended: Int)] = [:]
            let all = open().column(key, as: "key").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            for row in try await (assignees == nil ? all : all.groupBy("assignee_id")).all(KeyedRow.self) {
                result[Int(row.key ?? 0), default: (0, 0)].open = Int(row.count)
            }
            let unattended = open().where(group: {
                $0.where("first_reply_created_at", .is, SQLLiteral.null).orWhere("waiting_since", .isNot, SQLLiteral.null)
            })
            .column(key, as: "key").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            for row in try await (assignees == nil ? unattended : unattended.groupBy("assignee_id")).all(KeyedRow.self) {
                result[Int(row.key ?? 0), default: (0, 0)].unattended = Int(row.count)
            }
            var unassigned = 0
            if assignees == nil {
                unassigned = Int(
                    try await open().where("assignee_id", .is, SQLLiteral.null).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                        .first(CountRow.self)?.count ?? 0)
            }
            return (result, unassigned)
        }
    }

    // MARK: Reporting events

    /// A reporting event row.
    struct EventRow: Codable, Sendable {
        var id: Int
        var accountId: Int
        var inboxId: Int?
        var userId: Int?
        var conversationId: Int?
        var name: String
        var value: Double
        var valueInBusinessHours: Double
        var eventStartTime: Int64
        var eventEndTime: Int64
        var createdAt: Int64
        var updatedAt: Int64

        var event: ChatwootReportingEvent {
            ChatwootReportingEvent(
                id: self.id, name: self.name, value: self.value, valueInBusinessHours: self.valueInBusinessHours,
                eventStartTime: ChatwootRows.iso(self.eventStartTime), eventEndTime: ChatwootRows.iso(self.eventEndTime), accountId: self.accountId,
                conversationId: self.conversationId, inboxId: self.inboxId, userId: self.userId, createdAt: ChatwootRows.iso(self.createdAt),
                updatedAt: ChatwootRows.iso(self.updatedAt))
        }
    }

    static let eventColumns = [
        "id", "account_id", "inbox_id", "user_id", "conversation_id", "name", "value", "value_in_business_hours", "event_start_time",
        "event_end_time", "created_at", "updated_at",
    ]

    /// What the account's event list is narrowed to.
    struct EventFilters: Sendable {
        var range = Range()
        var inboxID: Int?
        var userID: Int?
        var name: String?
    }

    /// One page of the account's reporting events, newest first, and how many match.
    func events(account: Int, _ filters: EventFilters, page: Int, size: Int) async throws -> (rows: [EventRow], total: Int) {
        try await self.database.read { tx in
            func filtered() -> SQLSelectBuilder {
                let query = tx.sql.select().from("reporting_events").where("account_id", .equal, account)
                Self.within(query, SQLColumn("created_at", table: "reporting_events"), filters.range)
                if let inbox = filters.inboxID { query.where("inbox_id", .equal, inbox) }
                if let user = filters.userID { query.where("user_id", .equal, user) }
                if let name = filters.name { query.where("name", .equal, name) }
                return query
            }
            let total = try await filtered().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").first(CountRow.self)
            let rows = try await filtered().columns(Self.eventColumns).orderBy("created_at", .descending).orderBy("id", .descending).limit(size)
                .offset((page - 1) * size).all(EventRow.self)
            return (rows, Int(total?.count ?? 0))
        }
    }

    /// A conversation's reporting events, oldest first.
    func events(conversation: Int) async throws -> [EventRow] {
        try await self.database.readStatement { sql in
            try await sql.select().columns(Self.eventColumns).from("reporting_events").where("conversation_id", .equal, conversation)
                .orderBy("created_at").orderBy("id").all(EventRow.self)
        }
    }

    // MARK: Lookups

    /// Whether the account has the agent, inbox or team; a label's title by its id.
    func exists(account: Int, _ scope: Scope) async throws -> Bool {
        try await self.database.readStatement { sql in
            switch scope {
            case .account, .label: return true
            case .agent(let id):
                return try await sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account)
                    .where("user_id", .equal, id).first(IDRow.self) != nil
            case .inbox(let id):
                return try await sql.select().column("id").from("inboxes").where("account_id", .equal, account).where("id", .equal, id)
                    .first(IDRow.self) != nil
            case .team(let id):
                return try await sql.select().column("id").from("teams").where("account_id", .equal, account).where("id", .equal, id)
                    .first(IDRow.self) != nil
            }
        }
    }

    /// The title of the account's label `id`.
    func label(account: Int, id: Int) async throws -> String? {
        try await self.database.readStatement { sql in
            try await sql.select().column("id").column("title", as: "name").from("labels").where("account_id", .equal, account)
                .where("id", .equal, id).first(NamedRow.self)?.name
        }
    }
}

/// `CASE WHEN value < b1 THEN 0 WHEN value < b2 THEN 1 … ELSE n END`: which of the ranges cut at `bounds` holds `value`
/// (literal bounds, so the expression groups the same on both engines).
struct ValueBucket: SQLExpression {
    let value: any SQLExpression
    let bounds: [Int64]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE")
        for (index, bound) in self.bounds.enumerated() {
            serializer.write(" WHEN ")
            self.value.serialize(to: &serializer)
            serializer.write(" < ")
            SQLLiteral.numeric(String(bound)).serialize(to: &serializer)
            serializer.write(" THEN ")
            SQLLiteral.numeric(String(index)).serialize(to: &serializer)
        }
        serializer.write(" ELSE ")
        SQLLiteral.numeric(String(self.bounds.count)).serialize(to: &serializer)
        serializer.write(" END")
    }
}

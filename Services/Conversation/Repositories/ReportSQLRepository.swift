import SQLKit
import ServiceKit
import WireModels

/// How a report's counts are grouped: one group, time buckets of the event, or the agent, department or channel the
/// event is counted for.
enum ReportGrouping: Sendable {
    case whole
    case time(ReportBuckets)
    case agent, department, channel
}

/// The columns of one kind of event (decision 281): when it happened and whom it is counted for. Creations and
/// messages count for the conversation's assignee now, status changes for the assignee at the change, agent replies
/// for the agent who replied; the channel is the conversation's.
struct ReportColumns: Sendable {
    var time, agent, department, channel: SQLColumn

    static func conversation(_ name: String) -> SQLColumn { SQLColumn(name, table: "conversations") }
    static func change(_ name: String) -> SQLColumn { SQLColumn(name, table: "conversation_status_changes") }
    static func message(_ name: String) -> SQLColumn { SQLColumn(name, table: "conversation_messages") }

    static let created = ReportColumns(
        time: conversation("created_time"), agent: conversation("assigned_agent_id"), department: conversation("assigned_department_id"),
        channel: conversation("channel_id"))
    static let statusChange = ReportColumns(
        time: change("time"), agent: change("agent_id"), department: change("department_id"), channel: conversation("channel_id"))
    static let agentReply = ReportColumns(
        time: message("time"), agent: message("sender_id"), department: conversation("assigned_department_id"), channel: conversation("channel_id"))
    static let messages = ReportColumns(
        time: message("time"), agent: conversation("assigned_agent_id"), department: conversation("assigned_department_id"),
        channel: conversation("channel_id"))

    /// The text each event is grouped under: a bucket number from 1, a member id (`""` for none), or `"1"` for all.
    func key(_ grouping: ReportGrouping) -> any SQLExpression {
        switch grouping {
        case .whole: SQLCast(SQLLiteral.numeric("1"), as: "TEXT")
        case .time(let buckets): SQLCast(SQLBucketNumber(time: self.time, bounds: Array(buckets.bounds.dropFirst().dropLast())), as: "TEXT")
        case .agent: SQLCast(SQLFunction("COALESCE", args: self.agent, SQLLiteral.string("")), as: "TEXT")
        case .department: SQLCast(SQLFunction("COALESCE", args: self.department, SQLLiteral.string("")), as: "TEXT")
        case .channel: SQLCast(self.channel, as: "TEXT")
        }
    }
}

/// `CASE WHEN time < b1 THEN 1 WHEN time < b2 THEN 2 … ELSE n END`: the bucket of `time` in a range cut at `bounds`.
struct SQLBucketNumber: SQLExpression {
    let time: any SQLExpression
    let bounds: [Int64]

    func serialize(to serializer: inout SQLSerializer) {
        guard !self.bounds.isEmpty else { return SQLLiteral.numeric("1").serialize(to: &serializer) }
        serializer.write("CASE")
        for (index, bound) in self.bounds.enumerated() {
            serializer.write(" WHEN ")
            self.time.serialize(to: &serializer)
            serializer.write(" < ")
            SQLBind(bound).serialize(to: &serializer)
            serializer.write(" THEN ")
            SQLLiteral.numeric(String(index + 1)).serialize(to: &serializer)
        }
        serializer.write(" ELSE ")
        SQLLiteral.numeric(String(self.bounds.count + 1)).serialize(to: &serializer)
        serializer.write(" END")
    }
}

/// A count under a report key (and, for the channel report, a channel).
struct ReportCount: Codable, Sendable {
    var reportKey: String
    var channel: String?
    var count: Int64
}

/// The reports' reads (spec §5.22): counts grouped in SQL over the site's conversations in use, their status changes,
/// messages and SLA outcomes. Each read is scoped by the site and the report's view.
struct ReportSQLRepository {
    let sql: any SQLDatabase

    private static func conversation(_ name: String) -> SQLColumn { ReportColumns.conversation(name) }
    private static func change(_ name: String) -> SQLColumn { ReportColumns.change(name) }
    private static func message(_ name: String) -> SQLColumn { ReportColumns.message(name) }

    /// Only the site's conversations in use that the view selects.
    private func scope(_ select: SQLSelectBuilder, site: String, view: ReportView) -> SQLSelectBuilder {
        let column = Self.conversation
        select.where(column("site_id"), .equal, SQLBind(site)).where(column("is_deleted"), .equal, SQLBind(false))
        guard let value = view.value else { return select }
        switch view.kind {
        case .site: break
        case .agent: select.where(column("assigned_agent_id"), .equal, SQLBind(value))
        case .department: select.where(column("assigned_department_id"), .equal, SQLBind(value))
        case .channel: select.where(column("channel_id"), .equal, SQLBind(value))
        case .account:
            let message = Self.message
            select.where(
                SQLExists {
                    $0.from("conversation_messages").where(message("conversation_id"), .equal, column("id"))
                        .where(message("channel_account_id"), .equal, SQLBind(value))
                })
        }
        return select
    }

    private func counts(
        _ select: SQLSelectBuilder, key: any SQLExpression, count: any SQLExpression, byChannel: SQLColumn? = nil
    ) async throws
        -> [ReportCount]
    {
        select.column(key, as: "report_key").column(count, as: "count").groupBy("report_key")
        if let byChannel { select.column(byChannel, as: "channel").groupBy("channel") }
        return try await select.all(ReportCount.self)
    }

    private static func total(_ counts: [ReportCount]) -> [String: Int64] {
        counts.reduce(into: [:]) { $0[$1.reportKey, default: 0] += $1.count }
    }

    private static let countAll = SQLFunction("COUNT", args: SQLLiteral.all)
    /// `(contact, visitor)`: who writes a conversation's received messages.
    private static var contactSenders: SQLGroupExpression {
        SQLGroupExpression([SQLBind(AnytimeActorType.contact.rawValue), SQLBind(AnytimeActorType.visitor.rawValue)])
    }
    private static func countDistinct(_ column: SQLColumn) -> SQLFunction { SQLFunction("COUNT", args: SQLDistinct(column)) }

    // MARK: Events in a range

    /// Conversations created in `[from, to)`.
    /// With `openOnly`, those created in a status other than `closed`.
    func created(
        site: String, view: ReportView, from: Int64, to: Int64, by grouping: ReportGrouping, openOnly: Bool = false
    ) async throws
        -> [String: Int64]
    {
        let columns = ReportColumns.created
        let select = self.scope(self.sql.select().from("conversations"), site: site, view: view)
            .where(columns.time, .greaterThanOrEqual, SQLBind(from)).where(columns.time, .lessThan, SQLBind(to))
        if openOnly { select.where(Self.initialStatus, .notEqual, SQLBind(AnytimeStatus.closed.rawValue)) }
        return Self.total(try await self.counts(select, key: columns.key(grouping), count: Self.countAll))
    }

    /// The status a conversation was created in: the one its first change left, or with none the one it has.
    private static var initialStatus: SQLFunction {
        let first = SQLSubquery.select {
            $0.column(change("from_status")).from("conversation_status_changes").where(change("conversation_id"), .equal, conversation("id"))
                .orderBy(change("time")).orderBy(change("id")).limit(1)
        }
        return SQLFunction("COALESCE", args: first, conversation("status"))
    }

    /// Changes into `closed` (or, with `reopened`, out of it) in `[from, to)`: each change, or with `distinct` each
    /// conversation once.
    func statusChanges(
        reopened: Bool, distinct: Bool, site: String, view: ReportView, from: Int64, to: Int64, by grouping: ReportGrouping
    ) async throws -> [String: Int64] {
        let (columns, change) = (ReportColumns.statusChange, Self.change)
        let select = self.scope(
            self.sql.select().from("conversation_status_changes").join(
                "conversations", on: Self.conversation("id"), .equal, change("conversation_id")), site: site, view: view
        )
        .where(change("site_id"), .equal, SQLBind(site))
        .where(change(reopened ? "from_status" : "to_status"), .equal, SQLBind(AnytimeStatus.closed.rawValue))
        .where(columns.time, .greaterThanOrEqual, SQLBind(from)).where(columns.time, .lessThan, SQLBind(to))
        let count = distinct ? Self.countDistinct(change("conversation_id")) : Self.countAll
        return Self.total(try await self.counts(select, key: columns.key(grouping), count: count))
    }

    /// The site's messages of a kind in `[from, to)` joined with their conversations.
    private func messages(_ kind: ReportMessageKind, site: String, view: ReportView, from: Int64, to: Int64) -> SQLSelectBuilder {
        let message = Self.message
        let select = self.scope(
            self.sql.select().from("conversation_messages").join("conversations", on: Self.conversation("id"), .equal, message("conversation_id")),
            site: site, view: view
        )
        .where(message("site_id"), .equal, SQLBind(site)).where(message("type"), .equal, SQLBind(AnytimeMessageType.message.rawValue))
        .where(message("time"), .greaterThanOrEqual, SQLBind(from)).where(message("time"), .lessThan, SQLBind(to))
        switch kind {
        case .agent: select.where(message("sender_type"), .equal, SQLBind(AnytimeActorType.agent.rawValue))
        case .contact:
            select.where(message("sender_type"), .in, Self.contactSenders)
        case .any: break
        }
        return select
    }

    /// Conversations with an agent reply (a `message`, not a note, and not the message an agent opened the conversation
    /// with) in `[from, to)`.
    func replied(site: String, view: ReportView, from: Int64, to: Int64, by grouping: ReportGrouping) async throws -> [String: Int64] {
        let select = self.messages(.agent, site: site, view: view, from: from, to: to).where(Self.message("position"), .greaterThan, SQLBind(0))
        return Self.total(
            try await self.counts(select, key: ReportColumns.agentReply.key(grouping), count: Self.countDistinct(Self.message("conversation_id"))))
    }

    /// Messages (not notes) of `kind` in `[from, to)`, or with `conversations` the conversations that have one.
    func messageCounts(
        _ kind: ReportMessageKind, conversations: Bool = false, site: String, view: ReportView, from: Int64, to: Int64, by grouping: ReportGrouping
    ) async throws -> [String: Int64] {
        let select = self.messages(kind, site: site, view: view, from: from, to: to)
        let count = conversations ? Self.countDistinct(Self.message("conversation_id")) : Self.countAll
        return Self.total(try await self.counts(select, key: ReportColumns.messages.key(grouping), count: count))
    }

    /// Messages (not notes, both directions) in `[from, to)` per key and message channel.
    func channelMessages(site: String, view: ReportView, from: Int64, to: Int64, by grouping: ReportGrouping) async throws -> [ReportCount] {
        let select = self.messages(.any, site: site, view: view, from: from, to: to)
        return try await self.counts(select, key: ReportColumns.messages.key(grouping), count: Self.countAll, byChannel: Self.message("channel_id"))
    }

    // MARK: State at an instant

    /// Conversations open at `instant` (created before it and not closed then), grouped by their assignee or channel
    /// now. A conversation with no status change since `instant` had its status now; one with changes had the status
    /// its first change since then left. So: open now, less those of them changed since, plus those changed since that
    /// were open then; only the few changed since are looked at one by one.
    func open(at instant: Int64, site: String, view: ReportView, by grouping: ReportGrouping) async throws -> [String: Int64] {
        let (conversation, change) = (Self.conversation, Self.change)
        let whole: ReportGrouping = if case .time = grouping { .whole } else { grouping }
        let key = ReportColumns.created.key(whole)
        let closed = SQLBind(AnytimeStatus.closed.rawValue)
        func createdBefore() -> SQLSelectBuilder {
            self.scope(self.sql.select().from("conversations"), site: site, view: view).where(
                conversation("created_time"), .lessThan, SQLBind(instant))
        }
        let changedSince = SQLSubquery.select {
            $0.column(change("conversation_id")).from("conversation_status_changes").where(change("site_id"), .equal, SQLBind(site))
                .where(change("time"), .greaterThanOrEqual, SQLBind(instant))
        }
        let statusThen = SQLSubquery.select {
            $0.column(change("from_status")).from("conversation_status_changes").where(change("conversation_id"), .equal, conversation("id"))
                .where(change("time"), .greaterThanOrEqual, SQLBind(instant)).orderBy(change("time")).orderBy(change("id")).limit(1)
        }
        let openNow = try await self.counts(createdBefore().where(conversation("status"), .notEqual, closed), key: key, count: Self.countAll)
        let changedOpenNow = try await self.counts(
            createdBefore().where(conversation("status"), .notEqual, closed).where(conversation("id"), .in, changedSince), key: key,
            count: Self.countAll)
        let changedOpenThen = try await self.counts(
            createdBefore().where(conversation("id"), .in, changedSince).where(statusThen, .notEqual, closed), key: key, count: Self.countAll)
        var open = Self.total(openNow)
        for count in changedOpenNow { open[count.reportKey, default: 0] -= count.count }
        for count in changedOpenThen { open[count.reportKey, default: 0] += count.count }
        return open.filter { $0.value != 0 }
    }

    /// The site's open conversations now by key, status and priority, and (as status `""`) those without an agent.
    func openNow(site: String, view: ReportView, by grouping: ReportGrouping) async throws -> [OpenCount] {
        let conversation = Self.conversation
        let key = ReportColumns.created.key(grouping)
        let select = self.scope(self.sql.select().from("conversations"), site: site, view: view)
            .where(conversation("status"), .notEqual, SQLBind(AnytimeStatus.closed.rawValue))
            .column(key, as: "report_key").column(conversation("status")).column(conversation("priority")).column(Self.countAll, as: "count")
            .groupBy("report_key").groupBy(conversation("status")).groupBy(conversation("priority"))
        let unassigned = self.scope(self.sql.select().from("conversations"), site: site, view: view)
            .where(conversation("status"), .notEqual, SQLBind(AnytimeStatus.closed.rawValue))
            .where(conversation("assigned_agent_id"), .is, SQLLiteral.null)
        let unassignedCounts = try await self.counts(unassigned, key: key, count: Self.countAll)
        return try await select.all(OpenCount.self)
            + unassignedCounts.map { OpenCount(reportKey: $0.reportKey, status: "", priority: "", count: $0.count) }
    }

    // MARK: Efficiency and SLA

    /// The first agent reply of each contact-started conversation whose first reply is in `[from, to)`.
    func firstReplies(site: String, view: ReportView, from: Int64, to: Int64) async throws -> [FirstReplyRow] {
        let (conversation, message) = (Self.conversation, Self.message)
        let first = SQLFunction("MIN", args: message("time"))
        let columns = ["id", "created_time", "assigned_agent_id", "assigned_department_id", "channel_id"].map(conversation)
        let select = self.scope(
            self.sql.select().from("conversation_messages").join("conversations", on: conversation("id"), .equal, message("conversation_id")),
            site: site, view: view
        )
        .where(message("site_id"), .equal, SQLBind(site)).where(message("type"), .equal, SQLBind(AnytimeMessageType.message.rawValue))
        .where(message("sender_type"), .equal, SQLBind(AnytimeActorType.agent.rawValue)).where(message("time"), .lessThan, SQLBind(to))
        .where(conversation("created_by_type"), .in, Self.contactSenders)
        // Only conversations with an agent reply in the range can have their first one there.
        let repliedInRange = SQLSubquery.select {
            $0.column(message("conversation_id")).from("conversation_messages").where(message("site_id"), .equal, SQLBind(site))
                .where(message("time"), .greaterThanOrEqual, SQLBind(from)).where(message("time"), .lessThan, SQLBind(to))
                .where(message("sender_type"), .equal, SQLBind(AnytimeActorType.agent.rawValue))
        }
        select.where(message("conversation_id"), .in, repliedInRange)
        for column in columns { select.column(column).groupBy(column) }
        select.column(first, as: "first_reply").having(first, .greaterThanOrEqual, SQLBind(from))
        return try await select.all(FirstReplyRow.self)
    }

    /// Every message (not a note) of the conversations with a contact message in `[from, to)`, in order, with whom the
    /// conversation is counted for.
    func conversationMessages(site: String, view: ReportView, from: Int64, to: Int64) async throws -> [TimelineRow] {
        let (conversation, message) = (Self.conversation, Self.message)
        let waiting = SQLSubquery.select {
            $0.column(message("conversation_id")).from("conversation_messages").where(message("site_id"), .equal, SQLBind(site))
                .where(message("time"), .greaterThanOrEqual, SQLBind(from)).where(message("time"), .lessThan, SQLBind(to))
                .where(message("sender_type"), .in, Self.contactSenders)
        }
        let select = self.scope(
            self.sql.select().from("conversation_messages").join("conversations", on: conversation("id"), .equal, message("conversation_id")),
            site: site, view: view
        )
        .where(message("type"), .equal, SQLBind(AnytimeMessageType.message.rawValue)).where(message("conversation_id"), .in, waiting)
        .column(message("conversation_id")).column(message("sender_type")).column(message("sender_id")).column(message("time"))
        .column(conversation("assigned_department_id")).column(conversation("channel_id"))
        .orderBy(message("conversation_id")).orderBy(message("time")).orderBy(message("position"))
        return try await select.all(TimelineRow.self)
    }

    /// The changes into `closed` in `[from, to)` with their conversation's creation time.
    func closes(site: String, view: ReportView, from: Int64, to: Int64) async throws -> [CloseRow] {
        let (conversation, change) = (Self.conversation, Self.change)
        return try await self.scope(
            self.sql.select().from("conversation_status_changes").join("conversations", on: conversation("id"), .equal, change("conversation_id")),
            site: site, view: view
        )
        .where(change("site_id"), .equal, SQLBind(site)).where(change("to_status"), .equal, SQLBind(AnytimeStatus.closed.rawValue))
        .where(change("time"), .greaterThanOrEqual, SQLBind(from)).where(change("time"), .lessThan, SQLBind(to))
        .column(change("time")).column(conversation("created_time")).column(change("agent_id")).column(change("department_id"))
        .column(conversation("channel_id")).all(CloseRow.self)
    }

    /// The SLA outcomes recorded in `[from, to)` with their conversation's creation time and assignee now.
    func slaOutcomes(site: String, from: Int64, to: Int64) async throws -> [OutcomeRow] {
        let conversation = Self.conversation
        let outcome = { (name: String) in SQLColumn(name, table: "conversation_sla_outcomes") }
        return try await self.scope(
            self.sql.select().from("conversation_sla_outcomes").join("conversations", on: conversation("id"), .equal, outcome("conversation_id")),
            site: site, view: .site
        )
        .where(outcome("site_id"), .equal, SQLBind(site)).where(outcome("time"), .greaterThanOrEqual, SQLBind(from))
        .where(outcome("time"), .lessThan, SQLBind(to))
        .column(outcome("conversation_id")).column(outcome("policy_id")).column(outcome("target")).column(outcome("due_at"))
        .column(outcome("outcome")).column(outcome("time")).column(conversation("created_time")).column(conversation("assigned_agent_id"))
        .column(conversation("assigned_department_id")).orderBy(outcome("id")).all(OutcomeRow.self)
    }
}

extension Tx {
    var reports: ReportSQLRepository { ReportSQLRepository(sql: self.sql) }
}

/// Which messages a count takes: agents' replies, contacts' (and visitors') messages, or both; never notes.
enum ReportMessageKind: Sendable {
    case agent, contact, any
}

/// Open conversations of a key with one status and priority.
struct OpenCount: Codable, Sendable {
    var reportKey, status, priority: String
    var count: Int64
}

/// A conversation's first agent reply.
struct FirstReplyRow: Codable, Sendable {
    var id, createdTime: Int64
    var assignedAgentId, assignedDepartmentId: String?
    var channelId: String
    var firstReply: Int64
}

/// A message in a conversation's timeline.
struct TimelineRow: Codable, Sendable {
    var conversationId: Int64
    var senderType: String
    var senderId: String?
    var time: Int64
    var assignedDepartmentId: String?
    var channelId: String
}

/// A close with its conversation's creation time.
struct CloseRow: Codable, Sendable {
    var time, createdTime: Int64
    var agentId, departmentId: String?
    var channelId: String
}

/// An SLA outcome with its conversation.
struct OutcomeRow: Codable, Sendable {
    var conversationId: Int64
    var policyId, target: String
    var dueAt: Int64
    var outcome: String
    var time, createdTime: Int64
    var assignedAgentId, assignedDepartmentId: String?
}

import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Conversations on SQLite or PostgreSQL: numbered per account (`display_id`), listed and counted in SQL, changed
/// with the activity messages Chatwoot writes (status, priority, assignee, team, labels, mute).
struct ConversationSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let access: ChatwootAccess
    let messages: MessageSQLRepository
    /// Who is on `/cable` now, for auto assignment.
    let presence: ChatwootPresence

    static let statuses = ["open", "resolved", "pending", "snoozed"]
    static let priorities = ["low", "medium", "high", "urgent"]
    static let pageSize = 25
    static let snoozeJobKind = "chatwoot.conversation.snooze"

    /// A conversation row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var inboxId: Int
        var displayId: Int
        var uuid: String
        var contactId: Int
        var contactInboxId: Int?
        var status: String
        var priority: String?
        var assigneeId: Int?
        var teamId: Int?
        var snoozedUntil: Int64?
        var snoozeJobId: Int64?
        var muted: Bool
        var customAttributes: String
        var additionalAttributes: String
        var agentLastSeenAt: Int64?
        var assigneeLastSeenAt: Int64?
        var contactLastSeenAt: Int64?
        var firstReplyCreatedAt: Int64?
        var waitingSince: Int64?
        var lastActivityAt: Int64
        var createdAt: Int64
        var updatedAt: Int64
    }

    static let columns = [
        "id", "account_id", "inbox_id", "display_id", "uuid", "contact_id", "contact_inbox_id", "status", "priority", "assignee_id", "team_id",
        "snoozed_until", "snooze_job_id", "muted", "custom_attributes", "additional_attributes", "agent_last_seen_at", "assignee_last_seen_at",
        "contact_last_seen_at", "first_reply_created_at", "waiting_since", "last_activity_at", "created_at", "updated_at",
    ]

    /// Who makes a change: a user (named in activity messages), a bot, or the system (a scheduler job).
    enum Actor: Sendable {
        case user(id: Int, name: String)
        case agentBot(id: Int)
        case system

        var userName: String? {
            if case .user(_, let name) = self { name } else { nil }
        }
    }

    // MARK: Finding

    /// The conversation `displayID` of the caller's account; another account's is a 404, one of an inbox the agent
    /// (or bot) is not in a 401, as Chatwoot's `ConversationPolicy#show?`.
    func find(_ caller: ChatwootCaller, displayID: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("conversations").where("account_id", .equal, caller.accountID)
                .where("display_id", .equal, displayID).first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        try await self.access.requireInbox(caller, row.inboxId)
        return row
    }

    func reload(_ id: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("conversations").where("id", .equal, id).first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    // MARK: Listing

    /// The list's filters (Chatwoot's `ConversationFinder`).
    struct Filters: Sendable {
        var status = "open"
        var assigneeType = "all"
        var inboxID: Int?
        var teamID: Int?
        var labels: [String] = []
        var query: String?
        var page = 1
    }

    /// The four tab counts under `filters` (all but the assignee type), counted in SQL: from the counts the triggers keep
    /// per inbox, status and assignee (migration chatwoot-051) when nothing else narrows the list, else row by row.
    func counts(_ caller: ChatwootCaller, _ filters: Filters) async throws -> ChatwootConversationCounts.Counts {
        let inboxes = try await self.access.inboxIDs(caller)
        if filters.teamID == nil, filters.labels.isEmpty, (filters.query ?? "").isEmpty {
            return try await self.tabCounts(caller, inboxes, filters)
        }
        return try await self.database.read { tx in
            let base = self.scoped(tx.sql, caller, inboxes, filters)
            let totals = try await base.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "all_count")
                .column(SQLFunction("COUNT", args: SQLColumn("assignee_id")), as: "assigned_count").first(TotalsRow.self)
            var mine = 0
            if let userID = caller.userID {
                let mineQuery = self.scoped(tx.sql, caller, inboxes, filters).where("assignee_id", .equal, userID)
                mine = Int(try await mineQuery.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").first(CountRow.self)?.count ?? 0)
            }
            let all = Int(totals?.allCount ?? 0)
            let assigned = Int(totals?.assignedCount ?? 0)
            return .init(mineCount: mine, unassignedCount: all - assigned, assignedCount: assigned, allCount: all)
        }
    }

    /// The tab counts of the caller's inboxes (or the one `filters` names) under a status, from `conversation_tab_counts`.
    func tabCounts(_ caller: ChatwootCaller, _ inboxes: [Int], _ filters: Filters) async throws -> ChatwootConversationCounts.Counts {
        let visible = filters.inboxID.map { inbox in inboxes.filter { $0 == inbox } } ?? inboxes
        let mine = caller.userID ?? 0
        let totals = try await self.database.readStatement { sql in
            let query = sql.select().from("conversation_tab_counts").where("account_id", .equal, caller.accountID)
                .where("inbox_id", .in, visible.isEmpty ? [-1] : visible)
            if filters.status != "all" { query.where("status", .equal, filters.status) }
            // PostgreSQL sums BIGINTs as NUMERIC: cast back.
            return try await query.column(SQLRaw("CAST(SUM(conversation_count) AS BIGINT)"), as: "all_count")
                .column(SQLRaw("CAST(SUM(CASE WHEN assignee_id <> 0 THEN conversation_count ELSE 0 END) AS BIGINT)"), as: "assigned_count")
                .column(
                    SQLQueryString("CAST(SUM(CASE WHEN assignee_id = \(bind: mine) THEN conversation_count ELSE 0 END) AS BIGINT)"),
                    as: "mine_count"
                )
                .first(TabTotalsRow.self)
        }
        let all = Int(totals?.allCount ?? 0)
        let assigned = Int(totals?.assignedCount ?? 0)
        return .init(
            mineCount: caller.userID == nil ? 0 : Int(totals?.mineCount ?? 0), unassignedCount: all - assigned, assignedCount: assigned, allCount: all
        )
    }

    /// SUMs over no rows are NULL.
    struct TabTotalsRow: Codable {
        var allCount: Int64?
        var assignedCount: Int64?
        var mineCount: Int64?
    }

    /// One page (25, newest activity first) of the caller's conversations under `filters`, with the counts.
    func list(_ caller: ChatwootCaller, _ filters: Filters) async throws -> (counts: ChatwootConversationCounts.Counts, rows: [Row]) {
        let counts = try await self.counts(caller, filters)
        let inboxes = try await self.access.inboxIDs(caller)
        let rows = try await self.database.read { tx in
            let query = self.scoped(tx.sql, caller, inboxes, filters).columns(Self.columns)
            switch filters.assigneeType {
            case "me": query.where("assignee_id", .equal, caller.userID ?? 0)
            case "unassigned": query.where("assignee_id", .is, SQLLiteral.null)
            case "assigned": query.where("assignee_id", .isNot, SQLLiteral.null)
            default: break
            }
            return try await query.orderBy("last_activity_at", .descending).orderBy("id", .descending).limit(Self.pageSize)
                .offset((max(filters.page, 1) - 1) * Self.pageSize).all(Row.self)
        }
        return (counts, rows)
    }

    /// The account's conversations the caller may see, narrowed by `filters` (not the assignee type).
    func scoped(_ sql: any SQLDatabase, _ caller: ChatwootCaller, _ inboxes: [Int], _ filters: Filters) -> SQLSelectBuilder {
        let query = sql.select().from("conversations").where("account_id", .equal, caller.accountID)
        var visible = inboxes
        if let inbox = filters.inboxID { visible = visible.filter { $0 == inbox } }
        query.where("inbox_id", .in, visible.isEmpty ? [-1] : visible)
        if filters.status != "all" { query.where("status", .equal, filters.status) }
        if let team = filters.teamID { query.where("team_id", .equal, team) }
        if !filters.labels.isEmpty {
            query.where(
                "id", .in,
                SQLSubquery.select { $0.column("conversation_id").from("conversation_labels").where("label", .in, filters.labels) })
        }
        if let text = filters.query, !text.isEmpty {
            // Chatwoot searches the content of incoming and outgoing messages, any case.
            let pattern =
                "%"
                + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            query.where(
                "id", .in,
                SQLSubquery.select {
                    $0.column("conversation_id").from("messages").where("message_type", .in, [0, 1])
                        .where(SQLFunction("LOWER", args: SQLColumn("content")), .like, SQLBind(pattern))
                })
        }
        return query
    }

    struct TotalsRow: Codable {
        var allCount: Int64
        var assignedCount: Int64
    }

    // MARK: Creating

    /// What `POST /conversations` sets.
    struct Creation: Sendable {
        var inboxID: Int
        var contactID: Int
        var contactInboxID: Int?
        var status: String
        var assigneeID: Int?
        var teamID: Int?
        var snoozedUntil: Int64?
        var additionalAttributes: JSONValue
        var customAttributes: JSONValue
    }

    /// The contact inbox with `sourceID` in `inboxID` (or anywhere in the account without an inbox), or, for
    /// `contactID`, that contact's inbox there, made when missing (Chatwoot's `ContactInboxBuilder`).
    func contactInbox(account: Int, inboxID: Int?, contactID: Int?, sourceID: String?) async throws -> (contact: Int, contactInbox: Int) {
        let now = self.clock.milliseconds()
        return try await self.database.transaction { tx in
            if let contactID {
                let contact = try await tx.sql.select().column("id").from("contacts").where("id", .equal, contactID)
                    .where("account_id", .equal, account).first(IDRow.self)
                guard contact != nil else { throw ChatwootRows.notFound }
                guard let inboxID else { throw ChatwootRows.notFound }
                let existing = try await tx.sql.select().column("id").from("contact_inboxes").where("contact_id", .equal, contactID)
                    .where("inbox_id", .equal, inboxID).orderBy("id").first(IDRow.self)
                if let existing, sourceID == nil { return (contactID, Int(existing.id)) }
                if let sourceID {
                    let taken = try await tx.sql.select().column("contact_id", as: "id").from("contact_inboxes").where("inbox_id", .equal, inboxID)
                        .where("source_id", .equal, sourceID).first(IDRow.self)
                    if let taken {
                        guard Int(taken.id) == contactID else {
                            throw ServiceError(.unprocessableContent, message: "source_id should be unique", field: "source_id")
                        }
                        let found = try await tx.sql.select().column("id").from("contact_inboxes").where("inbox_id", .equal, inboxID)
                            .where("source_id", .equal, sourceID).first(IDRow.self)
                        return (contactID, Int(found?.id ?? 0))
                    }
                }
                let created = try await tx.sql.insert(into: "contact_inboxes").columns(
                    "contact_id", "inbox_id", "source_id", "created_at", "updated_at"
                )
                .values(contactID, inboxID, sourceID ?? UUID().uuidString.lowercased(), now, now).returning("id").first(IDRow.self)
                return (contactID, Int(created?.id ?? 0))
            }
            guard let sourceID, !sourceID.isEmpty else { throw ChatwootRows.notFound }
            let query = tx.sql.select().column(SQLColumn("id", table: "ci")).column(SQLColumn("contact_id", table: "ci"))
                .from(SQLAlias(SQLIdentifier("contact_inboxes"), as: SQLIdentifier("ci")))
                .join(
                    SQLAlias(SQLIdentifier("inboxes"), as: SQLIdentifier("i")), on: SQLColumn("inbox_id", table: "ci"), .equal,
                    SQLColumn("id", table: "i")
                )
                .where(SQLColumn("account_id", table: "i"), .equal, SQLBind(account))
                .where(SQLColumn("source_id", table: "ci"), .equal, SQLBind(sourceID))
            if let inboxID { query.where(SQLColumn("inbox_id", table: "ci"), .equal, SQLBind(inboxID)) }
            guard let found = try await query.first(ContactInboxRow.self) else { throw ChatwootRows.notFound }
            return (found.contactId, found.id)
        }
    }

    private struct ContactInboxRow: Codable {
        var id: Int
        var contactId: Int
    }

    /// The inbox of a contact inbox.
    func inboxOf(contactInbox: Int) async throws -> Int {
        let row = try await self.database.readStatement { sql in
            try await sql.select().column("inbox_id", as: "id").from("contact_inboxes").where("id", .equal, contactInbox).first(IDRow.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return Int(row.id)
    }

    /// Creates a conversation with the next display id of the account, and its first message when given.
    func create(account: Int, _ creation: Creation, actor: Actor, message: MessageSQLRepository.Creation?) async throws -> Row {
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            try await tx.sql.insert(into: "conversation_display_ids").columns("account_id", "last_display_id").values(account, 0)
                .ignoringConflicts(with: ["account_id"]).run()
            try await tx.sql.update("conversation_display_ids")
                .set("last_display_id", to: SQLBinaryExpression(SQLColumn("last_display_id"), .add, SQLLiteral.numeric("1")))
                .where("account_id", .equal, account).run()
            let number = try await tx.sql.select().column("last_display_id", as: "id").from("conversation_display_ids")
                .where("account_id", .equal, account).first(IDRow.self)
            let row = try await tx.sql.insert(into: "conversations")
                .columns(
                    "account_id", "inbox_id", "display_id", "uuid", "contact_id", "contact_inbox_id", "status", "assignee_id", "team_id",
                    "snoozed_until", "custom_attributes", "additional_attributes", "waiting_since", "last_activity_at", "created_at", "updated_at"
                )
                .values(
                    account, creation.inboxID, Int(number?.id ?? 1), UUID().uuidString.lowercased(), creation.contactID, creation.contactInboxID,
                    creation.status, creation.assigneeID, creation.teamID, creation.status == "snoozed" ? creation.snoozedUntil : nil,
                    try ChatwootRows.text(creation.customAttributes), try ChatwootRows.text(creation.additionalAttributes), now, now, now, now
                ).returning("id").first(IDRow.self)
            let id = Int(row?.id ?? 0)
            if creation.status == "snoozed", let until = creation.snoozedUntil {
                try await self.armSnooze(tx, id: id, until: until)
            }
            let conversation = try await self.reload(id)
            let created = try await self.render([conversation])
            try await ChatwootEvents.publish(.conversationCreated, payload: created.first, account: account, inbox: creation.inboxID, tx: tx)
            if let message {
                let messageID = try await self.messages.insert(tx, conversation: conversation, message, actor: actor)
                try await self.messages.publish(.messageCreated, tx, id: messageID, conversation: conversation)
            }
            return id
        }
        return try await self.autoAssign(try await self.reload(id))
    }

    // MARK: Changing

    /// What an update changes; nil leaves a member as it is (`.some(nil)` clears it).
    struct Changes: Sendable {
        var status: String?
        var snoozedUntil: Int64??
        var priority: String??
        var assigneeID: Int??
        var teamID: Int??
        var labels: [String]?
        var muted: Bool?
        var customAttributes: JSONValue?
    }

    /// Applies `changes` in one transaction, writing the activity messages Chatwoot's callbacks write, and arms or
    /// disarms the snooze job.
    @discardableResult func update(_ current: Row, _ changes: Changes, actor: Actor) async throws -> Row {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let update = tx.sql.update("conversations").set("updated_at", to: now)
            var activities: [String] = []
            let user = actor.userName
            if let status = changes.status {
                let until: Int64? = status == "snoozed" ? (changes.snoozedUntil ?? nil) : nil
                update.set("status", to: status).set("snoozed_until", to: until)
                if let job = current.snoozeJobId { _ = try await tx.scheduler.cancel(id: job) }
                if status == "snoozed", let until {
                    try await self.armSnooze(tx, id: current.id, until: until, update: update)
                } else {
                    update.set("snooze_job_id", to: SQLLiteral.null)
                }
                if status != current.status {
                    if let user {
                        activities.append(Self.statusActivity(status, user: user))
                    }
                    if status == "open" { update.set("waiting_since", to: current.waitingSince ?? now) }
                }
            }
            if let priority = changes.priority, priority != current.priority {
                update.set("priority", to: priority)
                if let user {
                    switch (current.priority, priority) {
                    case (nil, let new?): activities.append("\(user) set the priority to \(new)")
                    case (let old?, let new?): activities.append("\(user) changed the priority from \(old) to \(new)")
                    case (_?, nil): activities.append("\(user) removed the priority")
                    default: break
                    }
                }
            }
            if let team = changes.teamID, team != current.teamId {
                update.set("team_id", to: team)
                if let user {
                    if let team, let name = try await self.teamName(tx, team) {
                        activities.append("Assigned to \(name) by \(user)")
                    } else if let old = current.teamId, let name = try await self.teamName(tx, old) {
                        activities.append("Unassigned from \(name) by \(user)")
                    }
                }
            }
            if let assignee = changes.assigneeID, assignee != current.assigneeId {
                update.set("assignee_id", to: assignee)
                if let user {
                    if let assignee {
                        if case .user(let id, _) = actor, id == assignee {
                            activities.append("\(user) self-assigned this conversation")
                        } else {
                            activities.append("Assigned to \(try await self.userName(tx, assignee) ?? "") by \(user)")
                        }
                    } else {
                        activities.append("Conversation unassigned by \(user)")
                    }
                }
            }
            if let muted = changes.muted, muted != current.muted {
                update.set("muted", to: muted)
                if let user { activities.append("\(user) has \(muted ? "muted" : "unmuted") the conversation") }
            }
            if let attributes = changes.customAttributes {
                update.set("custom_attributes", to: try ChatwootRows.text(attributes))
            }
            try await update.where("id", .equal, current.id).run()
            if let status = changes.status, status != current.status {
                try await ChatwootReporting.statusChanged(
                    tx, current, to: status, assignee: changes.assigneeID ?? current.assigneeId, actor: actor, at: now)
            }
            var labelsChanged = false
            if let labels = changes.labels {
                let before = try await self.labels(tx.sql, [current.id])[current.id] ?? []
                let added = labels.filter { !before.contains($0) }
                let removed = before.filter { !labels.contains($0) }
                labelsChanged = !added.isEmpty || !removed.isEmpty
                if !removed.isEmpty {
                    try await tx.sql.delete(from: "conversation_labels").where("conversation_id", .equal, current.id).where("label", .in, removed)
                        .run()
                }
                try await ChatwootReporting.labelled(tx, account: current.accountId, titles: added, at: now)
                for label in added {
                    try await tx.sql.insert(into: "conversation_labels").columns("conversation_id", "label", "created_at").values(
                        current.id, label, now
                    )
                    .run()
                }
                if let owner = user {
                    if !added.isEmpty { activities.append("\(owner) added \(added.joined(separator: ", "))") }
                    if !removed.isEmpty { activities.append("\(owner) removed \(removed.joined(separator: ", "))") }
                }
            }
            for content in activities {
                try await MessageSQLRepository.insertActivity(tx, conversation: current, content: content, at: now)
            }
            try await self.publishChanges(tx, before: current, labelsChanged: labelsChanged)
        }
        let after = try await self.reload(current.id)
        // Opened again: Chatwoot's round robin runs as on creation.
        if changes.status == "open", current.status != "open" { return try await self.autoAssign(after) }
        return after
    }

    /// Chatwoot's `notify_conversation_updation` and status events: `conversation_status_changed` (and the bot-only
    /// opened/resolved) when the status changed, `conversation_updated` with `changed_attributes` for any change.
    func publishChanges(_ tx: Tx, before: Row, labelsChanged: Bool) async throws {
        let after = try await self.reload(before.id)
        var changes: [ChatwootEvents.Change] = []
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        if before.status != after.status { changes.append(.init("status", from: text(before.status), to: text(after.status))) }
        if before.assigneeId != after.assigneeId {
            changes.append(.init("assignee_id", from: number(before.assigneeId), to: number(after.assigneeId)))
        }
        if before.teamId != after.teamId { changes.append(.init("team_id", from: number(before.teamId), to: number(after.teamId))) }
        if before.priority != after.priority { changes.append(.init("priority", from: text(before.priority), to: text(after.priority))) }
        if before.customAttributes != after.customAttributes {
            changes.append(
                .init("custom_attributes", from: ChatwootRows.json(before.customAttributes), to: ChatwootRows.json(after.customAttributes)))
        }
        guard !changes.isEmpty || labelsChanged else { return }
        let payload = try await self.render([after]).first
        if before.status != after.status {
            // Chatwoot's `CsatSurveyListener`: a resolve sends the inbox's satisfaction survey (helper P).
            if after.status == "resolved" { try await ChatwootCSAT.surveyOnResolve(tx, conversation: after, messages: self.messages) }
            try await ChatwootEvents.publish(
                .conversationStatusChanged, payload: payload, changes: changes, account: after.accountId, inbox: after.inboxId, tx: tx)
            if after.status == "open" || after.status == "resolved" {
                try await ChatwootEvents.publish(
                    after.status == "open" ? .conversationOpened : .conversationResolved, payload: payload, account: after.accountId,
                    inbox: after.inboxId, tx: tx)
            }
        }
        try await ChatwootEvents.publish(
            .conversationUpdated, payload: payload, changes: changes, account: after.accountId, inbox: after.inboxId, tx: tx)
    }

    /// Chatwoot's `conversations.activity.status.*` texts.
    static func statusActivity(_ status: String, user: String) -> String {
        switch status {
        case "resolved": "Conversation was marked resolved by \(user)"
        case "pending": "Conversation was marked as pending by \(user)"
        case "snoozed": "Conversation was snoozed by \(user)"
        default: "Conversation was reopened by \(user)"
        }
    }

    /// Arms the durable job that reopens a snoozed conversation at `until` (epoch milliseconds).
    private func armSnooze(_ tx: Tx, id: Int, until: Int64, update: SQLUpdateBuilder? = nil) async throws {
        let payload = try ChatwootRows.text(encoding: SnoozeJob(conversationId: id, until: until))
        let job = try await tx.scheduler.schedule(kind: Self.snoozeJobKind, payload: payload, at: Date(timeIntervalSince1970: Double(until) / 1000))
        if let update {
            update.set("snooze_job_id", to: job)
        } else {
            try await tx.sql.update("conversations").set("snooze_job_id", to: job).where("id", .equal, id).run()
        }
    }

    /// The snooze job's payload.
    struct SnoozeJob: Codable {
        var conversationId: Int
        var until: Int64
    }

    /// The snooze job: reopens the conversation if it is still snoozed until then (Chatwoot's
    /// `ReopenSnoozedConversationsJob`; no activity message, as no user acts).
    func reopen(_ job: ScheduledJob) async throws {
        let due = try ChatwootRows.decode(SnoozeJob.self, job.payload)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.update("conversations").set("status", to: "open").set("snoozed_until", to: SQLLiteral.null)
                .set("snooze_job_id", to: SQLLiteral.null).set("updated_at", to: now).where("id", .equal, due.conversationId)
                .where("status", .equal, "snoozed").where("snoozed_until", .equal, due.until).run()
        }
    }

    private func teamName(_ tx: Tx, _ id: Int) async throws -> String? {
        try await tx.sql.select().column("name").from("teams").where("id", .equal, id).first(NameRow.self)?.name
    }

    private func userName(_ tx: Tx, _ id: Int) async throws -> String? {
        try await tx.sql.select().column("name").from("users").where("id", .equal, id).first(NameRow.self)?.name
    }

    private struct NameRow: Codable {
        var name: String
    }

    /// The labels of each conversation, in the order they were added.
    func labels(_ sql: any SQLDatabase, _ ids: [Int]) async throws -> [Int: [String]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().column("conversation_id").column("label").from("conversation_labels").where("conversation_id", .in, ids)
            .orderBy("created_at").orderBy("label").all(LabelRow.self)
        return Dictionary(grouping: rows, by: \.conversationId).mapValues { $0.map(\.label) }
    }

    private struct LabelRow: Codable {
        var conversationId: Int
        var label: String
    }

    /// Sets when the caller last saw the conversation (and as its assignee).
    func seen(_ row: Row, by caller: ChatwootCaller) async throws {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let update = tx.sql.update("conversations").set("agent_last_seen_at", to: now)
            if let user = caller.userID, user == row.assigneeId { update.set("assignee_last_seen_at", to: now) }
            try await update.where("id", .equal, row.id).run()
        }
    }

    /// An account member (another account's user is nil, as Chatwoot's `Current.account.users.find_by`).
    func member(account: Int, user: Int) async throws -> Bool {
        try await self.database.readStatement { sql in
            try await sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account)
                .where("user_id", .equal, user).first(IDRow.self)
        } != nil
    }

    /// A team of the account.
    func team(account: Int, team: Int) async throws -> Bool {
        try await self.database.readStatement { sql in
            try await sql.select().column("id").from("teams").where("account_id", .equal, account).where("id", .equal, team).first(IDRow.self)
        } != nil
    }
}

import SQLKit
import ServiceKit
import WireModels

/// What a history search keeps, beyond its site and window: every filter runs in SQL.
struct ChatSearch: Sendable {
    var siteId: String
    var from: Int64
    var to: Int64
    var statuses: [ChatStatus]
    var agentId: Int?
    var departmentId: Int?
    var categoryId: Int?
    var campaignId: Int?
    var segmentId: Int?
    /// Lowercased; matched in the transcript, the visitor's name and email.
    var keywords: String?
    /// The conditions that compiled to SQL.
    var conditions: (any SQLExpression)?

    /// True when only site, window and statuses narrow it: its total is the maintained count.
    var countsByDay: Bool {
        self.agentId == nil && self.departmentId == nil && self.categoryId == nil && self.campaignId == nil && self.segmentId == nil
            && self.keywords == nil && self.conditions == nil
    }
}

extension ChatSQLRepository {
    /// `chats`' columns as conditions name them (`conditions[i][field]`). Agent and department names are looked
    /// up in the presenter's tables, so a condition on a name becomes a condition on ids; fields inside the
    /// pre-chat and post-chat JSON (`phone`, `rating`, `ratingComment`) stay in Swift.
    static func conditionFields(agentNames: [Int: String], departmentNames: [Int: String]) -> ConditionFilter {
        let chatID = SQLColumn("id", table: "chats")
        let agents = Dictionary(uniqueKeysWithValues: agentNames.map { (Int64($0.key), $0.value) })
        let departments = Dictionary(uniqueKeysWithValues: departmentNames.map { (Int64($0.key), $0.value) })
        let participants = SQLSubquery.select {
            $0.column(SQLFunction("COUNT", args: SQLLiteral.all)).from("chat_agents").where(
                SQLColumn("chat_id", table: "chat_agents"), .equal, chatID)
        }
        let lastSender = SQLSubquery.select {
            $0.column("type").from("chat_messages").where(SQLColumn("chat_id", table: "chat_messages"), .equal, chatID)
                .where("type", .notEqual, "system").orderBy("id", .descending).limit(1)
        }
        return ConditionFilter([
            .lookup("agent", names: agents) { ids, _ in
                // Any agent of the chat with a matching name; agents without a name do not count, as in the page.
                guard !ids.isEmpty else { return SQLLiteral.boolean(false) }
                return SQLExists {
                    $0.from("chat_agents").where(SQLColumn("chat_id", table: "chat_agents"), .equal, chatID).where("agent_id", .in, ids)
                }
            },
            .lookup("department", names: departments) { ids, unknownMatches in
                let listed: any SQLExpression =
                    ids.isEmpty ? SQLLiteral.boolean(false) : SQLBinaryExpression(SQLColumn("department_id", table: "chats"), .in, SQLBind.group(ids))
                guard unknownMatches else { return listed }
                // A department nobody names reads as empty text.
                let unnamed: any SQLExpression =
                    departments.isEmpty
                    ? SQLLiteral.boolean(true)
                    : SQLBinaryExpression(SQLColumn("department_id", table: "chats"), .notIn, SQLBind.group(departments.keys.sorted()))
                return SQLGroupExpression(
                    SQLBinaryExpression(left: SQLGroupExpression(listed), op: SQLBinaryOperator.or, right: SQLGroupExpression(unnamed)))
            },
            .integer("campaign", SQLColumn("campaign_id", table: "chats")),
            .text("name", SQLColumn("name", table: "chats")),
            .text("email", SQLColumn("email", table: "chats")),
            .text("ssoUserId", SQLColumn("sso_user_id", table: "chats")),
            .integer("visitorSegment", SQLColumn("segment_id", table: "chats")),
            .expression(
                "transferred",
                text: SQLCase(when: SQLBinaryExpression(participants, .greaterThan, SQLLiteral.numeric("1")), then: "true", else: "false")),
            .expression("lastMessageSentBy", text: lastSender),
        ])
    }

    /// The chats of `search` as a select: site, window, statuses and every filter, in SQL.
    func select(_ search: ChatSearch) -> SQLSelectBuilder {
        let chatID = SQLColumn("id", table: "chats")
        let select = self.selectChats(siteId: search.siteId)
            .where(SQLColumn("request_time", table: "chats"), .greaterThanOrEqual, SQLBind(search.from))
            .where(SQLColumn("request_time", table: "chats"), .lessThan, SQLBind(search.to))
            .where(SQLColumn("status", table: "chats"), .in, SQLBind.group(search.statuses.map(\.rawValue)))
        if let agent = search.agentId {
            select.where(
                SQLExists {
                    $0.from("chat_agents").where(SQLColumn("chat_id", table: "chat_agents"), .equal, chatID).where("agent_id", .equal, agent)
                })
        }
        if let department = search.departmentId { select.where(SQLColumn("department_id", table: "chats"), .equal, SQLBind(department)) }
        if let category = search.categoryId { select.where(SQLColumn("wrapup_category_id", table: "chats"), .equal, SQLBind(category)) }
        if let campaign = search.campaignId { select.where(SQLColumn("campaign_id", table: "chats"), .equal, SQLBind(campaign)) }
        if let segment = search.segmentId { select.where(SQLColumn("segment_id", table: "chats"), .equal, SQLBind(segment)) }
        if let keywords = search.keywords {
            let lowered = { (column: String) in
                SQLFunction("LOWER", args: SQLFunction("COALESCE", args: SQLColumn(column, table: "chats"), SQLLiteral.string("")))
            }
            let transcript = SQLExists {
                $0.from("chat_messages").where(SQLColumn("chat_id", table: "chat_messages"), .equal, chatID)
                    .where(SQLLike(SQLFunction("LOWER", args: SQLColumn("content", table: "chat_messages")), containing: keywords))
            }
            select.where { group in
                group.where(SQLLike(lowered("name"), containing: keywords)).orWhere(SQLLike(lowered("email"), containing: keywords)).orWhere(
                    transcript)
            }
        }
        if let conditions = search.conditions { select.where(conditions) }
        return select
    }

    /// One page of `search`, oldest first, and how many chats it finds.
    func page(_ search: ChatSearch, _ page: ListQuery) async throws -> (total: Int, chats: [ChatRecord]) {
        let select = self.select(search)
        let total = search.countsByDay ? try await self.count(search) : nil
        let found = try await page.page(select, as: ChatRecord.self, idColumn: SQLColumn("id", table: "chats"), total: total)
        return (found.total, try await self.records(found.rows))
    }

    /// Every chat of `search`, oldest first (when conditions must still be checked in Swift).
    func all(_ search: ChatSearch) async throws -> [ChatRecord] {
        try await self.records(self.select(search).orderBy(SQLColumn("request_time", table: "chats")).orderBy(SQLColumn("id", table: "chats")))
    }

    /// How many chats of the site in `statuses` were requested in the window, from `chat_counts` (kept by triggers,
    /// one row per site, UTC day and status) for the whole days inside it and from `chats` for the two part days at
    /// its ends: the cost depends on the window's days, not on how many chats it holds.
    func count(_ search: ChatSearch) async throws -> Int {
        let day = ChatCounts.dayMilliseconds
        let firstWholeDay = search.from >= 0 ? (search.from + day - 1) / day : 0
        let endWholeDays = search.to / day
        let statuses = SQLBind.group(search.statuses.map(\.rawValue))
        func counted(from: Int64, to: Int64) async throws -> Int {
            guard from < to else { return 0 }
            return Int(
                try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("chats")
                    .where("site_id", .equal, search.siteId).where("request_time", .greaterThanOrEqual, from).where("request_time", .lessThan, to)
                    .where(SQLColumn("status"), .in, statuses).first(CountRow.self)?.count ?? 0
            )
        }
        guard search.from >= 0, firstWholeDay < endWholeDays else { return try await counted(from: search.from, to: search.to) }
        let sum = SQLCast(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("chat_count")), SQLLiteral.numeric("0")), as: "BIGINT")
        let whole =
            try await self.sql.select().column(sum, as: "count").from("chat_counts")
            .where("site_id", .equal, search.siteId).where("day", .greaterThanOrEqual, firstWholeDay).where("day", .lessThan, endWholeDays)
            .where(SQLColumn("status"), .in, statuses).first(CountRow.self)?.count ?? 0
        return Int(whole) + (try await counted(from: search.from, to: firstWholeDay * day))
            + (try await counted(from: endWholeDays * day, to: search.to))
    }

    // MARK: Offline messages

    /// Offline messages of the site in the window, narrowed in SQL; with `keywords`, a superset (the fields are JSON,
    /// whose member names could match too), which the caller narrows exactly.
    func selectOfflineMessages(
        siteId: String, from: Int64, to: Int64, campaignId: Int?, departmentId: Int?, agentId: Int?, segmentId: Int?, keywords: String?
    ) -> SQLSelectBuilder {
        let select = self.sql.select().columns("*").from("offline_messages")
            .where("site_id", .equal, siteId).where("time", .greaterThanOrEqual, from).where("time", .lessThan, to)
        if let campaignId { select.where("campaign_id", .equal, campaignId) }
        if let departmentId { select.where("department_id", .equal, departmentId) }
        if let agentId { select.where("agent_id", .equal, agentId) }
        if let segmentId { select.where("segment_id", .equal, segmentId) }
        if let keywords {
            select.where { group in
                ["content", "name", "email", "fields"].reduce(group) { group, column in
                    group.orWhere(
                        SQLLike(
                            SQLFunction("LOWER", args: SQLFunction("COALESCE", args: SQLColumn(column), SQLLiteral.string(""))), containing: keywords)
                    )
                }
            }
        }
        return select
    }

    // MARK: Agent chats

    /// Agent chats started in `[from, to)` with `agentId` among their members and `keywords` in a line, with their
    /// members and lines (two queries for all of them).
    func agentChats(siteId: String, from: Int64, to: Int64, agentId: Int?, keywords: String?) async throws -> [AgentChatRecord] {
        let chatID = SQLColumn("id", table: "agent_chats")
        let select = self.sql.select().column(chatID).from("agent_chats")
            .where("site_id", .equal, siteId).where("started_at", .greaterThanOrEqual, from).where("started_at", .lessThan, to)
        if let agentId {
            select.where(
                SQLExists {
                    $0.from("agent_chat_members").where(SQLColumn("agent_chat_id", table: "agent_chat_members"), .equal, chatID).where(
                        "agent_id", .equal, agentId)
                })
        }
        if let keywords {
            select.where(
                SQLExists {
                    $0.from("agent_chat_messages").where(SQLColumn("agent_chat_id", table: "agent_chat_messages"), .equal, chatID)
                        .where(SQLLike(SQLFunction("LOWER", args: SQLColumn("content", table: "agent_chat_messages")), containing: keywords))
                })
        }
        let ids = try await select.orderBy("started_at").orderBy(chatID).all(IDRow.self).map { Int($0.id) }
        guard !ids.isEmpty else { return [] }
        let members = try await self.agentChatMembers(ids: ids)
        let lines = try await self.sql.select().columns("agent_chat_id", "time", "agent_id", "content").from("agent_chat_messages")
            .where("agent_chat_id", .in, ids).orderBy("id").all(AgentChatMessageRow.self)
        let byChat = Dictionary(grouping: lines, by: \.agentChatId)
        return ids.map { ($0, members[$0] ?? [], byChat[$0] ?? []) }
    }
}

/// `CASE WHEN condition THEN 'a' ELSE 'b' END`, with fixed texts.
struct SQLCase: SQLExpression {
    let condition: any SQLExpression
    let then: String
    let otherwise: String

    init(when condition: any SQLExpression, then: String, else otherwise: String) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE WHEN ")
        self.condition.serialize(to: &serializer)
        serializer.write(" THEN ")
        SQLLiteral.string(self.then).serialize(to: &serializer)
        serializer.write(" ELSE ")
        SQLLiteral.string(self.otherwise).serialize(to: &serializer)
        serializer.write(" END")
    }
}

import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Chats, offline messages and agent chats on SQLite or PostgreSQL, written against one `SQLDatabase` (a
/// transaction's, so the runtime can put a chat change and its webhook events in one), with SQLKit's builders and
/// Codable rows. The history searches are in `ChatSQLRepository+History.swift`.
struct ChatSQLRepository: Sendable {
    let sql: any SQLDatabase

    init(sql: any SQLDatabase) {
        self.sql = sql
    }

    init(tx: Tx) {
        self.sql = tx.sql
    }

    // MARK: Chats

    func create(_ chat: ChatRecord, visitorTokenHash: String) async throws -> Int {
        let row = try await self.sql.insert(into: "chats").row(ChatRow(chat, visitorTokenHash: visitorTokenHash), excluding: ["id"])
            .returning("id").first(IDRow.self)
        let id = Int(row?.id ?? 0)
        for agent in chat.participants { try await self.addParticipant(chatId: id, agentId: agent) }
        return id
    }

    func update(_ chat: ChatRecord) async throws {
        let row = ChatRow(chat, visitorTokenHash: nil)
        try await self.sql.update("chats")
            .set("department_id", to: row.departmentId).set("agent_id", to: row.agentId).set("status", to: row.status)
            .set("accept_time", to: row.acceptTime).set("end_time", to: row.endTime).set("postchat", to: row.postchat)
            .set("wrapup", to: row.wrapup).set("wrapup_category_id", to: row.wrapupCategoryId).set("attachments", to: row.attachments)
            .where("id", .equal, chat.id).where("site_id", .equal, chat.siteId)
            .run()
    }

    func addParticipant(chatId: Int, agentId: Int) async throws {
        try await self.sql.insert(into: "chat_agents").row(ChatAgentRow(chatId: chatId, agentId: agentId)).ignoringConflicts(with: [
            "chat_id", "agent_id",
        ]).run()
    }

    func addMessage(_ message: ChatMessageRecord, chatId: Int) async throws {
        let row = ChatMessageRow(chatId: chatId, time: message.time, sender: message.sender, type: message.type, content: message.content)
        try await self.sql.insert(into: "chat_messages").row(row).run()
    }

    func chat(id: Int, siteId: String) async throws -> ChatRecord? {
        try await self.records(self.selectChats(siteId: siteId).where("id", .equal, id)).first
    }

    /// The chat a visitor's token opens.
    func chat(id: Int, visitorTokenHash: String) async throws -> ChatRecord? {
        guard
            let row = try await self.sql.select().column("site_id").from("chats")
                .where("id", .equal, id).where("visitor_token_hash", .equal, visitorTokenHash).first(SiteRow.self)
        else { return nil }
        return try await self.chat(id: id, siteId: row.siteId)
    }

    func messages(chatId: Int) async throws -> [ChatMessageRecord] {
        try await self.messages(chatIds: [chatId])[chatId] ?? []
    }

    /// The transcripts of `chatIds`, in one query.
    func messages(chatIds: [Int]) async throws -> [Int: [ChatMessageRecord]] {
        guard !chatIds.isEmpty else { return [:] }
        let rows = try await self.sql.select().columns("chat_id", "time", "sender", "type", "content").from("chat_messages")
            .where("chat_id", .in, chatIds).orderBy("chat_id").orderBy("id").all(ChatMessageRow.self)
        return Dictionary(grouping: rows, by: \.chatId).mapValues { $0.map(\.record) }
    }

    /// Chats requested in `[from, to)`, oldest first.
    func chats(siteId: String, from: Int64, to: Int64) async throws -> [ChatRecord] {
        try await self.records(
            self.selectChats(siteId: siteId).where("request_time", .greaterThanOrEqual, from).where("request_time", .lessThan, to)
                .orderBy("request_time").orderBy("id")
        )
    }

    /// Chats of the site in `statuses`, oldest first (the visitor monitor's open chats).
    func chats(siteId: String, statuses: [ChatStatus]) async throws -> [ChatRecord] {
        try await self.records(
            self.selectChats(siteId: siteId).where("status", .in, statuses.map(\.rawValue)).orderBy("request_time").orderBy("id")
        )
    }

    /// Active chats per agent of the site.
    func ongoingChats(siteId: String) async throws -> [Int: Int] {
        let rows = try await self.sql.select().column("agent_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("chats")
            .where("site_id", .equal, siteId).where("status", .equal, ChatStatus.active.rawValue).groupBy("agent_id").all(AgentLoadRow.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.agentId, $0.count) })
    }

    /// The agent of the visitor's latest answered chat.
    func lastAgent(visitorId: String, siteId: String) async throws -> Int? {
        try await self.sql.select().column("agent_id").from("chats")
            .where("site_id", .equal, siteId).where("visitor_id", .equal, visitorId).where("agent_id", .notEqual, 0)
            .where("status", .in, [ChatStatus.active.rawValue, ChatStatus.ended.rawValue])
            .orderBy("request_time", .descending).orderBy("id", .descending).limit(1).first(AgentRow.self)?.agentId
    }

    /// A select of the site's chats, every column a history page shows.
    func selectChats(siteId: String) -> SQLSelectBuilder {
        self.sql.select().columns(ChatRow.columns.map { SQLColumn($0, table: "chats") }).from("chats").where(
            SQLColumn("site_id", table: "chats"), .equal, SQLBind(siteId))
    }

    /// The chats `select` finds, with their participants (read in one query for all of them).
    func records(_ select: SQLSelectBuilder) async throws -> [ChatRecord] {
        try await self.records(select.all(ChatRow.self))
    }

    func records(_ rows: [ChatRow]) async throws -> [ChatRecord] {
        guard !rows.isEmpty else { return [] }
        let participants = try await self.participants(chatIds: rows.map(\.id))
        return rows.map { $0.record(participants: participants[$0.id] ?? []) }
    }

    func participants(chatIds: [Int]) async throws -> [Int: [Int]] {
        let rows = try await self.sql.select().columns("chat_id", "agent_id").from("chat_agents")
            .where("chat_id", .in, chatIds).orderBy("agent_id").all(ChatAgentRow.self)
        return Dictionary(grouping: rows, by: \.chatId).mapValues { $0.map(\.agentId) }
    }

    // MARK: Round robin

    func lastAllocated(siteId: String, departmentId: Int) async throws -> Int? {
        try await self.sql.select().column("last_agent_id").from("allocation_cursors")
            .where("site_id", .equal, siteId).where("department_id", .equal, departmentId).first(LastAgentRow.self)?.lastAgentId
    }

    func setLastAllocated(_ agentId: Int, siteId: String, departmentId: Int) async throws {
        try await self.sql.insert(into: "allocation_cursors").columns("site_id", "department_id", "last_agent_id")
            .values(SQLBind(siteId), SQLBind(departmentId), SQLBind(agentId))
            .onConflict(with: ["site_id", "department_id"]) { $0.set(excludedValueOf: "last_agent_id") }
            .run()
    }

    // MARK: Offline messages

    func create(_ message: OfflineMessageRecord) async throws -> Int {
        Int(
            try await self.sql.insert(into: "offline_messages").row(OfflineMessageRow(message), excluding: ["id"]).returning("id").first(IDRow.self)?
                .id ?? 0)
    }

    func offlineMessages(siteId: String, from: Int64, to: Int64) async throws -> [OfflineMessageRecord] {
        try await self.sql.select().columns("*").from("offline_messages")
            .where("site_id", .equal, siteId).where("time", .greaterThanOrEqual, from).where("time", .lessThan, to)
            .orderBy("time").orderBy("id").all(OfflineMessageRow.self).map(\.record)
    }

    // MARK: Agent chats

    func createAgentChat(siteId: String, members: [Int], at time: Int64) async throws -> Int {
        let id = Int(
            try await self.sql.insert(into: "agent_chats").columns("site_id", "started_at").values(SQLBind(siteId), SQLBind(time))
                .returning("id").first(IDRow.self)?.id ?? 0
        )
        let rows = Set(members).sorted().map { AgentChatMemberRow(agentChatId: id, agentId: $0) }
        if !rows.isEmpty { try await self.sql.insert(into: "agent_chat_members").rows(rows).run() }
        return id
    }

    /// The agent chat's members, when it belongs to the site.
    func agentChatMembers(id: Int, siteId: String) async throws -> [Int]? {
        guard try await self.sql.select().column("id").from("agent_chats").where("id", .equal, id).where("site_id", .equal, siteId).first() != nil
        else {
            return nil
        }
        return try await self.agentChatMembers(ids: [id])[id] ?? []
    }

    func agentChatMembers(ids: [Int]) async throws -> [Int: [Int]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.sql.select().columns("agent_chat_id", "agent_id").from("agent_chat_members")
            .where("agent_chat_id", .in, ids).orderBy("agent_id").all(AgentChatMemberRow.self)
        return Dictionary(grouping: rows, by: \.agentChatId).mapValues { $0.map(\.agentId) }
    }

    func addAgentChatMessage(agentChatId: Int, agentId: Int, content: String, at time: Int64) async throws {
        try await self.sql.insert(into: "agent_chat_messages").row(
            AgentChatMessageRow(agentChatId: agentChatId, time: time, agentId: agentId, content: content)
        ).run()
    }
}

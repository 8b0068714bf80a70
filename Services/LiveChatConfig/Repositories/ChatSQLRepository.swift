import SQLKit
import ServiceKit
import WireModels

/// Chats, offline messages and agent chats on SQLite or PostgreSQL, on one transaction's connection (`tx.chats`),
/// so the runtime can put a chat change and its webhook events in one; SQLKit's builders and Codable rows. The
/// history searches are in `ChatSQLRepository+History.swift`.
struct ChatSQLRepository: Sendable {
    let sql: any SQLDatabase

    // MARK: Chats

    func create(_ chat: ChatRecord) async throws -> Int {
        let id = Int(try await self.sql.insert(into: "chats").row(chat, excluding: ["id"]).returning("id").first(IDRow.self)?.id ?? 0)
        try await self.addParticipants(chat.participants, chatId: id)
        return id
    }

    /// Writes what changes in a chat after it starts, and adds its new participants.
    func update(_ chat: ChatRecord) async throws {
        try await self.sql.update("chats")
            .set("department_id", to: chat.departmentId).set("agent_id", to: chat.agentId).set("status", to: chat.status)
            .set("accept_time", to: chat.acceptTime).set("end_time", to: chat.endTime).set("postchat", to: chat.postchat)
            .set("wrapup", to: chat.wrapup).set("wrapup_category_id", to: chat.wrapupCategoryId).set("attachments", to: chat.attachments)
            .where("id", .equal, chat.id).where("site_id", .equal, chat.siteId)
            .run()
        try await self.addParticipants(chat.participants, chatId: chat.id)
    }

    func addParticipants(_ agents: [Int], chatId: Int) async throws {
        guard !agents.isEmpty else { return }
        try await self.sql.insert(into: "chat_agents").rows(agents.map { ChatAgentRow(chatId: chatId, agentId: $0) })
            .ignoringConflicts(with: ["chat_id", "agent_id"]).run()
    }

    func addMessage(_ message: ChatMessageRecord, chatId: Int) async throws {
        var message = message
        message.chatId = chatId
        try await self.sql.insert(into: "chat_messages").row(message).run()
    }

    /// The chat in the site; `locked` (PostgreSQL's `FOR UPDATE`) in a transaction that changes it.
    func chat(id: Int, siteId: String, locked: Bool = false) async throws -> ChatRecord? {
        try await self.first(self.selectChats(siteId: siteId).where("id", .equal, id), locked: locked)
    }

    /// The chat a visitor's token opens.
    func chat(id: Int, visitorTokenHash: String, locked: Bool = false) async throws -> ChatRecord? {
        try await self.first(self.selectChats().where("id", .equal, id).where("visitor_token_hash", .equal, visitorTokenHash), locked: locked)
    }

    func first(_ select: SQLSelectBuilder, locked: Bool) async throws -> ChatRecord? {
        try await self.records(locked ? select.for(.update) : select).first
    }

    func messages(chatId: Int) async throws -> [ChatMessageRecord] {
        try await self.messages(chatIds: [chatId])[chatId] ?? []
    }

    /// The transcripts of `chatIds`, in one query.
    func messages(chatIds: [Int]) async throws -> [Int: [ChatMessageRecord]] {
        guard !chatIds.isEmpty else { return [:] }
        let rows = try await self.sql.select().columns("chat_id", "time", "sender", "type", "content").from("chat_messages")
            .where("chat_id", .in, chatIds).orderBy("chat_id").orderBy("id").all(ChatMessageRecord.self)
        return Dictionary(grouping: rows, by: \.chatId)
    }

    /// Chats requested in `[from, to)`, oldest first.
    func chats(siteId: String, from: Int64, to: Int64) async throws -> [ChatRecord] {
        try await self.records(
            self.selectChats(siteId: siteId).where("request_time", .greaterThanOrEqual, from).where("request_time", .lessThan, to)
                .orderBy("request_time").orderBy("id")
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

    /// A select of every column of chats; of the site's with `siteId`.
    func selectChats(siteId: String? = nil) -> SQLSelectBuilder {
        let select = self.sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("chats"))).from("chats")
        return siteId.map { select.where(SQLColumn("site_id", table: "chats"), .equal, SQLBind($0)) } ?? select
    }

    /// The chats `select` finds, with their participants (read in one query for all of them).
    func records(_ select: SQLSelectBuilder) async throws -> [ChatRecord] {
        try await self.records(select.all(ChatRecord.self))
    }

    func records(_ chats: [ChatRecord]) async throws -> [ChatRecord] {
        guard !chats.isEmpty else { return [] }
        let rows = try await self.sql.select().columns("chat_id", "agent_id").from("chat_agents")
            .where("chat_id", .in, chats.map(\.id)).orderBy("agent_id").all(ChatAgentRow.self)
        let participants = Dictionary(grouping: rows, by: \.chatId).mapValues { $0.map(\.agentId) }
        return chats.map { chat in
            var chat = chat
            chat.participants = participants[chat.id] ?? []
            return chat
        }
    }

    // MARK: Round robin

    func lastAllocated(siteId: String, departmentId: Int) async throws -> Int? {
        try await self.sql.select().column(SQLColumn("last_agent_id"), as: "agent_id").from("allocation_cursors")
            .where("site_id", .equal, siteId).where("department_id", .equal, departmentId).first(AgentRow.self)?.agentId
    }

    func setLastAllocated(_ agentId: Int, siteId: String, departmentId: Int) async throws {
        try await self.sql.insert(into: "allocation_cursors").columns("site_id", "department_id", "last_agent_id")
            .values(SQLBind(siteId), SQLBind(departmentId), SQLBind(agentId))
            .onConflict(with: ["site_id", "department_id"]) { $0.set(excludedValueOf: "last_agent_id") }
            .run()
    }

    // MARK: Offline messages

    func create(_ message: OfflineMessageRecord) async throws -> Int {
        Int(try await self.sql.insert(into: "offline_messages").row(message, excluding: ["id"]).returning("id").first(IDRow.self)?.id ?? 0)
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
        else { return nil }
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

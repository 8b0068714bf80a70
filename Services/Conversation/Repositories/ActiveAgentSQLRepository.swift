import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The agents who have a conversation open in their active work area (spec §5.8).
struct ActiveAgentSQLRepository {
    let sql: any SQLDatabase

    /// The conversation's active agents in the order they became active.
    func agents(of id: Int64) async throws -> [String] {
        try await self.sql.select().column("*").from("conversation_active_agents").where("conversation_id", .equal, id).orderBy("since")
            .orderBy("agent_id").all(ActiveAgentRow.self).map(\.agentId)
    }

    /// Which of `ids` `agent` has open.
    func active(among ids: [Int64], agent: String) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await self.sql.select().column("conversation_id", as: "id").from("conversation_active_agents")
            .where("conversation_id", .in, ids).where("agent_id", .equal, agent).all(IDRow.self)
        return Set(rows.map(\.id))
    }

    /// Adds `agent` to the conversation's active agents (kept where it was when it is one already) or removes it.
    func set(_ agent: String, active: Bool, conversation id: Int64, site: String, now: Int64) async throws {
        if !active {
            try await self.sql.delete(from: "conversation_active_agents").where("conversation_id", .equal, id).where("agent_id", .equal, agent).run()
            return
        }
        guard try await self.active(among: [id], agent: agent).isEmpty else { return }
        // After everyone already there, even within the same millisecond.
        let latest =
            try await self.sql.select().column(SQLFunction("MAX", args: SQLColumn("since")), as: "count").from("conversation_active_agents")
            .where("conversation_id", .equal, id).first(OptionalCountRow.self)?.count
        try await self.sql.insert(into: "conversation_active_agents")
            .row(ActiveAgentRow(conversationId: id, siteId: site, agentId: agent, since: max(now, (latest ?? now) + 1))).run()
    }
}

extension Tx {
    var activeAgents: ActiveAgentSQLRepository { ActiveAgentSQLRepository(sql: self.sql) }
}

/// A row of one possibly NULL `count` column.
struct OptionalCountRow: Codable, Sendable {
    var count: Int64?
}

/// A `conversation_active_agents` row.
struct ActiveAgentRow: Codable, Sendable {
    var conversationId: Int64
    var siteId, agentId: String
    var since: Int64
}

extension ConversationStore {
    /// `conversations` with `isActive` as it is for `agent` (spec §5.8: per agent).
    static func markActive(_ conversations: [AnytimeConversation], agent: String, tx: Tx) async throws -> [AnytimeConversation] {
        let active = try await tx.activeAgents.active(among: conversations.map { Int64($0.id) }, agent: agent)
        return conversations.map {
            var conversation = $0
            conversation.isActive = active.contains(Int64($0.id))
            return conversation
        }
    }
}

import Foundation
import SQLKit
import ServiceKit
import WireModels

/// ``LiveChatAgentRepository`` on SQLite or PostgreSQL: the `agents` table and `department_agents`.
struct LiveChatAgentSQLRepository: LiveChatAgentRepository {
    let database: Database

    func agent(id: Int, siteId: String) async throws -> LiveChatAgentRecord? {
        try await self.records(
            try await self.database.sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM agents WHERE id = \(bind: id) AND site_id = \(bind: siteId)
                """
            ).all(), siteId: siteId
        ).first
    }

    func agents(siteId: String) async throws -> [LiveChatAgentRecord] {
        try await self.records(
            try await self.database.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM agents WHERE site_id = \(bind: siteId) ORDER BY id").all(),
            siteId: siteId)
    }

    func update(_ agent: LiveChatAgentRecord, siteId: String) async throws {
        try await self.database.withTransaction { database in
            try await database.raw(
                """
                UPDATE agents SET status = \(bind: agent.status), max_chats_count = \(bind: agent.maxChatsCount), is_accept_allocation = \(bind: agent.isAcceptAllocation)
                WHERE id = \(bind: agent.id) AND site_id = \(bind: siteId)
                """
            ).run()
            try await database.raw("DELETE FROM department_agents WHERE agent_id = \(bind: agent.id) AND site_id = \(bind: siteId)").run()
            for department in Set(agent.departments) {
                try await database.raw(
                    "INSERT INTO department_agents (site_id, department_id, agent_id) VALUES (\(bind: siteId), \(bind: department), \(bind: agent.id))"
                ).run()
            }
        }
    }

    func updateAdministration(_ change: AgentAdministrationChange, id: Int, siteId: String) async throws {
        let sql = self.database.sql
        let displayName = change.displayName
        let isAdministrator = change.isAdministrator
        let isActive = change.isActive
        if let displayName {
            try await sql.raw("UPDATE agents SET display_name = \(bind: displayName) WHERE id = \(bind: id) AND site_id = \(bind: siteId)").run()
        }
        if let isAdministrator {
            try await sql.raw("UPDATE agents SET is_administrator = \(bind: isAdministrator) WHERE id = \(bind: id) AND site_id = \(bind: siteId)")
                .run()
        }
        if let permissions = change.permissions {
            let json = String(decoding: try JSONEncoder().encode(permissions), as: UTF8.self)
            try await sql.raw("UPDATE agents SET permissions = \(bind: json) WHERE id = \(bind: id) AND site_id = \(bind: siteId)").run()
        }
        if let apiKey = change.apiKey {
            try await sql.raw(
                "UPDATE agents SET api_key_hash = \(bind: SecretHasher.tokenHash(apiKey)) WHERE id = \(bind: id) AND site_id = \(bind: siteId)"
            ).run()
        }
        if let password = change.password {
            let hash = try SecretHasher.passwordHash(password)
            try await sql.raw("UPDATE agents SET password_hash = \(bind: hash) WHERE id = \(bind: id) AND site_id = \(bind: siteId)").run()
        }
        if isActive == false {
            // A disabled agent's tokens stop working at once.
            try await sql.raw("DELETE FROM oauth_tokens WHERE agent_id = \(bind: id) AND site_id = \(bind: siteId)").run()
        }
        if let isActive {
            try await sql.raw("UPDATE agents SET is_active = \(bind: isActive) WHERE id = \(bind: id) AND site_id = \(bind: siteId)").run()
        }
    }

    func members(departmentId: Int, siteId: String) async throws -> [Int] {
        try await self.database.sql.raw(
            """
            SELECT agent_id FROM department_agents WHERE department_id = \(bind: departmentId) AND site_id = \(bind: siteId) ORDER BY agent_id
            """
        ).all().map { try $0.decode(column: "agent_id", as: Int.self) }
    }

    func setMembers(_ agentIds: [Int], departmentId: Int, siteId: String) async throws {
        try await self.database.withTransaction { database in
            try await database.raw("DELETE FROM department_agents WHERE department_id = \(bind: departmentId) AND site_id = \(bind: siteId)").run()
            for agent in Set(agentIds) {
                try await database.raw(
                    "INSERT INTO department_agents (site_id, department_id, agent_id) VALUES (\(bind: siteId), \(bind: departmentId), \(bind: agent))"
                ).run()
            }
        }
    }

    func resetStatus(_ status: String, siteId: String) async throws {
        try await self.database.sql.raw(
            """
            UPDATE agents SET status = 'away' WHERE site_id = \(bind: siteId) AND LOWER(status) = \(bind: status.lowercased())
            """
        ).run()
    }

    static let columns = "id, email, display_name, is_active, status, max_chats_count, is_accept_allocation"

    /// Adds departments and the count of ongoing chats to agent rows: two queries for the site, whatever the
    /// number of agents, as chat allocation reads every agent of the site.
    func records(_ rows: [any SQLRow], siteId: String) async throws -> [LiveChatAgentRecord] {
        guard !rows.isEmpty else { return [] }
        var departments: [Int: [Int]] = [:]
        for membership in try await self.database.sql.raw(
            """
            SELECT agent_id, department_id FROM department_agents WHERE site_id = \(bind: siteId) ORDER BY department_id
            """
        ).all() {
            departments[try membership.decode(column: "agent_id", as: Int.self), default: []].append(
                try membership.decode(column: "department_id", as: Int.self))
        }
        let ongoing = try await ChatSQLRepository(sql: self.database.sql).ongoingChats(siteId: siteId)
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            return LiveChatAgentRecord(
                id: id, email: try row.decode(column: "email", as: String.self), displayName: try row.decode(column: "display_name", as: String.self),
                isActive: try row.decode(column: "is_active", as: Bool.self), status: try row.decode(column: "status", as: String.self),
                maxChatsCount: try row.decode(column: "max_chats_count", as: Int.self),
                isAcceptAllocation: try row.decode(column: "is_accept_allocation", as: Bool.self),
                departments: departments[id] ?? [], ongoingChats: ongoing[id] ?? 0
            )
        }
    }
}

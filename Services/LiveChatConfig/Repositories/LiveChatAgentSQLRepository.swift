import SQLKit
import ServiceKit
import WireModels

/// An agent as live chat sees it: identity, state and allocation settings.
struct LiveChatAgentRecord: Decodable, Sendable, Equatable {
    var id: Int
    var email: String
    var displayName: String
    var isActive: Bool
    var status: String
    var maxChatsCount: Int
    var isAcceptAllocation: Bool
    var departments: [Int] = []
    /// Chats the agent is in now.
    var ongoingChats = 0

    /// The `agents` columns; departments and load come from their own tables.
    enum CodingKeys: String, CodingKey { case id, email, displayName, isActive, status, maxChatsCount, isAcceptAllocation }

    var wire: LiveChatAgent {
        LiveChatAgent(
            id: self.id, status: self.status, ongoingChats: self.ongoingChats, departments: self.departments, maxChatsCount: self.maxChatsCount,
            isAcceptAllocation: self.isAcceptAllocation)
    }

    /// What other services read of the agent.
    var directory: DirectoryAgent {
        DirectoryAgent(
            id: self.id, email: self.email, displayName: self.displayName, isActive: self.isActive, status: self.status,
            departments: self.departments, ongoingChats: self.ongoingChats, maxChatsCount: self.maxChatsCount,
            isAcceptAllocation: self.isAcceptAllocation)
    }
}

/// The administration extension's changes to an agent (secrets are stored hashed).
struct AgentAdministrationChange: Decodable, Sendable {
    var displayName: String?
    var isAdministrator: Bool?
    var permissions: [String]?
    var isActive: Bool?
    var apiKey: String?
    var password: String?
    /// Live chat settings, as `PUT /agents/{id}` takes them.
    var status: String?
    var maxChatsCount: Int?
    var isAcceptAllocation: Bool?
    var departments: [Int]?
}

/// A `department_agents` row.
struct MembershipRow: Codable, Sendable {
    var siteId: String
    var departmentId: Int
    var agentId: Int
}

/// Agents' live chat settings and department membership, in `agents` and `department_agents`. Membership is one
/// relation, read from both sides (Department `agents`, Agent `departments`).
struct LiveChatAgentSQLRepository: Sendable {
    let database: Database

    func agent(id: Int, siteId: String) async throws -> LiveChatAgentRecord? {
        try await self.agents(siteId: siteId, id: id).first
    }

    /// The site's agents (only `id` when given) with their departments and the count of their ongoing chats: three
    /// queries on one snapshot, whatever the number of agents, as chat allocation reads every agent of the site.
    func agents(siteId: String, id: Int? = nil) async throws -> [LiveChatAgentRecord] {
        try await self.database.read { tx in
            let select = tx.sql.select().columns("id", "email", "display_name", "is_active", "status", "max_chats_count", "is_accept_allocation")
                .from("agents").where("site_id", .equal, siteId).orderBy("id")
            if let id { select.where("id", .equal, id) }
            let agents = try await select.all(LiveChatAgentRecord.self)
            guard !agents.isEmpty else { return [] }
            let memberships = try await tx.sql.select().columns("site_id", "department_id", "agent_id").from("department_agents")
                .where("site_id", .equal, siteId).orderBy("department_id").all(MembershipRow.self)
            let departments = Dictionary(grouping: memberships, by: \.agentId).mapValues { $0.map(\.departmentId) }
            let ongoing = try await tx.chats.ongoingChats(siteId: siteId)
            return agents.map { agent in
                var agent = agent
                agent.departments = departments[agent.id] ?? []
                agent.ongoingChats = ongoing[agent.id] ?? 0
                return agent
            }
        }
    }

    /// Writes status, maximum chats, allocation flag and departments.
    func update(_ agent: LiveChatAgentRecord, siteId: String) async throws {
        try await self.database.transaction { tx in
            try await tx.sql.update("agents").set("status", to: agent.status).set("max_chats_count", to: agent.maxChatsCount)
                .set("is_accept_allocation", to: agent.isAcceptAllocation).where("id", .equal, agent.id).where("site_id", .equal, siteId).run()
            try await tx.sql.delete(from: "department_agents").where("agent_id", .equal, agent.id).where("site_id", .equal, siteId).run()
            try await Self.insert(Set(agent.departments).map { MembershipRow(siteId: siteId, departmentId: $0, agentId: agent.id) }, tx)
        }
    }

    /// Changes what the administration extension manages, in one statement; nil members stay as they are. A
    /// disabled agent's tokens stop working at once.
    func updateAdministration(_ change: AgentAdministrationChange, id: Int, siteId: String) async throws {
        let passwordHash = try change.password.map { try SecretHasher.passwordHash($0) }
        try await self.database.transaction { tx in
            let update = tx.sql.update("agents").where("id", .equal, id).where("site_id", .equal, siteId)
            if let displayName = change.displayName { update.set("display_name", to: displayName) }
            if let isAdministrator = change.isAdministrator { update.set("is_administrator", to: isAdministrator) }
            if let permissions = change.permissions { update.set("permissions", to: JSONText(permissions)) }
            if let apiKey = change.apiKey { update.set("api_key_hash", to: SecretHasher.tokenHash(apiKey)) }
            if let passwordHash { update.set("password_hash", to: passwordHash) }
            if let isActive = change.isActive { update.set("is_active", to: isActive) }
            if !update.update.values.isEmpty { try await update.run() }
            if change.isActive == false {
                try await tx.sql.delete(from: "oauth_tokens").where("agent_id", .equal, id).where("site_id", .equal, siteId).run()
            }
        }
    }

    func members(departmentId: Int, siteId: String) async throws -> [Int] {
        try await self.database.readStatement { sql in
            try await sql.select().columns("site_id", "department_id", "agent_id").from("department_agents")
                .where("department_id", .equal, departmentId).where("site_id", .equal, siteId).orderBy("agent_id").all(MembershipRow.self).map(
                    \.agentId)
        }
    }

    func setMembers(_ agentIds: [Int], departmentId: Int, siteId: String) async throws {
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "department_agents").where("department_id", .equal, departmentId).where("site_id", .equal, siteId).run()
            try await Self.insert(Set(agentIds).map { MembershipRow(siteId: siteId, departmentId: departmentId, agentId: $0) }, tx)
        }
    }

    /// Agents in a status that no longer exists go back to `away`.
    func resetStatus(_ status: String, siteId: String) async throws {
        try await self.database.transaction { tx in
            try await tx.sql.update("agents").set("status", to: "away").where("site_id", .equal, siteId)
                .where(SQLFunction("LOWER", args: SQLColumn("status")), .equal, SQLBind(status.lowercased())).run()
        }
    }

    static func insert(_ memberships: [MembershipRow], _ tx: Tx) async throws {
        if !memberships.isEmpty { try await tx.sql.insert(into: "department_agents").rows(memberships).run() }
    }
}

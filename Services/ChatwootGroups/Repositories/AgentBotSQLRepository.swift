import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Agent bots on SQLite or PostgreSQL: account bots (`account_id`) and global ones (made by platform apps).
struct AgentBotSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let tokens: AccessTokenSQLRepository

    /// An agent bot row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int?
        var name: String
        var description: String?
        var outgoingUrl: String?
        var botType: String
        var botConfig: String
        var avatarUrl: String?
    }

    /// What a create or an update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var name: String?
        var description: String?
        var outgoingUrl: String?
        var avatarUrl: String?
        var botConfig: JSONValue?
        var accountID: Int?
    }

    /// Bots of an account, or (`account` nil) those a platform app created.
    func list(account: Int?, app: Int? = nil) async throws -> [ChatwootAgentBot] {
        let rows = try await self.database.readStatement { sql in
            let query = sql.select().columns(Self.columns).from("agent_bots")
            if let account { query.where("account_id", .equal, account) }
            if let app {
                query.where(
                    "id", .in,
                    SQLSubquery.select {
                        $0.column("permissible_id").from("platform_app_permissibles").where("platform_app_id", .equal, app)
                            .where("permissible_type", .equal, "AgentBot")
                    })
            }
            return try await query.orderBy("id").all(Row.self)
        }
        return try await self.answers(rows)
    }

    /// The global bots (no account), which every account may connect to its inboxes.
    func globalBots() async throws -> [ChatwootAgentBot] {
        let rows = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("agent_bots").where("account_id", .is, SQLLiteral.null).orderBy("id").all(Row.self)
        }
        return try await self.answers(rows)
    }

    func create(_ changes: Changes, account: Int?, app: Int?) async throws -> ChatwootAgentBot {
        guard let name = changes.name, !name.isEmpty else { throw ChatwootRows.blank("name") }
        try Self.validate(changes)
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "agent_bots")
                .columns("account_id", "name", "description", "outgoing_url", "bot_config", "avatar_url", "created_at", "updated_at")
                .values(
                    account ?? changes.accountID, name, changes.description, changes.outgoingUrl,
                    try ChatwootRows.text(changes.botConfig ?? .object([:])),
                    changes.avatarUrl, now, now
                ).returning("id").first(IDRow.self)
            let id = Int(row?.id ?? 0)
            try await self.tokens.issue(tx, owner: "AgentBot", id, at: now)
            if let app { try await ChatwootAccess.permit(tx, app: app, .agentBot, id, at: now) }
            return id
        }
        return try await self.get(id, account: account)
    }

    /// A bot; with `account`, only that account's bots (another's, or a global one, is a 404 there).
    func get(_ id: Int, account: Int?) async throws -> ChatwootAgentBot {
        guard let answer = try await self.answers([try await self.row(id, account: account)]).first else { throw ChatwootRows.notFound }
        return answer
    }

    func update(_ id: Int, account: Int?, _ changes: Changes) async throws -> ChatwootAgentBot {
        let current = try await self.row(id, account: account)
        try Self.validate(changes)
        if let name = changes.name, name.isEmpty { throw ChatwootRows.blank("name") }
        let now = self.clock.milliseconds()
        let name = changes.name ?? current.name
        let description = changes.description ?? current.description
        let outgoing = changes.outgoingUrl ?? current.outgoingUrl
        let avatar = changes.avatarUrl ?? current.avatarUrl
        let config = try changes.botConfig.map(ChatwootRows.text) ?? current.botConfig
        let owner: Int? = account ?? changes.accountID ?? current.accountId
        try await self.database.transaction { tx in
            try await tx.sql.update("agent_bots").set("name", to: name).set("description", to: description).set("outgoing_url", to: outgoing)
                .set("avatar_url", to: avatar).set("bot_config", to: config).set("account_id", to: owner).set("updated_at", to: now)
                .where("id", .equal, id).run()
        }
        return try await self.get(id, account: account)
    }

    /// Deletes the bot: its inboxes lose it, its token stops working.
    func delete(_ id: Int, account: Int?) async throws {
        _ = try await self.row(id, account: account)
        try await self.database.transaction { tx in
            try await tx.sql.update("inboxes").set("agent_bot_id", to: SQLLiteral.null).where("agent_bot_id", .equal, id).run()
            try await tx.sql.delete(from: "access_tokens").where("owner_type", .equal, "AgentBot").where("owner_id", .equal, id).run()
            try await tx.sql.delete(from: "platform_app_permissibles").where("permissible_type", .equal, "AgentBot")
                .where("permissible_id", .equal, id).run()
            try await tx.sql.delete(from: "agent_bots").where("id", .equal, id).run()
        }
    }

    func row(_ id: Int, account: Int?) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            let query = sql.select().columns(Self.columns).from("agent_bots").where("id", .equal, id)
            if let account { query.where("account_id", .equal, account) }
            return try await query.first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// The answers, with each bot's token (Chatwoot shows it to the bot's account administrators and owning app).
    func answers(_ rows: [Row]) async throws -> [ChatwootAgentBot] {
        let tokens = try await self.tokens.tokens(owner: "AgentBot", rows.map(\.id))
        return rows.map { row in
            ChatwootAgentBot(
                id: row.id, name: row.name, description: row.description, thumbnail: row.avatarUrl ?? "", outgoingUrl: row.outgoingUrl,
                botType: row.botType, botConfig: ChatwootRows.json(row.botConfig), accountId: row.accountId, accessToken: tokens[row.id])
        }
    }

    private static let columns = ["id", "account_id", "name", "description", "outgoing_url", "bot_type", "bot_config", "avatar_url"]

    private static func validate(_ changes: Changes) throws {
        if let url = changes.outgoingUrl, !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ServiceError(.unprocessableContent, message: "Outgoing url is invalid", field: "outgoing_url")
        }
        _ = try ChatwootRows.object(changes.botConfig, field: "bot_config")
    }
}

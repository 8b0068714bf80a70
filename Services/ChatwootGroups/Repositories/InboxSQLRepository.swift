import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Inboxes and their members on SQLite or PostgreSQL. The inbox's options and channel fields are its `ChatwootInbox`
/// kept as JSON in `settings`; the columns are what others look inboxes up by.
struct InboxSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let users: UserSQLRepository

    private struct Row: Codable {
        var id: Int
        var accountId: Int
        var name: String
        var channelType: String
        var channelId: Int
        var identifier: String?
        var websiteToken: String?
        var hmacToken: String?
        var agentBotId: Int?
        var settings: String
    }

    /// Chatwoot's channel types by the name `channel.type` gives them.
    static let channelTypes = [
        "web_widget": "Channel::WebWidget", "api": "Channel::Api", "email": "Channel::Email", "line": "Channel::Line",
        "telegram": "Channel::Telegram", "whatsapp": "Channel::Whatsapp", "sms": "Channel::Sms",
    ]

    /// The inboxes with these ids, by name (Chatwoot's `order_by_name`).
    func list(account: Int, ids: [Int]) async throws -> [ChatwootInbox] {
        guard !ids.isEmpty else { return [] }
        let rows = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("inboxes").where("account_id", .equal, account).where("id", .in, ids)
                .orderBy(SQLFunction("LOWER", args: SQLIdentifier("name"))).orderBy("id").all(Row.self)
        }
        return try rows.map(Self.answer)
    }

    /// One inbox of the account (404 otherwise).
    func inbox(_ id: Int, account: Int) async throws -> ChatwootInbox {
        try Self.answer(try await self.row(id, account: account))
    }

    /// The bot connected to the inbox, if any.
    func agentBotID(_ id: Int, account: Int) async throws -> Int? {
        try await self.row(id, account: account).agentBotId
    }

    func create(account: Int, _ inbox: ChatwootInbox, identifier: String?, websiteToken: String?, hmacToken: String?) async throws -> ChatwootInbox {
        let now = self.clock.milliseconds()
        let settings = try ChatwootRows.text(encoding: inbox)
        let id = try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "inboxes")
                .columns(
                    "account_id", "name", "channel_type", "channel_id", "identifier", "website_token", "hmac_token", "settings", "created_at",
                    "updated_at"
                )
                .values(account, inbox.name, inbox.channelType, 0, identifier, websiteToken, hmacToken, settings, now, now).returning("id")
                .first(IDRow.self)
            let id = Int(row?.id ?? 0)
            // Each inbox has its own channel: the channel's id is the inbox's.
            try await tx.sql.update("inboxes").set("channel_id", to: id).where("id", .equal, id).run()
            return id
        }
        return try await self.inbox(id, account: account)
    }

    /// Stores the changed inbox.
    func save(_ inbox: ChatwootInbox) async throws -> ChatwootInbox {
        let now = self.clock.milliseconds()
        let settings = try ChatwootRows.text(encoding: inbox)
        try await self.database.transaction { tx in
            try await tx.sql.update("inboxes").set("name", to: inbox.name).set("settings", to: settings).set("updated_at", to: now)
                .where("id", .equal, inbox.id).where("account_id", .equal, inbox.accountId).run()
        }
        return try await self.inbox(inbox.id, account: inbox.accountId)
    }

    /// Connects a bot to the inbox, or (nil) disconnects it.
    func setAgentBot(_ id: Int, account: Int, bot: Int?) async throws {
        _ = try await self.row(id, account: account)
        try await self.database.transaction { tx in
            try await tx.sql.update("inboxes").set("agent_bot_id", to: bot).where("id", .equal, id).run()
        }
    }

    // MARK: Members

    func members(_ id: Int, account: Int) async throws -> [ChatwootAgent] {
        _ = try await self.row(id, account: account)
        return try await self.users.agents(account: account, ids: try await self.memberIDs(id))
    }

    /// Adds members; answers all of the inbox's members.
    func add(_ id: Int, account: Int, users ids: [Int]) async throws -> [ChatwootAgent] {
        _ = try await self.row(id, account: account)
        try await self.requireMembers(ids, account: account)
        let existing = Set(try await self.memberIDs(id))
        try await self.insert(id, Array(Set(ids).subtracting(existing)).sorted())
        return try await self.members(id, account: account)
    }

    /// Makes the members exactly `ids`; answers them.
    func replace(_ id: Int, account: Int, users ids: [Int]) async throws -> [ChatwootAgent] {
        _ = try await self.row(id, account: account)
        try await self.requireMembers(ids, account: account)
        let existing = Set(try await self.memberIDs(id))
        let wanted = Set(ids)
        let gone = Array(existing.subtracting(wanted))
        if !gone.isEmpty {
            try await self.database.transaction { tx in
                try await tx.sql.delete(from: "inbox_members").where("inbox_id", .equal, id).where("user_id", .in, gone).run()
            }
        }
        try await self.insert(id, Array(wanted.subtracting(existing)).sorted())
        return try await self.members(id, account: account)
    }

    func remove(_ id: Int, account: Int, users ids: [Int]) async throws {
        _ = try await self.row(id, account: account)
        try await self.requireMembers(ids, account: account)
        guard !ids.isEmpty else { return }
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "inbox_members").where("inbox_id", .equal, id).where("user_id", .in, ids).run()
        }
    }

    // MARK: Helpers

    private func insert(_ id: Int, _ users: [Int]) async throws {
        guard !users.isEmpty else { return }
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let insert = tx.sql.insert(into: "inbox_members").columns("inbox_id", "user_id", "created_at")
            for user in users { insert.values(id, user, now) }
            try await insert.run()
        }
    }

    private func memberIDs(_ id: Int) async throws -> [Int] {
        try await self.database.readStatement { sql in
            try await sql.select().column("user_id", as: "id").from("inbox_members").where("inbox_id", .equal, id).all(IDRow.self)
        }.map { Int($0.id) }
    }

    private func requireMembers(_ ids: [Int], account: Int) async throws {
        let members = try await self.users.memberIDs(account: account, among: ids)
        guard Set(ids).isSubset(of: members) else {
            throw ServiceError(.unprocessableContent, message: "Invalid User IDs", field: "user_ids")
        }
    }

    private func row(_ id: Int, account: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("inboxes").where("id", .equal, id).where("account_id", .equal, account).first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    private static let columns = [
        "id", "account_id", "name", "channel_type", "channel_id", "identifier", "website_token", "hmac_token", "agent_bot_id", "settings",
    ]

    private static func answer(_ row: Row) throws -> ChatwootInbox {
        var inbox = try ChatwootRows.decode(ChatwootInbox.self, row.settings)
        inbox.id = row.id
        inbox.accountId = row.accountId
        inbox.name = row.name
        inbox.channelType = row.channelType
        inbox.channelId = row.channelId
        inbox.inboxIdentifier = row.identifier
        inbox.websiteToken = row.websiteToken
        inbox.hmacToken = row.hmacToken
        return inbox
    }
}

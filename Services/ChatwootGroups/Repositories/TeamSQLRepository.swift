import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Teams and their members on SQLite or PostgreSQL.
struct TeamSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let users: UserSQLRepository

    private struct Row: Codable {
        var id: Int
        var accountId: Int
        var name: String
        var description: String?
        var allowAutoAssign: Bool
        var isMember: Int
    }

    /// The account's teams by name, each saying whether `viewer` is in it.
    func list(account: Int, viewer: Int?) async throws -> [ChatwootTeam] {
        try await self.rows(account: account, id: nil, viewer: viewer).map(Self.answer)
    }

    func get(_ id: Int, account: Int, viewer: Int?) async throws -> ChatwootTeam {
        guard let row = try await self.rows(account: account, id: id, viewer: viewer).first else { throw ChatwootRows.notFound }
        return Self.answer(row)
    }

    func create(account: Int, name: String?, description: String?, allowAutoAssign: Bool?, viewer: Int?) async throws -> ChatwootTeam {
        guard let name, !name.isEmpty else { throw ChatwootRows.blank("name") }
        try await self.requireUniqueName(name, account: account, except: nil)
        let now = self.clock.milliseconds()
        let row = try await self.database.transaction { tx in
            try await tx.sql.insert(into: "teams").columns("account_id", "name", "description", "allow_auto_assign", "created_at", "updated_at")
                .values(account, name, description, allowAutoAssign ?? true, now, now).returning("id").first(IDRow.self)
        }
        return try await self.get(Int(row?.id ?? 0), account: account, viewer: viewer)
    }

    func update(_ id: Int, account: Int, name: String?, description: String?, allowAutoAssign: Bool?, viewer: Int?) async throws -> ChatwootTeam {
        let current = try await self.get(id, account: account, viewer: viewer)
        if let name {
            guard !name.isEmpty else { throw ChatwootRows.blank("name") }
            try await self.requireUniqueName(name, account: account, except: id)
        }
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.update("teams").set("name", to: name ?? current.name).set("description", to: description ?? current.description)
                .set("allow_auto_assign", to: allowAutoAssign ?? current.allowAutoAssign).set("updated_at", to: now).where("id", .equal, id).run()
        }
        return try await self.get(id, account: account, viewer: viewer)
    }

    func delete(_ id: Int, account: Int) async throws {
        _ = try await self.get(id, account: account, viewer: nil)
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "team_members").where("team_id", .equal, id).run()
            try await tx.sql.delete(from: "teams").where("id", .equal, id).run()
        }
    }

    // MARK: Members

    /// The team's members as agents.
    func members(_ id: Int, account: Int) async throws -> [ChatwootAgent] {
        _ = try await self.get(id, account: account, viewer: nil)
        return try await self.users.agents(account: account, ids: try await self.memberIDs(id))
    }

    /// Adds members (already members are kept); answers the members added.
    func add(_ id: Int, account: Int, users ids: [Int]) async throws -> [ChatwootAgent] {
        _ = try await self.get(id, account: account, viewer: nil)
        try await self.requireMembers(ids, account: account)
        let existing = Set(try await self.memberIDs(id))
        let new = Array(Set(ids).subtracting(existing)).sorted()
        try await self.insert(id, new)
        return try await self.users.agents(account: account, ids: new)
    }

    /// Makes the members exactly `ids`; answers them.
    func replace(_ id: Int, account: Int, users ids: [Int]) async throws -> [ChatwootAgent] {
        _ = try await self.get(id, account: account, viewer: nil)
        try await self.requireMembers(ids, account: account)
        let existing = Set(try await self.memberIDs(id))
        let wanted = Set(ids)
        let gone = Array(existing.subtracting(wanted))
        if !gone.isEmpty {
            try await self.database.transaction { tx in
                try await tx.sql.delete(from: "team_members").where("team_id", .equal, id).where("user_id", .in, gone).run()
            }
        }
        try await self.insert(id, Array(wanted.subtracting(existing)).sorted())
        return try await self.users.agents(account: account, ids: Array(wanted))
    }

    /// Removes members.
    func remove(_ id: Int, account: Int, users ids: [Int]) async throws {
        _ = try await self.get(id, account: account, viewer: nil)
        try await self.requireMembers(ids, account: account)
        guard !ids.isEmpty else { return }
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "team_members").where("team_id", .equal, id).where("user_id", .in, ids).run()
        }
    }

    // MARK: Helpers

    private func insert(_ id: Int, _ users: [Int]) async throws {
        guard !users.isEmpty else { return }
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let insert = tx.sql.insert(into: "team_members").columns("team_id", "user_id", "created_at")
            for user in users { insert.values(id, user, now) }
            try await insert.run()
        }
    }

    private func memberIDs(_ id: Int) async throws -> [Int] {
        try await self.database.readStatement { sql in
            try await sql.select().column("user_id", as: "id").from("team_members").where("team_id", .equal, id).all(IDRow.self)
        }.map { Int($0.id) }
    }

    /// Every id must be a member of the account (Chatwoot: `Invalid User IDs`).
    private func requireMembers(_ ids: [Int], account: Int) async throws {
        let members = try await self.users.memberIDs(account: account, among: ids)
        guard Set(ids).isSubset(of: members) else {
            throw ServiceError(.unprocessableContent, message: "Invalid User IDs", field: "user_ids")
        }
    }

    private func requireUniqueName(_ name: String, account: Int, except: Int?) async throws {
        let clash = try await self.database.readStatement { sql in
            let query = sql.select().column("id").from("teams").where("account_id", .equal, account)
                .where(SQLFunction("LOWER", args: SQLIdentifier("name")), .equal, SQLBind(name.lowercased()))
            if let except { query.where("id", .notEqual, except) }
            return try await query.first(IDRow.self)
        }
        if clash != nil { throw ServiceError(.unprocessableContent, message: "Name has already been taken", field: "name") }
    }

    private func rows(account: Int, id: Int?, viewer: Int?) async throws -> [Row] {
        try await self.database.readStatement { sql in
            let member = SQLSubquery.select {
                $0.column(SQLFunction("COUNT", args: SQLLiteral.all)).from("team_members")
                    .where(SQLColumn("team_id", table: "team_members"), .equal, SQLColumn("id", table: "teams"))
                    .where(SQLColumn("user_id", table: "team_members"), .equal, SQLBind(viewer ?? 0))
            }
            let query = sql.select().columns("id", "account_id", "name", "description", "allow_auto_assign").column(member, as: "is_member")
                .from("teams").where("account_id", .equal, account)
            if let id { query.where("id", .equal, id) }
            return try await query.orderBy(SQLFunction("LOWER", args: SQLIdentifier("name"))).orderBy("id").all(Row.self)
        }
    }

    private static func answer(_ row: Row) -> ChatwootTeam {
        ChatwootTeam(
            id: row.id, name: row.name, description: row.description, allowAutoAssign: row.allowAutoAssign, accountId: row.accountId,
            isMember: row.isMember > 0)
    }
}

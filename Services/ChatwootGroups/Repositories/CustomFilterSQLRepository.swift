import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Saved filters on SQLite or PostgreSQL: each user sees and changes only their own, in one account.
struct CustomFilterSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// Chatwoot's `CustomFilter.filter_types`.
    static let types = ["conversation", "contact", "report"]
    /// Chatwoot's `validate_number_of_filters`: at most this many per user and account.
    static let limit = 50

    /// A custom filter row.
    struct Row: Codable, Sendable {
        var id: Int
        var name: String
        var filterType: String
        var query: String
        var createdAt: Int64
        var updatedAt: Int64

        var answer: ChatwootCustomFilter {
            ChatwootCustomFilter(
                id: self.id, name: self.name, filterType: self.filterType, query: ChatwootRows.json(self.query),
                createdAt: ChatwootRows.iso(self.createdAt), updatedAt: ChatwootRows.iso(self.updatedAt))
        }
    }

    /// What a create or an update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var name: String?
        var filterType: String?
        var query: JSONValue?
    }

    private static let columns = ["id", "name", "filter_type", "query", "created_at", "updated_at"]

    /// The user's filters of one type (Chatwoot's default: conversation); an unknown type has none.
    func list(account: Int, user: Int, type: String?) async throws -> [ChatwootCustomFilter] {
        try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("custom_filters").where("account_id", .equal, account).where("user_id", .equal, user)
                .where("filter_type", .equal, type ?? "conversation").orderBy("id").all(Row.self)
        }.map(\.answer)
    }

    func create(account: Int, user: Int, _ changes: Changes) async throws -> ChatwootCustomFilter {
        guard let name = changes.name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ChatwootRows.blank("name") }
        let type = try Self.validType(changes.filterType ?? "conversation")
        guard let query = changes.query else { throw ChatwootRows.blank("query") }
        let text = try ChatwootRows.text(try Self.validQuery(query))
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            let count = try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("custom_filters")
                .where("account_id", .equal, account).where("user_id", .equal, user).first(CountRow.self)
            if (count?.count ?? 0) >= Self.limit {
                throw ServiceError(
                    .unprocessableContent, message: "Account We do not allow creating >50 custom views per account per user", field: "account_id")
            }
            let row = try await tx.sql.insert(into: "custom_filters")
                .columns("account_id", "user_id", "name", "filter_type", "query", "created_at", "updated_at")
                .values(account, user, name, type, text, now, now).returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return try await self.row(id, account: account, user: user).answer
    }

    func get(_ id: Int, account: Int, user: Int) async throws -> ChatwootCustomFilter {
        try await self.row(id, account: account, user: user).answer
    }

    func update(_ id: Int, account: Int, user: Int, _ changes: Changes) async throws -> ChatwootCustomFilter {
        let current = try await self.row(id, account: account, user: user)
        if let name = changes.name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ChatwootRows.blank("name") }
        let type = try Self.validType(changes.filterType ?? current.filterType)
        let query = try changes.query.map { try ChatwootRows.text(try Self.validQuery($0)) } ?? current.query
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.update("custom_filters").set("name", to: changes.name ?? current.name).set("filter_type", to: type)
                .set("query", to: query).set("updated_at", to: now).where("id", .equal, id).where("user_id", .equal, user).run()
        }
        return try await self.row(id, account: account, user: user).answer
    }

    func delete(_ id: Int, account: Int, user: Int) async throws {
        _ = try await self.row(id, account: account, user: user)
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "custom_filters").where("id", .equal, id).where("user_id", .equal, user).run()
        }
    }

    /// One of the user's filters in the account; anyone else's is a 404.
    func row(_ id: Int, account: Int, user: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("custom_filters").where("id", .equal, id).where("account_id", .equal, account)
                .where("user_id", .equal, user).first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// Rails' enum answer for an unknown value.
    private static func validType(_ type: String) throws -> String {
        guard Self.types.contains(type) else {
            throw ServiceError(.unprocessableContent, message: "'\(type)' is not a valid filter_type", field: "filter_type")
        }
        return type
    }

    /// The query is an object (Chatwoot permits `query: {}`, a hash); its `payload`, when given, a list of conditions.
    private static func validQuery(_ query: JSONValue) throws -> JSONValue {
        guard let members = query.object else { throw ServiceError(.unprocessableContent, message: "Query must be an object", field: "query") }
        if let payload = members["payload"] {
            guard case .array(let items) = payload, items.allSatisfy({ $0.object != nil }) else {
                throw ServiceError(.unprocessableContent, message: "Query payload must be a list of conditions", field: "query.payload")
            }
        }
        return query
    }
}

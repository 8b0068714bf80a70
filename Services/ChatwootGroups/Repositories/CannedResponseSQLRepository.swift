import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Canned responses on SQLite or PostgreSQL, one account's at a time.
struct CannedResponseSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// A canned response row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var shortCode: String
        var content: String
        var createdAt: Int64
        var updatedAt: Int64

        var answer: ChatwootCannedResponse {
            ChatwootCannedResponse(
                id: self.id, accountId: self.accountId, shortCode: self.shortCode, content: self.content, createdAt: ChatwootRows.iso(self.createdAt),
                updatedAt: ChatwootRows.iso(self.updatedAt))
        }
    }

    private static let columns = ["id", "account_id", "short_code", "content", "created_at", "updated_at"]

    /// The account's canned responses; with `search`, those whose short code or content contains it (any case), best
    /// first as Chatwoot's `order_by_search` ranks them: short code starting with it, short code containing it, content.
    func list(account: Int, search: String?) async throws -> [ChatwootCannedResponse] {
        try await self.database.readStatement { sql in
            let query = sql.select().columns(Self.columns).from("canned_responses").where("account_id", .equal, account)
            if let search, !search.isEmpty {
                let text = search.lowercased()
                let code = SQLFunction("LOWER", args: SQLColumn("short_code"))
                let content = SQLFunction("LOWER", args: SQLColumn("content"))
                query.where(SQLGroupExpression(SQLBinaryExpression(SQLLike(code, containing: text), .or, SQLLike(content, containing: text))))
                query.orderBy(SearchRank(code: code, content: content, text: text), SQLDirection.descending)
            }
            return try await query.orderBy("id").all(Row.self)
        }.map(\.answer)
    }

    func create(account: Int, shortCode: String?, content: String?) async throws -> ChatwootCannedResponse {
        let (code, text) = try Self.validate(shortCode: shortCode, content: content)
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            try await Self.requireUnique(code, account: account, except: nil, on: tx.sql)
            let row = try await tx.sql.insert(into: "canned_responses").columns("account_id", "short_code", "content", "created_at", "updated_at")
                .values(account, code, text, now, now).returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return try await self.row(id, account: account).answer
    }

    func update(_ id: Int, account: Int, shortCode: String?, content: String?) async throws -> ChatwootCannedResponse {
        let current = try await self.row(id, account: account)
        let (code, text) = try Self.validate(shortCode: shortCode ?? current.shortCode, content: content ?? current.content)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await Self.requireUnique(code, account: account, except: id, on: tx.sql)
            try await tx.sql.update("canned_responses").set("short_code", to: code).set("content", to: text).set("updated_at", to: now)
                .where("id", .equal, id).where("account_id", .equal, account).run()
        }
        return try await self.row(id, account: account).answer
    }

    func delete(_ id: Int, account: Int) async throws {
        _ = try await self.row(id, account: account)
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "canned_responses").where("id", .equal, id).where("account_id", .equal, account).run()
        }
    }

    /// One of the account's canned responses; another account's is a 404.
    func row(_ id: Int, account: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("canned_responses").where("id", .equal, id).where("account_id", .equal, account)
                .first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    private static func validate(shortCode: String?, content: String?) throws -> (String, String) {
        guard let content, !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ChatwootRows.blank("content") }
        guard let shortCode, !shortCode.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ChatwootRows.blank("short_code") }
        guard shortCode.count <= 255 else { throw ServiceError(.unprocessableContent, message: "Short code is too long", field: "short_code") }
        return (shortCode, content)
    }

    private static func requireUnique(_ code: String, account: Int, except id: Int?, on sql: any SQLDatabase) async throws {
        let query = sql.select().column("id").from("canned_responses").where("account_id", .equal, account).where("short_code", .equal, code)
        if let id { query.where("id", .notEqual, id) }
        if try await query.first(IDRow.self) != nil {
            throw ServiceError(.unprocessableContent, message: "Short code has already been taken", field: "short_code")
        }
    }

    /// Chatwoot's rank: 1 when the short code starts with the text, 0.5 when it contains it, 0.2 when the content does.
    private struct SearchRank: SQLExpression {
        let code: any SQLExpression
        let content: any SQLExpression
        let text: String

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("CASE WHEN ")
            SQLPrefixLike(self.code, prefix: self.text).serialize(to: &serializer)
            serializer.write(" THEN 3 WHEN ")
            SQLLike(self.code, containing: self.text).serialize(to: &serializer)
            serializer.write(" THEN 2 WHEN ")
            SQLLike(self.content, containing: self.text).serialize(to: &serializer)
            serializer.write(" THEN 1 ELSE 0 END")
        }
    }

    /// `expression LIKE 'text%' ESCAPE '\'`, with the pattern characters of `text` escaped.
    private struct SQLPrefixLike: SQLExpression {
        let expression: any SQLExpression
        let pattern: String

        init(_ expression: any SQLExpression, prefix text: String) {
            self.expression = expression
            var escaped = ""
            for character in text {
                if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            self.pattern = escaped + "%"
        }

        func serialize(to serializer: inout SQLSerializer) {
            self.expression.serialize(to: &serializer)
            serializer.write(" LIKE ")
            SQLBind(self.pattern).serialize(to: &serializer)
            serializer.write(" ESCAPE '\\'")
        }
    }
}

import HTTPTypes
import Foundation
import SQLKit
import ServiceKit

/// Stores wire documents in one table: the JSON document plus the columns queries filter on.
struct DocumentStore<Document: Codable & Sendable>: Sendable {
    let database: Database
    let table: String

    /// Inserts or replaces a document; `columns` are its filterable values (id first).
    func put(_ document: Document, columns: [(String, (any Encodable & Sendable)?)]) async throws {
        let json = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        let names = columns.map(\.0) + ["document"]
        let values: [any Encodable & Sendable] = columns.map { $0.1 ?? Optional<String>.none } + [json]
        try await self.database.withTransaction { database in
            try await database.raw("DELETE FROM \(unsafeRaw: self.table) WHERE id = \(bind: columns[0].1 ?? "")").run()
            try await database.raw(
                "INSERT INTO \(unsafeRaw: self.table) (\(unsafeRaw: names.joined(separator: ", "))) VALUES (\(binds: values))"
            ).run()
        }
    }

    /// The document with `id`, or nil.
    func get(id: String) async throws -> Document? {
        try await self.database.sql.raw("SELECT document FROM \(unsafeRaw: self.table) WHERE id = \(bind: id)").first().map(Self.decode)
    }

    /// A condition on a column: `=`, `>=` or `<=` a value.
    struct Condition {
        enum Comparison: String {
            case equal = "="
            case atLeast = ">="
            case atMost = "<="
            /// Case-insensitive `LIKE` with `\` as escape: the value is a ``CMIFieldSearch`` pattern.
            case like = "LIKE"
        }

        let column: String
        let comparison: Comparison
        let value: String
    }

    /// The documents whose columns equal the given values (all of them), ordered by `orderBy`, at most `limit`.
    func list(where filters: [(String, String)], orderBy: String, limit: Int?) async throws -> [Document] {
        try await self.list(matching: filters.map { Condition(column: $0.0, comparison: .equal, value: $0.1) }, orderBy: orderBy, limit: limit)
    }

    /// The documents meeting every condition, ordered by `orderBy`, at most `limit`.
    func list(matching conditions: [Condition], orderBy: String, limit: Int?) async throws -> [Document] {
        var query = SQLQueryString("SELECT document FROM \(unsafeRaw: self.table) WHERE 1 = 1")
        for condition in conditions {
            if condition.comparison == .like {
                query.appendInterpolation(unsafeRaw: " AND LOWER(\(condition.column)) LIKE ")
                query.appendInterpolation(bind: condition.value)
                query.appendInterpolation(unsafeRaw: " ESCAPE '\\'")
            } else {
                query.appendInterpolation(unsafeRaw: " AND \(condition.column) \(condition.comparison.rawValue) ")
                query.appendInterpolation(bind: condition.value)
            }
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY \(orderBy), id")
        if let limit { query.appendInterpolation(unsafeRaw: " LIMIT \(limit)") }
        return try await self.database.sql.raw(query).all().map(Self.decode)
    }

    private static func decode(_ row: any SQLRow) throws -> Document {
        try JSONDecoder().decode(Document.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
    }
}

import SQLKit

/// Rows as Codable structs: a property `visitorIp` is the column `visitor_ip`, both ways, and a nil property
/// writes NULL (so rows inserted together always name the same columns). Spell acronyms as words in row
/// properties (`visitorIp`, not `visitorIP`): SQLKit's conversion lowers only a word's first letter (`visitor_iP`).
public enum SQLRowCoding {
    public static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
    public static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
}

extension SQLQueryFetcher {
    /// Every row decoded as `Row`.
    public func all<Row: Decodable>(_ type: Row.Type) async throws -> [Row] {
        try await self.all(decoding: Row.self, with: SQLRowCoding.decoder)
    }

    /// The first row decoded as `Row`, or nil.
    public func first<Row: Decodable>(_ type: Row.Type) async throws -> Row? {
        try await self.first(decoding: Row.self, with: SQLRowCoding.decoder)
    }
}

extension SQLInsertBuilder {
    /// Inserts `row`, one column per property except `excluding` (an `id` the database assigns).
    @discardableResult
    public func row(_ row: some Encodable, excluding: Set<String> = []) throws -> Self {
        let pairs = try SQLRowCoding.encoder.encode(row).filter { !excluding.contains($0.0) }
        return self.columns(pairs.map(\.0)).values(pairs.map(\.1))
    }

    /// Inserts `rows` in one statement.
    @discardableResult
    public func rows(_ rows: [some Encodable]) throws -> Self {
        try self.models(rows, with: SQLRowCoding.encoder)
    }
}

extension SQLColumnUpdateBuilder {
    /// Sets a column for each property of `row`.
    @discardableResult
    public func set(row: some Encodable & Sendable) throws -> Self {
        try self.set(model: row, with: SQLRowCoding.encoder)
    }
}

/// A row that is one `id` column (what `RETURNING id` gives back).
public struct IDRow: Codable, Sendable {
    public var id: Int64
}

/// A row that is one `count` column (what a `COUNT(*) AS count` gives back).
public struct CountRow: Codable, Sendable {
    public var count: Int64
}

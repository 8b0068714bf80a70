import SQLKit
import Synchronization

/// Rows as Codable structs: a property `visitorIp` is the column `visitor_ip`, both ways, and a nil property
/// writes NULL (so rows inserted together always name the same columns). Spell acronyms as words in row
/// properties (`visitorIp`, not `visitorIP`): SQLKit's conversion lowers only a word's first letter (`visitor_iP`).
public enum SQLRowCoding {
    /// SQLKit's `convertFromSnakeCase`, remembered per property name: converting every column of every row again
    /// was 7% of a one-row read (perf), and a page of rows repeats the same few names.
    public static let decoder = SQLRowDecoder(
        keyDecodingStrategy: .custom { path in
            let property = path.last!.stringValue
            return SomeCodingKey(stringValue: columnNames.withLock { $0[property] } ?? remember(property))
        })
    public static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)

    private static let columnNames = Mutex<[String: String]>([:])

    /// The column SQLKit's own conversion gives `property` (asked of its encoder, so the two never disagree).
    private static func remember(_ property: String) -> String {
        let column = (try? encoder.encode(OneProperty(name: property)).first?.0) ?? property
        columnNames.withLock { $0[property] = column }
        return column
    }

    /// A value with one member named at run time.
    private struct OneProperty: Encodable {
        let name: String
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: SomeCodingKey.self)
            try container.encodeNil(forKey: SomeCodingKey(stringValue: self.name))
        }
    }
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

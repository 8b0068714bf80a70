import Foundation

/// A wire type whose `init(from:)` the walk cannot read (it sniffs or branches on values): it states its schema.
public protocol SchemaProviding {
    static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema
    /// A value for members of this type while walking the types that hold it; nil walks `init(from:)` for one.
    static var schemaSample: Self? { get }
}

extension SchemaProviding {
    public static var schemaSample: Self? { nil }
}

/// Opt-in for `CaseIterable & RawRepresentable` enums: documented as `enum` of their raw values.
public protocol SchemaEnumerable: CaseIterable, RawRepresentable, Decodable {}

extension SchemaEnumerable {
    static var schemaCases: [JSONValue] { allCases.map { ($0.rawValue as? String).map(JSONValue.string) ?? .number(Double("\($0.rawValue)") ?? 0) } }
    static var schemaKind: JSONSchema.Kind { RawValue.self == String.self ? .string : .integer }
    static var firstCase: Any? { allCases.first }
}

/// How the dialect's encoder writes keys and dates, so the schema names what goes on the wire.
public struct SchemaOptions: Sendable {
    public enum KeyStyle: Sendable { case useDefaultKeys, snakeCase }
    public enum DateStyle: Sendable { case iso8601, secondsSince1970, millisecondsSince1970 }
    public var keys: KeyStyle = .useDefaultKeys
    public var dates: DateStyle = .iso8601
    public init(keys: KeyStyle = .useDefaultKeys, dates: DateStyle = .iso8601) {
        self.keys = keys
        self.dates = dates
    }
}

/// What a type cannot be walked for; names the type and the coding path.
public struct SchemaDerivationError: Error, CustomStringConvertible {
    public var type: String
    public var path: String
    public var reason: String
    public var description: String { "\(type) at \(path.isEmpty ? "<root>" : path): \(reason)" }
}

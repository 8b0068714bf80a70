import Foundation

/// Members of a Comm100 Outreach/Contact request read by name in any case (`FieldName` is `fieldName`, spec §2.11),
/// each under its aliases (the seed's singular and plural spellings, its model and example names).
///
/// The schema walk sees no keys, so it reads (and documents) every name asked for.
struct OutreachMembers {
    let container: KeyedDecodingContainer<OutreachKey>
    private let present: [String: OutreachKey]

    init(_ decoder: any Decoder) throws {
        self.container = try decoder.container(keyedBy: OutreachKey.self)
        var present: [String: OutreachKey] = [:]
        for key in self.container.allKeys where present[key.stringValue.lowercased()] == nil {
            present[key.stringValue.lowercased()] = key
        }
        self.present = present
    }

    /// The value under the first of `names` the body holds; nil when it holds none of them (or holds `null`).
    func decode<T: Decodable>(_ type: T.Type, _ names: String...) throws -> T? {
        for name in names {
            if let key = self.present[name.lowercased()] { return try self.container.decodeIfPresent(T.self, forKey: key) }
        }
        if self.present.isEmpty {
            for name in names { _ = try self.container.decodeIfPresent(T.self, forKey: OutreachKey(name)) }
        }
        return nil
    }

    /// Whether the body names any of `names` (even as `null`).
    func contains(_ names: String...) -> Bool {
        names.contains { self.present[$0.lowercased()] != nil }
    }
}

/// A member name known only at run time.
struct OutreachKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { self.stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A boolean as the seed writes them: `true`, `"true"`, `"yes"` (L101), `"false"`, `"no"`, any case (spec §2.10).
public struct OutreachBool: Codable, Sendable, Equatable, SchemaProviding {
    public var value: Bool

    public init(_ value: Bool) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self.value = value
            return
        }
        if let text = try? container.decode(String.self) {
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "yes": self.value = true
            case "false", "no": self.value = false
            default:
                throw DecodingError.typeMismatch(Bool.self, .init(codingPath: decoder.codingPath, debugDescription: "found '\(text)' instead"))
            }
            return
        }
        throw DecodingError.typeMismatch(Bool.self, .init(codingPath: decoder.codingPath, debugDescription: "not true or false"))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }

    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema { JSONSchema(type: .boolean) }
    public static var schemaSample: Self? { Self(false) }
}

/// An integer, also written as a numeric string (`"Order": "0"`, L112; spec §2.10).
public struct OutreachInt: Codable, Sendable, Equatable, SchemaProviding {
    public var value: Int

    public init(_ value: Int) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self.value = value
            return
        }
        if let text = try? container.decode(String.self), let value = Int(text.trimmingCharacters(in: .whitespaces)) {
            self.value = value
            return
        }
        throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "not a whole number"))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }

    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema { JSONSchema(type: .integer) }
    public static var schemaSample: Self? { Self(0) }
}

/// A value the seed types as a string that clients also send as a number or a boolean (a custom field's value, a
/// condition's value): read as its text. Objects and arrays are refused.
public struct OutreachText: Codable, Sendable, Equatable, SchemaProviding {
    public var value: String

    public init(_ value: String) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.value = text
        } else if let flag = try? container.decode(Bool.self) {
            self.value = flag ? "true" : "false"
        } else if let whole = try? container.decode(Int64.self) {
            self.value = String(whole)
        } else if let number = try? container.decode(Double.self) {
            self.value = String(number)
        } else {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "not a string"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value)
    }

    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema { JSONSchema(type: .string) }
    public static var schemaSample: Self? { Self("") }
}

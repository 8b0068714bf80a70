import Foundation

/// Any JSON value: documents a client updates in part (JSON Merge Patch, RFC 7396), schema `enum` values, and
/// bodies the schema validator reads.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers go out without a fraction, as ids and counts are integers on the wire.
            if value.rounded() == value, abs(value) < 9.0e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The members of an object; nil for any other value.
    public var object: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// RFC 7396: objects merge member by member, `null` removes a member, anything else replaces.
    public func merging(_ patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var merged = self.object ?? [:]
        for (key, change) in changes {
            if change == .null {
                merged[key] = nil
            } else {
                merged[key] = (merged[key] ?? .null).merging(change)
            }
        }
        return .object(merged)
    }

    /// Expands dotted member names (`"image.position.type": "topLeft"`) into nested objects, as the seed's
    /// field tables name them, so flat and nested bodies mean the same.
    public func expandingDottedKeys() -> JSONValue {
        switch self {
        case .array(let items):
            return .array(items.map { $0.expandingDottedKeys() })
        case .object(let members):
            var expanded = JSONValue.object([:])
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                var nested = value.expandingDottedKeys()
                for name in path.reversed() { nested = .object([name: nested]) }
                expanded = expanded.merging(nested)
            }
            return expanded
        default:
            return self
        }
    }

    /// Converts an encodable value.
    public init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// Decodes this value as `type`; errors name the offending field path.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
    }
}

/// Any JSON at all: the empty schema.
extension JSONValue: SchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema { JSONSchema() }
    public static var schemaSample: JSONValue? { .null }
}

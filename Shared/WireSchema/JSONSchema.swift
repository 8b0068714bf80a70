import Foundation

/// A JSON Schema in the 2020-12 dialect of OpenAPI 3.1, reduced to the keywords the kit emits and checks.
public struct JSONSchema: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case object, array, string, integer, number, boolean, null }

    public var ref: String?
    public var type: [Kind]?
    public var format: String?
    public var description: String?
    public var properties: [String: JSONSchema]?
    public var required: [String]?
    public var `enum`: [JSONValue]?
    /// `false` closes the object; a schema describes every other member (a `[String: T]` dictionary).
    public var closed: Bool?
    // Boxed in arrays: a struct cannot hold itself.
    private var _items: [JSONSchema]?
    private var _additional: [JSONSchema]?
    public var items: JSONSchema? {
        get { _items?.first }
        set { _items = newValue.map { [$0] } }
    }
    public var additionalProperties: JSONSchema? {
        get { _additional?.first }
        set { _additional = newValue.map { [$0] } }
    }

    public init(type: Kind? = nil, format: String? = nil) {
        self.type = type.map { [$0] }
        self.format = format
    }

    public static func ref(_ name: String) -> JSONSchema {
        var s = JSONSchema()
        s.ref = "#/components/schemas/\(name)"
        return s
    }
    public static func array(of items: JSONSchema) -> JSONSchema {
        var s = JSONSchema(type: .array)
        s.items = items
        return s
    }

    /// The same schema, also admitting `null` (a `$ref` is wrapped, as 3.1 allows siblings of `$ref` but tools differ).
    public var nullable: JSONSchema {
        if ref != nil { return .anyOf([self, JSONSchema(type: .null)]) }
        guard var kinds = type, !kinds.contains(.null) else { return self }
        kinds.append(.null)
        var s = self
        s.type = kinds
        if s.enum != nil { s.enum!.append(.null) }
        return s
    }
    /// `anyOf`: for nullable `$ref`s and for self-described unions (`SchemaProviding`).
    public var anyOfStorage: [JSONSchema]?
    public static func anyOf(_ options: [JSONSchema]) -> JSONSchema {
        var s = JSONSchema()
        s.anyOfStorage = options
        return s
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(ref, forKey: Key("$ref"))
        if let type { type.count == 1 ? try c.encode(type[0], forKey: Key("type")) : try c.encode(type, forKey: Key("type")) }
        try c.encodeIfPresent(format, forKey: Key("format"))
        try c.encodeIfPresent(description, forKey: Key("description"))
        try c.encodeIfPresent(properties, forKey: Key("properties"))
        if let required, !required.isEmpty { try c.encode(required, forKey: Key("required")) }
        try c.encodeIfPresent(items, forKey: Key("items"))
        try c.encodeIfPresent(self.enum, forKey: Key("enum"))
        try c.encodeIfPresent(anyOfStorage, forKey: Key("anyOf"))
        if let additionalProperties {
            try c.encode(additionalProperties, forKey: Key("additionalProperties"))
        } else if closed == true {
            try c.encode(false, forKey: Key("additionalProperties"))
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        ref = try c.decodeIfPresent(String.self, forKey: Key("$ref"))
        type = try (try? c.decodeIfPresent([Kind].self, forKey: Key("type"))) ?? c.decodeIfPresent(Kind.self, forKey: Key("type")).map { [$0] }
        format = try c.decodeIfPresent(String.self, forKey: Key("format"))
        description = try c.decodeIfPresent(String.self, forKey: Key("description"))
        properties = try c.decodeIfPresent([String: JSONSchema].self, forKey: Key("properties"))
        required = try c.decodeIfPresent([String].self, forKey: Key("required"))
        items = try c.decodeIfPresent(JSONSchema.self, forKey: Key("items"))
        self.enum = try c.decodeIfPresent([JSONValue].self, forKey: Key("enum"))
        anyOfStorage = try c.decodeIfPresent([JSONSchema].self, forKey: Key("anyOf"))
        if (try? c.decodeIfPresent(Bool.self, forKey: Key("additionalProperties"))) == false {
            closed = true
        } else {
            additionalProperties = try? c.decodeIfPresent(JSONSchema.self, forKey: Key("additionalProperties"))
        }
    }
}

import Foundation

/// Checks a JSON value against the subset the kit emits: `$ref`, `type` (arrays of types for null), `properties`,
/// `required`, `items`, `enum`, `additionalProperties`, `anyOf`, and the `date-time`/`uuid` formats.
public struct SchemaValidator: Sendable {
    public var components: [String: JSONSchema]
    /// Objects without `additionalProperties` are closed: a test-time check then catches members a type no longer has.
    public var closedObjects: Bool

    public init(components: [String: JSONSchema], closedObjects: Bool = false) {
        self.components = components
        self.closedObjects = closedObjects
    }

    /// Every violation, as `$.chats[0].agents: expected array, got string`.
    public func validate(_ value: JSONValue, against schema: JSONSchema, at path: String = "$") -> [String] {
        if let ref = schema.ref {
            let name = String(ref.dropFirst("#/components/schemas/".count))
            guard let target = components[name] else { return ["\(path): unresolved \(ref)"] }
            return validate(value, against: target, at: path)
        }
        if let options = schema.anyOfStorage {
            let results = options.map { validate(value, against: $0, at: path) }
            return results.contains(where: \.isEmpty) ? [] : results.min(by: { $0.count < $1.count }) ?? []
        }
        if let kinds = schema.type, !kinds.contains(where: { Self.matches(value, $0) }) {
            return ["\(path): expected \(kinds.map(\.rawValue).joined(separator: " or ")), got \(Self.describe(value))"]
        }
        if let allowed = schema.enum, !allowed.contains(value) { return ["\(path): \(Self.describe(value)) is not one of the documented values"] }
        var errors: [String] = []
        switch value {
        case .string(let s):
            if schema.format == "date-time", ISO8601DateFormatter().date(from: s) == nil, Self.fractionalISO.date(from: s) == nil {
                errors.append("\(path): '\(s)' is not an RFC 3339 date-time")
            }
            if schema.format == "uuid", UUID(uuidString: s) == nil { errors.append("\(path): '\(s)' is not a UUID") }
        case .array(let items):
            if let itemSchema = schema.items {
                for (i, item) in items.enumerated() { errors += validate(item, against: itemSchema, at: "\(path)[\(i)]") }
            }
        case .object(let members):
            for key in schema.required ?? [] where members[key] == nil { errors.append("\(path): missing required member '\(key)'") }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let memberSchema = schema.properties?[key] {
                    errors += validate(member, against: memberSchema, at: "\(path).\(key)")
                } else if let extra = schema.additionalProperties {
                    errors += validate(member, against: extra, at: "\(path).\(key)")
                } else if schema.closed == true || (closedObjects && schema.properties != nil) {
                    errors.append("\(path): undocumented member '\(key)'")
                }
            }
        default: break
        }
        return errors
    }

    /// A response body against an operation's schema; a body that is not JSON is one error.
    public func validate(json: Data, against schema: JSONSchema) -> [String] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: json) else { return ["$: body is not JSON"] }
        return validate(value, against: schema)
    }

    static func matches(_ value: JSONValue, _ kind: JSONSchema.Kind) -> Bool {
        switch (value, kind) {
        case (.null, .null), (.bool, .boolean), (.string, .string), (.array, .array), (.object, .object), (.number, .number): true
        case (.number(let n), .integer): n.rounded() == n
        default: false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): "boolean \(b)"
        case .number(let n): "number \(n)"
        case .string(let s): "string '\(s.prefix(40))'"
        case .array: "array"
        case .object: "object"
        }
    }

    nonisolated(unsafe) static let fractionalISO: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}

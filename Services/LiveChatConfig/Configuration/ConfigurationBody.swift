import HTTPTypes
import ServiceKit
import WireModels

/// A POST or PUT body of a configuration route as sent: a JSON object (a JSON array for a list setting such as the
/// agent wrap-up form) with dotted member names expanded into nested objects. It stays JSON so that a PUT merges
/// into what is stored; the OpenAPI document shows it as `Wire`, what it becomes.
struct ConfigurationBody<Wire: Decodable>: Decodable, SchemaProviding {
    let json: JSONValue

    init(json: JSONValue) {
        self.json = json
    }

    init(from decoder: any Decoder) throws {
        let body = try JSONValue(from: decoder)
        switch (body, Wire.self is any ExpressibleByArrayLiteral.Type) {
        case (.object, false): self.json = try body.expandedDottedKeys()
        case (.array(let items), true): self.json = .array(try items.map { try $0.expandedDottedKeys() })
        case (_, false): throw ServiceError(.badRequest, message: "The request body must be a JSON object.")
        case (_, true): throw ServiceError(.badRequest, message: "The request body must be a JSON array of fields.")
        }
    }

    static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema {
        try components.schema(for: Wire.self)
    }

    static var schemaSample: Self? { Self(json: .object([:])) }
}

extension JSONValue {
    /// What `expandingDottedKeys()` gives (`"image.position.type": "topLeft"` is `{"image": {"position": {...}}}`,
    /// a `null` member is left out, later names merge into earlier objects), built in place in one pass and
    /// bounded in depth. The merge-per-member original took seconds for a body of 20 000 members and let
    /// a long dotted name nest deeper than the JSON encoder can write (a 500).
    func expandedDottedKeys(depth: Int = 0) throws -> JSONValue {
        switch self {
        case .array(let items):
            return .array(try items.map { try $0.expandedDottedKeys(depth: depth + 1) })
        case .object(let members):
            var expanded: [String: JSONValue] = [:]
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard depth + path.count <= JSONBody.maxDepth else {
                    throw ServiceError(.badRequest, message: "Member '\(key.prefix(64))…' nests more than \(JSONBody.maxDepth) levels deep.")
                }
                Self.insert(try value.expandedDottedKeys(depth: depth + path.count), at: path[...], into: &expanded)
            }
            return .object(expanded)
        default:
            return self
        }
    }

    /// Puts `value` at `path` below `members`, merging objects member by member as a JSON merge patch does.
    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into members: inout [String: JSONValue]) {
        guard let name = path.first else { return }
        if path.count == 1 {
            switch (value, members[name]) {
            case (.null, _):
                members[name] = nil
            case (.object(let new), .object(var existing)?):
                members[name] = nil  // let `existing` be the only reference, so it is changed in place
                for (key, member) in new { Self.insert(member, at: [key], into: &existing) }
                members[name] = .object(existing)
            default:
                members[name] = value
            }
            return
        }
        var child: [String: JSONValue] = [:]
        if case .object(let existing)? = members.removeValue(forKey: name) { child = existing }
        Self.insert(value, at: path.dropFirst(), into: &child)
        members[name] = .object(child)
    }
}

import Hummingbird
import ServiceKit
import WireModels

extension Request {
    /// The JSON object a POST or PUT carries, with dotted member names expanded into nested objects.
    func configurationBody(context: AuthenticatedContext) async throws -> JSONValue {
        let body = try await self.decode(as: JSONValue.self, context: context)
        guard body.object != nil else { throw ServiceError(.badRequest, message: "The request body must be a JSON object.") }
        return try body.expandedDottedKeys()
    }

    /// A JSON array body (the agent wrap-up form).
    func configurationArray(context: AuthenticatedContext) async throws -> JSONValue {
        let body = try await self.decode(as: JSONValue.self, context: context)
        guard case .array(let items) = body else { throw ServiceError(.badRequest, message: "The request body must be a JSON array of fields.") }
        return .array(try items.map { try $0.expandedDottedKeys() })
    }
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

import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

/// Chatwoot's OpenAPI document (a copy of `spec/chatwoot-swagger.json` in `Tests/Fixtures`): every 2xx JSON answer of a
/// Chatwoot test is checked against the response schema of the operation its method and path select.
enum ChatwootSwagger {
    /// A JSON value as the swagger's types see it.
    indirect enum Value: Decodable {
        case null
        case bool(Bool)
        case integer(Int)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([Value].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }

        var object: [String: Value]? {
            if case .object(let object) = self { object } else { nil }
        }
        var string: String? {
            if case .string(let string) = self { string } else { nil }
        }
    }

    static let document: Value = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/chatwoot-swagger.json")
        do {
            return try JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
        } catch {
            fatalError("chatwoot-swagger.json: \(error)")
        }
    }()

    /// The swagger's path template for a concrete path and method: literal segments beat `{parameters}`
    /// (`/contacts/search` before `/contacts/{id}`); a trailing slash decides only between templates otherwise the same.
    static func template(_ method: String, _ path: String) -> String? {
        let segments = path.split(separator: "?").first.map { $0.split(separator: "/").map(String.init) } ?? []
        var best: (template: String, literals: Int)?
        for (template, item) in document.object?["paths"]?.object ?? [:] where item.object?[method.lowercased()] != nil {
            let parts = template.split(separator: "/").map(String.init)
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") { continue }
                if part != segment {
                    matches = false
                    break
                }
                literals += 1
            }
            // Of two templates apart only by a trailing slash (`reports/conversations` and its twin), the path's own.
            literals = literals * 2 + (template.hasSuffix("/") == (path.split(separator: "?").first?.hasSuffix("/") == true) ? 1 : 0)
            if matches, literals > best?.literals ?? -1 { best = (template, literals) }
        }
        return best?.template
    }

    /// Every way `body` departs from the response schema the swagger gives `method path` for `status`.
    static func violations(_ method: String, _ path: String, status: Int, body: Data) -> [String] {
        guard let template = template(method, path) else { return ["\(method) \(path) is not in the swagger"] }
        let operation = document.object?["paths"]?.object?[template]?.object?[method.lowercased()]
        let responses = operation?.object?["responses"]?.object ?? [:]
        guard let response = responses[String(status)] ?? responses["default"] else {
            return ["\(method) \(template) documents no \(status) response"]
        }
        guard let schema = resolve(response).object?["content"]?.object?["application/json"]?.object?["schema"] else { return [] }
        let value: Value
        do {
            value = try JSONDecoder().decode(Value.self, from: body)
        } catch {
            return ["\(method) \(template): the body is not JSON: \(error)"]
        }
        var found: [String] = []
        check(value, against: schema, at: "$", into: &found)
        return found.map { "\(method) \(template) \(status): \($0)" }
    }

    /// Records an issue for each violation of a 2xx JSON answer; other answers are not the swagger's to check.
    static func validate(
        _ response: TestResponse, _ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard (200..<300).contains(response.status.code), response.headers[.contentType]?.hasPrefix("application/json") == true else {
            return
        }
        for violation in violations(method, path, status: response.status.code, body: Data(buffer: response.body)) {
            Issue.record(Comment(rawValue: violation), sourceLocation: sourceLocation)
        }
    }

    private static func resolve(_ schema: Value) -> Value {
        var schema = schema
        var hops = 0
        while let ref = schema.object?["$ref"]?.string, hops < 32 {
            var target: Value? = document
            for part in ref.dropFirst(2).split(separator: "/") { target = target?.object?[String(part)] }
            schema = target ?? .object([:])
            hops += 1
        }
        return schema
    }

    private static func check(_ value: Value, against raw: Value, at path: String, into found: inout [String]) {
        let schema = resolve(raw).object ?? [:]
        if case .array(let all) = schema["allOf"] { for part in all { check(value, against: part, at: path, into: &found) } }
        for key in ["oneOf", "anyOf"] {
            guard case .array(let options) = schema[key] else { continue }
            let passing = options.contains { option in
                var local: [String] = []
                check(value, against: option, at: path, into: &local)
                return local.isEmpty
            }
            if !passing { found.append("\(path) matches none of its \(key)") }
        }
        if case .null = value {
            if case .bool(true) = schema["nullable"] { return }
            if schema["type"] != nil { found.append("\(path) is null, not nullable") }
            return
        }
        if case .array(let allowed) = schema["enum"], !allowed.contains(where: { same($0, value) }) {
            found.append("\(path) is \(value), not one of the enum")
        }
        switch (schema["type"]?.string, value) {
        case (nil, _), ("string", .string), ("boolean", .bool), ("integer", .integer), ("number", .integer), ("number", .number): break
        case ("array", .array(let items)):
            if let item = schema["items"] {
                for (index, element) in items.enumerated() { check(element, against: item, at: "\(path)[\(index)]", into: &found) }
            }
            return
        case ("object", .object): break
        case (let type?, _): found.append("\(path) is \(value), not \(type)")
        }
        guard case .object(let object) = value else { return }
        if case .array(let required) = schema["required"] {
            for case .string(let name) in required where object[name] == nil { found.append("\(path).\(name) is required") }
        }
        let properties = schema["properties"]?.object ?? [:]
        for (name, member) in object {
            if let property = properties[name] {
                check(member, against: property, at: "\(path).\(name)", into: &found)
            } else if let additional = schema["additionalProperties"], additional.object != nil {
                check(member, against: additional, at: "\(path).\(name)", into: &found)
            }
        }
    }

    private static func same(_ lhs: Value, _ rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): Double(a) == b
        default: false
        }
    }
}

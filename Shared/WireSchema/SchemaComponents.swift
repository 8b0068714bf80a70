import Foundation

/// `#/components/schemas`: one entry per walked object type, reached by `$ref` (which also ends recursion).
///
/// Safe to share: each public entry point holds `lock` for the whole walk (the walk itself is single-threaded). The lock
/// is recursive because a `SchemaProviding` type states its schema from its members' (`components.schema(for:)`).
public final class SchemaComponents: @unchecked Sendable {
    public let options: SchemaOptions
    private let lock = NSRecursiveLock()
    private var walked: [String: JSONSchema] = [:]
    /// Every component so far, by name.
    public var schemas: [String: JSONSchema] { self.lock.withLock { self.walked } }
    private var inProgress: Set<ObjectIdentifier> = []
    private var results: [ObjectIdentifier: (schema: JSONSchema, sample: Any)] = [:]
    private var names: [String: ObjectIdentifier] = [:]

    public init(options: SchemaOptions = .init()) { self.options = options }

    /// The schema of `type` as an operation uses it: a `$ref` for objects, inline for the rest.
    public func schema<T: Decodable>(for type: T.Type) throws -> JSONSchema {
        try self.lock.withLock { try walk(type, codingPath: []).schema }
    }

    /// `schema(for:)` of an existential metatype (opens it).
    func schema(forAny type: any Decodable.Type, codingPath: [any CodingKey]) throws -> JSONSchema {
        try schemaOnly(type, codingPath: codingPath)
    }

    /// Where no value is needed (array items, optionals, dictionary values), a type already being walked is a `$ref`.
    func schemaOnly<T: Decodable>(_ type: T.Type, codingPath: [any CodingKey]) throws -> JSONSchema {
        if inProgress.contains(ObjectIdentifier(T.self)) { return .ref(Self.componentName(T.self)) }
        return try walk(type, codingPath: codingPath).schema
    }

    func walk<T: Decodable>(_ type: T.Type, codingPath: [any CodingKey]) throws -> (schema: JSONSchema, sample: T) {
        if let known = Self.primitive(T.self, options) { return (known.schema, known.sample as! T) }
        if let a = T.self as? any _SchemaArray.Type { return (.array(of: try schema(forAny: a.element, codingPath: codingPath)), a.empty as! T) }
        if let d = T.self as? any _SchemaDictionary.Type {
            var s = JSONSchema(type: .object)
            s.additionalProperties = try schema(forAny: d.value, codingPath: codingPath)
            return (s, d.empty as! T)
        }
        if let o = T.self as? any _SchemaOptional.Type { return (try schema(forAny: o.wrapped, codingPath: codingPath).nullable, o.nothing as! T) }
        if let e = T.self as? any SchemaEnumerable.Type, let first = e.firstCase {
            var s = JSONSchema(type: e.schemaKind)
            s.enum = e.schemaCases
            return (s, first as! T)
        }
        let id = ObjectIdentifier(T.self)
        let name = Self.componentName(T.self)
        if let done = results[id] { return (done.schema, done.sample as! T) }
        let path = codingPath.map(\.stringValue).joined(separator: ".")
        if inProgress.contains(id) {
            throw SchemaDerivationError(type: name, path: path, reason: "recursive through a non-optional, non-array member")
        }
        if let other = names[name], other != id { throw SchemaDerivationError(type: name, path: path, reason: "two types share this component name") }
        names[name] = id
        inProgress.insert(id)
        defer { inProgress.remove(id) }
        let provider = T.self as? any SchemaProviding.Type
        let node = SchemaNode()
        let sample: T
        if let given = provider?.schemaSample as? T {
            sample = given
        } else {
            do {
                sample = try T(from: SchemaDecoder(node: node, components: self, codingPath: codingPath))
            } catch let error as SchemaDerivationError {
                throw error
            } catch {
                throw SchemaDerivationError(
                    type: name, path: path,
                    reason: "init(from:) rejected the walk's placeholder values (\(error)); conform to SchemaEnumerable or SchemaProviding")
            }
        }
        // Objects and self-described types become components; a single-value wrapper stays inline where it is used.
        let schema = try provider?.jsonSchema(in: self) ?? node.build()
        let used: JSONSchema
        if provider != nil || schema.type == [.object] {
            walked[name] = schema
            used = .ref(name)
        } else {
            used = schema
        }
        results[id] = (used, sample)
        return (used, sample)
    }

    /// Strings, numbers, and the Foundation types whose own `init(from:)` would misdescribe them.
    static func primitive(_ type: Any.Type, _ options: SchemaOptions) -> (schema: JSONSchema, sample: Any)? {
        switch type {
        case is String.Type: (JSONSchema(type: .string), "")
        case is Bool.Type: (JSONSchema(type: .boolean), false)
        case is Int.Type: (JSONSchema(type: .integer, format: "int64"), 0)
        case is Int32.Type: (JSONSchema(type: .integer, format: "int32"), Int32(0))
        case is Int64.Type: (JSONSchema(type: .integer, format: "int64"), Int64(0))
        case is UInt.Type, is UInt64.Type, is UInt32.Type, is Int16.Type, is Int8.Type, is UInt16.Type, is UInt8.Type:
            (JSONSchema(type: .integer), Self.zero(type))
        case is Double.Type: (JSONSchema(type: .number, format: "double"), 0.0)
        case is Float.Type: (JSONSchema(type: .number, format: "float"), Float(0))
        case is Decimal.Type: (JSONSchema(type: .number), Decimal(0))
        case is URL.Type: (JSONSchema(type: .string, format: "uri"), URL(string: "https://example.com")!)
        case is UUID.Type: (JSONSchema(type: .string, format: "uuid"), UUID())
        case is Data.Type: (JSONSchema(type: .string, format: "byte"), Data())
        case is Date.Type:
            switch options.dates {
            case .iso8601: (JSONSchema(type: .string, format: "date-time"), Date(timeIntervalSince1970: 0))
            case .secondsSince1970, .millisecondsSince1970: (JSONSchema(type: .number), Date(timeIntervalSince1970: 0))
            }
        default: nil
        }
    }

    private static func zero(_ type: Any.Type) -> Any {
        switch type {
        case is UInt.Type: UInt(0)
        case is UInt64.Type: UInt64(0)
        case is UInt32.Type: UInt32(0)
        case is UInt16.Type: UInt16(0)
        case is UInt8.Type: UInt8(0)
        case is Int16.Type: Int16(0)
        default: Int8(0)
        }
    }

    /// `LiveChatChatButton.Kind`, `LiveChatPage_LiveChatChat_`: the type's path without module names, made legal.
    static func componentName(_ type: Any.Type) -> String {
        let full = String(reflecting: type)
        var out = ""
        var segment = ""
        var depth = [true]  // whether the next segment at this nesting level is a module name
        func flush(_ terminator: Character?) {
            if depth[depth.count - 1], terminator == "." {
                depth[depth.count - 1] = false
                segment = ""
                return
            }
            out += segment
            segment = ""
            if let terminator { out.append(terminator) }
        }
        for ch in full {
            switch ch {
            case ".": flush(".")
            case "<":
                flush("_")
                depth.append(true)
            case ",":
                flush("_")
                depth[depth.count - 1] = true
            case ">":
                flush("_")
                depth.removeLast()
            case " ": continue
            default: segment.append(ch)
            }
        }
        flush(nil)
        return out
    }

    /// Foundation's `convertToSnakeCase`: `myURLValue` → `my_url_value`.
    static func snakeCase(_ key: String) -> String {
        var words: [String] = []
        var current = ""
        let chars = Array(key)
        for (i, ch) in chars.enumerated() {
            let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
            if ch.isUppercase, !current.isEmpty, !(current.last!.isUppercase && !nextIsLower) {
                words.append(current)
                current = ""
            }
            current.append(ch)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }.joined(separator: "_")
    }
}

protocol _SchemaArray {
    static var element: any Decodable.Type { get }
    static var empty: Any { get }
}
extension Array: _SchemaArray where Element: Decodable {
    static var element: any Decodable.Type { Element.self }
    static var empty: Any { [Element]() }
}

protocol _SchemaDictionary {
    static var value: any Decodable.Type { get }
    static var empty: Any { get }
}
extension Dictionary: _SchemaDictionary where Key == String, Value: Decodable {
    static var value: any Decodable.Type { Value.self }
    static var empty: Any { [String: Value]() }
}

protocol _SchemaOptional {
    static var wrapped: any Decodable.Type { get }
    static var nothing: Any { get }
}
extension Optional: _SchemaOptional where Wrapped: Decodable {
    static var wrapped: any Decodable.Type { Wrapped.self }
    static var nothing: Any {
        let value: Wrapped? = nil
        return value as Any
    }
}

import Foundation

/// What one walked value turned out to be; members and items are nodes until `build()`.
final class SchemaNode {
    var schema = JSONSchema()
    var members: [String: SchemaNode] = [:]
    var itemNode: SchemaNode?

    func build() -> JSONSchema {
        var s = schema
        if !members.isEmpty { s.properties = (s.properties ?? [:]).merging(members.mapValues { $0.build() }) { $1 } }
        if let itemNode { s.items = itemNode.build() }
        return s
    }

    func becomeObject() {
        if schema.type == nil {
            schema.type = [.object]
            schema.properties = schema.properties ?? [:]
        }
    }

    /// Records a member; a member read twice (`a ?? b` over one key) keeps the first reading.
    func set(_ key: String, _ value: JSONSchema, required: Bool) {
        becomeObject()
        if schema.properties?[key] == nil { schema.properties?[key] = value }
        if required, !(schema.required ?? []).contains(key) { schema.required = (schema.required ?? []) + [key] }
    }
}

/// A `Decoder` that answers every request with a placeholder and records what was asked: keyed containers become
/// object properties, `decodeIfPresent` an optional member, unkeyed containers arrays, single values their type.
struct SchemaDecoder: Decoder {
    let node: SchemaNode
    let components: SchemaComponents
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.becomeObject()
        return KeyedDecodingContainer(Keyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        node.schema.type = [.array]
        return Unkeyed(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    func wireName(_ key: any CodingKey) -> String {
        components.options.keys == .snakeCase ? SchemaComponents.snakeCase(key.stringValue) : key.stringValue
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: SchemaDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var allKeys: [Key] { [] }  // dictionary-like custom inits see no members: a limit
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let walked = try decoder.components.walk(T.self, codingPath: codingPath + [key])
            decoder.node.set(decoder.wireName(key), walked.schema, required: true)
            return walked.sample
        }

        /// Optional members are documented, not required, nullable; the walk answers nil so `a ?? b` visits `b` too.
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let schema = try decoder.components.schemaOnly(T.self, codingPath: codingPath + [key])
            decoder.node.set(decoder.wireName(key), schema.nullable, required: false)
            return nil
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try child(key).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { child(key) }

        private func child(_ key: Key) -> SchemaDecoder {
            let name = decoder.wireName(key)
            let node = decoder.node.members[name] ?? SchemaNode()
            decoder.node.members[name] = node
            decoder.node.set(name, JSONSchema(), required: true)
            return SchemaDecoder(node: node, components: decoder.components, codingPath: codingPath + [key])
        }

        // The concrete overloads all take the generic path.
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(T: type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(T: type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(T: type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(T: type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(T: type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(T: type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(T: type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(T: type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(T: type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(T: type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(T: type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(T: type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(T: type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(T: type, key) }
        private func decode<T: Decodable>(T type: T.Type, _ key: Key) throws -> T { try decode(type, forKey: key) }
        // `decodeIfPresent(String.self, …)` and friends default to `contains` + `decodeNil` + `decode`; route them here.
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decodeIfPresent(T: type, key) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decodeIfPresent(T: type, key) }
        private func decodeIfPresent<T: Decodable>(T type: T.Type, _ key: Key) throws -> T? { try decodeIfPresent(type, forKey: key) }
    }

    /// One pass of the loop: the first element describes `items`, then the container reports its end.
    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: SchemaDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { nil }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex > 0 }
        mutating func decodeNil() throws -> Bool { false }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let walked = try decoder.components.walk(T.self, codingPath: codingPath)
            if decoder.node.itemNode == nil { decoder.node.schema.items = walked.schema }
            currentIndex += 1
            return walked.sample
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            try itemDecoder().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try itemDecoder().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { itemDecoder() }
        private mutating func itemDecoder() -> SchemaDecoder {
            currentIndex += 1
            let node = decoder.node.itemNode ?? SchemaNode()
            decoder.node.itemNode = node
            return SchemaDecoder(node: node, components: decoder.components, codingPath: codingPath)
        }
    }

    /// A single value: records its type; `decodeNil()` answers false (so value-sniffing inits take their first branch).
    struct Single: SingleValueDecodingContainer {
        let decoder: SchemaDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let walked = try decoder.components.walk(T.self, codingPath: codingPath)
            if decoder.node.schema.type == nil, decoder.node.schema.ref == nil { decoder.node.schema = walked.schema }
            return walked.sample
        }
        func decode(_ type: Bool.Type) throws -> Bool { try decode(T: type) }
        func decode(_ type: String.Type) throws -> String { try decode(T: type) }
        func decode(_ type: Double.Type) throws -> Double { try decode(T: type) }
        func decode(_ type: Float.Type) throws -> Float { try decode(T: type) }
        func decode(_ type: Int.Type) throws -> Int { try decode(T: type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decode(T: type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decode(T: type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decode(T: type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decode(T: type) }
        func decode(_ type: UInt.Type) throws -> UInt { try decode(T: type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(T: type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(T: type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(T: type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(T: type) }
        private func decode<T: Decodable>(T type: T.Type) throws -> T { try decode(type) }
    }
}

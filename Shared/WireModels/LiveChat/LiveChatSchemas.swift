import Foundation

/// `"none"` or `{"agents": [ids]}`: the walk cannot take both branches, so the type states its schema.
extension LiveChatVisitorSegment.Notification: SchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema {
        var none = JSONSchema(type: .string)
        none.enum = [.string("none")]
        var agents = JSONSchema(type: .object)
        agents.properties = ["agents": .array(of: JSONSchema(type: .integer))]
        agents.required = ["agents"]
        return .anyOf([none, agents])
    }

    public static var schemaSample: Self? { Self.none }
}

/// A page names its items member by value (`chats`, `offlineMessages`, `missedAndRefusedChats`) and writes null
/// page links: it states its schema.
extension LiveChatPage: SchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema {
        let items = JSONSchema.array(of: try components.schema(for: Item.self))
        var page = JSONSchema(type: .object)
        page.properties = [
            "total": JSONSchema(type: .integer), "previousPage": JSONSchema(type: .string).nullable,
            "nextPage": JSONSchema(type: .string).nullable, "chats": items, "offlineMessages": items, "missedAndRefusedChats": items,
        ]
        page.required = ["total", "previousPage", "nextPage"]
        return page
    }
}

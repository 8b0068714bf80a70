import Foundation
import Testing
import WireModels

@testable import WireSchema

/// Encodes as the Comm100 dialect does.
func comm100JSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return try encoder.encode(value)
}

func validator(_ components: SchemaComponents) -> SchemaValidator { SchemaValidator(components: components.schemas, closedObjects: true) }

@Suite("Deriving schemas from Decodable wire types")
struct SchemaDerivationTests {
    @Test("A flat type: required members, optional members nullable and not required")
    func flat() throws {
        let components = SchemaComponents()
        #expect(try components.schema(for: LiveChatBan.self) == .ref("LiveChatBan"))
        let ban = try #require(components.schemas["LiveChatBan"])
        #expect(ban.required == ["type"])
        #expect(ban.properties?["type"] == JSONSchema(type: .string))
        #expect(ban.properties?["id"]?.type == [.integer, .null])
        #expect(Set(ban.properties?.keys.map { $0 } ?? []) == ["type", "id", "visitorId", "ipAddress", "comment"])
    }

    @Test("A real response validates; a drifted one is reported by path")
    func validateBan() throws {
        let components = SchemaComponents()
        let schema = try components.schema(for: [LiveChatBan].self)
        let body = try comm100JSON([LiveChatBan(id: 1, type: "ip", ipAddress: "10.0.0.0/8"), LiveChatBan(type: "visitor", visitorId: "v1")])
        #expect(validator(components).validate(json: body, against: schema) == [])
        let drifted = Data(#"[{"type": 5, "ipAddress": "x", "banned": true}, {"id": 2}]"#.utf8)
        #expect(
            validator(components).validate(json: drifted, against: schema) == [
                "$[0]: undocumented member 'banned'",
                "$[0].type: expected string, got number 5.0",
                "$[1]: missing required member 'type'",
            ])
        let extra = Data(#"[{"type": "ip", "banned": true}]"#.utf8)
        #expect(validator(components).validate(json: extra, against: schema) == ["$[0]: undocumented member 'banned'"])
    }

    @Test("Nested types become components; opted-in enums list their raw values")
    func nestedAndEnums() throws {
        let components = SchemaComponents()
        _ = try components.schema(for: LiveChatChatButton.self)
        let button = try #require(components.schemas["LiveChatChatButton"])
        #expect(button.properties?["type"]?.enum == ["adaptive", "image", "textLink", nil].map { $0.map(JSONValue.string) ?? .null })
        #expect(button.properties?["image"] == JSONSchema.ref("LiveChatChatButton.Image").nullable)
        #expect(button.properties?["allowedDomains"] == JSONSchema.array(of: JSONSchema(type: .string)).nullable)
        let image = try #require(components.schemas["LiveChatChatButton.Image"])
        #expect(image.properties?["position"] == JSONSchema.ref("LiveChatChatButton.ImagePosition").nullable)
        _ = try components.schema(for: LiveChatField.self)
        #expect(components.schemas["LiveChatField"]?.properties?["type"]?.enum?.count == 24)  // 23 cases + null
    }

    @Test("A whole campaign setting round-trips through encode → validate")
    func campaignSettings() throws {
        let components = SchemaComponents()
        let schema = try components.schema(for: LiveChatChatWindow.self)
        let window = try JSONDecoder().decode(
            LiveChatChatWindow.self,
            from: Data(
                #"{"style": "bubble", "header": {"type": "agentInfo", "agentInfo": {"isShowAvatar": true, "isShowBio": false}}, "options": {"email": {"isFromAgent": true, "fromEmail": "a@b.c"}}}"#
                    .utf8)
        )
        #expect(validator(components).validate(json: try comm100JSON(window), against: schema) == [])
        let wrongEnum = Data(#"{"style": "modern", "header": {"agentInfo": {"isShowAvatar": "yes"}}}"#.utf8)
        #expect(
            validator(components).validate(json: wrongEnum, against: schema) == [
                "$.header.agentInfo.isShowAvatar: expected boolean or null, got string 'yes'",
                "$.style: string 'modern' is not one of the documented values",
            ])
    }

    @Test("A custom init(from:) reading `a ?? b` documents both keys")
    func aliasKeys() throws {
        let components = SchemaComponents()
        _ = try components.schema(for: LiveChatConditions.self)
        let condition = try #require(components.schemas["LiveChatCondition"])
        #expect(Set(condition.properties?.keys.map { $0 } ?? []) == ["number", "field", "operator", "operate", "value"])
        #expect(components.schemas["LiveChatConditions"]?.properties?["list"] == JSONSchema.array(of: .ref("LiveChatCondition")).nullable)
    }

    @Test("History: a chat with arrays of nested types, and a page that states its own schema")
    func history() throws {
        let components = SchemaComponents()
        let schema = try components.schema(for: LiveChatPage<LiveChatChat>.self)
        #expect(schema == .ref("LiveChatPage_LiveChatChat_"))
        let chat = try #require(components.schemas["LiveChatChat"])
        #expect(chat.required == ["id", "agents", "prechatFields", "customVariables", "requestTime", "chatTranscript", "attachments"])
        #expect(chat.properties?["chatTranscript"] == .array(of: .ref("LiveChatMessage")))
        let one = LiveChatChat(
            id: 7, ssoUserId: nil, name: "Ann", email: nil, department: "Sales", agents: ["Bob"], prechatFields: [.init(name: "Name", value: "Ann")],
            customVariables: [], requestTime: "2026-12-01T10:00:00+08:00", waitingTime: "00:00:05", endTime: nil,
            chatTranscript: [.init(time: "2026-12-01T10:00:05+08:00", sender: "Bob", type: "agent", content: "Hi")], attachments: [],
            postChat: nil, wrapup: .init(category: "Sales", comment: nil, fields: nil))
        let page = LiveChatPage(total: 1, previousPage: nil, nextPage: nil, items: [one], itemsKey: "chats")
        #expect(validator(components).validate(json: try comm100JSON(page), against: schema) == [])
    }

    @Test("Recursive types end in $ref: arrays, dictionaries and optionals of themselves")
    func recursion() throws {
        let components = SchemaComponents()
        #expect(try components.schema(for: DepartmentNode.self) == .ref("DepartmentNode"))
        let node = try #require(components.schemas["DepartmentNode"])
        #expect(node.properties?["children"] == .array(of: .ref("DepartmentNode")))
        #expect(node.properties?["byName"]?.type == [.object, .null])
        #expect(node.properties?["byName"]?.additionalProperties == .ref("DepartmentNode"))
        _ = try components.schema(for: Comment.self)
        #expect(components.schemas["Comment"]?.properties?["replyTo"] == JSONSchema.ref("Comment").nullable)
        let tree = DepartmentNode(id: 1, name: "All", children: [.init(id: 2, name: "Sales", children: [], byName: nil)], byName: nil)
        #expect(validator(components).validate(json: try comm100JSON(tree), against: .ref("DepartmentNode")) == [])
    }

    @Test("Snake-case dialects, Date/URL/UUID and [String: T]: the schema names what the encoder writes")
    func snakeCaseAndFoundation() throws {
        let components = SchemaComponents(options: .init(keys: .snakeCase, dates: .iso8601))
        let schema = try components.schema(for: ChatwootContact.self)
        let contact = try #require(components.schemas["ChatwootContact"])
        #expect(contact.properties?["created_at"] == JSONSchema(type: .string, format: "date-time"))
        #expect(contact.properties?["id"] == JSONSchema(type: .string, format: "uuid"))
        #expect(contact.properties?["avatar_url"]?.format == "uri")
        #expect(contact.properties?["custom_attributes"]?.additionalProperties == JSONSchema(type: .string))
        #expect(contact.properties?["additional_attributes"]?.additionalProperties == .ref("JSONValue"))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let value = ChatwootContact(
            id: UUID(), createdAt: Date(), avatarURL: URL(string: "https://x.test/a.png"), customAttributes: ["plan": "gold"],
            additionalAttributes: ["city": .string("Oslo"), "n": .number(3)], lastActivityAt: nil)
        #expect(validator(components).validate(json: try encoder.encode(value), against: schema) == [])
        // Chatwoot's hand-written CodingKeys are taken as written.
        _ = try SchemaComponents().schema(for: ChatwootProfile.self)
    }

    @Test("Limits: a value-branching init, a non-opted enum and non-optional recursion fail with the type and path")
    func limits() throws {
        #expect(throws: SchemaDerivationError.self) { try SchemaComponents().schema(for: UnprovidedNotificationHolder.self) }
        do {
            _ = try SchemaComponents().schema(for: Feeling.self)
            Issue.record("expected a failure")
        } catch let error as SchemaDerivationError {
            #expect(error.type == "Mood" && error.path == "mood" && error.reason.contains("SchemaEnumerable"))
        }
        do {
            _ = try SchemaComponents().schema(for: Chain.self)
            Issue.record("expected a failure")
        } catch let error as SchemaDerivationError {
            #expect(error.description == "Chain at next: recursive through a non-optional, non-array member")
        }
        // A value-sniffing enum (JSONValue's shape) walks its first branch and is silently wrong: it must self-describe.
        #expect(try SchemaComponents().schema(for: SniffingJSON.self) == JSONSchema(type: .boolean))
        // The same union, described by hand, works (`LiveChatVisitorSegment.Notification: SchemaProviding`).
        let components = SchemaComponents()
        _ = try components.schema(for: LiveChatVisitorSegment.self)
        let body = Data(#"{"notification": {"agents": [1, 2]}, "name": "VIP"}"#.utf8)
        #expect(validator(components).validate(json: body, against: .ref("LiveChatVisitorSegment")) == [])
        #expect(
            validator(components).validate(json: Data(#"{"notification": "all"}"#.utf8), against: .ref("LiveChatVisitorSegment")) == [
                "$.notification: string 'all' is not one of the documented values"
            ])
        // `[String: Any]` is not Decodable: it cannot be a wire type at all (a compile error), so it must become
        // `[String: JSONValue]` or a struct before it can be documented.
    }
}

/// The real `LiveChatVisitorSegment.Notification`, without its `SchemaProviding` conformance.
enum UnprovidedNotification: Codable {
    case none
    case agents([Int])
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard text.lowercased() == "none" else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "none or agents") }
            self = .none
        } else {
            self = .agents(try container.decode([String: [Int]].self)["agents"] ?? [])
        }
    }
    func encode(to encoder: any Encoder) throws {}
}
struct UnprovidedNotificationHolder: Codable { var notification: UnprovidedNotification }

/// JSONValue's decoding, without a `SchemaProviding` conformance.
enum SniffingJSON: Codable {
    case bool(Bool)
    case number(Double)
    case string(String)
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Double.self) {
            self = .number(v)
        } else {
            self = .string(try c.decode(String.self))
        }
    }
    func encode(to encoder: any Encoder) throws {}
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing

@testable import Conversation

/// Every member of every JSON body the service documents in `/openapi.json`, tried with a value of the wrong type, an
/// unknown enum value and an oversize string, on real objects: each is a 400 in Comm100's shape naming the member, and
/// nothing is a 5xx. The routes and members come from the document, so an endpoint added later is swept too.
@Suite("Anytime bodies: every member of every body")
struct AnytimeBodySweepTests {
    /// Longer than every text limit of the API (65,536 characters, spec §2.11).
    static let oversize = String(repeating: "o", count: 70_000)

    /// Members a route documents but ignores (spec §6): a value there, however long, is neither stored nor an error.
    static let ignored: Set<String> = [
        "POST /api/v3/anytime/holidays id",  // W3: the server makes the id
        "PUT /api/v3/anytime/holidays/{id} id",
        // A new conversation's first message replies to nothing; a portal submit's contact is the body's `contactId`.
        "POST /api/v3/anytime/conversations message.parentId", "POST /api/v3/anytime/portalConversations message.contactId",
        "POST /api/v3/anytime/fields options[0].id", "PUT /api/v3/anytime/fields/{id} options[0].id",  // options get their own ids
        // The ticket message gets its own id; the connector's delivery ids and time are not kept (only status and reason).
        "POST /ticketing/ticket/{id}/messages:attach id", "POST /ticketing/ticket/{id}/messages:attach messageDelivery.groupId",
        "POST /ticketing/ticket/{id}/messages:attach messageDelivery.messageId", "POST /ticketing/ticket/{id}/messages:attach messageDelivery.time",
        // Output-only members of a condition, and an expression that `when` is not `logicalExpression` ignores.
        "POST /api/v3/anytime/views conditions.list[0].type", "PUT /api/v3/anytime/views/{id} conditions.list[0].type",
        "POST /api/v3/anytime/views conditions.logicExpression", "PUT /api/v3/anytime/views/{id} conditions.logicExpression",
        "POST /api/v3/anytime/SLAPolicies conditions.list[0].type", "PUT /api/v3/anytime/SLAPolicies/{id} conditions.list[0].type",
        "POST /api/v3/anytime/SLAPolicies conditions.logicExpression", "PUT /api/v3/anytime/SLAPolicies/{id} conditions.logicExpression",
        "POST /api/v3/anytime/triggers conditions.list[0].type", "PUT /api/v3/anytime/triggers/{id} conditions.list[0].type",
        "POST /api/v3/anytime/triggers conditions.logicExpression", "PUT /api/v3/anytime/triggers/{id} conditions.logicExpression",
        "POST /api/v3/anytime/routing/customRules conditions.list[0].type",
        "PUT /api/v3/anytime/routing/customRules/{id} conditions.list[0].type",
        "POST /api/v3/anytime/routing/customRules conditions.logicExpression",
        "PUT /api/v3/anytime/routing/customRules/{id} conditions.logicExpression",
    ]

    @Test("A wrong type, an unknown enum value and an oversize string in any member of any body are 400s naming the member")
    func everyMember() async throws {
        try await ConversationIncludeTests.run { conversation, outreach in
            let published = try await conversation.execute(uri: "/openapi.json", method: .get)
            let document = try JSONSerialization.jsonObject(with: Data(buffer: published.body))
            let sweep = BodySweep(document: document as? [String: Any] ?? [:])
            let fixtures = try await Self.fixtures(conversation, outreach, documented: Set(sweep.operations.map(\.path)))
            var failures: [String] = []
            var tried = 0
            for operation in sweep.operations {
                let path = fixtures.path(operation.path)
                let base = fixtures.base(Self.bases["\(operation.method) \(operation.path)"] ?? [:])
                for mutation in sweep.mutations(of: operation.body, base: base) {
                    tried += 1
                    let response = try await conversation.execute(
                        uri: path + (path.contains("?") ? "&" : "?") + "siteId=10000", method: operation.method,
                        headers: ConversationIncludeTests.admin, body: ByteBuffer(string: mutation.body))
                    let reply = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
                    let message = reply["message"] as? String ?? ""
                    let (code, text) = (response.status.code, String(buffer: response.body).prefix(200))
                    let label = "\(operation.method) \(operation.path) \(mutation.kind) \(mutation.member)"
                    if code >= 500 {
                        failures.append("\(label): \(code) \(text)")
                    } else if code < 300, mutation.kind == "oversize",
                        Self.ignored.contains("\(operation.method) \(operation.path) \(mutation.member)")
                    {
                        continue
                    } else if code != 400 {
                        failures.append("\(label): \(code), not 400 \(text)")
                    } else if !message.contains(mutation.leaf) {
                        failures.append("\(label): 400 names another member: \(message.prefix(200))")
                    } else if reply["code"] == nil {
                        failures.append("\(label): not Comm100's error shape: \(text)")
                    }
                }
            }
            #expect(tried > 500, "only \(tried) mutations: the document's bodies were not found")
            #expect(failures.isEmpty, "\(failures.count) of \(tried):\n\(failures.joined(separator: "\n"))")
        }
    }

    static var conditions: [String: Any] { ["when": "all", "list": [["fieldId": "priority", "matchType": "is", "value": "urgent"]]] }
    static var contents: [[String: Any]] { [["type": "text", "text": "Hello"]] }

    /// Valid values of the members whose sample ("x", 1, the first enum value) a route refuses, by operation: what
    /// the mutations start from, so the one wrong member is what the route sees first. `$contact` is a real contact.
    static var bases: [String: [String: Any]] {
        let sla: [String: Any] = ["businessHours": "calenderHours", "isBusinessHours": false, "conditions": conditions]
        let field: [String: Any] = ["type": "dropdownList", "defaultValue": "a", "options": [["name": "A", "value": "a"]]]
        let message: [String: Any] = ["channelId": "email", "contents": contents, "mentionedAgentIds": []]
        let trigger: [String: Any] = [
            "event": "conversationCreated", "conditions": conditions, "autoUpdate": [["fieldId": "priority", "value": "high"]],
            "ifSendEmail": false, "ifSendToAgents": false, "ifSendToContacts": false, "recipientAgentIds": [], "attachments": [],
        ]
        let rule: [String: Any] = ["routeType": "agent", "routeToId": "2", "routeWithPriority": "high", "conditions": conditions]
        let view: [String: Any] = ["conditions": conditions]
        let portal: [String: Any] = ["contactId": "$contact", "customFields": [], "message": ["contactId": "$contact", "attachments": []]]
        return [
            "POST /api/v3/anytime/SLAPolicies": sla, "PUT /api/v3/anytime/SLAPolicies/{id}": sla,
            "POST /api/v3/anytime/fields": field, "PUT /api/v3/anytime/fields/{id}": field.merging(["type": NSNull(), "name": "Sweep"]) { $1 },
            "POST /api/v3/anytime/holidays": ["date": "2027-05-01T00:00:00Z"], "PUT /api/v3/anytime/holidays/{id}": ["date": "2027-01-01T00:00:00Z"],
            "POST /api/v3/anytime/conversations": ["message": message, "customFields": [], "assignedAgentId": "2", "assignedDepartmentId": NSNull()],
            "PUT /api/v3/anytime/conversations/{id}": ["customFields": [], "assignedAgentId": "2", "assignedDepartmentId": NSNull()],
            "PUT /api/v3/anytime/conversations": ["assignedAgentId": "2", "assignedDepartmentId": NSNull()],
            "POST /api/v3/anytime/conversations/{id}/messages": message,
            "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}": ["content": NSNull(), "contents": NSNull()],
            "POST /api/v3/anytime/inboundEmails": ["from": "someone@example.com", "contents": contents],
            "POST /api/v3/anytime/views": view, "PUT /api/v3/anytime/views/{id}": view,
            "POST /api/v3/anytime/triggers": trigger, "PUT /api/v3/anytime/triggers/{id}": trigger,
            "POST /api/v3/anytime/routing/customRules": rule, "PUT /api/v3/anytime/routing/customRules/{id}": rule,
            "PUT /api/v3/anytime/autoAllocation": ["allocationRuleSettings": NSNull(), "allocationAgentPreferences": NSNull()],
            "POST /api/v3/anytime/portalConversations": portal,
            "POST /api/v3/anytime/portalConversations/{id}/messages": ["contactId": "$contact", "attachments": []],
            "PUT /api/v3/anytime/portalConversations/{id}/close": ["contactId": "$contact"],
            "PUT /api/v3/anytime/portalConversations/{id}/reopen": ["contactId": "$contact"],
            "POST /ticketing/ticket/{id}/messages:attach": [
                "metadata": ["source": "sweep"], "channelId": "sms", "attachments": [], "time": "2027-01-04T10:00:00Z", "parentId": NSNull(),
            ],
        ]
    }

    /// Real objects for the path parameters, so a check made after the lookup is reached too.
    static func fixtures(
        _ conversation: any TestClientProtocol, _ outreach: any TestClientProtocol, documented: Set<String>
    ) async throws -> PathFixtures {
        func made(_ path: String, _ body: String) async throws -> String {
            // A route this build does not serve yet has nothing to sweep either.
            guard documented.contains("/api/v3/anytime" + path) else { return "999999" }
            let object = try await ConversationIncludeTests.call(conversation, .post, "/api/v3/anytime" + path, body)
            return "\(try #require(object["id"]))"
        }
        let contact = try await ConversationIncludeTests.call(
            outreach, .post, "/contact/contacts",
            #"{"name": "Sweep", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100009"}]}"#)
        let contactId = try #require(contact["id"] as? String)
        let created = try await made(
            "/conversations", #"{"subject": "Sweep", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#)
        let messages = try await ConversationIncludeTests.call(conversation, .get, "/api/v3/anytime/conversations/\(created)/messages")
        let messageId = try #require((messages["array"] as? [[String: Any]])?.first?["id"] as? String)
        let portal = try await made(
            "/portalConversations", #"{"subject": "Sweep", "contactId": "\#(contactId)", "message": {"contents": [{"type": "text", "text": "Hi"}]}}"#)
        return PathFixtures(
            values: [
                "/conversations/{id}": created, "{messageId}": messageId, "/portalConversations/{id}": portal, "/ticket/{id}": created,
                "/views/{id}": try await made("/views", #"{"name": "Sweep"}"#),
                "/fields/{id}": try await made("/fields", #"{"type": "dropdownList", "name": "Sweep", "options": [{"name": "A", "value": "a"}]}"#),
                "/holidays/{id}": try await made("/holidays", #"{"title": "Sweep", "date": "2027-01-01T00:00:00Z"}"#),
                "/SLAPolicies/{id}": try await made("/SLAPolicies", #"{"isEnabled": true, "firstRespondWithin": 1}"#),
                "/channelAccounts/{id}": try await made("/channelAccounts", #"{"name": "Sweep", "channelId": "email"}"#),
                "/triggers/{id}": try await made(
                    "/triggers",
                    #"{"description": "Sweep", "event": "conversationCreated", "ifSetValue": true, "autoUpdate": [{"fieldId": "priority", "value": "high"}]}"#
                ),
                "/routing/customRules/{id}": try await made(
                    "/routing/customRules",
                    #"{"name": "Sweep", "routeType": "agent", "routeToId": "2", "conditions": {"when": "all", "list": [{"fieldId": "priority", "matchType": "is", "value": "urgent"}]}}"#
                ),
            ], contact: contactId)
    }
}

/// Path parameters filled from the fixtures, by the segment before them.
struct PathFixtures {
    var values: [String: String]
    var contact: String

    /// `base` with `$contact` replaced by the real contact's id, at any depth.
    func base(_ base: [String: Any]) -> [String: Any] {
        func filled(_ value: Any) -> Any {
            if let text = value as? String, text == "$contact" { return self.contact }
            if let object = value as? [String: Any] { return object.mapValues(filled) }
            if let array = value as? [Any] { return array.map(filled) }
            return value
        }
        return base.mapValues(filled)
    }

    /// `path` (a document path) relative to the Anytime prefix, with its parameters filled.
    func path(_ documented: String) -> String {
        var path = documented
        for (template, value) in self.values.sorted(by: { $0.key.count > $1.key.count }) {
            let filled = template.replacingOccurrences(of: "{id}", with: value).replacingOccurrences(of: "{messageId}", with: value)
            path = path.replacingOccurrences(of: template, with: filled)
        }
        path = path.replacingOccurrences(of: "{id}", with: "999999").replacingOccurrences(of: "{guid}", with: UUID().uuidString.lowercased())
        return path
    }
}

/// The JSON bodies of a document and one wrong value per member.
struct BodySweep {
    struct Operation {
        var method: HTTPRequest.Method
        var path: String
        var body: [String: Any]
    }

    struct Mutation {
        var kind: String
        var member: String
        var leaf: String
        var body: String
    }

    let schemas: [String: Any]
    let operations: [Operation]

    init(document: [String: Any]) {
        self.schemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
        var operations: [Operation] = []
        for (path, item) in (document["paths"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) where !path.hasPrefix("/internal") {
            for (method, operation) in item as? [String: Any] ?? [:] {
                guard let body = (operation as? [String: Any])?["requestBody"] as? [String: Any],
                    let schema = ((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                else { continue }
                operations.append(Operation(method: HTTPRequest.Method(method.uppercased())!, path: path, body: schema))
            }
        }
        self.operations = operations
    }

    /// `schema` with its `$ref` and nullable `anyOf` followed.
    func resolved(_ schema: [String: Any]) -> [String: Any] {
        if let reference = schema["$ref"] as? String {
            return self.resolved(self.schemas[String(reference.split(separator: "/").last!)] as? [String: Any] ?? [:])
        }
        if let any = schema["anyOf"] as? [[String: Any]], let first = any.first(where: { ($0["type"] as? String) != "null" }) {
            return self.resolved(first)
        }
        return schema
    }

    func types(_ schema: [String: Any]) -> [String] {
        if let one = schema["type"] as? String { return [one] }
        return schema["type"] as? [String] ?? []
    }

    /// A plausible value of `schema`: what the mutations start from, so a member is reached with its siblings present.
    func sample(_ schema: [String: Any], depth: Int = 0) -> Any {
        let schema = self.resolved(schema)
        let types = self.types(schema)
        if let values = schema["enum"] as? [Any], let first = values.first(where: { !($0 is NSNull) }) { return first }
        if types.contains("object") || schema["properties"] != nil {
            guard depth < 4 else { return [String: Any]() }
            var object: [String: Any] = [:]
            for (name, member) in schema["properties"] as? [String: Any] ?? [:] {
                object[name] = self.sample(member as? [String: Any] ?? [:], depth: depth + 1)
            }
            return object
        }
        if types.contains("array") {
            guard depth < 4 else { return [Any]() }
            return [self.sample(schema["items"] as? [String: Any] ?? [:], depth: depth + 1)]
        }
        if types.contains("string") {
            switch schema["format"] as? String {
            case "date-time": return "2027-01-04T10:00:00Z"
            case "uuid": return UUID().uuidString.lowercased()
            default: return "x"
            }
        }
        if types.contains("integer") || types.contains("number") { return 1 }
        if types.contains("boolean") { return true }
        return NSNull()
    }

    /// One wrong value at every member of `schema` (nested objects and the first item of arrays included).
    func mutations(of schema: [String: Any], base overrides: [String: Any]) -> [Mutation] {
        var base = self.sample(schema) as? [String: Any] ?? [:]
        for (name, value) in overrides { base[name] = value is NSNull ? nil : value }
        var mutations: [Mutation] = []
        func visit(_ schema: [String: Any], path: [Any], member: String, depth: Int) {
            let schema = self.resolved(schema)
            let types = self.types(schema)
            let leaf = path.last.map { "\($0)" } ?? ""
            func add(_ kind: String, _ value: Any) {
                guard let mutated = Self.setting(value, at: path, in: base),
                    let data = try? JSONSerialization.data(withJSONObject: mutated, options: [.fragmentsAllowed])
                else { return }
                mutations.append(Mutation(kind: kind, member: member, leaf: leaf, body: String(decoding: data, as: UTF8.self)))
            }
            if !path.isEmpty, !types.isEmpty {
                add("wrong type", types.contains("object") || types.contains("array") ? 12 as Any : ["wrong": true] as Any)
                if schema["enum"] != nil { add("unknown enum", "not-a-documented-value") }
                if types.contains("string"), schema["enum"] == nil, schema["format"] == nil { add("oversize", AnytimeBodySweepTests.oversize) }
            }
            guard depth < 4 else { return }
            for (name, child) in (schema["properties"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                visit(child as? [String: Any] ?? [:], path: path + [name], member: member.isEmpty ? name : "\(member).\(name)", depth: depth + 1)
            }
            if types.contains("array"), let items = schema["items"] as? [String: Any] {
                let resolvedItems = self.resolved(items)
                if resolvedItems["properties"] != nil {
                    visit(items, path: path + [0], member: "\(member)[0]", depth: depth + 1)
                }
            }
        }
        visit(schema, path: [], member: "", depth: 0)
        return mutations
    }

    /// `root` with `value` at `path` (member names and array indexes).
    static func setting(_ value: Any, at path: [Any], in root: Any) -> Any? {
        guard let first = path.first else { return value }
        let rest = Array(path.dropFirst())
        if let name = first as? String, var object = root as? [String: Any] {
            guard let child = Self.setting(value, at: rest, in: object[name] ?? [String: Any]()) else { return nil }
            object[name] = child
            return object
        }
        if let index = first as? Int, var array = root as? [Any], index < array.count {
            guard let child = Self.setting(value, at: rest, in: array[index]) else { return nil }
            array[index] = child
            return array
        }
        return nil
    }
}

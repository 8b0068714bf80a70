import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import Conversation
@testable import LiveChatConfig
@testable import OutreachContact

/// `include=` of the Anytime API (spec §2.5, decision 251) across the real services: agents and departments from
/// livechat-config, contacts and visitors from outreach-contact, through conversation's typed clients.
@Suite("Anytime include= against the real livechat-config and outreach-contact")
struct ConversationIncludeTests {
    static let admin: HTTPFields = [
        .authorization: basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey), .contentType: "application/json",
    ]

    /// livechat-config with a second agent in a department, outreach-contact, and conversation pointing at both (or at
    /// a closed port for outreach-contact when `contactsDown`).
    static func run(
        contactsDown: Bool = false,
        _ body: @Sendable (_ conversation: any TestClientProtocol, _ outreach: any TestClientProtocol) async throws -> Void
    ) async throws {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            _ = try await Self.call(
                liveChatClient, .post, "/api/v1/livechat/admin/agents",
                #"{"email": "ann@example.com", "displayName": "Ann", "apiKey": "ann-key-0123456789"}"#)
            _ = try await Self.call(liveChatClient, .post, "/api/v1/livechat/departments", #"{"name": "Billing", "agents": [2]}"#)
            let liveChatURL = ConfigValue(.string("http://127.0.0.1:\(liveChatClient.port!)"), isSecret: false)
            let outreach = try await OutreachContact.buildApplication(reader: TestConfiguration.reader(["peers.livechatConfig.url": liveChatURL]))
            try await outreach.test(.live) { outreachClient in
                let contactsURL = contactsDown ? "http://127.0.0.1:\(TestConfiguration.refusingPort)" : "http://127.0.0.1:\(outreachClient.port!)"
                let conversation = try await Conversation.buildApplication(
                    reader: TestConfiguration.reader([
                        "peers.livechatConfig.url": liveChatURL, "peers.outreachContact.url": .init(.string(contactsURL), isSecret: false),
                    ]))
                try await conversation.test(.router) { conversationClient in try await body(conversationClient, outreachClient) }
            }
        }
    }

    @discardableResult
    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, expect: HTTPResponse.Status? = nil
    ) async throws -> [String: Any] {
        let uri = path + (path.contains("?") ? "&" : "?") + "siteId=10000"
        let response = try await client.execute(uri: uri, method: method, headers: Self.admin, body: body.map { ByteBuffer(string: $0) })
        if let expect {
            try #require(response.status == expect, "\(method) \(path): \(response.status) \(String(buffer: response.body))")
        } else {
            try #require(response.status.code < 300, "\(method) \(path): \(response.status) \(String(buffer: response.body))")
        }
        let json = try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: .fragmentsAllowed)
        return json as? [String: Any] ?? ["array": json as Any]
    }

    static let everyone = "assignedAgent,assignedDepartment,contactOrVisitor,createdBy,lastRepliedBy"

    @Test("Agents, departments and contacts beside their ids, on a conversation, a page and the messages; null where the id is none")
    func expanded() async throws {
        try await Self.run { conversation, outreach in
            let contact = try await Self.call(
                outreach, .post, "/contact/contacts",
                #"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
            let contactId = try #require(contact["id"] as? String)
            let created = try await Self.call(
                conversation, .post, "/api/v3/anytime/conversations",
                #"{"subject": "Refund", "assignedAgentId": "2", "assignedDepartmentId": "1", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#
            )
            let id = try #require(created["id"] as? Int)
            try await Self.call(
                conversation, .put, "/api/v3/anytime/conversations/\(id)", #"{"relatedType": "contact", "relatedId": "\#(contactId)"}"#)

            let one = try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)?include=\(Self.everyone),messages")
            #expect((one["assignedAgent"] as? [String: Any])?["id"] as? Int == 2)
            #expect((one["assignedAgent"] as? [String: Any])?["email"] as? String == "ann@example.com")
            #expect((one["assignedDepartment"] as? [String: Any])?["name"] as? String == "Billing")
            #expect((one["contactOrVisitor"] as? [String: Any])?["name"] as? String == "Alice")
            // The bootstrap administrator (agent 1) created it and wrote last.
            #expect((one["createdBy"] as? [String: Any])?["id"] as? Int == 1)
            #expect((one["lastRepliedBy"] as? [String: Any])?["id"] as? Int == 1)
            #expect((one["messages"] as? [Any])?.count == 1)

            let page = try await Self.call(conversation, .get, "/api/v3/anytime/conversations?include=contactOrVisitor,assignedAgent")
            let listed = (page["conversations"] as? [[String: Any]])?.first
            #expect((listed?["contactOrVisitor"] as? [String: Any])?["id"] as? String == contactId)
            #expect(listed?["createdBy"] == nil)  // not asked for: absent

            // Unassigned: the include is there, as null.
            try await Self.call(conversation, .put, "/api/v3/anytime/conversations/\(id)", #"{"assignedAgentId": ""}"#)
            let unassigned = try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)?include=assignedAgent")
            #expect(unassigned.keys.contains("assignedAgent") && unassigned["assignedAgent"] is NSNull)

            let messages = try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)/messages?include=sender")
            let first = (messages["array"] as? [[String: Any]])?.first
            #expect((first?["sender"] as? [String: Any])?["email"] as? String == "admin@example.com")

            for path in [
                "/api/v3/anytime/conversations/\(id)?include=owner", "/api/v3/anytime/conversations?include=messages",
                "/api/v3/anytime/conversations/\(id)/messages?include=assignedAgent",
            ] {
                let refused = try await Self.call(conversation, .get, path, expect: .badRequest)
                #expect((refused["message"] as? String)?.contains("include") == true)
            }
        }
    }

    @Test("A visitor is the contact holding that visitor identity; outreach-contact down is a 503 naming it, and nothing asked of it works")
    func visitorsAndOutage() async throws {
        try await Self.run { conversation, outreach in
            _ = try await Self.call(
                outreach, .post, "/contact/contacts",
                #"{"name": "Web visitor", "contactIdentities": [{"contactIdentityType": "visitor", "value": "v-42"}]}"#)
            let created = try await Self.call(
                conversation, .post, "/api/v3/anytime/conversations",
                #"{"subject": "Chat", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#)
            let id = try #require(created["id"] as? Int)
            try await Self.call(conversation, .put, "/api/v3/anytime/conversations/\(id)", #"{"relatedType": "visitor", "relatedId": "v-42"}"#)
            let one = try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)?include=contactOrVisitor")
            #expect((one["contactOrVisitor"] as? [String: Any])?["name"] as? String == "Web visitor")
            try await Self.call(conversation, .put, "/api/v3/anytime/conversations/\(id)", #"{"relatedType": "visitor", "relatedId": "v-unknown"}"#)
            #expect(
                try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)?include=contactOrVisitor")["contactOrVisitor"] is NSNull)
        }
        try await Self.run(contactsDown: true) { conversation, _ in
            let created = try await Self.call(
                conversation, .post, "/api/v3/anytime/conversations",
                #"{"subject": "Chat", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#)
            let id = try #require(created["id"] as? Int)
            try await Self.call(conversation, .put, "/api/v3/anytime/conversations/\(id)", #"{"relatedType": "contact", "relatedId": "c-1"}"#)
            let down = try await Self.call(
                conversation, .get, "/api/v3/anytime/conversations/\(id)?include=contactOrVisitor", expect: .serviceUnavailable)
            #expect((down["message"] as? String)?.contains("outreach-contact") == true)
            // Agents come from livechat-config, which is up.
            let agent = try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)?include=createdBy")
            #expect((agent["createdBy"] as? [String: Any])?["id"] as? Int == 1)
        }
    }
}

extension ConversationIncludeTests {
    /// A request as the site 10000 administrator; answers the JSON (object or array).
    static func callAny(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, expect: HTTPResponse.Status? = nil
    ) async throws -> Any {
        let uri = path + (path.contains("?") ? "&" : "?") + "siteId=10000"
        let response = try await client.execute(uri: uri, method: method, headers: Self.admin, body: body.map { ByteBuffer(string: $0) })
        if let expect {
            try #require(response.status == expect, "\(method) \(path): \(response.status) \(String(buffer: response.body))")
        } else {
            try #require(response.status.code < 300, "\(method) \(path): \(response.status) \(String(buffer: response.body))")
        }
        return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: .fragmentsAllowed)) ?? [:]
    }

    /// Uploads a small file as the site 10000 administrator; answers the attachment's id.
    static func upload(_ client: any TestClientProtocol, fileName: String) async throws -> String {
        var body = ByteBuffer()
        body.writeString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: image/jpeg\r\n\r\n")
        body.writeBytes([0xFF, 0xD8, 0xFF])
        body.writeString("\r\n--b--\r\n")
        var headers = Self.admin
        headers[.contentType] = "multipart/form-data; boundary=b"
        let response = try await client.execute(uri: "/api/v3/anytime/attachments?siteId=10000", method: .post, headers: headers, body: body)
        try #require(response.status == .created, "\(String(buffer: response.body))")
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return try #require(object?["id"] as? String)
    }
}

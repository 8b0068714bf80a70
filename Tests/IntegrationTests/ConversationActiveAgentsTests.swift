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

/// `isActive` and `GET /conversations/{id}/agents` (spec §3.1 #9, §5.8; decision 226) against the real livechat-config,
/// whose agents the list shows.
@Suite("Anytime active agents against the real livechat-config")
struct ConversationActiveAgentsTests {
    static let ann: HTTPFields = [.authorization: basicAuthorization("ann@example.com", "ann-key-0123456789"), .contentType: "application/json"]

    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil,
        as headers: HTTPFields = ConversationIncludeTests.admin, site: String = "10000"
    ) async throws -> (status: HTTPResponse.Status, json: Any?) {
        let response = try await client.execute(
            uri: "/api/v3/anytime" + path + (path.contains("?") ? "&" : "?") + "siteId=\(site)", method: method, headers: headers,
            body: body.map { ByteBuffer(string: $0) })
        return (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: .fragmentsAllowed))
    }

    @Test("isActive is the caller's: PUT adds or removes them; /agents lists who has it open, in order, as livechat-config knows them")
    func activeAgents() async throws {
        try await ConversationIncludeTests.run { conversation, _ in
            let created = try await Self.send(
                conversation, .post, "/conversations",
                #"{"subject": "Open", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#)
            let id = try #require((created.json as? [String: Any])?["id"] as? Int)
            #expect(((try await Self.send(conversation, .get, "/conversations/\(id)/agents")).json as? [Any])?.isEmpty == true)

            let opened = try await Self.send(conversation, .put, "/conversations/\(id)", #"{"isActive": true}"#, as: Self.ann)
            #expect(opened.status == .ok && (opened.json as? [String: Any])?["isActive"] as? Bool == true)
            // It is Ann's: the admin does not have it open, and opening it logs nothing and moves no activity.
            let seen = try #require((try await Self.send(conversation, .get, "/conversations/\(id)?include=eventLogs")).json as? [String: Any])
            #expect(seen["isActive"] as? Bool == false && (seen["eventLogs"] as? [Any])?.count == 1)
            #expect(seen["lastActivityTime"] as? String == (created.json as? [String: Any])?["lastActivityTime"] as? String)
            #expect(try await Self.send(conversation, .put, "/conversations/\(id)", #"{"isActive": true}"#).status == .ok)
            #expect(try await Self.send(conversation, .put, "/conversations/\(id)", #"{"isActive": true}"#, as: Self.ann).status == .ok)
            let page = try #require((try await Self.send(conversation, .get, "/conversations")).json as? [String: Any])
            #expect((page["conversations"] as? [[String: Any]])?.first?["isActive"] as? Bool == true)

            let agents = try #require((try await Self.send(conversation, .get, "/conversations/\(id)/agents")).json as? [[String: Any]])
            #expect(agents.map { $0["id"] as? Int } == [2, 1])
            #expect(agents.first?["email"] as? String == "ann@example.com")

            #expect(try await Self.send(conversation, .put, "/conversations/\(id)", #"{"isActive": false}"#, as: Self.ann).status == .ok)
            let left = try #require((try await Self.send(conversation, .get, "/conversations/\(id)/agents")).json as? [[String: Any]])
            #expect(left.map { $0["id"] as? Int } == [1])

            let wrong = try await Self.send(conversation, .put, "/conversations/\(id)", #"{"isActive": "yes"}"#)
            #expect(wrong.status == .badRequest && ((wrong.json as? [String: Any])?["message"] as? String)?.contains("isActive") == true)
            #expect(try await Self.send(conversation, .get, "/conversations/999999/agents").status == .notFound)
            #expect(try await Self.send(conversation, .get, "/conversations/abc/agents").status == .badRequest)
            #expect(try await Self.send(conversation, .delete, "/conversations/\(id)").status == .noContent)
            #expect(try await Self.send(conversation, .get, "/conversations/\(id)/agents").status == .notFound)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot contact conversations")
struct ContactConversationTests {
    @Test("A contact's conversations, newest first as the list renders them; agents see their inboxes only; other accounts 404")
    func contactConversations() async throws {
        try await ConversationWorld().run { client, seed in
            let sales = try await seed.inbox("Sales")
            let support = try await seed.inbox("Support")
            let alice = try await seed.contact("Alice", email: "alice@example.com")
            let bob = try await seed.contact("Bob")
            let first = try await client.conversation(inbox: sales, contact: alice)
            let second = try await client.conversation(inbox: support, contact: alice)
            _ = try await client.conversation(inbox: sales, contact: bob)
            let path = "/api/v1/accounts/1/contacts/\(alice)/conversations"

            let listed = try await client.chatwoot(.get, path)
            #expect(listed.status == .ok, "\(String(buffer: listed.body))")
            let payload = try #require(listed.object["payload"] as? [[String: Any]])
            #expect(payload.map { $0["id"] as? Int } == [second, first])
            #expect(payload.map { $0["inbox_id"] as? Int } == [support, sales])
            let meta = try #require(payload.first?["meta"] as? [String: Any])
            #expect((meta["sender"] as? [String: Any])?["name"] as? String == "Alice")
            #expect(meta["channel"] as? String == "Channel::Api")

            // An agent of Sales sees only the Sales conversation; one of no inbox sees none.
            let agent = try await client.chatwootUser("Sales Agent")
            try await seed.member(inbox: sales, user: agent.id)
            let theirs = try await client.chatwoot(.get, path, token: agent.token)
            #expect((theirs.object["payload"] as? [[String: Any]])?.map { $0["id"] as? Int } == [first])
            let idle = try await client.chatwootUser("Idle Agent")
            #expect((try await client.chatwoot(.get, path, token: idle.token).object["payload"] as? [Any])?.isEmpty == true)

            // A contact with none answers an empty list; unknown and other accounts' contacts 404.
            let carol = try await seed.contact("Carol")
            #expect(
                (try await client.chatwoot(.get, "/api/v1/accounts/1/contacts/\(carol)/conversations").object["payload"] as? [Any])?.isEmpty == true)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/contacts/999999/conversations").status == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/contacts/abc/conversations").status == .notFound)
            let other = try await client.chatwootAccount("Other Contacts")
            let token = try await seed.token(account: other)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/contacts/\(alice)/conversations", token: token).status == .notFound)
            #expect(try await client.chatwoot(.get, path, token: token).status == .unauthorized)
        }
    }

    @Test("The swagger's /accounts/{account_id}/conversations/{conversation_id}/messages answers the messages list")
    func swaggerMessagesPath() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Path")
            let contact = try await seed.contact("Dana")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let sent = try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations/\(id)/messages", json: #"{"content": "Hello Dana", "message_type": "outgoing"}"#)
            #expect(sent.status == .ok)
            let literal = try await client.execute(
                uri: "/accounts/1/conversations/\(id)/messages", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
            #expect(literal.status == .ok, "\(String(buffer: literal.body))")
            // The swagger types this path's senders as contacts; an agent's message names its user (decision 348).
            let violations = ChatwootSwagger.violations(
                "GET", "/accounts/1/conversations/\(id)/messages", status: 200, body: Data(buffer: literal.body))
            #expect(
                violations == [
                    "GET /accounts/{account_id}/conversations/{conversation_id}/messages 200: $.payload[0].sender.type is string(\"user\"), not one of the enum"
                ])
            let canonical = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(id)/messages")
            #expect((literal.object["payload"] as? [[String: Any]])?.contains { $0["content"] as? String == "Hello Dana" } == true)
            #expect(literal.object as NSDictionary == canonical.object as NSDictionary)
            #expect(try await client.chatwoot(.get, "/accounts/1/conversations/\(id)/messages", token: nil).status == .unauthorized)
            #expect(try await client.chatwoot(.get, "/accounts/1/conversations/999999/messages").status == .notFound)
            let agent = try await client.chatwootUser("Path Agent")
            #expect(try await client.chatwoot(.get, "/accounts/1/conversations/\(id)/messages", token: agent.token).status == .unauthorized)
        }
    }
}

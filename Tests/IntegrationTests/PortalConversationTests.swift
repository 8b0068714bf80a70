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

/// The portal conversations of the Anytime API (seed 000 L549–L678, spec §5.12, decision 263) against the real
/// livechat-config (credentials) and outreach-contact (the contacts): the contact's view of the same record.
@Suite("Anytime portal conversations against the real livechat-config and outreach-contact")
struct PortalConversationTests {
    static func run(_ body: @Sendable (_ conversation: any TestClientProtocol, _ outreach: any TestClientProtocol) async throws -> Void) async throws
    {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            let liveChatURL = ConfigValue(.string("http://127.0.0.1:\(liveChatClient.port!)"), isSecret: false)
            let outreach = try await OutreachContact.buildApplication(reader: TestConfiguration.reader(["peers.livechatConfig.url": liveChatURL]))
            try await outreach.test(.live) { outreachClient in
                let conversation = try await Conversation.buildApplication(
                    reader: TestConfiguration.reader([
                        "peers.livechatConfig.url": liveChatURL,
                        "peers.outreachContact.url": .init(.string("http://127.0.0.1:\(outreachClient.port!)"), isSecret: false),
                    ]))
                try await conversation.test(.router) { conversationClient in try await body(conversationClient, outreachClient) }
            }
        }
    }

    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil,
        expect: HTTPResponse.Status? = nil
    ) async throws -> Any {
        try await ConversationIncludeTests.callAny(client, method, path, body, expect: expect)
    }

    static func object(_ value: Any) -> [String: Any] { value as? [String: Any] ?? [:] }

    @Test("Submit, read, reply with an attachment, close and reopen: the agents see the same conversation; notes stay out")
    func roundTrip() async throws {
        try await Self.run { conversation, outreach in
            let alice = try #require(
                Self.object(
                    try await Self.call(
                        outreach, .post, "/contact/contacts",
                        #"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "email", "value": "alice@example.com"}]}"#))["id"]
                    as? String)
            let bob = try #require(
                Self.object(
                    try await Self.call(
                        outreach, .post, "/contact/contacts",
                        #"{"name": "Bob", "contactIdentities": [{"contactIdentityType": "email", "value": "bob@example.com"}]}"#))["id"] as? String)
            let submitted = Self.object(
                try await Self.call(
                    conversation, .post, "/api/v3/anytime/portalConversations",
                    #"{"subject": "Broken order", "contactId": "\#(alice)", "message": {"contents": [{"type": "text", "text": "It arrived broken"}]}}"#,
                    expect: .created))
            let id = try #require(submitted["id"] as? Int)
            #expect(submitted["contactId"] as? String == alice && submitted["isClosed"] as? Bool == false)

            // The agents' conversation: about Alice, created by her, unread, a received message.
            let agents = Self.object(try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)?include=messages"))
            #expect(agents["relatedId"] as? String == alice && agents["createdByType"] as? String == "contact")
            #expect(agents["isRead"] as? Bool == false)
            #expect(((agents["messages"] as? [[String: Any]])?.first)?["directType"] as? String == "receive")

            // An agent's note and reply: the portal shows the reply, never the note.
            _ = try await Self.call(
                conversation, .post, "/api/v3/anytime/conversations/\(id)/messages",
                #"{"type": "note", "channelId": "helpDesk", "contents": [{"type": "text", "text": "internal: refund?"}]}"#)
            _ = try await Self.call(
                conversation, .post, "/api/v3/anytime/conversations/\(id)/messages",
                #"{"type": "message", "channelId": "helpDesk", "contents": [{"type": "text", "text": "Sorry! Photo please"}]}"#)
            let seen = try await Self.call(conversation, .get, "/api/v3/anytime/portalConversations/\(id)/messages?contactId=\(alice)&include=sender")
            let texts = (seen as? [[String: Any]] ?? []).compactMap { (($0["contents"] as? [[String: Any]])?.first)?["text"] as? String }
            #expect(texts == ["It arrived broken", "Sorry! Photo please"])
            // The agent as the contact sees it: who, not the email or load.
            let agentSender = (seen as? [[String: Any]])?.last?["sender"] as? [String: Any]
            #expect(agentSender?["id"] as? Int == 1 && agentSender?["email"] == nil && agentSender?["status"] == nil)
            // include=messages keeps the note out too.
            let withMessages = Self.object(try await Self.call(conversation, .get, "/api/v3/anytime/portalConversations/\(id)?include=messages"))
            #expect((withMessages["messages"] as? [Any])?.count == 2)
            #expect(
                Self.object(try await Self.call(conversation, .get, "/api/v3/anytime/portalConversations/\(id)"))["isReadByContact"] as? Bool == false
            )

            // Bob sees nothing of it.
            _ = try await Self.call(conversation, .get, "/api/v3/anytime/portalConversations/\(id)?contactId=\(bob)", expect: .notFound)
            _ = try await Self.call(
                conversation, .post, "/api/v3/anytime/portalConversations/\(id)/messages",
                #"{"contactId": "\#(bob)", "contents": [{"type": "text", "text": "x"}]}"#,
                expect: .notFound)

            // Alice replies with an uploaded attachment: a file content with its url.
            let attachment = try await ConversationIncludeTests.upload(conversation, fileName: "photo.jpg")
            let reply = Self.object(
                try await Self.call(
                    conversation, .post, "/api/v3/anytime/portalConversations/\(id)/messages",
                    #"{"contactId": "\#(alice)", "contents": [{"type": "text", "text": "Here"}], "attachments": [{"id": "\#(attachment)"}]}"#,
                    expect: .created))
            let contents = reply["contents"] as? [[String: Any]] ?? []
            #expect(contents.count == 2 && contents.last?["type"] as? String == "file" && contents.last?["name"] as? String == "photo.jpg")
            #expect((contents.last?["url"] as? String)?.contains(attachment) == true)
            #expect(
                Self.object(try await Self.call(conversation, .get, "/api/v3/anytime/portalConversations/\(id)"))["isReadByContact"] as? Bool == true)

            // Close, then close again (400), reopen (pendingInternal for the agents).
            let closed = Self.object(
                try await Self.call(conversation, .put, "/api/v3/anytime/portalConversations/\(id)/close", #"{"contactId": "\#(alice)"}"#))
            #expect(closed["isClosed"] as? Bool == true && closed["closedTime"] is String)
            _ = try await Self.call(
                conversation, .put, "/api/v3/anytime/portalConversations/\(id)/close", #"{"contactId": "\#(alice)"}"#, expect: .badRequest)
            _ = try await Self.call(conversation, .put, "/api/v3/anytime/portalConversations/\(id)/reopen?contactId=\(alice)")
            #expect(
                Self.object(try await Self.call(conversation, .get, "/api/v3/anytime/conversations/\(id)"))["status"] as? String == "pendingInternal")

            // The list names contacts; include=contact brings Alice's object.
            let list = try await Self.call(
                conversation, .get, "/api/v3/anytime/portalConversations?contactIds=\(alice)&contactIds=\(bob)&include=contact")
            let listed = list as? [[String: Any]] ?? []
            #expect(listed.map { $0["id"] as? Int } == [id])
            #expect((listed.first?["contact"] as? [String: Any])?["name"] as? String == "Alice")

            // Bob's contact read (and cached) for an include; deleted now, he can no longer submit.
            let bobs = Self.object(
                try await Self.call(
                    conversation, .post, "/api/v3/anytime/portalConversations",
                    #"{"subject": "Hi", "contactId": "\#(bob)", "message": {"contents": [{"type": "text", "text": "x"}]}}"#, expect: .created))
            let bobsId = try #require(bobs["id"] as? Int)
            let cached = Self.object(try await Self.call(conversation, .get, "/api/v3/anytime/portalConversations/\(bobsId)?include=contact"))
            #expect((cached["contact"] as? [String: Any])?["name"] as? String == "Bob")
            _ = try await Self.call(outreach, .delete, "/contact/contacts/\(bob)")
            _ = try await Self.call(
                conversation, .post, "/api/v3/anytime/portalConversations",
                #"{"subject": "Hi", "contactId": "\#(bob)", "message": {"contents": [{"type": "text", "text": "x"}]}}"#, expect: .badRequest)
        }
    }

    @Test("Bad input: 400 naming the member; an unknown contact is refused")
    func refusals() async throws {
        try await Self.run { conversation, _ in
            for (body, member) in [
                (#"{"contactId": "c1", "message": {"contents": []}}"#, "subject"),
                (#"{"subject": "Hi", "message": {"contents": []}}"#, "contactId"),
                (#"{"subject": "Hi", "contactId": "nobody"}"#, "contactId"),
                (#"{"subject": 5, "contactId": "c1"}"#, "subject"),
            ] {
                let reply = Self.object(
                    try await Self.call(conversation, .post, "/api/v3/anytime/portalConversations", body, expect: .badRequest))
                #expect((reply["message"] as? String)?.contains(member) == true, "\(member): \(reply)")
            }
            for path in ["/api/v3/anytime/portalConversations", "/api/v3/anytime/portalConversations?contactIds=a&include=messages"] {
                _ = try await Self.call(conversation, .get, path, expect: .badRequest)
            }
        }
    }
}

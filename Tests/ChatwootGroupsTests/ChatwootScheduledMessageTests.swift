import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot scheduled messages")
struct ChatwootScheduledMessageTests {
    /// An ISO 8601 time `seconds` from now.
    static func time(_ seconds: Double) -> String {
        Date().addingTimeInterval(seconds).formatted(Date.ISO8601FormatStyle())
    }

    @Test("Drafts and pending messages are listed, changed and deleted; Chatwoot's 422s; agents outside the inbox 401; another account's 404")
    func crud() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)/scheduled_messages"
            let draft = try await client.chatwoot(.post, path, json: #"{"content": "Draft one"}"#)
            #expect(draft.status == .ok, "\(String(buffer: draft.body))")
            let draftID = try #require(draft.object["id"] as? Int)
            #expect(draft.object["status"] as? String == "draft")
            #expect(draft.object["conversation_id"] as? Int == id)
            #expect(draft.object["inbox_id"] as? Int == inbox)
            #expect(draft.object["author_type"] as? String == "User")
            #expect(draft.object["scheduled_at"] == nil)
            let later = Self.time(3600)
            let pending = try await client.chatwoot(
                .post, path, json: #"{"content": "Later", "status": "pending", "scheduled_at": "\#(later)", "template_params": {"name": "t"}}"#)
            #expect(pending.status == .ok)
            #expect(pending.object["status"] as? String == "pending")
            let laterSeconds = Int(try Date.ISO8601FormatStyle().parse(later).timeIntervalSince1970)
            #expect(pending.object["scheduled_at"] as? Int == laterSeconds)
            let listed = try await client.chatwoot(.get, path).object["payload"] as? [[String: Any]] ?? []
            // A draft without a time first, as PostgreSQL orders Chatwoot's `scheduled_at DESC`.
            #expect(listed.compactMap { $0["content"] as? String } == ["Draft one", "Later"])

            let changed = try await client.chatwoot(.patch, "\(path)/\(draftID)", json: #"{"content": "Draft two"}"#)
            #expect(changed.status == .ok)
            #expect(changed.object["content"] as? String == "Draft two")
            let invalid: [(String, String)] = [
                (#"{"content": "Past", "status": "pending", "scheduled_at": "\#(Self.time(-60))"}"#, "Scheduled at must be in the future"),
                (#"{"content": "No time", "status": "pending"}"#, "Scheduled at can't be blank"),
                (#"{"status": "draft"}"#, "Content can't be blank"),
                (#"{"content": "Sent", "status": "sent"}"#, "Status must be draft or pending when creating a scheduled message"),
                (#"{"content": "Odd", "status": "later"}"#, "'later' is not a valid status"),
            ]
            for (body, message) in invalid {
                let response = try await client.chatwoot(.post, path, json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.object["message"] as? String == message, "\(String(buffer: response.body))")
            }
            #expect(try await client.chatwoot(.post, path, json: #"{"content": 5}"#).status == .badRequest)
            #expect(try await client.chatwoot(.patch, "\(path)/999", json: #"{"content": "x"}"#).status == .notFound)

            // An agent outside the inbox may not; one inside may.
            let agent = try await client.chatwootUser("Pat Agent")
            #expect(try await client.chatwoot(.get, path, token: agent.token).status == .unauthorized)
            try await seed.member(inbox: inbox, user: agent.id)
            #expect(try await client.chatwoot(.get, path, token: agent.token).status == .ok)
            let other = try await client.chatwootAccount("Other")
            let otherAdmin = try await seed.token(account: other)
            let foreign = "/api/v1/accounts/\(other)/conversations/\(id)/scheduled_messages"
            #expect(try await client.chatwoot(.get, foreign, token: otherAdmin).status == .notFound)
            #expect(try await client.chatwoot(.delete, "\(foreign)/\(draftID)", token: otherAdmin).status == .notFound)

            let deleted = try await client.chatwoot(.delete, "\(path)/\(draftID)")
            #expect(deleted.status == .ok)
            #expect(deleted.object["id"] as? Int == draftID)
            #expect((try await client.chatwoot(.get, path).object["payload"] as? [Any])?.count == 1)
        }
    }

    @Test("A pending message is sent into its conversation by the scheduler at its time; then it can be neither changed nor deleted")
    func sentByScheduler() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)/scheduled_messages"
            // Made a draft, then scheduled by an update: the update arms the job.
            let created = try await client.chatwoot(.post, path, json: #"{"content": "Your order has shipped"}"#)
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let draftID = try #require(created.object["id"] as? Int)
            let scheduled = try await client.chatwoot(
                .patch, "\(path)/\(draftID)", json: #"{"status": "pending", "scheduled_at": "\#(Self.time(2))"}"#)
            #expect(scheduled.status == .ok, "\(String(buffer: scheduled.body))")
            #expect(scheduled.object["status"] as? String == "pending")
            let scheduledID = try #require(created.object["id"] as? Int)
            let before = try await client.contents(id)
            #expect(!before.contains("Your order has shipped"))
            var item: [String: Any] = [:]
            for _ in 0..<150 {
                let listed = try await client.chatwoot(.get, path).object["payload"] as? [[String: Any]] ?? []
                item = listed.first { $0["id"] as? Int == scheduledID } ?? [:]
                if item["status"] as? String == "sent" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(item["status"] as? String == "sent")
            let messageID = try #require(item["message_id"] as? Int)
            let messages =
                try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(id)/messages").object["payload"] as? [[String: Any]] ?? []
            let sent = try #require(messages.first { $0["id"] as? Int == messageID })
            #expect(sent["content"] as? String == "Your order has shipped")
            #expect(sent["message_type"] as? Int == 1)
            #expect((sent["sender"] as? [String: Any])?["id"] as? Int == 1)
            let changed = try await client.chatwoot(.patch, "\(path)/\(scheduledID)", json: #"{"content": "Too late"}"#)
            #expect(changed.status == .unprocessableContent)
            #expect(changed.object["error"] as? String == "Scheduled message can only be modified while draft or pending")
            let deleted = try await client.chatwoot(.delete, "\(path)/\(scheduledID)")
            #expect(deleted.status == .unprocessableContent)
            #expect(deleted.object["error"] as? String == "Cannot delete a scheduled message that has already been processed")
        }
    }
}

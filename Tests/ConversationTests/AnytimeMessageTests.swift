import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: messages and Ticketing attach")
struct AnytimeMessageTests {
    @Test("A reply is sent (sending, a reply for lastReplied*); a note is internal, mentions agents, and is no reply")
    func replyAndNote() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            api.clock.advance(by: 60)
            let reply = try await api.post(
                "/conversations/\(made.id)/messages",
                #"{"type": "message", "channelId": "email", "contents": [{"type": "htmlText", "htmlText": "<p>Done</p>"}]}"#,
                as: AgentDirectory.colleague)
            #expect(reply.status == .created, "\(reply.text)")
            let sent = try reply.decode(AnytimeMessage.self)
            #expect(sent.type == .message && sent.sendStatus == .sending && sent.senderId == "2" && sent.directType == .send && sent.isRead)
            var conversation = try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self)
            #expect(conversation.lastRepliedById == "2" && conversation.lastRepliedTime == "2027-01-15T08:01:00.000Z")
            api.clock.advance(by: 60)
            let note = try await api.post(
                "/conversations/\(made.id)/messages",
                #"{"type": "note", "channelId": "email", "parentId": "\#(sent.id)", "mentionedAgentIds": ["2", "3"], "contents": [{"type": "text", "text": "see this"}]}"#
            ).decode(AnytimeMessage.self)
            #expect(note.sendStatus == .success && note.mentionedAgentIds == ["2", "3"] && note.parentId == sent.id)
            conversation = try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self)
            #expect(conversation.lastRepliedTime == "2027-01-15T08:01:00.000Z" && conversation.lastActivityTime == "2027-01-15T08:02:00.000Z")
            #expect(conversation.mentionedAgents.map(\.agentId) == ["2", "3"] && conversation.mentionedAgents.allSatisfy { !$0.isRead })
            #expect(try await api.put("/conversations/\(made.id)/read", as: AgentDirectory.colleague).status == .noContent)
            conversation = try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self)
            #expect(conversation.mentionedAgents.map(\.isRead) == [true, false])
            let all = try await api.get("/conversations/\(made.id)/messages").decode([AnytimeMessage].self)
            #expect(all.map(\.id) == [all[0].id, sent.id, note.id])
            #expect(try await api.get("/conversations/\(made.id)/messages/\(note.id)").decode(AnytimeMessage.self) == note)
            #expect(try await api.get("/conversations/\(made.id)/messages/nope").status == .notFound)
        }
    }

    @Test("Reply rules of §5.9 are 400s naming the field")
    func replyRules() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            let text = #""contents": [{"type": "text", "text": "x"}]"#
            let cases: [(String, String)] = [
                (#"{"channelId": "email", \#(text)}"#, "type"),
                (#"{"type": "reply", "channelId": "email", \#(text)}"#, "type"),
                (#"{"type": "message", \#(text)}"#, "channelId"),
                (#"{"type": "message", "channelId": "email"}"#, "contents"),
                (#"{"type": "message", "channelId": "email", "mentionedAgentIds": ["2"], \#(text)}"#, "mentionedAgentIds"),
                (#"{"type": "message", "channelId": "email", "parentId": "nope", \#(text)}"#, "parentId"),
                (
                    #"{"type": "message", "channelId": "twitter", "contents": [{"type": "text", "text": "\#(String(repeating: "x", count: 281))"}]}"#,
                    "contents"
                ),
                (#"{"type": "message", "channelId": "sms", "contents": [{"type": "htmlText", "htmlText": "<b>x</b>"}]}"#, "contents[0].type"),
                (#"{"type": "note", "channelId": "email", "mentionedAgentIds": 2, \#(text)}"#, "mentionedAgentIds"),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/conversations/\(made.id)/messages", body)
                #expect(reply.status == .badRequest, "\(field): \(reply.status) \(reply.text)")
                #expect(reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            // SMS replies leave from the account the contact wrote to.
            let sms = try await api.post(
                "/conversations",
                #"{"subject": "Text", "message": {"channelId": "sms", "channelAccountId": "acc-1", "contents": [{"type": "text", "text": "hi"}]}}"#
            ).decode(AnytimeConversation.self)
            try await api.attach(
                sms.id, #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "SMS", "body": "yo"}"#)
            let other = try await api.post(
                "/conversations/\(sms.id)/messages", #"{"type": "message", "channelId": "sms", "channelAccountId": "acc-2", \#(text)}"#)
            #expect(other.status == .created, "no inbound account yet: \(other.text)")
            #expect(try await api.post("/conversations/999999/messages", #"{"type": "message", "channelId": "email", \#(text)}"#).status == .notFound)
        }
    }

    @Test("The connector reports delivery (status, original id and url, content urls by id); resend only from failed; message read and unread")
    func lifecycle() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            let sent = try await api.post(
                "/conversations/\(made.id)/messages", #"{"type": "message", "channelId": "email", "contents": [{"type": "file", "name": "a.pdf"}]}"#
            ).decode(AnytimeMessage.self)
            let path = "/conversations/\(made.id)/messages/\(sent.id)"
            #expect(try await api.put("\(path)/resend").status == .badRequest)
            let content = try #require(sent.contents.first)
            let updated = try await api.put(
                path,
                #"{"sendStatus": "failed", "originalMessageId": "<m1@mail>", "content": [{"id": "\#(content.id)", "url": "http://files/a.pdf"}]}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            let failed = try updated.decode(AnytimeMessage.self)
            #expect(failed.sendStatus == .failed && failed.originalMessageId == "<m1@mail>" && failed.contents.first?.url == "http://files/a.pdf")
            #expect(failed.contents.first?.name == "a.pdf")
            let resent = try await api.put("\(path)/resend")
            #expect(resent.status == .ok, "\(resent.text)")
            #expect(try resent.decode(AnytimeMessage.self).sendStatus == .sending)
            for (body, field) in [
                (#"{"sendStatus": "delivered"}"#, "sendStatus"), (#"{"contents": [{"id": "nope", "url": "http://x"}]}"#, "contents[0].id"),
                (#"{"content": [{"url": "http://x"}]}"#, "content[0].id"),
            ] {
                let bad = try await api.put(path, body)
                #expect(bad.status == .badRequest && bad.message.contains(field), "\(field): \(bad.text)")
            }
            let note = try await api.post(
                "/conversations/\(made.id)/messages", #"{"type": "note", "channelId": "email", "contents": [{"type": "text", "text": "n"}]}"#
            ).decode(AnytimeMessage.self)
            #expect(try await api.put("/conversations/\(made.id)/messages/\(note.id)", #"{"sendStatus": "failed"}"#).status == .badRequest)
            #expect(try await api.put("\(path)/unread").status == .noContent)
            #expect(try await api.get(path).decode(AnytimeMessage.self).isRead == false)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).isRead == false)
            #expect(try await api.put("\(path)/read").status == .noContent)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).isRead)
            #expect(try await api.put("/conversations/\(made.id)/messages/nope/read").status == .notFound)
            #expect(try await api.put("\(path)/read", as: AgentDirectory.otherSite).status == .notFound)
        }
    }

    @Test("attach: the message lands with its delivery status; base64 bodies decode; a contact reopens a closed ticket; idempotent by originalId")
    func attach() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            let body = Data("<p>111</p>".utf8).base64EncodedString()
            try await api.attach(
                made.id,
                #"{"ticketId": \#(made.id), "sentById": "31cb8d70-b5a6-4faa-b021-62335d6dcf6c", "sentByType": "channelAccount", "time": "2027-01-15T09:00:00.000Z", "type": "text", "metadata": {"campaign": "c"}, "originalId": "SM1", "channelId": "SMS", "body": "data:text/plain;base64,\#(body)", "isRead": true, "attachments": [{"type": "image", "url": "http://x/y.png", "name": "y.png"}], "messageDelivery": {"messageId": "m", "status": "failed", "failReason": "carrier said no"}}"#
            )
            var messages = try await api.get("/conversations/\(made.id)/messages").decode([AnytimeMessage].self)
            let attached = try #require(messages.last)
            #expect(messages.count == 2 && attached.channelId == "sms" && attached.sendStatus == .failed && attached.directType == .send)
            #expect(attached.contents.map(\.type) == [.text, .picture] && attached.contents.first?.text == "<p>111</p>")
            #expect(attached.originalMessageId == "SM1" && attached.senderType == .system && attached.time == "2027-01-15T09:00:00.000Z")
            // The same original id again: no second message.
            try await api.attach(
                made.id, #"{"sentById": "x", "sentByType": "system", "type": "text", "metadata": {}, "originalId": "SM1", "channelId": "sms"}"#)
            #expect(try await api.get("/conversations/\(made.id)/messages").decode([AnytimeMessage].self).count == 2)
            _ = try await api.put("/conversations/\(made.id)", #"{"status": "closed"}"#)
            api.clock.advance(by: 7200)
            try await api.attach(
                made.id, #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "sms", "body": "one more"}"#)
            let reopened = try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self)
            #expect(
                reopened.status == .pendingInternal && !reopened.isRead && reopened.lastRepliedById == "c1" && reopened.lastRepliedByType == .contact)
            messages = try await api.get("/conversations/\(made.id)/messages").decode([AnytimeMessage].self)
            #expect(messages.last?.directType == .receive && messages.last?.sendStatus == .success && messages.last?.isRead == false)
        }
    }

    @Test("attach: unknown, deleted or other sites' tickets are 404; bad bodies are 400s naming the field")
    func attachErrors() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            let valid = #""sentById": "a", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "sms""#
            #expect(try await api.post("/ticketing/ticket/999999/messages:attach", "{\(valid)}").status == .notFound)
            #expect(
                try await api.post("/ticketing/ticket/\(made.id)/messages:attach", "{\(valid)}", as: AgentDirectory.otherSite).status == .notFound)
            #expect(try await api.post("/ticketing/ticket/\(made.id)/messages:attach", "{\(valid)}", as: nil).status == .unauthorized)
            #expect(try await api.post("/ticketing/ticket/\(made.id)/messages%3Aattach", "{\(valid)}").status == .ok)
            let cases: [(String, String)] = [
                (#"{"sentByType": "contact", "type": "text", "metadata": {}, "channelId": "sms"}"#, "sentById"),
                (#"{"sentById": "a", "type": "text", "metadata": {}, "channelId": "sms"}"#, "sentByType"),
                (#"{"sentById": "a", "sentByType": "robot", "type": "text", "metadata": {}, "channelId": "sms"}"#, "sentByType"),
                (#"{"sentById": "a", "sentByType": "contact", "metadata": {}, "channelId": "sms"}"#, "type"),
                (#"{"sentById": "a", "sentByType": "contact", "type": "text", "channelId": "sms"}"#, "metadata"),
                (#"{"sentById": "a", "sentByType": "contact", "type": "text", "metadata": {}}"#, "channelId"),
                (#"{\#(valid), "ticketId": 424242}"#, "ticketId"),
                (#"{\#(valid), "ticketId": "x"}"#, "ticketId"),
                (#"{\#(valid), "time": "soon"}"#, "time"),
                (#"{\#(valid), "body": "data:text/plain;base64,@@@"}"#, "body"),
                (#"{\#(valid), "isRead": "maybe"}"#, "isRead"),
                (#"{\#(valid), "messageDelivery": {"status": "lost"}}"#, "status"),
                (#"{\#(valid), "attachments": [{"type": "image"}]}"#, "attachments[0].url"),
                (#"{\#(valid), "parentId": "nope"}"#, "parentId"),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/ticketing/ticket/\(made.id)/messages:attach", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            _ = try await api.delete("/conversations/\(made.id)")
            #expect(try await api.post("/ticketing/ticket/\(made.id)/messages:attach", "{\(valid)}").status == .notFound)
        }
    }
}

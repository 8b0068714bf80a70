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
@testable import Sandbox

/// Trigger emails over real SMTP (spec §5.16 (b); decisions 277–279): conversation's triggers send through ServiceKit's SMTP
/// client to the Sandbox's SMTP receiver, the agents' addresses from the real livechat-config and the contact's from the
/// real outreach-contact; a server that refuses for now is tried again on the scheduler's backoff (the test moves the
/// clock).
@Suite("Anytime trigger emails over SMTP against the real livechat-config, outreach-contact and an SMTP receiver")
struct ConversationTriggerMailTests {
    static func run(
        _ body:
            @Sendable (
                _ conversation: any TestClientProtocol, _ outreach: any TestClientProtocol, _ mailbox: SMTPSandbox.Mailbox, _ clock: ManualClock
            )
            async throws -> Void
    ) async throws {
        try await SMTPSandbox.running { smtpPort, mailbox in
            let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
            try await liveChat.test(.live) { liveChatClient in
                _ = try await ConversationIncludeTests.call(
                    liveChatClient, .post, "/api/v1/livechat/admin/agents",
                    #"{"email": "ann@example.com", "displayName": "Ann", "apiKey": "ann-key-0123456789"}"#)
                // Agent 3, whose mailbox the receiver refuses for good (550).
                _ = try await ConversationIncludeTests.call(
                    liveChatClient, .post, "/api/v1/livechat/admin/agents",
                    #"{"email": "reject@example.com", "displayName": "Rex", "apiKey": "rex-key-0123456789"}"#)
                let liveChatURL = ConfigValue(.string("http://127.0.0.1:\(liveChatClient.port!)"), isSecret: false)
                let outreach = try await OutreachContact.buildApplication(reader: TestConfiguration.reader(["peers.livechatConfig.url": liveChatURL]))
                try await outreach.test(.live) { outreachClient in
                    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
                    let conversation = try await Conversation.buildApplication(
                        reader: TestConfiguration.reader([
                            "peers.livechatConfig.url": liveChatURL,
                            "peers.outreachContact.url": .init(.string("http://127.0.0.1:\(outreachClient.port!)"), isSecret: false),
                            "smtp.host": "127.0.0.1", "smtp.port": .init(.int(smtpPort), isSecret: false), "smtp.from": "desk@example.com",
                        ]), clock: clock.wallClock)
                    try await conversation.test(.router) { conversationClient in
                        try await body(conversationClient, outreachClient, mailbox, clock)
                    }
                }
            }
        }
    }

    /// Waits (up to 10 s) for `check`.
    static func eventually(_ check: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func logs(_ client: any TestClientProtocol, _ id: Int) async throws -> [String] {
        let events = try await ConversationIncludeTests.call(client, .get, "/api/v3/anytime/conversations/\(id)/eventLogs")
        return (events["array"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
    }

    @Test("A conversationCreated trigger emails the contact and an agent: each message arrives with its headers and bodies")
    func delivered() async throws {
        try await Self.run { conversation, outreach, mailbox, _ in
            let contact = try await ConversationIncludeTests.call(
                outreach, .post, "/contact/contacts",
                #"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "email", "value": "alice@example.com"}]}"#)
            let alice = try #require(contact["id"] as? String)
            // A file the trigger sends with its email and shows in the conversation.
            var upload = ByteBuffer(string: "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename=\"terms.txt\"\r\n")
            upload.writeString("Content-Type: text/plain\r\n\r\nOur terms.\r\n--sweep--\r\n")
            var headers = ConversationIncludeTests.admin
            headers[.contentType] = "multipart/form-data; boundary=sweep"
            let uploaded = try await conversation.execute(
                uri: "/api/v3/anytime/attachments?siteId=10000", method: .post, headers: headers, body: upload)
            #expect(uploaded.status == .created, "\(String(buffer: uploaded.body))")
            let file = try #require((try JSONSerialization.jsonObject(with: Data(buffer: uploaded.body)) as? [String: Any])?["id"] as? String)
            let trigger = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/triggers",
                #"{"description": "Receipt", "event": "conversationCreated", "ifSendEmail": true, "ifSendToContacts": true, "ifSendToAgents": true, "recipientAgentIds": ["2"], "subject": "We got your message", "htmlText": "<p>Thanks!</p>", "plainText": "Thanks!", "attachments": [{"id": "\#(file)"}], "ifShowInConversationCorrespondences": true}"#,
                expect: .created)
            #expect(trigger["recipientAgentIds"] as? [String] == ["2"])
            #expect((trigger["attachments"] as? [[String: Any]])?.first?["fileName"] as? String == "terms.txt")
            // An agent that does not exist is refused.
            let unknown = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/triggers",
                #"{"description": "x", "event": "conversationCreated", "recipientAgentIds": ["77"]}"#, expect: .badRequest)
            #expect((unknown["message"] as? String)?.contains("recipientAgentIds[0]") == true)

            let submitted = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/portalConversations",
                #"{"subject": "Broken order", "contactId": "\#(alice)", "message": {"contents": [{"type": "text", "text": "It arrived broken"}]}}"#,
                expect: .created)
            let id = try #require(submitted["id"] as? Int)
            #expect(try await Self.eventually { mailbox.list(to: nil).count == 2 })
            let toAlice = try #require(mailbox.list(to: "alice@example.com").first)
            let toAnn = try #require(mailbox.list(to: "ann@example.com").first)
            for mail in [toAlice, toAnn] {
                #expect(mail.from == "desk@example.com" && mail.subject == "We got your message" && mail.to.count == 1)
                #expect(mail.headers["X-Switchboard-Conversation"] == String(id) && mail.headers["Message-ID"]?.hasSuffix("@switchboard>") == true)
                #expect(
                    mail.raw.contains(Data("<p>Thanks!</p>".utf8).base64EncodedString())
                        && mail.raw.contains(Data("Thanks!".utf8).base64EncodedString()))
                #expect(mail.raw.contains("filename=\"terms.txt\"") && mail.raw.contains(Data("Our terms.".utf8).base64EncodedString()))
            }
            // Shown in the conversation: a system message with the bodies and the file's link.
            let messages = try await ConversationIncludeTests.call(conversation, .get, "/api/v3/anytime/conversations/\(id)/messages")
            let shown = try #require((messages["array"] as? [[String: Any]])?.last)
            #expect(shown["senderType"] as? String == "system" && shown["subject"] as? String == "We got your message")
            let kinds = (shown["contents"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(kinds == ["htmlText", "text", "file"])
            // Its send status follows the contact's email (decision 299): delivered, a success.
            #expect(
                try await Self.eventually {
                    let messages = try await ConversationIncludeTests.call(conversation, .get, "/api/v3/anytime/conversations/\(id)/messages")
                    return (messages["array"] as? [[String: Any]])?.last?["sendStatus"] as? String == "success"
                })
            #expect(try await Self.eventually { try await Self.logs(conversation, id).filter { $0.contains("sent to") }.count == 2 })
            let logs = try await Self.logs(conversation, id)
            #expect(logs.contains("Trigger 'Receipt' email to the contact sent to alice@example.com."))
            #expect(logs.contains("Trigger 'Receipt' email to agents sent to ann@example.com."))
            #expect(logs.contains("Trigger 'Receipt' fired"))
        }
    }

    @Test("The SMTP server refusing for now: the email is tried again on the backoff and delivered once")
    func retried() async throws {
        try await Self.run { conversation, _, mailbox, clock in
            mailbox.setRefusing(true)
            _ = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/triggers",
                #"{"description": "Heads-up", "event": "conversationCreated", "ifSendEmail": true, "ifSendToAgents": true, "recipientAgentIds": ["2"], "subject": "New", "plainText": "A new conversation"}"#,
                expect: .created)
            let created = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/conversations",
                #"{"subject": "Hello", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#, expect: .created)
            let id = try #require(created["id"] as? Int)
            // The first attempt is refused (421): nothing arrives, nothing is logged as sent; the email waits for its retry.
            try await Task.sleep(for: .milliseconds(500))
            #expect(mailbox.list(to: nil).isEmpty)
            #expect(try await Self.logs(conversation, id).allSatisfy { !$0.contains("email to agents") })
            // The server is back; five seconds later (the scheduler's first backoff) the email goes, once.
            mailbox.setRefusing(false)
            // The clock moves on while we wait: on a loaded machine the first attempt may come later than the sleep above.
            #expect(
                try await Self.eventually {
                    clock.advance(by: 6)
                    return mailbox.list(to: "ann@example.com").count == 1
                })
            #expect(
                try await Self.eventually {
                    try await Self.logs(conversation, id).contains("Trigger 'Heads-up' email to agents sent to ann@example.com.")
                })
            clock.advance(by: 60)
            try await Task.sleep(for: .milliseconds(300))
            #expect(mailbox.list(to: nil).count == 1)
        }
    }

    @Test("The portal's submit, close, reopen and reply raise conversationCreated, conversationStatusChanged and conversationReplyReceived")
    func portalEvents() async throws {
        try await Self.run { conversation, outreach, _, _ in
            let contact = try await ConversationIncludeTests.call(
                outreach, .post, "/contact/contacts",
                #"{"name": "Bea", "contactIdentities": [{"contactIdentityType": "email", "value": "bea@example.com"}]}"#)
            let bea = try #require(contact["id"] as? String)
            for (name, event) in [
                ("Created", "conversationCreated"), ("Status", "conversationStatusChanged"), ("Reply", "conversationReplyReceived"),
            ] {
                _ = try await ConversationIncludeTests.call(
                    conversation, .post, "/api/v3/anytime/triggers",
                    #"{"description": "\#(name)", "event": "\#(event)", "ifSetValue": true, "autoUpdate": [{"fieldId": "tagIds", "value": "\#(name)"}]}"#,
                    expect: .created)
            }
            let submitted = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/portalConversations",
                #"{"subject": "Question", "contactId": "\#(bea)", "message": {"contents": [{"type": "text", "text": "Hello?"}]}}"#, expect: .created)
            let id = try #require(submitted["id"] as? Int)
            let portal = "/api/v3/anytime/portalConversations/\(id)"
            try await ConversationIncludeTests.call(conversation, .put, "\(portal)/close", #"{"contactId": "\#(bea)"}"#)
            try await ConversationIncludeTests.call(conversation, .put, "\(portal)/reopen", #"{"contactId": "\#(bea)"}"#)
            try await ConversationIncludeTests.call(
                conversation, .post, "\(portal)/messages", #"{"contactId": "\#(bea)", "contents": [{"type": "text", "text": "Still there?"}]}"#)
            let logs = try await Self.logs(conversation, id)
            #expect(logs.filter { $0 == "Trigger 'Created' fired" }.count == 1)
            #expect(logs.filter { $0 == "Trigger 'Status' fired" }.count == 2)
            #expect(logs.filter { $0 == "Trigger 'Reply' fired" }.count == 1)
            let tags = try await ConversationIncludeTests.call(conversation, .get, "/api/v3/anytime/conversations/\(id)")["tagIds"] as? [String]
            #expect(tags == ["Reply"])
        }
    }

    @Test("Agents get one email each: one refused (550) fails alone, the other arrives addressed to them only")
    func oneEmailEachAgent() async throws {
        try await Self.run { conversation, _, mailbox, _ in
            _ = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/triggers",
                #"{"description": "Team", "event": "conversationCreated", "ifSendEmail": true, "ifSendToAgents": true, "recipientAgentIds": ["3", "2"], "subject": "New", "plainText": "A new conversation"}"#,
                expect: .created)
            let created = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/conversations",
                #"{"subject": "Hello", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#, expect: .created)
            let id = try #require(created["id"] as? Int)
            #expect(try await Self.eventually { try await Self.logs(conversation, id).filter { $0.contains("email to agents") }.count == 2 })
            let logs = try await Self.logs(conversation, id)
            #expect(logs.contains("Trigger 'Team' email to agents sent to ann@example.com."))
            #expect(logs.contains { $0.hasPrefix("Trigger 'Team' email to agents failed:") && $0.contains("550") })
            let mails = mailbox.list(to: nil)
            #expect(mails.count == 1 && mails.first?.to == ["ann@example.com"] && mails.first?.headers["To"] == "ann@example.com")
        }
    }

    @Test("A recipient the server refuses for good (550) fails at once, logged with the server's answer; nothing is sent again")
    func refused() async throws {
        try await Self.run { conversation, _, mailbox, clock in
            _ = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/triggers",
                #"{"description": "To Rex", "event": "conversationCreated", "ifSendEmail": true, "ifSendToAgents": true, "recipientAgentIds": ["3"], "subject": "New", "plainText": "A new conversation"}"#,
                expect: .created)
            let created = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/conversations",
                #"{"subject": "Hello", "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#, expect: .created)
            let id = try #require(created["id"] as? Int)
            #expect(
                try await Self.eventually {
                    try await Self.logs(conversation, id).contains { $0.hasPrefix("Trigger 'To Rex' email to agents failed:") && $0.contains("550") }
                })
            clock.advance(by: 3600)
            try await Task.sleep(for: .milliseconds(300))
            #expect(mailbox.list(to: nil).isEmpty)
            #expect(try await Self.logs(conversation, id).filter { $0.contains("email to agents") }.count == 1)
        }
    }
}

import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import Conversation
@testable import LiveChatConfig
@testable import OutreachContact
@testable import Sandbox

/// Outreach auto-attach across the real services (issue 10 and 11, ARCHITECTURE §3): a campaign sent by outreach-contact
/// through the Sandbox's Twilio, whose status callbacks move its messages to `sent`/`delivered`, lands each message on a
/// ticket of its contact in the real conversation service, whose agents (checked by the real livechat-config) read it.
@Suite("Outreach auto-attach against the real conversation service")
struct AutoAttachRoundTripTests {
    static let twilioSID = "AC0123456789abcdef0123456789abcdef"
    static let twilioToken = "sandbox-twilio-auth-token"
    static let admin: HTTPFields = [
        .authorization: basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey), .contentType: "application/json",
    ]

    /// The services running live for `body`: outreach-contact reaches conversation through `conversationRelay`, which a
    /// test may point at a closed port to take conversation "down".
    struct Stack {
        let outreach: any TestClientProtocol
        let conversation: any TestClientProtocol
        let conversationURL: String
        let conversationRelay: CallbackRelay
    }

    static func run(_ body: @Sendable (Stack) async throws -> Void) async throws {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            let liveChatURL = "http://127.0.0.1:\(liveChatClient.port!)"
            let peer: @Sendable (String) -> ConfigValue = { url in ConfigValue(.string(url), isSecret: false) }
            let conversation = try await Conversation.buildApplication(
                reader: TestConfiguration.reader(["peers.livechatConfig.url": peer(liveChatURL)]))
            try await conversation.test(.live) { conversationClient in
                let conversationURL = "http://127.0.0.1:\(conversationClient.port!)"
                let sandbox = try await buildSandbox(
                    reader: ConfigReader(
                        provider: InMemoryProvider(values: [
                            "http.port": 0, "log.level": "warning", "sandbox.callbackDelay": 0.02,
                            "sandbox.twilio.accountSID": .init(.string(Self.twilioSID), isSecret: false),
                            "sandbox.twilio.authToken": .init(.string(Self.twilioToken), isSecret: true),
                        ])))
                try await sandbox.test(.live) { sandboxClient in
                    try await CallbackRelay.run { carrierRelay in
                        try await CallbackRelay.run { conversationRelay in
                            conversationRelay.target.withLockedValue { $0 = conversationURL }
                            let outreach = try await OutreachContact.buildApplication(
                                reader: TestConfiguration.reader([
                                    "peers.livechatConfig.url": peer(liveChatURL), "peers.conversation.url": peer(conversationRelay.url),
                                    "carriers.twilio.url": peer("http://127.0.0.1:\(sandboxClient.port!)"),
                                    "carriers.callbackBaseURL": peer(carrierRelay.url), "unichannel.pollInterval": 0.05,
                                ]))
                            try await outreach.test(.live) { outreachClient in
                                carrierRelay.target.withLockedValue { $0 = "http://127.0.0.1:\(outreachClient.port!)" }
                                try await body(
                                    Stack(
                                        outreach: outreachClient, conversation: conversationClient, conversationURL: conversationURL,
                                        conversationRelay: conversationRelay))
                            }
                        }
                    }
                }
            }
        }
    }

    static func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> Any {
        let uri = path + (path.contains("?") ? "&" : "?") + "siteId=10000"
        let response = try await client.execute(uri: uri, method: method, headers: Self.admin, body: body.map { ByteBuffer(string: $0) })
        try #require(response.status.code < 300, "\(method) \(path): \(response.status) \(String(buffer: response.body))")
        return try JSONSerialization.jsonObject(with: Data(buffer: response.body), options: .fragmentsAllowed)
    }

    static func object(_ value: Any) -> [String: Any] { value as? [String: Any] ?? [:] }

    /// Creates the Twilio channel account, the contacts (name → SMS number, nil for none) and answers their ids by name.
    static func prepare(_ stack: Stack, contacts: [String: String?]) async throws -> (account: String, contacts: [String: String]) {
        let account =
            Self.object(
                try await Self.call(
                    stack.outreach, .post, "/outboundunichannel/channelAccounts",
                    #"{"name": "Line", "channel": "sms", "carrier": "twilio", "from": "+15550001111", "credentials": {"accountSID": "\#(Self.twilioSID)", "authToken": "\#(Self.twilioToken)"}}"#
                ))["id"] as? String ?? ""
        var ids: [String: String] = [:]
        for (name, number) in contacts {
            let identities = number.map { #"[{"contactIdentityType": "SMS", "value": "\#($0)"}]"# } ?? "[]"
            let contact = try await Self.call(
                stack.outreach, .post, "/contact/contacts", #"{"name": "\#(name)", "contactIdentities": \#(identities)}"#)
            ids[name] = Self.object(contact)["id"] as? String
        }
        return (account, ids)
    }

    /// Creates and sends a campaign with the auto-attach settings given; answers its record id.
    static func sendCampaign(
        _ stack: Stack, account: String, name: String, preferred: String, time: String = "whenTheMessageIsSent"
    ) async throws
        -> String
    {
        let campaign = Self.object(
            try await Self.call(
                stack.outreach, .post, "/outreach/campaigns",
                #"{"name": "\#(name)", "channel": "sms", "channelAccountId": "\#(account)", "message": "\#(name) offer", "isMessageAutoAttachedToTicket": "yes", "preferredTicketToAutoAttach": "\#(preferred)", "timeToAutoAttachToTicket": "\#(time)"}"#
            ))
        let record = try await Self.call(stack.outreach, .post, "/outreach/campaigns/\(campaign["id"] as? String ?? ""):send")
        return Self.object(record)["id"] as? String ?? ""
    }

    /// The record's messages once every one that can be attached is (up to `seconds`).
    static func attachedMessages(_ stack: Stack, record: String, expecting count: Int, seconds: Double = 15) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        var messages: [[String: Any]] = []
        repeat {
            let page = try await Self.call(stack.outreach, .get, "/outreach/messages?pageSize=50&campaignRecordId=\(record)")
            messages = Self.object(page)["messages"] as? [[String: Any]] ?? []
            if messages.filter({ $0["attachedToTicketId"] as? String != nil }).count >= count { return messages }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return messages
    }

    /// The record's messages once each has left (sent or delivered; up to `seconds`, however loaded the machine).
    static func sentMessages(_ stack: Stack, record: String, seconds: Double = 15) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        var messages: [[String: Any]] = []
        repeat {
            let page = try await Self.call(stack.outreach, .get, "/outreach/messages?pageSize=50&campaignRecordId=\(record)")
            messages = Self.object(page)["messages"] as? [[String: Any]] ?? []
            if !messages.isEmpty, messages.allSatisfy({ ["sent", "delivered"].contains($0["status"] as? String ?? "") }) { return messages }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return messages
    }

    @Test("A sent campaign's messages land on their contacts' tickets (newTicket, then existing); a failed one and a reply-time one do not")
    func roundTrip() async throws {
        try await Self.run { stack in
            let (account, contacts) = try await Self.prepare(stack, contacts: ["Alice": "+15550100001", "Bob": "+15550100002", "Carol": nil])
            let record = try await Self.sendCampaign(stack, account: account, name: "Spring", preferred: "newTicket")
            let messages = try await Self.attachedMessages(stack, record: record, expecting: 2)
            #expect(messages.count == 3)
            var tickets: [String: String] = [:]
            for message in messages {
                let contact = message["contactId"] as? String
                if contact == contacts["Carol"] {
                    #expect(message["status"] as? String == "failed")
                    #expect(message["attachedToTicketId"] as? String == nil)
                    continue
                }
                #expect(["sent", "delivered"].contains(message["status"] as? String ?? ""))
                let ticket = try #require(message["attachedToTicketId"] as? String)
                tickets[contact ?? ""] = ticket
                // conversation's agents read the ticket: about the contact, holding the message as sent.
                let conversation = Self.object(
                    try await Self.call(stack.conversation, .get, "/api/v3/anytime/conversations/\(ticket)?include=messages"))
                #expect(conversation["relatedType"] as? String == "contact")
                #expect(conversation["relatedId"] as? String == contact)
                #expect(conversation["subject"] as? String == "Outreach: Spring")
                let ticketMessages = conversation["messages"] as? [[String: Any]] ?? []
                #expect(ticketMessages.count == 1)
                #expect(ticketMessages.first?["originalMessageId"] as? String == message["id"] as? String)
                #expect(ticketMessages.first?["sendStatus"] as? String == "success")
                let contents = ticketMessages.first?["contents"] as? [[String: Any]] ?? []
                #expect(contents.first?["text"] as? String == "Spring offer")
            }
            #expect(Set(tickets.values).count == 2)

            // `existing`: Alice's next message joins her open ticket.
            let second = try await Self.sendCampaign(stack, account: account, name: "Summer", preferred: "existing")
            let alice = try await Self.attachedMessages(stack, record: second, expecting: 2).first { $0["contactId"] as? String == contacts["Alice"] }
            #expect(alice?["attachedToTicketId"] as? String == tickets[contacts["Alice"] ?? ""])
            let held = try await Self.call(
                stack.conversation, .get, "/api/v3/anytime/conversations/\(tickets[contacts["Alice"] ?? ""] ?? "")/messages")
            #expect((held as? [Any])?.count == 2)

            // When the contact replies: nothing is attached; the message waits in unattachedMessages.
            let third = try await Self.sendCampaign(
                stack, account: account, name: "Autumn", preferred: "newTicket", time: "whenContactRepliesTheMessage")
            let delivered = try await Self.attachedMessages(stack, record: third, expecting: 99, seconds: 2)
            #expect(delivered.allSatisfy { $0["attachedToTicketId"] as? String == nil })
            let waiting = Self.object(try await Self.call(stack.outreach, .get, "/outreach/unattachedMessages?contactId=\(contacts["Bob"] ?? "")"))
            #expect((waiting["messages"] as? [[String: Any]])?.map { $0["campaignRecordId"] as? String } == [third])
        }
    }

    @Test("conversation down when the message is sent: the attach waits and lands once it is back")
    func conversationDown() async throws {
        try await Self.run { stack in
            let closed = "http://127.0.0.1:\(TestConfiguration.refusingPort)"
            stack.conversationRelay.target.withLockedValue { $0 = closed }
            let (account, contacts) = try await Self.prepare(stack, contacts: ["Dana": "+15550100004"])
            let record = try await Self.sendCampaign(stack, account: account, name: "Winter", preferred: "newTicket")
            let sent = try await Self.sentMessages(stack, record: record)
            #expect(sent.first?["attachedToTicketId"] as? String == nil)
            #expect(["sent", "delivered"].contains(sent.first?["status"] as? String ?? ""))
            stack.conversationRelay.target.withLockedValue { $0 = stack.conversationURL }
            // The scheduler retries after its backoff (5 s for the first).
            let attached = try await Self.attachedMessages(stack, record: record, expecting: 1, seconds: 20)
            let ticket = try #require(attached.first?["attachedToTicketId"] as? String)
            let conversation = Self.object(try await Self.call(stack.conversation, .get, "/api/v3/anytime/conversations/\(ticket)"))
            #expect(conversation["relatedId"] as? String == contacts["Dana"])
        }
    }
}

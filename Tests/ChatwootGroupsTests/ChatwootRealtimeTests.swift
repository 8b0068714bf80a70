import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOCore
import NIOFoundationCompat
import NIOWebSocket
import ServiceKit
import Synchronization
import TestSupport
import Testing
import WireModels

@testable import ChatwootGroups

/// A `/cable` connection as Chatwoot's dashboard and widget hold one: it sends what it is told and keeps every frame it
/// hears, for the test to wait for.
final class CableClient: Sendable {
    private let heard = Mutex<[JSONValue]>([])
    private let commands: AsyncStream<String>.Continuation
    private let pending: AsyncStream<String>

    init() {
        (self.pending, self.commands) = AsyncStream.makeStream(of: String.self)
    }

    /// Connects to `/cable` offering ActionCable's subprotocol, runs `body`, then closes.
    static func connect(
        _ client: some TestClientProtocol, _ body: @escaping @Sendable (CableClient) async throws -> Void
    ) async throws {
        let cable = CableClient()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await client.ws(
                    "/cable", configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: [.secWebSocketProtocol: ChatwootCable.subprotocol])
                ) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { writer in
                        writer.addTask {
                            for await command in cable.pending { try await outbound.write(.text(command)) }
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message, let frame = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                                continue
                            }
                            cable.heard.withLock { $0.append(frame) }
                        }
                        writer.cancelAll()
                    }
                }
            }
            do {
                try await body(cable)
            } catch {
                cable.commands.finish()
                throw error
            }
            cable.commands.finish()
            try await group.waitForAll()
        }
    }

    /// The identifier Chatwoot's clients subscribe with (a JSON string).
    static func identifier(token: String, account: Int? = nil, user: Int? = nil) -> String {
        var members = [#""channel":"RoomChannel""#, #""pubsub_token":"\#(token)""#]
        if let account { members.append(#""account_id":\#(account)"#) }
        if let user { members.append(#""user_id":\#(user)"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    func subscribe(_ identifier: String) {
        self.send(["command": .string("subscribe"), "identifier": .string(identifier)])
    }

    func send(_ command: [String: JSONValue]) {
        self.commands.yield(String(decoding: (try? JSONEncoder().encode(JSONValue.object(command))) ?? Data(), as: UTF8.self))
    }

    /// Every frame heard so far.
    var frames: [JSONValue] { self.heard.withLock { $0 } }

    /// The `message` of every frame of `identifier` with `event`.
    func messages(_ identifier: String, event: String) -> [[String: JSONValue]] {
        self.frames.compactMap { frame in
            guard frame.object?["identifier"] == .string(identifier), let message = frame.object?["message"]?.object,
                message["event"] == .string(event)
            else { return nil }
            return message["data"]?.object
        }
    }

    /// Waits (up to 10 s) until a frame satisfies `matches`; answers it.
    @discardableResult
    func wait(
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation, until matches: @Sendable ([String: JSONValue]) -> Bool
    ) async throws -> [String: JSONValue] {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let frame = self.frames.compactMap(\.object).first(where: matches) { return frame }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no frame: \(what); heard \(self.frames)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}

@Suite("Chatwoot realtime: ActionCable's RoomChannel on /cable")
struct ChatwootRealtimeTests {
    /// A user's `pubsub_token`, as the Platform API shows it to the app that made the user.
    static func pubsubToken(_ client: some TestClientProtocol, user: Int) async throws -> String {
        let shown = try await client.chatwoot(.get, "/platform/api/v1/users/\(user)")
        return try #require(shown.object["pubsub_token"] as? String)
    }

    static func message(_ client: some TestClientProtocol, conversation: Int, _ body: String) async throws {
        let response = try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(conversation)/messages", json: body)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
    }

    @Test("An agent hears message.created in its inbox and not in another; a bad token is rejected; the contact hears the agent's reply")
    func roomChannel() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.live) { client in
            let seeder = Seeder(client: client)
            let agent = try await client.chatwootUser("Rita Realtime")
            let mine = try await seeder.inbox("Cable mine")
            let other = try await seeder.inbox("Cable other")
            try await seeder.member(inbox: mine, user: agent.id)
            let agentToken = try await Self.pubsubToken(client, user: agent.id)
            let contact = try await seeder.contact("Carla Cable")

            try await CableClient.connect(client) { cable in
                try await cable.wait("welcome") { $0["type"] == .string("welcome") }
                let agentID = CableClient.identifier(token: agentToken, account: 1, user: agent.id)
                cable.subscribe(agentID)
                try await cable.wait("confirmation") { $0["identifier"] == .string(agentID) && $0["type"] == .string("confirm_subscription") }
                // Subscribing announces the agent's presence to its own stream.
                try await cable.wait("presence") {
                    $0["identifier"] == .string(agentID) && $0["message"]?.object?["event"] == .string("presence.update")
                        && $0["message"]?.object?["data"]?.object?["users"]?.object?[String(agent.id)] == .string("online")
                }

                // A token nobody holds, and a real token with another user's id, are rejected.
                for bad in [
                    CableClient.identifier(token: "not-a-token", account: 1, user: agent.id),
                    CableClient.identifier(token: agentToken, account: 1, user: 1), CableClient.identifier(token: "unknown-contact"),
                ] {
                    cable.subscribe(bad)
                    try await cable.wait("rejection of \(bad)") { $0["identifier"] == .string(bad) && $0["type"] == .string("reject_subscription") }
                }

                let heard = try await client.conversation(inbox: mine, contact: contact)
                try await cable.wait("conversation.created") { frame in
                    frame["message"]?.object?["event"] == .string("conversation.created")
                        && frame["message"]?.object?["data"]?.object?["id"] == .number(Double(heard))
                }
                let unheard = try await client.conversation(inbox: other, contact: contact)
                try await Self.message(client, conversation: unheard, #"{"content": "in the other inbox"}"#)
                try await Self.message(client, conversation: heard, #"{"content": "in my inbox"}"#)
                let created = try await cable.wait("message.created") { frame in
                    frame["message"]?.object?["event"] == .string("message.created")
                        && frame["message"]?.object?["data"]?.object?["content"] == .string("in my inbox")
                }
                let data = try #require(created["message"]?.object?["data"]?.object)
                #expect(data["account_id"] == .number(1))
                #expect(data["conversation_id"] == .number(Double(heard)))
                #expect(data["inbox_id"] == .number(Double(mine)))
                // Events are pushed in commit order: the other inbox's message, committed first, would have come first.
                #expect(cable.messages(agentID, event: "message.created").allSatisfy { $0["content"] != .string("in the other inbox") })
                #expect(cable.messages(agentID, event: "conversation.created").allSatisfy { $0["id"] != .number(Double(unheard)) })
                // Activity messages reach the dashboard too (no webhook sends them): adding a label writes one.
                try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(heard)/labels", json: #"{"labels": ["vip"]}"#)
                try await cable.wait("the label's activity message") { frame in
                    let data = frame["message"]?.object?["data"]?.object
                    return frame["message"]?.object?["event"] == .string("message.created") && data?["message_type"] == .number(2)
                        && data?["content"] == .string("Administrator added vip")
                }
            }
        }
    }

    @Test("The contact's token (contact_inboxes.pubsub_token) hears the agent's reply, not its private notes nor its own typing")
    func contactHearsReply() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.live) { client in
            let made = try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Widget cable", "channel": {"type": "api"}}"#)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let base = "/public/api/v1/inboxes/\(identifier)"
            let contact = try await client.execute(
                uri: base + "/contacts", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"name": "Wendy"}"#))
            let contactObject = try #require(try JSONSerialization.jsonObject(with: Data(buffer: contact.body)) as? [String: Any])
            let contactToken = try #require(contactObject["pubsub_token"] as? String)
            let source = try #require(contactObject["source_id"] as? String)
            let opened = try await client.execute(
                uri: base + "/contacts/\(source)/conversations", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(opened.status == .ok, "\(String(buffer: opened.body))")
            let conversation = try #require((try JSONSerialization.jsonObject(with: Data(buffer: opened.body)) as? [String: Any])?["id"] as? Int)

            try await CableClient.connect(client) { cable in
                let contactID = CableClient.identifier(token: contactToken)
                cable.subscribe(contactID)
                try await cable.wait("confirmation") { $0["identifier"] == .string(contactID) && $0["type"] == .string("confirm_subscription") }
                try await Self.message(client, conversation: conversation, #"{"content": "internal only", "private": true}"#)
                try await Self.message(client, conversation: conversation, #"{"content": "Hello Wendy", "message_type": "outgoing"}"#)
                try await cable.wait("the reply") { frame in
                    frame["identifier"] == .string(contactID) && frame["message"]?.object?["event"] == .string("message.created")
                        && frame["message"]?.object?["data"]?.object?["content"] == .string("Hello Wendy")
                }
                #expect(cable.messages(contactID, event: "message.created").allSatisfy { $0["content"] != .string("internal only") })

                // The contact typing reaches the administrator (the bootstrap user), not the contact itself.
                let administratorID = CableClient.identifier(token: try await Self.pubsubToken(client, user: 1), account: 1, user: 1)
                cable.subscribe(administratorID)
                try await cable.wait("confirmation") { $0["identifier"] == .string(administratorID) && $0["type"] == .string("confirm_subscription") }
                let typing = try await client.execute(
                    uri: base + "/contacts/\(source)/conversations/\(conversation)/toggle_typing", method: .post,
                    headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"typing_status": "on"}"#))
                #expect(typing.status == .ok)
                let heard = try await cable.wait("typing") { frame in
                    frame["identifier"] == .string(administratorID) && frame["message"]?.object?["event"] == .string("conversation.typing_on")
                }
                #expect(heard["message"]?.object?["data"]?.object?["conversation"]?.object?["id"] == .number(Double(conversation)))
                try await Self.message(client, conversation: conversation, #"{"content": "after typing", "message_type": "outgoing"}"#)
                try await cable.wait("the next reply") { frame in
                    frame["identifier"] == .string(contactID) && frame["message"]?.object?["data"]?.object?["content"] == .string("after typing")
                }
                #expect(cable.messages(contactID, event: "conversation.typing_on").isEmpty)
            }
        }
    }

    @Test(
        "The dashboard's typing reaches the inbox's users and the contact (a private note's only the users), the contact reading reaches the users as conversation.read, a merge's moved conversation as conversation.contact_changed"
    )
    func typingReadAndContactChanged() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.live) { client in
            let seeder = Seeder(client: client)
            let made = try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Typing cable", "channel": {"type": "api"}}"#)
            let inbox = try #require(made.object["id"] as? Int)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let agent = try await client.chatwootUser("Tina Typist")
            try await seeder.member(inbox: inbox, user: agent.id)
            let base = "/public/api/v1/inboxes/\(identifier)"
            let contact = try await client.execute(
                uri: base + "/contacts", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"name": "Tom"}"#))
            let contactObject = try #require(try JSONSerialization.jsonObject(with: Data(buffer: contact.body)) as? [String: Any])
            let contactToken = try #require(contactObject["pubsub_token"] as? String)
            let contactID = try #require(contactObject["id"] as? Int)
            let source = try #require(contactObject["source_id"] as? String)
            let opened = try await client.execute(
                uri: base + "/contacts/\(source)/conversations", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            let conversation = try #require((try JSONSerialization.jsonObject(with: Data(buffer: opened.body)) as? [String: Any])?["id"] as? Int)
            let typingPath = "/api/v1/accounts/1/conversations/\(conversation)/toggle_typing_status"

            try await CableClient.connect(client) { cable in
                let contactStream = CableClient.identifier(token: contactToken)
                let administrator = CableClient.identifier(token: try await Self.pubsubToken(client, user: 1), account: 1, user: 1)
                let typist = CableClient.identifier(token: try await Self.pubsubToken(client, user: agent.id), account: 1, user: agent.id)
                for stream in [contactStream, administrator, typist] {
                    cable.subscribe(stream)
                    try await cable.wait("confirmation") { $0["identifier"] == .string(stream) && $0["type"] == .string("confirm_subscription") }
                }
                @Sendable func event(_ frame: [String: JSONValue], _ stream: String, _ name: String) -> [String: JSONValue]? {
                    guard frame["identifier"] == .string(stream), frame["message"]?.object?["event"] == .string(name) else { return nil }
                    return frame["message"]?.object?["data"]?.object
                }

                // A private note being typed: the administrator hears it with the agent and `is_private`, the contact does not.
                let privateOn = try await client.chatwoot(
                    .post, typingPath, token: agent.token, json: #"{"typing_status": "on", "is_private": true}"#)
                #expect(privateOn.status == .ok)
                let heard = try await cable.wait("private typing_on") { event($0, administrator, "conversation.typing_on") != nil }
                let data = try #require(event(heard, administrator, "conversation.typing_on"))
                #expect(data["is_private"] == .bool(true))
                #expect(data["user"]?.object?["id"] == .number(Double(agent.id)))
                #expect(data["user"]?.object?["type"] == .string("user"))
                #expect(data["conversation"]?.object?["id"] == .number(Double(conversation)))
                #expect(data["account_id"] == .number(1))
                // A reply typed in the open: the contact hears it (and typing_off), the one typing never hears itself.
                #expect(try await client.chatwoot(.post, typingPath, token: agent.token, json: #"{"typing_status": "on"}"#).status == .ok)
                let reply = try await cable.wait("public typing_on") { event($0, contactStream, "conversation.typing_on") != nil }
                #expect(event(reply, contactStream, "conversation.typing_on")?["is_private"] == .bool(false))
                #expect(try await client.chatwoot(.post, typingPath, token: agent.token, json: #"{"typing_status": "off"}"#).status == .ok)
                try await cable.wait("typing_off") { event($0, contactStream, "conversation.typing_off") != nil }
                #expect(cable.messages(contactStream, event: "conversation.typing_on").allSatisfy { $0["is_private"] == .bool(false) })
                #expect(cable.messages(typist, event: "conversation.typing_on").isEmpty)
                // An unknown status announces nothing and still answers 200; a wrong type is a 400; another account's path 404.
                #expect(try await client.chatwoot(.post, typingPath, token: agent.token, json: #"{"typing_status": "recording"}"#).status == .ok)
                #expect(try await client.chatwoot(.post, typingPath, json: #"{"typing_status": "on", "is_private": 3}"#).status == .badRequest)
                let outsider = try await client.chatwootUser("Otto Outsider", account: nil)
                #expect(
                    try await client.chatwoot(.post, typingPath, token: outsider.token, json: #"{"typing_status": "on"}"#).status == .unauthorized)

                // The contact reads the conversation: the inbox's users hear conversation.read, the contact does not.
                let seen = try await client.execute(
                    uri: base + "/contacts/\(source)/conversations/\(conversation)/update_last_seen", method: .post)
                #expect(seen.status == .ok)
                let read = try await cable.wait("conversation.read") { event($0, typist, "conversation.read") != nil }
                #expect(event(read, typist, "conversation.read")?["id"] == .number(Double(conversation)))
                try await cable.wait("conversation.read for the administrator") { event($0, administrator, "conversation.read") != nil }

                // A merge moves the widget contact's conversation to the base contact: conversation.contact_changed with the new sender.
                let kept = try await seeder.contact("Tom Kept")
                let merged = try await client.chatwoot(
                    .post, "/api/v1/accounts/1/actions/contact_merge", json: #"{"base_contact_id": \#(kept), "mergee_contact_id": \#(contactID)}"#)
                #expect(merged.status == .ok, "\(String(buffer: merged.body))")
                let changed = try await cable.wait("conversation.contact_changed") { event($0, typist, "conversation.contact_changed") != nil }
                let moved = try #require(event(changed, typist, "conversation.contact_changed"))
                #expect(moved["id"] == .number(Double(conversation)))
                #expect(moved["meta"]?.object?["sender"]?.object?["id"] == .number(Double(kept)))
                #expect(cable.messages(contactStream, event: "conversation.read").isEmpty)
                #expect(cable.messages(contactStream, event: "conversation.contact_changed").isEmpty)
            }
        }
    }
}

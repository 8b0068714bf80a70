import Configuration
import Foundation
import HTTPTypes
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import ChatwootGroups

/// Two chatwoot-groups instances on one PostgreSQL schema, as deploy/kubernetes/chatwoot-groups.yaml runs them: what
/// either commits reaches the `/cable` subscribers of both, once; presence on either counts on both (decisions 361-362).
@Suite(
    "Chatwoot realtime across instances on one PostgreSQL",
    .enabled(if: TestConfiguration.databaseURL.hasPrefix("postgres"), "needs PostgreSQL (TEST_DB_URL): instances share a database only there")
)
struct ChatwootMultiInstanceTests {
    /// Runs `body` with instance A's and instance B's clients (live servers, one schema) and the shared settings.
    static func twoInstances(
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, [AbsoluteConfigKey: ConfigValue]) async throws -> Void
    ) async throws {
        let values = TestConfiguration.values()
        let first = try await buildApplication(reader: ConfigReader(provider: InMemoryProvider(values: values)))
        let second = try await buildApplication(reader: ConfigReader(provider: InMemoryProvider(values: values)))
        try await first.test(.live) { a in
            try await second.test(.live) { b in try await body(a, b, values) }
        }
    }

    static func isEvent(_ frame: [String: JSONValue], _ event: String, content: String) -> Bool {
        frame["message"]?.object?["event"] == .string(event) && frame["message"]?.object?["data"]?.object?["content"] == .string(content)
    }

    @Test("A message created through A reaches the cables of B and of A once each, a long one whole; a rolled-back note reaches none")
    func messagesReachEveryInstance() async throws {
        try await Self.twoInstances { a, b, values in
            let seeder = Seeder(client: a)
            let inbox = try await seeder.inbox("Across instances")
            let contact = try await seeder.contact("Ivan Instance")
            let administrator = CableClient.identifier(token: try await ChatwootRealtimeTests.pubsubToken(a, user: 1), account: 1, user: 1)
            try await CableClient.connect(b) { onB in
                try await CableClient.connect(a) { onA in
                    for cable in [onB, onA] {
                        cable.subscribe(administrator)
                        try await cable.wait("confirmation") {
                            $0["identifier"] == .string(administrator) && $0["type"] == .string("confirm_subscription")
                        }
                    }
                    let conversation = try await a.conversation(inbox: inbox, contact: contact)
                    try await onB.wait("conversation.created from A") { frame in
                        frame["message"]?.object?["event"] == .string("conversation.created")
                            && frame["message"]?.object?["data"]?.object?["id"] == .number(Double(conversation))
                    }
                    try await ChatwootRealtimeTests.message(a, conversation: conversation, #"{"content": "made on A"}"#)
                    // Longer than a PostgreSQL notification carries (8,000 bytes): it arrives whole all the same.
                    let long = String(repeating: "0123456789", count: 1_000) + " end"
                    try await ChatwootRealtimeTests.message(a, conversation: conversation, #"{"content": "\#(long)"}"#)

                    // A note published in a transaction that rolls back, then one that commits, on a third connection.
                    let database = try Database(
                        settings: DatabaseSettings(reader: ConfigReader(provider: InMemoryProvider(values: values)), name: "test"),
                        logger: TestConfiguration.logger)
                    try await database.withRunning {
                        struct RolledBack: Error {}
                        @Sendable func note(_ content: String) -> ChatwootCable.Note {
                            ChatwootCable.Note(
                                event: .messageCreated, account: 1, inbox: inbox,
                                payload: [
                                    "content": .string(content), "conversation_id": .number(Double(conversation)), "message_type": .number(1),
                                    "private": .bool(false),
                                ], changed: [])
                        }
                        await #expect(throws: RolledBack.self) {
                            try await database.transaction { tx in
                                try await ChatwootCable.publish(note("rolled back"), tx: tx)
                                throw RolledBack()
                            }
                        }
                        try await database.transaction { tx in try await ChatwootCable.publish(note("committed last"), tx: tx) }
                    }

                    for (name, cable) in [("B", onB), ("A", onA)] {
                        try await cable.wait("the last note on \(name)") { Self.isEvent($0, "message.created", content: "committed last") }
                        let contents = cable.messages(administrator, event: "message.created").compactMap { $0["content"] }
                        // Once each, in commit order, the long one whole, nothing rolled back.
                        #expect(contents == [.string("made on A"), .string(long), .string("committed last")], "on \(name)")
                    }
                }
            }
        }
    }

    @Test("An agent online only on B's cable is online for A: A's auto assignment picks it and A's presence.update lists it")
    func presenceAcrossInstances() async throws {
        try await Self.twoInstances { a, b, _ in
            let seeder = Seeder(client: a)
            let inbox = try await seeder.inbox("Presence desk")
            let contact = try await seeder.contact("Paula Presence")
            let agent = try await a.chatwootUser("Agent Onb")
            try await seeder.member(inbox: inbox, user: agent.id)
            let patched = try await a.chatwoot(.patch, "/api/v1/accounts/1/agents/\(agent.id)", json: #"{"availability": "online"}"#)
            #expect(patched.status == .ok)
            @Sendable func assignee(_ conversation: Int) async throws -> Int? {
                let response = try await a.chatwoot(.get, "/api/v1/accounts/1/conversations/\(conversation)")
                return ((response.object["meta"] as? [String: Any])?["assignee"] as? [String: Any])?["id"] as? Int
            }
            // Off every cable: nobody to assign.
            #expect(try await assignee(try await a.conversation(inbox: inbox, contact: contact)) == nil)

            let agentID = CableClient.identifier(token: try await ChatwootRealtimeTests.pubsubToken(a, user: agent.id), account: 1, user: agent.id)
            try await CableClient.connect(b) { onB in
                onB.subscribe(agentID)
                try await onB.wait("the agent's presence on B") {
                    $0["identifier"] == .string(agentID) && $0["message"]?.object?["event"] == .string("presence.update")
                }
                #expect(try await assignee(try await a.conversation(inbox: inbox, contact: contact)) == agent.id)

                let administrator = CableClient.identifier(token: try await ChatwootRealtimeTests.pubsubToken(a, user: 1), account: 1, user: 1)
                try await CableClient.connect(a) { onA in
                    onA.subscribe(administrator)
                    try await onA.wait("A's presence.update listing the agent on B") {
                        $0["identifier"] == .string(administrator) && $0["message"]?.object?["event"] == .string("presence.update")
                            && $0["message"]?.object?["data"]?.object?["users"]?.object?[String(agent.id)] == .string("online")
                    }
                }
            }
        }
    }
}

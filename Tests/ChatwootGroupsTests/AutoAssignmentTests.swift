import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import ChatwootGroups

/// Chatwoot's auto assignment (decision 360): round robin over the inbox's online members, on creation and on reopening.
@Suite("Chatwoot inbox auto assignment")
struct AutoAssignmentTests {
    @Test("New and reopened conversations go round the inbox's online members; offline ones, a disabled inbox and given assignees are left alone")
    func roundRobin() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let ann = try await client.chatwootUser("Agent Ann")
            let bob = try await client.chatwootUser("Agent Bob")
            let cid = try await client.chatwootUser("Agent Cid")
            for agent in [ann, bob, cid] { try await seed.member(inbox: inbox, user: agent.id) }
            // Ann and Bob stay online without a cable (auto_offline false); Cid is online only on the cable (absent).
            for (agent, body) in [
                (ann, #"{"availability": "online", "auto_offline": false}"#), (bob, #"{"availability": "online", "auto_offline": false}"#),
                (cid, #"{"availability": "online"}"#),
            ] {
                let response = try await client.chatwoot(.patch, "/api/v1/accounts/1/agents/\(agent.id)", json: body)
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            func assignee(_ conversation: Int) async throws -> Int? {
                let response = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(conversation)")
                return ((response.object["meta"] as? [String: Any])?["assignee"] as? [String: Any])?["id"] as? Int
            }
            var assigned: [Int?] = []
            for _ in 0..<4 { assigned.append(try await assignee(try await client.conversation(inbox: inbox, contact: contact))) }
            #expect(assigned == [ann.id, bob.id, ann.id, bob.id])

            // A given assignee who belongs to the inbox stays.
            let given = try await client.conversation(inbox: inbox, contact: contact, extra: #", "assignee_id": \#(cid.id)"#)
            #expect(try await assignee(given) == cid.id)

            // Resolved, unassigned, reopened: assigned again, to the next one.
            let reopened = try await client.conversation(inbox: inbox, contact: contact, extra: #", "status": "resolved""#)
            #expect(try await assignee(reopened) == nil)
            let toggled = try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(reopened)/toggle_status", json: #"{"status": "open"}"#)
            #expect(toggled.status == .ok)
            #expect(try await assignee(reopened) == ann.id)

            // Bob goes busy: only Ann is left.
            try await client.chatwoot(.patch, "/api/v1/accounts/1/agents/\(bob.id)", json: #"{"availability": "busy"}"#)
            #expect(try await assignee(try await client.conversation(inbox: inbox, contact: contact)) == ann.id)

            // An inbox with auto assignment off leaves new conversations unassigned.
            let updated = try await client.chatwoot(.patch, "/api/v1/accounts/1/inboxes/\(inbox)", json: #"{"enable_auto_assignment": false}"#)
            #expect(updated.status == .ok)
            #expect(try await assignee(try await client.conversation(inbox: inbox, contact: contact)) == nil)
        }
    }
}

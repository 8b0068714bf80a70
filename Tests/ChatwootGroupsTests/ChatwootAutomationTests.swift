import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot automation rules")
struct ChatwootAutomationTests {
    static let rules = "/api/v1/accounts/1/automation_rules"

    /// A rule body with `conditions` and `actions` (JSON arrays).
    static func rule(_ name: String, event: String, conditions: String, actions: String) -> String {
        #"{"name": "\#(name)", "description": "test", "event_name": "\#(event)", "conditions": \#(conditions), "actions": \#(actions)}"#
    }

    @Test("Administrators list, create, show, update and delete rules (audited); Chatwoot's 422s; agents 401; another account's 404")
    func crud() async throws {
        try await ConversationWorld().run { client, seed in
            let created = try await client.chatwoot(
                .post, Self.rules,
                json: Self.rule(
                    "Label open", event: "conversation_created",
                    conditions: #"[{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": null}]"#,
                    actions: #"[{"action_name": "add_label", "action_params": ["vip"]}]"#))
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            let payload = try #require(created.object["payload"] as? [String: Any])
            let id = try #require(payload["id"] as? Int)
            #expect(payload["event_name"] as? String == "conversation_created")
            #expect(payload["active"] as? Bool == true)
            #expect(payload["account_id"] as? Int == 1)
            #expect(payload["created_on"] is Int)
            #expect(((payload["actions"] as? [[String: Any]])?.first?["action_params"] as? [String]) == ["vip"])
            let listed = try await client.chatwoot(.get, Self.rules)
            #expect(((listed.object["payload"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int } == [id])
            #expect((try await client.chatwoot(.get, "\(Self.rules)/\(id)").object["payload"] as? [String: Any])?["name"] as? String == "Label open")
            let updated = try await client.chatwoot(.patch, "\(Self.rules)/\(id)", json: #"{"name": "Renamed", "active": false}"#)
            #expect(updated.status == .ok)
            let after = try #require(updated.object["payload"] as? [String: Any])
            #expect(after["name"] as? String == "Renamed")
            #expect(after["active"] as? Bool == false)
            #expect((after["conditions"] as? [[String: Any]])?.count == 1)

            // Chatwoot's validations.
            let condition = #"[{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}]"#
            let label = #"[{"action_name": "add_label", "action_params": ["x"]}]"#
            let invalid: [(String, String)] = [
                (
                    Self.rule(
                        "R", event: "message_created",
                        conditions: #"[{"attribute_key": "shoe_size", "filter_operator": "equal_to", "values": ["9"]}]"#, actions: label),
                    "Automation conditions shoe_size not supported."
                ),
                (
                    Self.rule("R", event: "message_created", conditions: condition, actions: #"[{"action_name": "explode"}]"#),
                    "Automation actions explode not supported."
                ),
                (
                    Self.rule(
                        "R", event: "message_created",
                        conditions:
                            #"[{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}, {"attribute_key": "content", "filter_operator": "contains", "values": ["a"]}]"#,
                        actions: label), "Automation conditions should have query operator."
                ),
                (
                    Self.rule(
                        "R", event: "message_created",
                        conditions: #"[{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "XOR"}]"#,
                        actions: label), #"Query operator must be either "AND" or "OR""#
                ),
                (
                    Self.rule(
                        "R", event: "message_created", conditions: #"[{"attribute_key": "status", "filter_operator": "contains", "values": ["o"]}]"#,
                        actions: label),
                    "Invalid operator. The allowed operators for status are [equal_to,not_equal_to]."
                ),
            ]
            for (body, message) in invalid {
                let response = try await client.chatwoot(.post, Self.rules, json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(response.object["error"] as? String == message, "\(String(buffer: response.body))")
            }
            for body in [
                Self.rule("R", event: "contact_deleted", conditions: condition, actions: label),
                Self.rule("", event: "message_created", conditions: condition, actions: label),
                #"{"name": "R", "event_name": "message_created", "actions": \#(label)}"#,
            ] {
                let response = try await client.chatwoot(.post, Self.rules, json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect((response.object["errors"] as? [[String: Any]])?.first?["field"] is String)
            }
            #expect(try await client.chatwoot(.post, Self.rules, json: #"{"name": "R", "conditions": 3}"#).status == .badRequest)
            #expect(try await client.chatwoot(.patch, "\(Self.rules)/\(id)", json: #"{"event_name": "nope"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.get, "\(Self.rules)/999").status == .notFound)

            // Agents may not; another account's administrator finds nothing of account 1's.
            let agent = try await client.chatwootUser("Pat Agent")
            for (method, path) in [(HTTPRequest.Method.get, Self.rules), (.get, "\(Self.rules)/\(id)"), (.delete, "\(Self.rules)/\(id)")] {
                let response = try await client.chatwoot(method, path, token: agent.token)
                #expect(response.status == .unauthorized)
                #expect(response.object["error"] as? String == "You are not authorized to do this action")
            }
            let other = try await client.chatwootAccount("Other")
            let otherAdmin = try await seed.token(account: other)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/automation_rules/\(id)", token: otherAdmin).status == .notFound)
            #expect(try await client.chatwoot(.delete, "/api/v1/accounts/\(other)/automation_rules/\(id)", token: otherAdmin).status == .notFound)
            #expect(
                (try await client.chatwoot(.get, "/api/v1/accounts/\(other)/automation_rules", token: otherAdmin).object["payload"] as? [Any])?.count
                    == 0)

            #expect(try await client.chatwoot(.delete, "\(Self.rules)/\(id)").status == .ok)
            #expect(try await client.chatwoot(.get, "\(Self.rules)/\(id)").status == .notFound)
            let audits = try await client.chatwoot(.get, "/api/v1/accounts/1/audit_logs")
            let actions = ((audits.object["audit_logs"] as? [[String: Any]]) ?? []).filter { $0["auditable_type"] as? String == "AutomationRule" }
                .compactMap { $0["action"] as? String }
            #expect(Set(actions) == ["create", "update", "destroy"])
        }
    }

    @Test("A conversation_created rule assigns the team and adds the label to the conversations its conditions match")
    func conversationCreated() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Billing desk")
            let elsewhere = try await seed.inbox("Sales desk")
            let team = try await seed.team("Billing")
            let contact = try await seed.contact("Ann")
            let rule = try await client.chatwoot(
                .post, Self.rules,
                json: Self.rule(
                    "Route billing", event: "conversation_created",
                    conditions: #"[{"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": ["\#(inbox)"], "query_operator": null}]"#,
                    actions:
                        #"[{"action_name": "assign_team", "action_params": ["\#(team)"]}, {"action_name": "add_label", "action_params": ["billing"]}]"#
                ))
            #expect(rule.status == .ok)
            let unmatched = try await client.conversation(inbox: elsewhere, contact: contact)
            let matched = try await client.conversation(inbox: inbox, contact: contact)
            var shown: [String: Any] = [:]
            for _ in 0..<100 {
                shown = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(matched)").object
                if (shown["labels"] as? [String]) == ["billing"], (shown["meta"] as? [String: Any])?["team"] is [String: Any] { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(shown["labels"] as? [String] == ["billing"])
            #expect(((shown["meta"] as? [String: Any])?["team"] as? [String: Any])?["id"] as? Int == team)
            // The activity messages name the automation.
            #expect(try await client.contents(matched).contains("Automation System added billing"))
            let other = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(unmatched)").object
            #expect(other["labels"] as? [String] == [])
            #expect((other["meta"] as? [String: Any])?["team"] == nil)
        }
    }

    @Test("A message_created rule replies when an incoming message contains the text; its own messages never run rules again")
    func messageCreated() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)/messages"
            // The reply contains what the rule looks for: without the loop guard it would answer itself for ever.
            let reply = "About your refund: we are on it"
            let created = try await client.chatwoot(
                .post, Self.rules,
                json: Self.rule(
                    "Refunds", event: "message_created",
                    conditions: #"[{"attribute_key": "content", "filter_operator": "contains", "values": ["REFUND"], "query_operator": null}]"#,
                    actions: #"[{"action_name": "send_message", "action_params": ["\#(reply)"]}]"#))
            #expect(created.status == .ok)
            let incomingOnly = try await client.chatwoot(
                .post, Self.rules,
                json: Self.rule(
                    "Incoming help", event: "message_created",
                    conditions:
                        #"[{"attribute_key": "message_type", "filter_operator": "equal_to", "values": ["incoming"], "query_operator": "AND"}, {"attribute_key": "content", "filter_operator": "contains", "values": ["help"], "query_operator": null}]"#,
                    actions: #"[{"action_name": "add_label", "action_params": ["help"]}]"#))
            #expect(incomingOnly.status == .ok)
            try await client.chatwoot(.post, path, json: #"{"content": "I need help with a refund", "message_type": "incoming"}"#)
            try await client.chatwoot(.post, path, json: #"{"content": "We can help", "message_type": "outgoing"}"#)
            var contents: [String] = []
            for _ in 0..<100 {
                contents = try await client.contents(id)
                if contents.contains(reply) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(contents.contains(reply))
            // Time for a loop to show, had the reply run the rule again.
            try await Task.sleep(for: .milliseconds(2000))
            contents = try await client.contents(id)
            #expect(contents.filter { $0 == reply }.count == 1, "\(contents)")
            let messages = try await client.chatwoot(.get, path).object["payload"] as? [[String: Any]] ?? []
            let sent = try #require(messages.first { $0["content"] as? String == reply })
            #expect(sent["message_type"] as? Int == 1)
            #expect((sent["content_attributes"] as? [String: Any])?["automation_rule_id"] as? Int != nil)
            // Only the incoming message matched the second rule (the outgoing one says "help" too).
            let conversation = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(id)").object
            #expect(conversation["labels"] as? [String] == ["help"])
            #expect(contents.filter { $0 == "Automation System added help" }.count == 1, "\(contents)")
        }
    }

    @Test("A conversation_updated rule with attribute_changed acts on the change it names, not on others")
    func attributeChanged() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)"
            // Chatwoot's `values` of attribute_changed is an object ({from, to}), outside the swagger's string array:
            // the create's answer is read unchecked.
            for (label, from) in [("reopened-later", "pending"), ("was-open", "open")] {
                let created = try await client.execute(
                    uri: Self.rules, method: .post,
                    headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                    body: ByteBuffer(
                        string: Self.rule(
                            label, event: "conversation_updated",
                            conditions:
                                #"[{"attribute_key": "status", "filter_operator": "attribute_changed", "values": {"from": ["\#(from)"], "to": ["resolved"]}, "query_operator": null}]"#,
                            actions:
                                #"[{"action_name": "add_label", "action_params": ["\#(label)"]}, {"action_name": "change_priority", "action_params": ["high"]}]"#
                        )))
                #expect(created.status == .ok, "\(String(buffer: created.body))")
            }
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "resolved"}"#)
            var shown: [String: Any] = [:]
            for _ in 0..<100 {
                shown = try await client.chatwoot(.get, path).object
                if shown["priority"] as? String == "high" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(shown["labels"] as? [String] == ["was-open"])
            #expect(shown["priority"] as? String == "high")
        }
    }
}

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

@Suite("Chatwoot conversations")
struct ConversationTests {
    @Test("Create numbers conversations per account; show renders the partial; another account's or an unknown conversation is a 404")
    func createAndShow() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann", email: "ann@example.com")
            let first = try await client.conversation(
                inbox: inbox, contact: contact,
                extra: #", "source_id": "src-1", "custom_attributes": {"order": "42"}, "additional_attributes": {"browser": "Safari"}"#)
            let second = try await client.conversation(inbox: inbox, contact: contact)
            #expect((first, second) == (1, 2))
            let shown = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/1")
            #expect(shown.status == .ok)
            let body = shown.object
            #expect(body["status"] as? String == "open")
            #expect(body["inbox_id"] as? Int == inbox)
            #expect((body["custom_attributes"] as? [String: Any])?["order"] as? String == "42")
            let meta = try #require(body["meta"] as? [String: Any])
            #expect((meta["sender"] as? [String: Any])?["email"] as? String == "ann@example.com")
            #expect(meta["channel"] as? String == "Channel::Api")
            // The same source id finds the same contact inbox.
            let bySource = try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations", json: #"{"source_id": "src-1", "inbox_id": \#(inbox)}"#)
            #expect(bySource.object["id"] as? Int == 3)
            // Another account numbers from 1 and its conversations are not found from account 1.
            let other = try await client.chatwootAccount("Other")
            let otherInbox = try await seed.inbox(account: other, "Elsewhere")
            let otherContact = try await seed.contact(account: other, "Bob")
            // Account 1's administrator (the bootstrap key) is no member there: that account's own administrator creates them.
            let otherToken = try await seed.token(account: other)
            #expect(try await client.conversation(account: other, inbox: otherInbox, contact: otherContact, token: otherToken) == 1)
            #expect(try await client.conversation(account: other, inbox: otherInbox, contact: otherContact, token: otherToken) == 2)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/conversations/1").status == .unauthorized)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/99").status == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/abc").status == .notFound)
            // Another account's contact or inbox is a 404; an unknown source id too.
            let foreign = try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations", json: #"{"inbox_id": \#(inbox), "contact_id": \#(otherContact)}"#)
            #expect(foreign.status == .notFound)
            let foreignInbox = try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations", json: #"{"inbox_id": \#(otherInbox), "contact_id": \#(contact)}"#)
            #expect(foreignInbox.status == .notFound)
            #expect(try await client.chatwoot(.post, "/api/v1/accounts/1/conversations", json: #"{"source_id": "nope"}"#).status == .notFound)
        }
    }

    @Test("Bad input is a 4xx in Chatwoot's shape naming the field, never a 500")
    func badInput() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            for (json, field) in [
                (#"{"inbox_id": "x", "contact_id": \#(contact)}"#, "inbox_id"),
                (#"{"inbox_id": \#(inbox), "contact_id": \#(contact), "status": "closed"}"#, "status"),
                (#"{"inbox_id": \#(inbox), "contact_id": \#(contact), "custom_attributes": [1]}"#, "custom_attributes"),
                (#"{"inbox_id": \#(inbox), "contact_id": \#(contact), "message": {"content": 5}}"#, "message.content"),
            ] {
                let response = try await client.chatwoot(.post, "/api/v1/accounts/1/conversations", json: json)
                #expect([400, 422].contains(response.status.code), "\(json)")
                let errors = try #require(response.object["errors"] as? [[String: Any]], "\(json)")
                #expect((errors.first?["field"] as? String)?.hasSuffix(field.split(separator: ".").last.map(String.init) ?? field) == true, "\(json)")
            }
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)"
            #expect(try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "closed"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": 1}"#).status == .badRequest)
            #expect(try await client.chatwoot(.post, path + "/toggle_priority", json: #"{"priority": "huge"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.patch, path, json: #"{"priority": "huge"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.post, path + "/labels", json: #"{"labels": "a"}"#).status == .badRequest)
            #expect(try await client.chatwoot(.post, path + "/labels", json: #"{}"#).status == .badRequest)
            #expect(
                try await client.chatwoot(.post, path + "/custom_attributes", json: #"{"custom_attributes": "x"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.post, path + "/assignments", json: #"{"assignee_id": "me"}"#).status == .badRequest)
            #expect(
                try await client.chatwoot(.post, path + "/messages", json: #"{"content": "hi", "message_type": "sideways"}"#).status
                    == .unprocessableContent)
            #expect(try await client.chatwoot(.post, path + "/messages", json: #"{"content": "hi", "private": "yes"}"#).status == .badRequest)
            #expect(try await client.chatwoot(.post, path + "/messages", json: #"{}"#).status == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, path + "/messages", json: #"{"content": "hi", "content_attributes": 3}"#).status
                    == .unprocessableContent)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations?status=closed").status == .unprocessableContent)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations?assignee_type=x").status == .unprocessableContent)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations?page=x").status == .badRequest)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/meta?inbox_id=x").status == .badRequest)
            #expect(try await client.chatwoot(.get, path + "/messages?before=x").status == .badRequest)
        }
    }

    @Test("The list filters by status, assignee type, inbox, team, labels and text, pages by 25, and counts mine/unassigned/assigned/all in SQL")
    func listAndCounts() async throws {
        try await ConversationWorld().run { client, seed in
            let support = try await seed.inbox("Support")
            let sales = try await seed.inbox("Sales")
            let contact = try await seed.contact("Ann")
            let team = try await seed.team("Billing")
            let agent = try await client.chatwootUser("Agent Smith")
            for _ in 0..<27 { _ = try await client.conversation(inbox: support, contact: contact) }
            let mine = try await client.conversation(inbox: sales, contact: contact, extra: #", "assignee_id": 1, "team_id": \#(team)"#)
            let theirs = try await client.conversation(inbox: sales, contact: contact, extra: #", "assignee_id": \#(agent.id)"#)
            let pending = try await client.conversation(inbox: sales, contact: contact, extra: #", "status": "pending""#)
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(mine)/labels", json: #"{"labels": ["vip", "refund"]}"#)
            try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations/\(theirs)/messages", json: #"{"content": "Where is my PARCEL?", "message_type": "incoming"}"#
            )

            let all = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations")
            let data = try #require(all.object["data"] as? [String: Any])
            let counts = try #require(data["meta"] as? [String: Any])
            #expect(counts["all_count"] as? Int == 29)
            #expect(counts["mine_count"] as? Int == 1)
            #expect(counts["assigned_count"] as? Int == 2)
            #expect(counts["unassigned_count"] as? Int == 27)
            let page = try #require(data["payload"] as? [[String: Any]])
            #expect(page.count == 25)
            // Newest activity first: the conversation with a new message leads.
            #expect(page.first?["id"] as? Int == theirs)
            let second = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations?page=2")
            #expect(((second.object["data"] as? [String: Any])?["payload"] as? [[String: Any]])?.count == 4)

            func ids(_ query: String) async throws -> [Int] {
                let response = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations?\(query)")
                #expect(response.status == .ok, "\(query)")
                return (((response.object["data"] as? [String: Any])?["payload"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }.sorted()
            }
            #expect(try await ids("assignee_type=me") == [mine])
            #expect(try await ids("assignee_type=assigned") == [mine, theirs].sorted())
            #expect(try await ids("inbox_id=\(sales)") == [mine, theirs].sorted())
            #expect(try await ids("inbox_id=\(sales)&status=pending") == [pending])
            #expect(try await ids("inbox_id=\(sales)&status=all") == [mine, theirs, pending].sorted())
            #expect(try await ids("team_id=\(team)") == [mine])
            #expect(try await ids("labels[]=refund&labels[]=other") == [mine])
            #expect(try await ids("q=parcel") == [theirs])
            #expect(try await ids("q=100%25") == [])

            let meta = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/meta?inbox_id=\(sales)&status=all")
            let metaCounts = try #require(meta.object["meta"] as? [String: Any])
            #expect(metaCounts["all_count"] as? Int == 3)
            #expect(metaCounts["unassigned_count"] as? Int == 1)

            // An agent sees only the conversations of their inboxes; mine is theirs.
            try await seed.member(inbox: sales, user: agent.id)
            let agentView = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations?status=all", token: agent.token)
            let agentData = try #require(agentView.object["data"] as? [String: Any])
            #expect((agentData["meta"] as? [String: Any])?["all_count"] as? Int == 3)
            #expect((agentData["meta"] as? [String: Any])?["mine_count"] as? Int == 1)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(theirs)", token: agent.token).status == .ok)
            let hidden = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/1", token: agent.token)
            #expect(hidden.status == .unauthorized)
            #expect(hidden.object["error"] as? String == "You are not authorized to do this action")
            // A user of another account is a 401.
            let stranger = try await client.chatwootUser("Stranger", account: nil)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations", token: stranger.token).status == .unauthorized)
        }
    }

    @Test("Status, priority, assignment, team and labels change with Chatwoot's activity messages; toggle_status without a status toggles")
    func changesAndActivities() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let team = try await seed.team("Billing")
            let agent = try await client.chatwootUser("Agent Smith")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)"
            let admin = try #require(try await client.chatwoot(.get, "/api/v1/profile").object["name"] as? String)

            let resolved = try await client.chatwoot(.post, path + "/toggle_status", json: "{}")
            #expect((resolved.object["payload"] as? [String: Any])?["current_status"] as? String == "resolved")
            #expect((resolved.object["payload"] as? [String: Any])?["conversation_id"] as? Int == id)
            let reopened = try await client.chatwoot(.post, path + "/toggle_status", json: "{}")
            #expect((reopened.object["payload"] as? [String: Any])?["current_status"] as? String == "open")
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "pending"}"#)
            #expect(try await client.chatwoot(.post, path + "/toggle_priority", json: #"{"priority": "high"}"#).status == .ok)
            let patched = try await client.chatwoot(.patch, path, json: #"{"priority": "urgent"}"#)
            #expect(patched.object["priority"] as? String == "urgent")
            try await client.chatwoot(.post, path + "/toggle_priority", json: #"{"priority": "none"}"#)
            let assigned = try await client.chatwoot(.post, path + "/assignments", json: #"{"assignee_id": \#(agent.id)}"#)
            #expect(assigned.object["id"] as? Int == agent.id)
            #expect(assigned.object["role"] as? String == "agent")
            try await client.chatwoot(.post, path + "/assignments", json: #"{"assignee_id": 1}"#)
            let unassigned = try await client.execute(
                uri: path + "/assignments", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"assignee_id": null}"#))
            #expect(unassigned.status == .ok)
            #expect(String(buffer: unassigned.body) == "null")
            let teamed = try await client.chatwoot(.post, path + "/assignments", json: #"{"team_id": \#(team)}"#)
            #expect(teamed.object["name"] as? String == "Billing")
            try await client.chatwoot(.post, path + "/labels", json: #"{"labels": ["vip", "refund"]}"#)
            let labels = try await client.chatwoot(.post, path + "/labels", json: #"{"labels": ["refund", "late"]}"#)
            #expect(labels.object["payload"] as? [String] == ["refund", "late"])
            #expect(try await client.chatwoot(.get, path + "/labels").object["payload"] as? [String] == ["refund", "late"])
            let attributes = try await client.chatwoot(.post, path + "/custom_attributes", json: #"{"custom_attributes": {"plan": "gold"}}"#)
            #expect((attributes.object["custom_attributes"] as? [String: Any])?["plan"] as? String == "gold")

            #expect(
                try await client.contents(id) == [
                    "Conversation was marked resolved by \(admin)", "Conversation was reopened by \(admin)",
                    "Conversation was marked as pending by \(admin)", "\(admin) set the priority to high",
                    "\(admin) changed the priority from high to urgent", "\(admin) removed the priority",
                    "Assigned to Agent Smith by \(admin)", "\(admin) self-assigned this conversation", "Conversation unassigned by \(admin)",
                    "Assigned to Billing by \(admin)", "\(admin) added vip, refund", "\(admin) added late", "\(admin) removed vip",
                ])
            let shown = try await client.chatwoot(.get, path)
            #expect(shown.object["labels"] as? [String] == ["refund", "late"])
            #expect(((shown.object["meta"] as? [String: Any])?["team"] as? [String: Any])?["id"] as? Int == team)
            // The last message is the last activity; the last non-activity message is none.
            #expect((shown.object["messages"] as? [[String: Any]])?.first?["content"] as? String == "\(admin) removed vip")
            #expect(shown.object["last_non_activity_message"] == nil)
            // Muting writes Chatwoot's activity; a muted resolved conversation stays resolved on a reply.
            #expect(try await client.chatwoot(.post, path + "/mute").status == .ok)
            #expect(try await client.contents(id).last == "\(admin) has muted the conversation")
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "resolved"}"#)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "still there?", "message_type": "incoming"}"#)
            #expect(try await client.chatwoot(.get, path).object["muted"] as? Bool == true)
            #expect(try await client.chatwoot(.get, path).object["status"] as? String == "resolved")
            try await client.chatwoot(.post, path + "/unmute")
            #expect(try await client.chatwoot(.get, path).object["muted"] as? Bool == false)
            // Someone outside the account assigns nobody.
            let outsider = try await client.chatwootUser("Outsider", account: nil)
            let none = try await client.execute(
                uri: path + "/assignments", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"assignee_id": \#(outsider.id)}"#))
            #expect(String(buffer: none.body) == "null")
        }
    }

    @Test(
        "The filter payload narrows the caller's conversations in SQL (AND before OR); bad attributes, operators and query operators are Chatwoot's 422"
    )
    func filter() async throws {
        try await ConversationWorld().run { client, seed in
            let support = try await seed.inbox("Support")
            let sales = try await seed.inbox("Sales")
            let contact = try await seed.contact("Ann")
            let open = try await client.conversation(
                inbox: support, contact: contact, extra: #", "additional_attributes": {"browser_language": "de"}"#)
            let pending = try await client.conversation(inbox: support, contact: contact, extra: #", "status": "pending""#)
            let labelled = try await client.conversation(inbox: sales, contact: contact, extra: #", "assignee_id": 1"#)
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(labelled)/labels", json: #"{"labels": ["vip"]}"#)

            func ids(_ payload: String) async throws -> [Int] {
                let response = try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/filter", json: #"{"payload": \#(payload)}"#)
                #expect(response.status == .ok, "\(payload)")
                return (((response.object["data"] as? [String: Any])?["payload"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }.sorted()
            }
            #expect(
                try await ids(#"[{"attribute_key": "status", "filter_operator": "equal_to", "values": ["pending"], "query_operator": null}]"#) == [
                    pending
                ])
            #expect(
                try await ids(
                    #"[{"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": ["\#(support)"], "query_operator": "AND"}, {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "OR"}, {"attribute_key": "labels", "filter_operator": "equal_to", "values": ["vip"], "query_operator": null}]"#
                ) == [open, labelled].sorted())
            #expect(try await ids(#"[{"attribute_key": "browser_language", "filter_operator": "equal_to", "values": ["de"]}]"#) == [open])
            #expect(try await ids(#"[{"attribute_key": "assignee_id", "filter_operator": "is_present", "values": []}]"#) == [labelled])
            for payload in [
                #"[{"attribute_key": "colour", "filter_operator": "equal_to", "values": ["red"]}]"#,
                #"[{"attribute_key": "status", "filter_operator": "contains", "values": ["open"]}]"#,
                #"[{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "XOR"}, {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}]"#,
            ] {
                let response = try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/filter", json: #"{"payload": \#(payload)}"#)
                #expect(response.status == .unprocessableContent, "\(payload)")
                #expect(response.object["error"] is String, "\(payload)")
            }
            #expect(try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/filter", json: #"{"payload": 3}"#).status == .badRequest)
        }
    }

    @Test("A snoozed conversation is reopened by the durable scheduler job when its time comes")
    func snoozeReopens() async throws {
        try await ConversationWorld().run { client, seed in
            let inbox = try await seed.inbox("Support")
            let contact = try await seed.contact("Ann")
            let id = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(id)"
            let until = Int(Date().timeIntervalSince1970) + 4  // far enough ahead that a loaded machine still sees it snoozed
            let snoozed = try await client.execute(
                uri: path + "/toggle_status", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"status": "snoozed", "snoozed_until": \#(until)}"#))
            #expect(snoozed.status == .ok)
            let shown = try await client.execute(uri: path, method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
            let body = try JSONSerialization.jsonObject(with: Data(buffer: shown.body)) as? [String: Any]
            #expect(body?["status"] as? String == "snoozed")
            #expect(body?["snoozed_until"] as? Int == until)
            var status = "snoozed"
            for _ in 0..<200 where status == "snoozed" {
                try await Task.sleep(for: .milliseconds(100))
                // Unchecked while snoozed: Chatwoot answers `snoozed`, a status outside the swagger's enum.
                let polled = try await client.execute(uri: path, method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
                status = (try? JSONSerialization.jsonObject(with: Data(buffer: polled.body)) as? [String: Any])?["status"] as? String ?? ""
            }
            #expect(try await client.chatwoot(.get, path).status == .ok)
            #expect(status == "open")
            // A later snooze replaced by a resolve never reopens it.
            try await client.execute(
                uri: path + "/toggle_status", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"status": "snoozed", "snoozed_until": \#(until + 1)}"#))
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "resolved"}"#)
            try await Task.sleep(for: .milliseconds(2500))
            #expect(try await client.chatwoot(.get, path).object["status"] as? String == "resolved")
            // An incoming message reopens a resolved conversation.
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "Hello again", "message_type": "incoming"}"#)
            #expect(try await client.chatwoot(.get, path).object["status"] as? String == "open")
        }
    }
}

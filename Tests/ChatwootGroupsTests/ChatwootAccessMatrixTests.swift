import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

/// Issue 12's access matrix: every one of the 141 operations (the seed coverage test's list) called by the callers
/// Chatwoot tells apart, on real objects made once in account 1 and in another account. Account operations: no token,
/// a wrong token and an agent bot's token (401; a bot connected to another inbox too, on the six bot operations), an
/// administrator of another account (401, nothing of account 1 in the body), account 1's administrator on account 2's
/// objects by path or body (404), an agent of account 1 who is a member of no inbox (401 on administrator-only and
/// inbox-bound operations, answered otherwise with nothing of those inboxes). Platform operations: no token, a user's
/// or a bot's token (401), users and bots the platform app did not create (401 `Non permissible resource`). Client API
/// and survey: unknown identifiers, another account's contact, another contact's conversation (404). Nothing is 5xx.
@Suite("Chatwoot access matrix")
struct ChatwootAccessMatrixTests {
    /// Operations only administrators may call (Chatwoot's policies: `AccountPolicy#update`, `UserPolicy`,
    /// `AgentBotPolicy` writes, audit logs, `AutomationRulePolicy`, `ContactPolicy#destroy`, `InboxPolicy` writes and
    /// `InboxMembersController`, `HookPolicy`, `PortalPolicy`, `CategoryPolicy` without portal members, `ReportPolicy`,
    /// `TeamPolicy` writes, `TeamMemberPolicy` writes, `WebhookPolicy`); an agent gets 401 `You are not authorized to do this
    /// action`. Keys are ``ChatwootSeedCoverageTests/normalised(_:)`` operations.
    static let administratorOnly: Set<String> = [
        "PATCH /api/v1/accounts/{account_id}",
        "POST /api/v1/accounts/{account_id}/agents", "PATCH /api/v1/accounts/{account_id}/agents/{id}",
        "DELETE /api/v1/accounts/{account_id}/agents/{id}",
        "POST /api/v1/accounts/{account_id}/agent_bots", "PATCH /api/v1/accounts/{account_id}/agent_bots/{id}",
        "DELETE /api/v1/accounts/{account_id}/agent_bots/{id}",
        "GET /api/v1/accounts/{account_id}/audit_logs",
        "GET /api/v1/accounts/{account_id}/automation_rules", "POST /api/v1/accounts/{account_id}/automation_rules",
        "GET /api/v1/accounts/{account_id}/automation_rules/{id}", "PATCH /api/v1/accounts/{account_id}/automation_rules/{id}",
        "DELETE /api/v1/accounts/{account_id}/automation_rules/{id}",
        "DELETE /api/v1/accounts/{account_id}/contacts/{id}",
        "POST /api/v1/accounts/{account_id}/inbox_members", "PATCH /api/v1/accounts/{account_id}/inbox_members",
        "DELETE /api/v1/accounts/{account_id}/inbox_members",
        "POST /api/v1/accounts/{account_id}/inboxes", "PATCH /api/v1/accounts/{account_id}/inboxes/{id}",
        "POST /api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot",
        "POST /api/v1/accounts/{account_id}/integrations/hooks", "PATCH /api/v1/accounts/{account_id}/integrations/hooks/{hook_id}",
        "DELETE /api/v1/accounts/{account_id}/integrations/hooks/{hook_id}",
        "POST /api/v1/accounts/{account_id}/portals", "PATCH /api/v1/accounts/{account_id}/portals/{id}",
        "POST /api/v1/accounts/{account_id}/portals/{id}/categories",
        "GET /api/v1/accounts/{account_id}/reporting_events",
        "GET /api/v1/accounts/{account_id}/conversations/{conversation_id}/reporting_events",
        "POST /api/v1/accounts/{account_id}/teams", "PATCH /api/v1/accounts/{account_id}/teams/{team_id}",
        "DELETE /api/v1/accounts/{account_id}/teams/{team_id}",
        "POST /api/v1/accounts/{account_id}/teams/{team_id}/team_members",
        "PATCH /api/v1/accounts/{account_id}/teams/{team_id}/team_members",
        "DELETE /api/v1/accounts/{account_id}/teams/{team_id}/team_members",
        "GET /api/v1/accounts/{account_id}/webhooks", "POST /api/v1/accounts/{account_id}/webhooks",
        "PATCH /api/v1/accounts/{account_id}/webhooks/{webhook_id}", "DELETE /api/v1/accounts/{account_id}/webhooks/{webhook_id}",
        "GET /api/v2/accounts/{account_id}/reports", "GET /api/v2/accounts/{account_id}/reports/conversations",
        "GET /api/v2/accounts/{account_id}/reports/first_response_time_distribution",
        "GET /api/v2/accounts/{account_id}/reports/inbox_label_matrix",
        "GET /api/v2/accounts/{account_id}/reports/outgoing_messages_count", "GET /api/v2/accounts/{account_id}/reports/summary",
        "GET /api/v2/accounts/{account_id}/summary_reports/agent", "GET /api/v2/accounts/{account_id}/summary_reports/channel",
        "GET /api/v2/accounts/{account_id}/summary_reports/inbox", "GET /api/v2/accounts/{account_id}/summary_reports/team",
    ]

    /// Operations on an inbox or on a conversation in one (Chatwoot's `InboxPolicy#show?`, `ConversationPolicy`,
    /// `ContactInboxesController`): an agent who is a member of none of the account's inboxes gets a 401.
    static func inboxBound(_ operation: String) -> Bool {
        let path = operation.split(separator: " ", maxSplits: 1)[1]
        return path.contains("/conversations/{conversation_id}") || path.hasSuffix("/inboxes/{id}") || path.hasSuffix("/inboxes/{id}/agent_bot")
            || path.hasSuffix("/inbox_members/{inbox_id}") || path.hasSuffix("/contact_inboxes")
            || operation == "POST /api/v1/accounts/{account_id}/conversations"
    }

    /// The six operations the swagger opens to agent bots (`agentBotApiKey`).
    static let botOperations: Set<String> = [
        "POST /api/v1/accounts/{account_id}/conversations", "PATCH /api/v1/accounts/{account_id}/conversations/{conversation_id}",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_priority",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status",
    ]

    /// Operations without object ids in their path whose bodies name objects (inbox, contacts).
    static let crossedBodies: Set<String> = [
        "POST /api/v1/accounts/{account_id}/inbox_members", "PATCH /api/v1/accounts/{account_id}/inbox_members",
        "DELETE /api/v1/accounts/{account_id}/inbox_members", "POST /api/v1/accounts/{account_id}/conversations",
        "POST /api/v1/accounts/{account_id}/actions/contact_merge",
    ]

    /// The objects of one account the paths name: by placeholder, `{id}` by the segment before it.
    struct Objects {
        var account: Int
        var ids: [String: String] = [:]
        var marker: String

        /// The path with its placeholders filled; nil when one names nothing made here.
        func fill(_ path: String) -> String? {
            var segments: [String] = []
            var previous = ""
            for segment in path.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
                if segment.hasPrefix("{"), segment.hasSuffix("}") {
                    let name = String(segment.dropFirst().dropLast())
                    let value: String? =
                        switch name {
                        case "account_id": String(self.account)
                        case "id" where previous == "accounts" && path.hasPrefix("/api/v1/accounts/{id}"): String(self.account)
                        case "id": self.ids[previous]
                        default: self.ids[name]
                        }
                    guard let value else { return nil }
                    segments.append(value)
                } else {
                    segments.append(segment)
                }
                previous = segment
            }
            let filled = segments.joined(separator: "/")
            // Search needs its `q` (a 422 without it).
            return filled.hasSuffix("/contacts/search") ? filled + "?q=matrix" : filled
        }
    }

    /// A minimal valid body for each write (by normalised operation), written with the account's objects.
    static func body(_ operation: String, _ objects: Objects, agent: Int, spare: Int) -> String? {
        let ids = objects.ids
        let suffix = operation.replacingOccurrences(of: "/api/v1/accounts/{account_id}", with: "")
        let rule =
            #"{"name": "Matrix rule", "description": "d", "event_name": "conversation_created", "conditions": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": null}], "actions": [{"action_name": "add_label", "action_params": ["vip"]}]}"#
        let bodies: [String: String] = [
            "PATCH": #"{"name": "Matrix account"}"#,
            "POST /actions/contact_merge": #"{"base_contact_id": \#(ids["contacts"] ?? "0"), "mergee_contact_id": \#(spare)}"#,
            "POST /agent_bots": #"{"name": "Matrix bot"}"#,
            "PATCH /agent_bots/{id}": #"{"name": "Matrix bot"}"#,
            "POST /agents": #"{"name": "Matrix New", "email": "matrix.new@example.com", "role": "agent"}"#,
            "PATCH /agents/{id}": #"{"role": "agent"}"#,
            "POST /automation_rules": rule,
            "PATCH /automation_rules/{id}": #"{"name": "Matrix rule"}"#,
            "POST /canned_responses": #"{"short_code": "matrix", "content": "Matrix"}"#,
            "PATCH /canned_responses/{id}": #"{"content": "Matrix"}"#,
            "POST /contacts": #"{"name": "Matrix contact"}"#,
            "POST /contacts/filter":
                #"{"payload": [{"attribute_key": "name", "filter_operator": "contains", "values": ["matrix"], "query_operator": null}]}"#,
            "PUT /contacts/{id}": #"{"name": "Matrix contact"}"#,
            "POST /contacts/{id}/contact_inboxes": #"{"inbox_id": \#(ids["inboxes"] ?? "0"), "source_id": "matrix-source"}"#,
            "POST /contacts/{id}/labels": #"{"labels": ["matrix"]}"#,
            "POST /conversations": #"{"inbox_id": \#(ids["inboxes"] ?? "0"), "contact_id": \#(ids["contacts"] ?? "0")}"#,
            "POST /conversations/filter":
                #"{"payload": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": null}]}"#,
            "PATCH /conversations/{conversation_id}": #"{"priority": "high"}"#,
            "POST /conversations/{conversation_id}/assignments": #"{"assignee_id": 1}"#,
            "POST /conversations/{conversation_id}/custom_attributes": #"{"custom_attributes": {"matrix": "x"}}"#,
            "POST /conversations/{conversation_id}/labels": #"{"labels": ["matrix"]}"#,
            "POST /conversations/{conversation_id}/messages": #"{"content": "Matrix"}"#,
            "POST /conversations/{conversation_id}/scheduled_messages": #"{"content": "Matrix later"}"#,
            "PATCH /conversations/{conversation_id}/scheduled_messages/{scheduled_message_id}": #"{"content": "Matrix later"}"#,
            "POST /conversations/{conversation_id}/toggle_priority": #"{"priority": "low"}"#,
            "POST /conversations/{conversation_id}/toggle_status": #"{"status": "open"}"#,
            "POST /custom_attribute_definitions":
                #"{"attribute_display_name": "Matrix", "attribute_display_type": 0, "attribute_key": "matrix_attribute", "attribute_model": 0}"#,
            "PATCH /custom_attribute_definitions/{id}": #"{"attribute_display_name": "Matrix"}"#,
            "POST /custom_filters": #"{"name": "Matrix", "type": "conversation", "query": {"payload": []}}"#,
            "PATCH /custom_filters/{custom_filter_id}": #"{"name": "Matrix"}"#,
            "POST /inbox_members": #"{"inbox_id": \#(ids["inboxes"] ?? "0"), "user_ids": [\#(agent)]}"#,
            "PATCH /inbox_members": #"{"inbox_id": \#(ids["inboxes"] ?? "0"), "user_ids": [\#(agent)]}"#,
            "DELETE /inbox_members": #"{"inbox_id": \#(ids["inboxes"] ?? "0"), "user_ids": [\#(agent)]}"#,
            "POST /inboxes": #"{"name": "Matrix", "channel": {"type": "api"}}"#,
            "PATCH /inboxes/{id}": #"{"name": "Matrix"}"#,
            "POST /inboxes/{id}/set_agent_bot": #"{"agent_bot": \#(ids["agent_bots"] ?? "0")}"#,
            "POST /integrations/hooks": #"{"app_id": "openai", "settings": {"api_key": "sk-matrix"}}"#,
            "PATCH /integrations/hooks/{hook_id}": #"{"settings": {"api_key": "sk-matrix"}}"#,
            "POST /portals": #"{"name": "Matrix", "slug": "matrix-portal"}"#,
            "PATCH /portals/{id}": #"{"name": "Matrix"}"#,
            "POST /portals/{id}/articles": #"{"title": "Matrix", "author_id": 1}"#,
            "POST /portals/{id}/categories": #"{"name": "Matrix", "slug": "matrix", "locale": "en"}"#,
            "POST /teams": #"{"name": "matrix"}"#,
            "PATCH /teams/{team_id}": #"{"description": "Matrix"}"#,
            "POST /teams/{team_id}/team_members": #"{"user_ids": [\#(agent)]}"#,
            "PATCH /teams/{team_id}/team_members": #"{"user_ids": [\#(agent)]}"#,
            "DELETE /teams/{team_id}/team_members": #"{"user_ids": [\#(agent)]}"#,
            "POST /webhooks": #"{"url": "https://example.com/matrix", "subscriptions": ["message_created"]}"#,
            "PATCH /webhooks/{webhook_id}": #"{"subscriptions": ["conversation_created"]}"#,
        ]
        let parts = suffix.split(separator: " ", maxSplits: 1).map(String.init)
        let key = parts.count == 2 && !parts[1].isEmpty ? suffix : parts[0]
        return bodies[key]
    }

    /// One call without the swagger check (refusals are what is tested here; the operations' own suites check answers).
    static func call(
        _ client: some TestClientProtocol, _ method: String, _ uri: String, token: String?, json: String?
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.apiAccessToken] = token }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: HTTPRequest.Method(method) ?? .get, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// The id a create answered: top level, in `payload`, or in `payload.contact` / `payload.webhook`.
    static func createdID(_ response: TestResponse, key: String = "id") -> String? {
        let object = response.object
        let payload = object["payload"] as? [String: Any]
        let candidates: [Any?] = [
            object[key], payload?[key], (payload?["contact"] as? [String: Any])?[key], (payload?["webhook"] as? [String: Any])?[key],
        ]
        for candidate in candidates {
            if let number = candidate as? Int { return String(number) }
            if let text = candidate as? String { return text }
        }
        return nil
    }

    /// Makes, through the API with the account's administrator `token`, one object of each kind the paths name.
    static func seed(
        _ client: some TestClientProtocol, account: Int, token: String, marker: String, agent: Int, conversations: Int
    ) async throws -> Objects {
        var objects = Objects(account: account, marker: marker)
        let base = "/api/v1/accounts/\(account)"
        @discardableResult func make(_ key: String, _ path: String, _ json: String, idKey: String = "id") async throws -> TestResponse {
            let response = try await Self.call(client, "POST", base + path, token: token, json: json)
            #expect(response.status == .ok, "seed \(path): \(response.status) \(String(buffer: response.body))")
            objects.ids[key] = try #require(Self.createdID(response, key: idKey), "seed \(path): \(String(buffer: response.body))")
            return response
        }
        let lower = marker.lowercased()
        objects.ids["agents"] = String(agent)
        let created = try await make("inboxes", "/inboxes", #"{"name": "\#(marker) inbox", "channel": {"type": "api"}}"#)
        objects.ids["inbox_identifier"] = try #require(created.object["inbox_identifier"] as? String)
        objects.ids["inbox_id"] = objects.ids["inboxes"]
        let inbox = objects.ids["inboxes"]!
        let contactInbox = try await make(
            "contacts", "/contacts", #"{"name": "\#(marker) contact", "email": "\#(lower)@example.com", "inbox_id": \#(inbox)}"#)
        objects.ids["contact_identifier"] = try #require(
            ((contactInbox.object["payload"] as? [String: Any])?["contact_inbox"] as? [String: Any])?["source_id"] as? String)
        let contact = objects.ids["contacts"]!
        for _ in 0..<conversations {
            try await make("conversation_id", "/conversations", #"{"inbox_id": \#(inbox), "contact_id": \#(contact)}"#)
        }
        let conversation = objects.ids["conversation_id"]!
        try await make("message_id", "/conversations/\(conversation)/messages", #"{"content": "\#(marker) message"}"#)
        try await make(
            "scheduled_message_id", "/conversations/\(conversation)/scheduled_messages", #"{"content": "\#(marker) scheduled"}"#)
        try await make("team_id", "/teams", #"{"name": "\#(lower) team"}"#)
        try await make("agent_bots", "/agent_bots", #"{"name": "\#(marker) bot"}"#)
        objects.ids["bot_token"] = try #require(
            Self.createdID(
                try await Self.call(client, "GET", base + "/agent_bots/\(objects.ids["agent_bots"]!)", token: token, json: nil), key: "access_token"))
        try await make("webhook_id", "/webhooks", #"{"url": "https://example.com/\#(lower)", "subscriptions": ["message_created"]}"#)
        try await make("canned_responses", "/canned_responses", #"{"short_code": "\#(lower)", "content": "\#(marker) canned"}"#)
        try await make(
            "custom_attribute_definitions", "/custom_attribute_definitions",
            #"{"attribute_display_name": "\#(marker) attribute", "attribute_display_type": 0, "attribute_key": "\#(lower)_attribute", "attribute_model": 0}"#
        )
        try await make("custom_filter_id", "/custom_filters", #"{"name": "\#(marker) filter", "type": "conversation", "query": {"payload": []}}"#)
        try await make("portals", "/portals", #"{"name": "\#(marker) portal", "slug": "\#(lower)-portal"}"#, idKey: "slug")
        try await make("hook_id", "/integrations/hooks", #"{"app_id": "openai", "settings": {"api_key": "sk-\#(lower)"}}"#)
        try await make(
            "automation_rules", "/automation_rules",
            #"{"name": "\#(marker) rule", "description": "d", "event_name": "message_created", "active": false, "conditions": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": null}], "actions": [{"action_name": "add_label", "action_params": ["vip"]}]}"#
        )
        return objects
    }

    @Test(
        "Every route refuses another account's administrator, another account's objects, an agent where Chatwoot does, and no token; nothing answers 5xx"
    )
    func matrix() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            // Account 1 (the bootstrap administrator) with an agent of no inbox; account 2 with its own administrator.
            let agent = try await client.chatwootUser("Matrix Agent")
            let other = try await client.chatwootAccount("Bravo2 account")
            let outsider = try await client.chatwootUser("Bravo2 Admin", account: other, role: "administrator")
            var ours = try await Self.seed(
                client, account: 1, token: TestConfiguration.bootstrapKey, marker: "Acme1", agent: agent.id, conversations: 1)
            // Conversations are found by display id per account: account 2's third is no conversation of account 1.
            let theirs = try await Self.seed(client, account: other, token: outsider.token, marker: "Bravo2", agent: outsider.id, conversations: 3)
            #expect(ours.ids["conversation_id"] != theirs.ids["conversation_id"])
            let spare = try await client.contact(#"{"name": "Acme1 spare"}"#)

            let operations = ChatwootSeedCoverageTests.operations
            let account = operations.filter { $0.contains(" /api/v1/accounts/") || $0.contains(" /api/v2/accounts/") || $0.contains(" /accounts/") }
            #expect(account.count == 109)
            #expect(Self.administratorOnly.subtracting(account.map(ChatwootSeedCoverageTests.normalised)).isEmpty)

            var crossedCount = 0
            for operation in account {
                let key = ChatwootSeedCoverageTests.normalised(operation)
                let method = String(operation.split(separator: " ")[0])
                let template = String(operation.split(separator: " ", maxSplits: 1)[1])
                let path = try #require(ours.fill(template), "\(operation): no object for a placeholder")
                let body = Self.body(key, ours, agent: agent.id, spare: spare)
                if method != "GET" && method != "DELETE" || key.hasSuffix("_members") && method == "DELETE" {
                    #expect(body != nil, "\(operation): no body in the table")
                }

                // (d) No token, a wrong token.
                for token in [nil, "not-a-token-at-all-00000"] as [String?] {
                    let refused = try await Self.call(client, method, path, token: token, json: body)
                    #expect(refused.status == .unauthorized, "\(operation) token \(token ?? "none"): \(refused.status)")
                }
                // An agent bot's token: refused on routes without `agentBotApiKey`, and on the six with it while the bot is
                // connected to no inbox of the account.
                let bot = try await Self.call(client, method, path, token: ours.ids["bot_token"], json: body)
                #expect(bot.status == .unauthorized, "\(operation) with an unconnected agent bot's token: \(bot.status)")

                // (a) Another account's administrator on account 1's path: Chatwoot's 401, nothing of account 1.
                let outside = try await Self.call(client, method, path, token: outsider.token, json: body)
                #expect(outside.status == .unauthorized, "\(operation) as another account's administrator: \(outside.status)")
                #expect(
                    outside.object["error"] as? String == "You are not authorized to access this account",
                    "\(operation) as another account's administrator: \(String(buffer: outside.body))")
                #expect(!String(buffer: outside.body).contains(ours.marker), "\(operation) leaks account 1: \(String(buffer: outside.body))")

                // (b) Account 1's administrator on account 2's objects (paths naming one): 404.
                if template.replacingOccurrences(of: "{account_id}", with: "").contains("{"), !template.hasPrefix("/api/v1/accounts/{id}") {
                    var crossed = theirs
                    crossed.account = 1
                    let foreign = try #require(crossed.fill(template))
                    crossedCount += 1
                    let missing = try await Self.call(client, method, foreign, token: TestConfiguration.bootstrapKey, json: body)
                    #expect(missing.status == .notFound, "\(operation) on account 2's objects: \(missing.status) \(String(buffer: missing.body))")
                    #expect(!String(buffer: missing.body).contains(theirs.marker), "\(operation) leaks account 2")
                } else if Self.crossedBodies.contains(key) {
                    // Writes naming account 2's objects in their body (inbox, contact): 404 as well.
                    let crossed = Self.body(key, theirs, agent: agent.id, spare: spare)
                    crossedCount += 1
                    let missing = try await Self.call(client, method, path, token: TestConfiguration.bootstrapKey, json: crossed)
                    #expect(missing.status == .notFound, "\(operation) with account 2's objects: \(missing.status) \(String(buffer: missing.body))")
                }
            }

            // 60 paths with object ids, 5 bodies with them.
            #expect(crossedCount == 65)

            // (c) An agent of account 1 in no inbox; deletes last, so the objects stay for the other calls.
            let byDeletesLast = account.sorted { ($0.hasPrefix("DELETE") ? 1 : 0) < ($1.hasPrefix("DELETE") ? 1 : 0) }
            for operation in byDeletesLast {
                let key = ChatwootSeedCoverageTests.normalised(operation)
                let method = String(operation.split(separator: " ")[0])
                let template = String(operation.split(separator: " ", maxSplits: 1)[1])
                let path = try #require(ours.fill(template))
                let response = try await Self.call(
                    client, method, path, token: agent.token, json: Self.body(key, ours, agent: agent.id, spare: spare))
                let text = String(buffer: response.body)
                #expect(response.status.code < 500, "\(operation) as an agent: \(response.status) \(text)")
                // Nothing of a conversation in an inbox the agent is not in, nor that inbox in the inbox list.
                #expect(!text.contains("\(ours.marker) message") && !text.contains("\(ours.marker) scheduled"), "\(operation) as an agent: \(text)")
                if key == "GET /api/v1/accounts/{account_id}/inboxes" {
                    #expect(!text.contains("\(ours.marker) inbox"), "inboxes as an agent: \(text)")
                }
                if Self.administratorOnly.contains(key) {
                    #expect(response.status == .unauthorized, "\(operation) as an agent: \(response.status) \(text)")
                    #expect(response.object["error"] as? String == ChatwootAccess.notAuthorized, "\(operation) as an agent: \(text)")
                } else if Self.inboxBound(key) {
                    #expect(response.status == .unauthorized, "\(operation) as an agent of no inbox: \(response.status) \(text)")
                } else {
                    #expect(response.status != .unauthorized && response.status != .forbidden, "\(operation) as an agent: \(response.status) \(text)")
                    if method == "GET",
                        !template.replacingOccurrences(of: "{account_id}", with: "").replacingOccurrences(of: "{id}", with: "").contains("{")
                    {
                        #expect(response.status == .ok, "\(operation) as an agent: \(response.status) \(text)")
                    }
                }
            }

            // The same bot once connected to another inbox of account 1: the six operations open to bots refuse the
            // conversation of an inbox it is not connected to, every other route refuses bots.
            let botInbox = try #require(
                Self.createdID(
                    try await Self.call(
                        client, "POST", "/api/v1/accounts/1/inboxes", token: TestConfiguration.bootstrapKey,
                        json: #"{"name": "Matrix bot inbox", "channel": {"type": "api"}}"#)))
            let connected = try await Self.call(
                client, "POST", "/api/v1/accounts/1/inboxes/\(botInbox)/set_agent_bot", token: TestConfiguration.bootstrapKey,
                json: #"{"agent_bot": \#(ours.ids["agent_bots"]!)}"#)
            #expect(connected.status.code / 100 == 2)
            for operation in account {
                let key = ChatwootSeedCoverageTests.normalised(operation)
                let method = String(operation.split(separator: " ")[0])
                let path = try #require(ours.fill(String(operation.split(separator: " ", maxSplits: 1)[1])))
                let response = try await Self.call(
                    client, method, path, token: ours.ids["bot_token"], json: Self.body(key, ours, agent: agent.id, spare: spare))
                #expect(
                    response.status == .unauthorized, "\(operation) with a bot of another inbox: \(response.status) \(String(buffer: response.body))")
                if !Self.botOperations.contains(key) {
                    #expect(response.object["error"] as? String == "Access to this endpoint is not authorized for bots", "\(operation)")
                }
            }

            // The profile: a user token only.
            for token in [nil, "not-a-token-at-all-00000", ours.ids["bot_token"]] as [String?] {
                #expect(try await Self.call(client, "GET", "/api/v1/profile", token: token, json: nil).status == .unauthorized)
            }

            // Another contact's conversation in the same inbox, for the Client API.
            let second = try await client.contact(#"{"name": "Acme1 second", "inbox_id": \#(ours.ids["inboxes"]!)}"#)
            ours.ids["other_conversation"] = String(try await client.conversation(inbox: Int(ours.ids["inboxes"]!)!, contact: second))
            try await Self.platform(client, operations: operations, agent: agent, botToken: ours.ids["bot_token"])
            try await Self.clientAPI(client, operations: operations, ours: ours, theirs: theirs)
        }
    }

    /// Platform operations: no token, a user's and an agent bot's are 401; users and agent bots the platform app did not create
    /// (made through the account API) are Chatwoot's 401 `Non permissible resource`.
    static func platform(_ client: some TestClientProtocol, operations: [String], agent: ChatwootTestUser, botToken: String?) async throws {
        // Objects of account 1 that no platform app created.
        let made = try await Self.call(
            client, "POST", "/api/v1/accounts/1/agents", token: TestConfiguration.bootstrapKey,
            json: #"{"name": "Unpermitted", "email": "unpermitted@example.com", "role": "agent"}"#)
        let user = try #require(Self.createdID(made), "\(String(buffer: made.body))")
        let bot = try #require(
            Self.createdID(
                try await Self.call(
                    client, "POST", "/api/v1/accounts/1/agent_bots", token: TestConfiguration.bootstrapKey, json: #"{"name": "Unpermitted bot"}"#)))
        let bodies: [String: String] = [
            "POST /platform/api/v1/accounts": #"{"name": "Matrix"}"#, "PATCH /platform/api/v1/accounts/{account_id}": #"{"name": "Matrix"}"#,
            "POST /platform/api/v1/accounts/{account_id}/account_users": #"{"user_id": \#(agent.id), "role": "agent"}"#,
            "DELETE /platform/api/v1/accounts/{account_id}/account_users": #"{"user_id": \#(agent.id)}"#,
            "POST /platform/api/v1/agent_bots": #"{"name": "Matrix"}"#, "PATCH /platform/api/v1/agent_bots/{id}": #"{"name": "Matrix"}"#,
            "POST /platform/api/v1/users": #"{"name": "Matrix", "email": "matrix.platform@example.com", "password": "Password1!"}"#,
            "PATCH /platform/api/v1/users/{id}": #"{"name": "Matrix"}"#,
        ]
        let platform = operations.filter { $0.contains(" /platform/") }
        #expect(platform.count == 17)
        for operation in platform {
            let method = String(operation.split(separator: " ")[0])
            let template = String(operation.split(separator: " ", maxSplits: 1)[1])
            let body = bodies[operation]
            let ours = template.replacingOccurrences(of: "{account_id}", with: "1")
                .replacingOccurrences(of: "{id}", with: template.contains("/users/") ? String(agent.id) : bot)
            for token in [nil, agent.token, botToken] as [String?] {
                let refused = try await Self.call(client, method, ours, token: token, json: body)
                #expect(refused.status == .unauthorized, "\(operation) with \(token ?? "no token"): \(refused.status)")
            }
            // Every account was created by the bootstrap app (or is its account 1): only users and bots can be another's.
            guard template.contains("{id}") else { continue }
            let foreign = template.replacingOccurrences(of: "{id}", with: template.contains("/users/") ? user : bot)
            let refused = try await Self.call(client, method, foreign, token: TestConfiguration.bootstrapKey, json: body)
            #expect(refused.status == .unauthorized, "\(operation) on an object the app did not create: \(refused.status)")
            #expect(refused.object["error"] as? String == "Non permissible resource", "\(operation): \(String(buffer: refused.body))")
        }
    }

    /// Client API and survey: an unknown inbox identifier, contact identifier or survey uuid is a 404.
    static func clientAPI(_ client: some TestClientProtocol, operations: [String], ours: Objects, theirs: Objects) async throws {
        let bodies: [String: String] = [
            "POST": #"{"name": "Matrix"}"#, "PATCH": #"{"name": "Matrix", "submitted_values": {}}"#,
        ]
        let open = operations.filter { $0.contains(" /public/") || $0.contains(" /survey/") }
        #expect(open.count == 14)
        for operation in open {
            let method = String(operation.split(separator: " ")[0])
            let template = String(operation.split(separator: " ", maxSplits: 1)[1])
            let path = template.replacingOccurrences(of: "{inbox_identifier}", with: "unknown-inbox")
                .replacingOccurrences(of: "{contact_identifier}", with: "unknown-contact").replacingOccurrences(of: "{conversation_id}", with: "1")
                .replacingOccurrences(of: "{message_id}", with: "1").replacingOccurrences(of: "{conversation_uuid}", with: "unknown-uuid")
            let json = template.hasSuffix("toggle_typing") ? #"{"typing_status": "on"}"# : bodies[method]
            let response = try await Self.call(client, method, path, token: nil, json: json)
            #expect(response.status == .notFound, "\(operation) unknown identifier: \(response.status) \(String(buffer: response.body))")
            // Account 1's inbox with account 2's contact; account 1's contact with a conversation not its own.
            guard template.contains("{contact_identifier}") else { continue }
            let crossed = template.replacingOccurrences(of: "{inbox_identifier}", with: ours.ids["inbox_identifier"]!)
                .replacingOccurrences(of: "{contact_identifier}", with: theirs.ids["contact_identifier"]!)
                .replacingOccurrences(of: "{conversation_id}", with: ours.ids["conversation_id"]!).replacingOccurrences(
                    of: "{message_id}", with: ours.ids["message_id"]!)
            let foreign = try await Self.call(client, method, crossed, token: nil, json: json)
            #expect(foreign.status == .notFound, "\(operation) with another account's contact: \(foreign.status) \(String(buffer: foreign.body))")
            guard template.contains("{conversation_id}") else { continue }
            let notTheirs = template.replacingOccurrences(of: "{inbox_identifier}", with: ours.ids["inbox_identifier"]!)
                .replacingOccurrences(of: "{contact_identifier}", with: ours.ids["contact_identifier"]!)
                .replacingOccurrences(of: "{conversation_id}", with: ours.ids["other_conversation"]!)
                .replacingOccurrences(of: "{message_id}", with: ours.ids["message_id"]!)
            let other = try await Self.call(client, method, notTheirs, token: nil, json: json)
            #expect(other.status == .notFound, "\(operation) on another contact's conversation: \(other.status) \(String(buffer: other.body))")
        }
    }
}

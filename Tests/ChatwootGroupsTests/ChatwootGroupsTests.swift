import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import ChatwootGroups

@Suite("chatwoot-groups foundation")
struct ChatwootGroupsTests {
    /// The Chatwoot operations served so far, by tag group (each helper adds its own).
    static let served: Set<String> = [
        "GET /api/v1/profile",
        // Platform: Accounts, Account Users, AgentBots, Users
        "POST /platform/api/v1/accounts", "GET /platform/api/v1/accounts/{account_id}", "PATCH /platform/api/v1/accounts/{account_id}",
        "DELETE /platform/api/v1/accounts/{account_id}", "GET /platform/api/v1/accounts/{account_id}/account_users",
        "POST /platform/api/v1/accounts/{account_id}/account_users", "DELETE /platform/api/v1/accounts/{account_id}/account_users",
        "GET /platform/api/v1/agent_bots", "POST /platform/api/v1/agent_bots", "GET /platform/api/v1/agent_bots/{id}",
        "PATCH /platform/api/v1/agent_bots/{id}", "DELETE /platform/api/v1/agent_bots/{id}", "POST /platform/api/v1/users",
        "GET /platform/api/v1/users/{id}", "PATCH /platform/api/v1/users/{id}", "DELETE /platform/api/v1/users/{id}",
        "GET /platform/api/v1/users/{id}/login",
        // Contacts (without the group operations) and Contact Labels
        "GET /api/v1/accounts/{account_id}/contacts", "POST /api/v1/accounts/{account_id}/contacts",
        "GET /api/v1/accounts/{account_id}/contacts/{id}", "PUT /api/v1/accounts/{account_id}/contacts/{id}",
        "DELETE /api/v1/accounts/{account_id}/contacts/{id}", "GET /api/v1/accounts/{account_id}/contacts/search",
        "POST /api/v1/accounts/{account_id}/contacts/filter", "POST /api/v1/accounts/{account_id}/contacts/{id}/contact_inboxes",
        "GET /api/v1/accounts/{account_id}/contacts/{id}/contactable_inboxes", "POST /api/v1/accounts/{account_id}/actions/contact_merge",
        "GET /api/v1/accounts/{account_id}/contacts/{id}/labels", "POST /api/v1/accounts/{account_id}/contacts/{id}/labels",
        // Account, Agents, Account AgentBots
        "GET /api/v1/accounts/{account_id}", "PATCH /api/v1/accounts/{account_id}", "GET /api/v1/accounts/{account_id}/agents",
        "POST /api/v1/accounts/{account_id}/agents", "PATCH /api/v1/accounts/{account_id}/agents/{id}",
        "DELETE /api/v1/accounts/{account_id}/agents/{id}", "GET /api/v1/accounts/{account_id}/agent_bots",
        "POST /api/v1/accounts/{account_id}/agent_bots", "GET /api/v1/accounts/{account_id}/agent_bots/{id}",
        "PATCH /api/v1/accounts/{account_id}/agent_bots/{id}", "DELETE /api/v1/accounts/{account_id}/agent_bots/{id}",
        // Teams
        "GET /api/v1/accounts/{account_id}/teams", "POST /api/v1/accounts/{account_id}/teams", "GET /api/v1/accounts/{account_id}/teams/{team_id}",
        "PATCH /api/v1/accounts/{account_id}/teams/{team_id}", "DELETE /api/v1/accounts/{account_id}/teams/{team_id}",
        "GET /api/v1/accounts/{account_id}/teams/{team_id}/team_members", "POST /api/v1/accounts/{account_id}/teams/{team_id}/team_members",
        "PATCH /api/v1/accounts/{account_id}/teams/{team_id}/team_members", "DELETE /api/v1/accounts/{account_id}/teams/{team_id}/team_members",
        // Inboxes
        "GET /api/v1/accounts/{account_id}/inboxes", "GET /api/v1/accounts/{account_id}/inboxes/{id}", "POST /api/v1/accounts/{account_id}/inboxes",
        "PATCH /api/v1/accounts/{account_id}/inboxes/{id}", "GET /api/v1/accounts/{account_id}/inboxes/{id}/agent_bot",
        "POST /api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot", "GET /api/v1/accounts/{account_id}/inbox_members/{inbox_id}",
        "POST /api/v1/accounts/{account_id}/inbox_members", "PATCH /api/v1/accounts/{account_id}/inbox_members",
        "DELETE /api/v1/accounts/{account_id}/inbox_members",
        // Webhooks
        "GET /api/v1/accounts/{account_id}/webhooks", "POST /api/v1/accounts/{account_id}/webhooks",
        "PATCH /api/v1/accounts/{account_id}/webhooks/{webhook_id}", "DELETE /api/v1/accounts/{account_id}/webhooks/{webhook_id}",
        // Canned Responses, Custom Attributes, Custom Filters
        "GET /api/v1/accounts/{account_id}/canned_responses", "POST /api/v1/accounts/{account_id}/canned_responses",
        "PATCH /api/v1/accounts/{account_id}/canned_responses/{id}", "DELETE /api/v1/accounts/{account_id}/canned_responses/{id}",
        "GET /api/v1/accounts/{account_id}/custom_attribute_definitions", "POST /api/v1/accounts/{account_id}/custom_attribute_definitions",
        "GET /api/v1/accounts/{account_id}/custom_attribute_definitions/{id}",
        "PATCH /api/v1/accounts/{account_id}/custom_attribute_definitions/{id}",
        "DELETE /api/v1/accounts/{account_id}/custom_attribute_definitions/{id}", "GET /api/v1/accounts/{account_id}/custom_filters",
        "POST /api/v1/accounts/{account_id}/custom_filters", "GET /api/v1/accounts/{account_id}/custom_filters/{custom_filter_id}",
        "PATCH /api/v1/accounts/{account_id}/custom_filters/{custom_filter_id}",
        "DELETE /api/v1/accounts/{account_id}/custom_filters/{custom_filter_id}",
        // Audit Logs
        "GET /api/v1/accounts/{account_id}/audit_logs",
        // Conversations, Conversation Assignments, Messages
        "GET /api/v1/accounts/{account_id}/conversations/meta", "GET /api/v1/accounts/{account_id}/conversations",
        "POST /api/v1/accounts/{account_id}/conversations/filter",
        "POST /api/v1/accounts/{account_id}/conversations", "GET /api/v1/accounts/{account_id}/conversations/{conversation_id}",
        "PATCH /api/v1/accounts/{account_id}/conversations/{conversation_id}",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_priority",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/custom_attributes",
        "GET /api/v1/accounts/{account_id}/conversations/{conversation_id}/labels",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/labels",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments",
        "GET /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages",
        "DELETE /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}",
        // Help Center, Integrations, a contact's conversations and the swagger's `/accounts/...` messages path (lane M)
        "GET /api/v1/accounts/{account_id}/portals", "POST /api/v1/accounts/{account_id}/portals", "PATCH /api/v1/accounts/{account_id}/portals/{id}",
        "POST /api/v1/accounts/{account_id}/portals/{id}/categories", "POST /api/v1/accounts/{account_id}/portals/{id}/articles",
        "GET /api/v1/accounts/{account_id}/integrations/apps", "POST /api/v1/accounts/{account_id}/integrations/hooks",
        "PATCH /api/v1/accounts/{account_id}/integrations/hooks/{hook_id}", "DELETE /api/v1/accounts/{account_id}/integrations/hooks/{hook_id}",
        "GET /api/v1/accounts/{account_id}/contacts/{id}/conversations", "GET /accounts/{account_id}/conversations/{conversation_id}/messages",
        // Reports: reporting events and the v2 reports (lane R)
        "GET /api/v1/accounts/{account_id}/reporting_events", "GET /api/v1/accounts/{account_id}/conversations/{conversation_id}/reporting_events",
        "GET /api/v2/accounts/{account_id}/reports", "GET /api/v2/accounts/{account_id}/reports/summary",
        // `reports/conversations/` is the same route (one route serves a path and its trailing-slash twin).
        "GET /api/v2/accounts/{account_id}/reports/conversations",
        "GET /api/v2/accounts/{account_id}/summary_reports/channel", "GET /api/v2/accounts/{account_id}/summary_reports/inbox",
        "GET /api/v2/accounts/{account_id}/summary_reports/agent", "GET /api/v2/accounts/{account_id}/summary_reports/team",
        "GET /api/v2/accounts/{account_id}/reports/first_response_time_distribution", "GET /api/v2/accounts/{account_id}/reports/inbox_label_matrix",
        "GET /api/v2/accounts/{account_id}/reports/outgoing_messages_count",
        // Automation Rule, Scheduled Messages (lane A)
        "GET /api/v1/accounts/{account_id}/automation_rules", "POST /api/v1/accounts/{account_id}/automation_rules",
        "GET /api/v1/accounts/{account_id}/automation_rules/{id}", "PATCH /api/v1/accounts/{account_id}/automation_rules/{id}",
        "DELETE /api/v1/accounts/{account_id}/automation_rules/{id}",
        "GET /api/v1/accounts/{account_id}/conversations/{conversation_id}/scheduled_messages",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/scheduled_messages",
        "PATCH /api/v1/accounts/{account_id}/conversations/{conversation_id}/scheduled_messages/{scheduled_message_id}",
        "DELETE /api/v1/accounts/{account_id}/conversations/{conversation_id}/scheduled_messages/{scheduled_message_id}",
        // Client API (Inbox, Contacts, Conversations, Messages) and the CSAT survey page
        "GET /public/api/v1/inboxes/{inbox_identifier}", "POST /public/api/v1/inboxes/{inbox_identifier}/contacts",
        "GET /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}",
        "PATCH /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}",
        "GET /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations",
        "POST /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations",
        "GET /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}",
        "POST /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/toggle_status",
        "POST /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/toggle_typing",
        "POST /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/update_last_seen",
        "GET /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages",
        "POST /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages",
        "PATCH /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages/{message_id}",
        "GET /survey/responses/{conversation_uuid}",
    ]

    /// Routes Switchboard adds beside the swagger's (documented as extensions).
    static let extensions: Set<String> = [
        "GET /api/v1/accounts/{account_id}/attachments/{attachment_id}", "GET /public/api/v1/attachments/{attachment_id}",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/mute",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/unmute",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/update_last_seen",
        "POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_typing_status",
        // Chatwoot's survey page API, which the survey page answers through
        "GET /public/api/v1/csat_survey/{conversation_uuid}", "PUT /public/api/v1/csat_survey/{conversation_uuid}",
    ]

    @Test("/openapi.json lists every served operation, and every route it lists beside the kit's is one of the swagger's")
    func openAPI() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let document = try ServiceChecks.documentedRoutes(try await client.execute(uri: "/openapi.json", method: .get).body)
            let kit: Set<String> = ["GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json"]
            #expect(kit.isSubset(of: document))
            #expect(Self.served.subtracting(document).isEmpty, "not served: \(Self.served.subtracting(document).sorted())")
            #expect(Self.extensions.subtracting(document).isEmpty)
            for route in document.subtracting(kit).subtracting(Self.extensions) {
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                #expect(ChatwootSwagger.template(parts[0], parts[1]) != nil, "\(route) is not a swagger operation")
            }
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
    }

    @Test("The bootstrap token reads the administrator's profile; a wrong token is a 401 in Chatwoot's shape")
    func profile() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/profile", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
            #expect(response.status == .ok)
            let profile = try JSONDecoder().decode(ChatwootProfile.self, from: Data(buffer: response.body))
            #expect(profile.email == "admin@example.com")
            #expect(profile.role == "administrator")
            #expect(profile.accounts.map(\.id) == [1])
            #expect(profile.accessToken == TestConfiguration.bootstrapKey)
            // The dashboard subscribes to /cable with the profile's pubsub_token: the user's own.
            let user = try await client.execute(
                uri: "/platform/api/v1/users/1", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
            #expect(user.status == .ok)
            let owned = try JSONDecoder().decode(ChatwootPlatformUser.self, from: Data(buffer: user.body))
            #expect(!profile.pubsubToken.isEmpty && profile.pubsubToken == owned.pubsubToken)

            let wrong = try await client.execute(uri: "/api/v1/profile", method: .get, headers: [.apiAccessToken: "wrong"])
            #expect(wrong.status == .unauthorized)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: wrong.body)) as? [String: Any]
            #expect(json?["error"] is String)
            #expect(try await client.execute(uri: "/api/v1/profile", method: .get).status == .unauthorized)
        }
    }
}

@Suite("Chatwoot swagger validation")
struct ChatwootSwaggerTests {
    @Test("The profile answer validates against the swagger's user schema")
    func profileValidates() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let response = try await client.chatwoot(.get, "/api/v1/profile")
            #expect(response.status == .ok)
            #expect(ChatwootSwagger.violations("GET", "/api/v1/profile", status: 200, body: Data(buffer: response.body)).isEmpty)
        }
    }

    @Test("The validator finds wrong types, bad enums and unknown operations")
    func validatorFails() {
        let wrong = Data(#"{"id": "7", "role": "owner", "accounts": [{"id": 1, "auto_offline": "yes"}]}"#.utf8)
        let violations = ChatwootSwagger.violations("GET", "/api/v1/profile", status: 200, body: wrong)
        #expect(violations.contains { $0.contains("$.id") })
        #expect(violations.contains { $0.contains("$.role") })
        #expect(violations.contains { $0.contains("$.accounts[0].auto_offline") })
        #expect(!ChatwootSwagger.violations("GET", "/api/v1/nowhere", status: 200, body: Data("{}".utf8)).isEmpty)
        #expect(ChatwootSwagger.template("GET", "/api/v1/accounts/1/contacts/search?q=a") == "/api/v1/accounts/{account_id}/contacts/search")
        #expect(ChatwootSwagger.template("GET", "/api/v1/accounts/1/inboxes/2") == "/api/v1/accounts/{account_id}/inboxes/{id}/")
    }
}

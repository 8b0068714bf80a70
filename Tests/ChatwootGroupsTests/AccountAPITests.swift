import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot account, agents, agent bots, teams and inboxes")
struct AccountAPITests {
    @Test("Account: members read it, administrators change it; agents get Chatwoot's 401, outsiders 401, unknown accounts 404")
    func account() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let agent = try await client.chatwootUser("Ada Agent")
            let read = try await client.chatwoot(.get, "/api/v1/accounts/1", token: agent.token)
            #expect(read.status == .ok)
            #expect(read.object["name"] as? String == "Switchboard")

            let changed = try await client.chatwoot(
                .patch, "/api/v1/accounts/1", json: #"{"name": "Renamed", "auto_resolve_after": 60, "timezone": "Europe/Paris"}"#)
            #expect(changed.status == .ok)
            #expect(changed.object["name"] as? String == "Renamed")
            #expect((changed.object["settings"] as? [String: Any])?["auto_resolve_after"] as? Int == 60)
            #expect((changed.object["custom_attributes"] as? [String: Any])?["timezone"] as? String == "Europe/Paris")

            let denied = try await client.chatwoot(.patch, "/api/v1/accounts/1", token: agent.token, json: #"{"name": "Mine"}"#)
            #expect(denied.status == .unauthorized)
            #expect(denied.object["error"] as? String == "You are not authorized to do this action")
            #expect(try await client.chatwoot(.patch, "/api/v1/accounts/1", json: #"{"auto_resolve_after": 5}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.patch, "/api/v1/accounts/1", json: #"{"auto_resolve_after": "soon"}"#).status == .badRequest)

            let other = try await client.chatwootAccount("Other")
            let outsider = try await client.chatwoot(.get, "/api/v1/accounts/\(other)", token: agent.token)
            #expect(outsider.status == .unauthorized)
            #expect(outsider.object["error"] as? String == "You are not authorized to access this account")
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/4242").status == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1", token: "wrong").status == .unauthorized)
        }
    }

    @Test("Agents: list, add (new or existing user), change role and availability, remove; agents may only list")
    func agents() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let agent = try await client.chatwootUser("Bea Agent")
            let added = try await client.chatwoot(
                .post, "/api/v1/accounts/1/agents",
                json: #"{"name": "Cy New", "email": "cy@example.com", "role": "agent", "availability_status": "busy"}"#)
            #expect(added.status == .ok)
            let id = try #require(added.object["id"] as? Int)
            #expect(added.object["role"] as? String == "agent")
            #expect(added.object["account_id"] as? Int == 1)

            let list = try await client.chatwoot(.get, "/api/v1/accounts/1/agents", token: agent.token)
            #expect(list.status == .ok)
            #expect(list.array.compactMap { $0["name"] as? String } == ["Administrator", "Bea Agent", "Cy New"])

            let again = try await client.chatwoot(
                .post, "/api/v1/accounts/1/agents", json: #"{"name": "Cy", "email": "cy@example.com", "role": "agent"}"#)
            #expect(again.status == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/agents", json: #"{"name": "D", "email": "d@example.com", "role": "owner"}"#)
                    .status
                    == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/agents", json: #"{"name": "D", "email": "d@example.com"}"#).status
                    == .unprocessableContent)
            #expect(
                try await client.chatwoot(
                    .post, "/api/v1/accounts/1/agents", token: agent.token, json: #"{"name": "E", "email": "e@example.com", "role": "agent"}"#
                )
                .status == .unauthorized)

            let promoted = try await client.chatwoot(
                .patch, "/api/v1/accounts/1/agents/\(id)", json: #"{"role": "administrator", "auto_offline": false}"#)
            #expect(promoted.status == .ok)
            #expect(promoted.object["role"] as? String == "administrator")
            #expect(promoted.object["auto_offline"] as? Bool == false)

            let other = try await client.chatwootAccount("Elsewhere")
            let stranger = try await client.chatwootUser("Stan Stranger", account: other)
            #expect(try await client.chatwoot(.patch, "/api/v1/accounts/1/agents/\(stranger.id)", json: #"{"role": "agent"}"#).status == .notFound)

            #expect(try await client.chatwoot(.delete, "/api/v1/accounts/1/agents/\(id)").status == .ok)
            let after = try await client.chatwoot(.get, "/api/v1/accounts/1/agents")
            #expect(!after.array.contains { $0["id"] as? Int == id })
        }
    }

    @Test("Account agent bots: administrators create, change and delete; members list and read; global bots are listed without tokens")
    func agentBots() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let agent = try await client.chatwootUser("Gil Agent")
            let created = try await client.chatwoot(
                .post, "/api/v1/accounts/1/agent_bots",
                json: #"{"name": "Triage", "outgoing_url": "https://bot.example/in", "bot_config": {"k": "v"}}"#)
            #expect(created.status == .ok)
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["account_id"] as? Int == 1)
            #expect((created.object["access_token"] as? String)?.count == 24)
            _ = try await client.chatwoot(.post, "/platform/api/v1/agent_bots", json: #"{"name": "Global"}"#)

            let list = try await client.chatwoot(.get, "/api/v1/accounts/1/agent_bots", token: agent.token)
            #expect(list.array.compactMap { $0["name"] as? String } == ["Triage", "Global"])
            #expect(list.array.last?["access_token"] == nil)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/agent_bots/\(id)", token: agent.token).status == .ok)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/agent_bots", token: agent.token, json: #"{"name": "No"}"#).status
                    == .unauthorized)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/agent_bots", json: #"{"description": "no name"}"#).status
                    == .unprocessableContent)

            let updated = try await client.chatwoot(.patch, "/api/v1/accounts/1/agent_bots/\(id)", json: #"{"description": "sorts"}"#)
            #expect(updated.object["description"] as? String == "sorts")
            #expect(updated.object["name"] as? String == "Triage")

            let other = try await client.chatwootAccount("Other")
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/agent_bots/\(id)").status == .unauthorized)
            let otherAdmin = try await client.chatwootUser("Olga Admin", account: other, role: "administrator")
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/agent_bots/\(id)", token: otherAdmin.token).status == .notFound)

            #expect(try await client.chatwoot(.delete, "/api/v1/accounts/1/agent_bots/\(id)").status == .ok)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/agent_bots/\(id)").status == .notFound)
        }
    }

    @Test("Teams: CRUD with unique names, is_member, members added, replaced and removed; agents read teams but not manage them")
    func teams() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let agent = try await client.chatwootUser("Hal Agent")
            let created = try await client.chatwoot(.post, "/api/v1/accounts/1/teams", json: #"{"name": "Support", "description": "first line"}"#)
            #expect(created.status == .ok)
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["allow_auto_assign"] as? Bool == true)
            #expect(created.object["is_member"] as? Bool == false)
            #expect(try await client.chatwoot(.post, "/api/v1/accounts/1/teams", json: #"{"name": "support"}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.post, "/api/v1/accounts/1/teams", token: agent.token, json: #"{"name": "X"}"#).status == .unauthorized)

            let added = try await client.chatwoot(.post, "/api/v1/accounts/1/teams/\(id)/team_members", json: #"{"user_ids": [\#(agent.id)]}"#)
            #expect(added.status == .ok)
            #expect(added.array.compactMap { $0["id"] as? Int } == [agent.id])
            let seen = try await client.chatwoot(.get, "/api/v1/accounts/1/teams/\(id)", token: agent.token)
            #expect(seen.object["is_member"] as? Bool == true)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/teams", token: agent.token).array.count == 1)
            // Agents list a team's members (Chatwoot's `TeamMemberPolicy#index?`) but do not change them.
            let listed = try await client.chatwoot(.get, "/api/v1/accounts/1/teams/\(id)/team_members", token: agent.token)
            #expect(listed.status == .ok)
            #expect(listed.array.compactMap { $0["id"] as? Int } == [agent.id])
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/teams/\(id)/team_members", token: agent.token, json: #"{"user_ids": [1]}"#)
                    .status == .unauthorized)

            let replaced = try await client.chatwoot(.patch, "/api/v1/accounts/1/teams/\(id)/team_members", json: #"{"user_ids": [1]}"#)
            #expect(replaced.array.compactMap { $0["id"] as? Int } == [1])
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/teams/\(id)/team_members", json: #"{"user_ids": [999]}"#).status
                    == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/teams/\(id)/team_members", json: #"{"user_ids": "1"}"#).status == .badRequest)
            #expect(try await client.chatwoot(.delete, "/api/v1/accounts/1/teams/\(id)/team_members", json: #"{"user_ids": [1]}"#).status == .ok)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/teams/\(id)/team_members").array.isEmpty)

            let renamed = try await client.chatwoot(.patch, "/api/v1/accounts/1/teams/\(id)", json: #"{"name": "Sales", "allow_auto_assign": false}"#)
            #expect(renamed.object["name"] as? String == "Sales")
            #expect(renamed.object["allow_auto_assign"] as? Bool == false)
            #expect(try await client.chatwoot(.delete, "/api/v1/accounts/1/teams/\(id)").status == .ok)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/teams/\(id)").status == .notFound)
        }
    }

    @Test("Inboxes: every channel type, settings, members, agent bot; agents see only their inboxes; bad input is 4xx")
    func inboxes() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let agent = try await client.chatwootUser("Ivy Agent")
            let api = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes", json: #"{"name": "API", "channel": {"type": "api", "webhook_url": "https://hooks.example/in"}}"#)
            #expect(api.status == .ok)
            let apiID = try #require(api.object["id"] as? Int)
            #expect(api.object["channel_type"] as? String == "Channel::Api")
            #expect(api.object["webhook_url"] as? String == "https://hooks.example/in")
            #expect((api.object["inbox_identifier"] as? String)?.count == 24)

            let web = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes",
                json:
                    ##"{"name": "Site", "greeting_enabled": true, "greeting_message": "Hi", "channel": {"type": "web_widget", "website_url": "https://acme.test", "widget_color": "#000000"}}"##
            )
            #expect(web.status == .ok)
            #expect(web.object["channel_type"] as? String == "Channel::WebWidget")
            #expect((web.object["web_widget_script"] as? String)?.contains(web.object["website_token"] as? String ?? "?") == true)
            #expect(web.object["greeting_message"] as? String == "Hi")

            for body in [
                #"{"name": "Mail", "channel": {"type": "email", "email": "support@acme.test"}}"#,
                #"{"name": "TG", "channel": {"type": "telegram", "bot_token": "123:abc"}}"#,
                #"{"name": "Line", "channel": {"type": "line", "line_channel_id": "1", "line_channel_secret": "s", "line_channel_token": "t"}}"#,
                #"{"name": "WA", "channel": {"type": "whatsapp", "phone_number": "+15550001111"}}"#,
                #"{"name": "SMS", "channel": {"type": "sms", "phone_number": "+15550002222"}}"#,
            ] {
                #expect(try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: body).status == .ok, "\(body)")
            }
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "X", "channel": {"type": "fax"}}"#).status
                    == .unprocessableContent)
            #expect(try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "X"}"#).status == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "X", "channel": {"type": "email", "email": "no"}}"#)
                    .status
                    == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": 1, "channel": {"type": "api"}}"#).status
                    == .badRequest)
            #expect(
                try await client.chatwoot(
                    .post, "/api/v1/accounts/1/inboxes", token: agent.token, json: #"{"name": "X", "channel": {"type": "api"}}"#
                )
                .status == .unauthorized)

            let updated = try await client.chatwoot(
                .patch, "/api/v1/accounts/1/inboxes/\(apiID)",
                json:
                    #"{"enable_auto_assignment": false, "sender_name_type": "professional", "working_hours": [{"day_of_week": 1, "closed_all_day": false, "open_hour": 9, "open_minutes": 0, "close_hour": 17, "close_minutes": 0, "open_all_day": false}], "channel": {"webhook_url": "https://hooks.example/v2", "hmac_mandatory": true}}"#
            )
            #expect(updated.status == .ok)
            #expect(updated.object["enable_auto_assignment"] as? Bool == false)
            #expect(updated.object["webhook_url"] as? String == "https://hooks.example/v2")
            #expect(updated.object["hmac_mandatory"] as? Bool == true)
            #expect((updated.object["working_hours"] as? [[String: Any]])?.count == 1)
            #expect(
                try await client.chatwoot(.patch, "/api/v1/accounts/1/inboxes/\(apiID)", json: #"{"sender_name_type": "loud"}"#).status
                    == .unprocessableContent)

            // Agents see only the inboxes they are members of.
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes", token: agent.token).object["payload"] as? [Any] != nil)
            #expect((try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes", token: agent.token).object["payload"] as? [Any])?.isEmpty == true)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes/\(apiID)", token: agent.token).status == .unauthorized)
            let added = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inbox_members", json: #"{"inbox_id": \#(apiID), "user_ids": [\#(agent.id)]}"#)
            #expect(added.status == .ok)
            #expect((added.object["payload"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [agent.id])
            let visible = try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes", token: agent.token)
            #expect((visible.object["payload"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [apiID])
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes/\(apiID)", token: agent.token).status == .ok)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/inbox_members/\(apiID)", token: agent.token).status == .ok)
            let replaced = try await client.chatwoot(.patch, "/api/v1/accounts/1/inbox_members", json: #"{"inbox_id": "\#(apiID)", "user_ids": [1]}"#)
            #expect((replaced.object["payload"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [1])
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/inbox_members", json: #"{"inbox_id": \#(apiID), "user_ids": [999]}"#).status
                    == .unprocessableContent)
            #expect(
                try await client.chatwoot(.delete, "/api/v1/accounts/1/inbox_members", json: #"{"inbox_id": "\#(apiID)", "user_ids": [1]}"#).status
                    == .ok)
            let members = try await client.chatwoot(.get, "/api/v1/accounts/1/inbox_members/\(apiID)")
            #expect((members.object["payload"] as? [Any])?.isEmpty == true)

            // The agent bot: none, then one, then none again. Chatwoot answers 200 here where the swagger says 204.
            let none = try await client.execute(
                uri: "/api/v1/accounts/1/inboxes/\(apiID)/agent_bot", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
            #expect(none.status == .ok)
            #expect((none.object["agent_bot"] as? [String: Any])?.isEmpty == true)
            let bot = try await client.chatwoot(.post, "/api/v1/accounts/1/agent_bots", json: #"{"name": "Router"}"#)
            let botID = try #require(bot.object["id"] as? Int)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes/\(apiID)/set_agent_bot", json: #"{"agent_bot": \#(botID)}"#).status
                    == .ok)
            let some = try await client.execute(
                uri: "/api/v1/accounts/1/inboxes/\(apiID)/agent_bot", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
            #expect((some.object["agent_bot"] as? [String: Any])?["id"] as? Int == botID)
            #expect(
                try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes/\(apiID)/set_agent_bot", json: #"{"agent_bot": null}"#).status == .ok)

            // Another account's inbox is not found there.
            let other = try await client.chatwootAccount("Other")
            let otherAdmin = try await client.chatwootUser("Oz Admin", account: other, role: "administrator")
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/inboxes/\(apiID)", token: otherAdmin.token).status == .notFound)
            #expect(
                try await client.chatwoot(.patch, "/api/v1/accounts/\(other)/inboxes/\(apiID)", token: otherAdmin.token, json: #"{"name": "Mine"}"#)
                    .status == .notFound)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import ChatwootGroups

@Suite("Chatwoot Platform API")
struct PlatformAPITests {
    @Test("Accounts: create, read, update, delete; bad status and wrong types are 4xx; user tokens are refused")
    func accounts() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let created = try await client.chatwoot(
                .post, "/platform/api/v1/accounts",
                json:
                    #"{"name": "Acme", "locale": "fr", "support_email": "help@acme.test", "custom_attributes": {"plan": "pro"}, "features": {"help_center": true}}"#
            )
            #expect(created.status == .ok)
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["name"] as? String == "Acme")
            #expect(created.object["locale"] as? String == "fr")
            #expect(created.object["status"] as? String == "active")
            #expect((created.object["custom_attributes"] as? [String: Any])?["plan"] as? String == "pro")
            #expect((created.object["enabled_features"] as? [String: Any])?["help_center"] as? Bool == true)

            let read = try await client.chatwoot(.get, "/platform/api/v1/accounts/\(id)")
            #expect(read.status == .ok)
            #expect(read.object["support_email"] as? String == "help@acme.test")

            let updated = try await client.chatwoot(.patch, "/platform/api/v1/accounts/\(id)", json: #"{"name": "Acme 2", "status": "suspended"}"#)
            #expect(updated.status == .ok)
            #expect(updated.object["name"] as? String == "Acme 2")
            #expect(updated.object["status"] as? String == "suspended")

            let badStatus = try await client.chatwoot(.patch, "/platform/api/v1/accounts/\(id)", json: #"{"status": "gone"}"#)
            #expect(badStatus.status == .unprocessableContent)
            #expect((badStatus.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "status")
            #expect(try await client.chatwoot(.post, "/platform/api/v1/accounts", json: #"{"name": 5}"#).status == .badRequest)
            #expect(try await client.chatwoot(.post, "/platform/api/v1/accounts", json: #"{"locale": "en"}"#).status == .unprocessableContent)

            // A user's token is no platform token (the bootstrap key is both; a made user's is not).
            let agent = try await client.chatwootUser("Pat Agent")
            let refused = try await client.chatwoot(.get, "/platform/api/v1/accounts/\(id)", token: agent.token)
            #expect(refused.status == .unauthorized)
            #expect(refused.object["error"] is String)

            #expect(try await client.chatwoot(.delete, "/platform/api/v1/accounts/\(id)").status == .ok)
            #expect(try await client.chatwoot(.get, "/platform/api/v1/accounts/\(id)").status == .notFound)
            #expect(try await client.chatwoot(.get, "/platform/api/v1/accounts/999").status == .notFound)
            #expect(try await client.chatwoot(.get, "/platform/api/v1/accounts/abc").status == .notFound)
        }
    }

    @Test("Users: a created user's token reads their profile; update, login link, delete; bad e-mail and weak password are 422")
    func users() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let created = try await client.chatwoot(
                .post, "/platform/api/v1/users",
                json:
                    #"{"name": "Dana", "display_name": "D", "email": "Dana@Example.com", "password": "Password1!", "custom_attributes": {"team": "x"}}"#
            )
            #expect(created.status == .ok)
            let id = try #require(created.object["id"] as? Int)
            let token = try #require(created.object["access_token"] as? String)
            #expect(token.count == 24)
            #expect(created.object["email"] as? String == "dana@example.com")
            #expect(created.object["available_name"] as? String == "D")
            #expect((created.object["pubsub_token"] as? String)?.isEmpty == false)

            let profile = try await client.chatwoot(.get, "/api/v1/profile", token: token)
            #expect(profile.status == .ok)
            #expect(profile.object["id"] as? Int == id)

            // The same e-mail again is the same user (Chatwoot's find-or-create).
            let again = try await client.chatwoot(.post, "/platform/api/v1/users", json: #"{"name": "Other", "email": "dana@example.com"}"#)
            #expect(again.object["id"] as? Int == id)

            let updated = try await client.chatwoot(.patch, "/platform/api/v1/users/\(id)", json: #"{"name": "Dana Scully"}"#)
            #expect(updated.status == .ok)
            #expect(updated.object["name"] as? String == "Dana Scully")
            #expect(updated.object["access_token"] as? String == token)

            let login = try await client.chatwoot(.get, "/platform/api/v1/users/\(id)/login")
            #expect(login.status == .ok)
            #expect((login.object["url"] as? String)?.contains("sso_auth_token=") == true)

            let badEmail = try await client.chatwoot(
                .post, "/platform/api/v1/users", json: #"{"name": "X", "email": "nope", "password": "Password1!"}"#)
            #expect(badEmail.status == .unprocessableContent)
            let weak = try await client.chatwoot(
                .post, "/platform/api/v1/users", json: #"{"name": "X", "email": "x@example.com", "password": "short"}"#)
            #expect(weak.status == .unprocessableContent)
            #expect((weak.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "password")
            let noPassword = try await client.chatwoot(.post, "/platform/api/v1/users", json: #"{"name": "X", "email": "y@example.com"}"#)
            #expect(noPassword.status == .unprocessableContent)

            #expect(try await client.chatwoot(.delete, "/platform/api/v1/users/\(id)").status == .ok)
            #expect(try await client.chatwoot(.get, "/platform/api/v1/users/\(id)").status == .notFound)
        }
    }

    @Test("Account users: add a member with a role, change it, list, remove; an unknown user or role is 422")
    func accountUsers() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let user = try await client.chatwootUser("Mo Member", account: nil)
            let added = try await client.chatwoot(
                .post, "/platform/api/v1/accounts/1/account_users", json: #"{"user_id": \#(user.id), "role": "agent"}"#)
            #expect(added.status == .ok)
            #expect(added.object["role"] as? String == "agent")
            let profile = try await client.chatwoot(.get, "/api/v1/profile", token: user.token)
            #expect((profile.object["accounts"] as? [[String: Any]])?.first?["role"] as? String == "agent")

            let promoted = try await client.chatwoot(
                .post, "/platform/api/v1/accounts/1/account_users", json: #"{"user_id": \#(user.id), "role": "administrator"}"#)
            #expect(promoted.object["role"] as? String == "administrator")
            let list = try await client.chatwoot(.get, "/platform/api/v1/accounts/1/account_users")
            #expect(list.status == .ok)
            #expect(list.array.compactMap { $0["user_id"] as? Int }.sorted() == [1, user.id])

            #expect(
                try await client.chatwoot(.post, "/platform/api/v1/accounts/1/account_users", json: #"{"user_id": 999, "role": "agent"}"#).status
                    == .unprocessableContent)
            #expect(
                try await client.chatwoot(.post, "/platform/api/v1/accounts/1/account_users", json: #"{"user_id": \#(user.id), "role": "owner"}"#)
                    .status == .unprocessableContent)
            #expect(try await client.chatwoot(.post, "/platform/api/v1/accounts/1/account_users", json: #"{"role": "agent"}"#).status == .badRequest)

            let removed = try await client.chatwoot(.delete, "/platform/api/v1/accounts/1/account_users", json: #"{"user_id": \#(user.id)}"#)
            #expect(removed.status == .ok)
            let after = try await client.chatwoot(.get, "/platform/api/v1/accounts/1/account_users")
            #expect(after.array.compactMap { $0["user_id"] as? Int } == [1])
        }
    }

    @Test("Agent bots: create (global and for an owned account), list, read, update, delete; each has its token")
    func agentBots() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let global = try await client.chatwoot(
                .post, "/platform/api/v1/agent_bots", json: #"{"name": "Helper", "description": "d", "outgoing_url": "https://bot.example/hook"}"#)
            #expect(global.status == .ok)
            let id = try #require(global.object["id"] as? Int)
            #expect((global.object["access_token"] as? String)?.count == 24)
            #expect(global.object["account_id"] == nil)
            #expect(global.object["outgoing_url"] as? String == "https://bot.example/hook")

            let scoped = try await client.chatwoot(.post, "/platform/api/v1/agent_bots", json: #"{"name": "Scoped", "account_id": 1}"#)
            #expect(scoped.object["account_id"] as? Int == 1)
            #expect(try await client.chatwoot(.post, "/platform/api/v1/agent_bots", json: #"{"name": "X", "account_id": 99}"#).status == .notFound)
            #expect(
                try await client.chatwoot(.post, "/platform/api/v1/agent_bots", json: #"{"name": "X", "outgoing_url": "ftp://x"}"#).status
                    == .unprocessableContent)

            let list = try await client.chatwoot(.get, "/platform/api/v1/agent_bots")
            #expect(list.array.compactMap { $0["name"] as? String } == ["Helper", "Scoped"])
            let updated = try await client.chatwoot(.patch, "/platform/api/v1/agent_bots/\(id)", json: #"{"name": "Helper 2"}"#)
            #expect(updated.object["name"] as? String == "Helper 2")
            #expect(updated.object["description"] as? String == "d")
            #expect(try await client.chatwoot(.get, "/platform/api/v1/agent_bots/\(id)").object["name"] as? String == "Helper 2")
            #expect(try await client.chatwoot(.delete, "/platform/api/v1/agent_bots/\(id)").status == .ok)
            #expect(try await client.chatwoot(.get, "/platform/api/v1/agent_bots/\(id)").status == .notFound)
        }
    }
}

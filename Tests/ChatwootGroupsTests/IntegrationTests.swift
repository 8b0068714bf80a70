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

@Suite("Chatwoot integrations")
struct IntegrationTests {
    static let apps = "/api/v1/accounts/1/integrations/apps"
    static let hooks = "/api/v1/accounts/1/integrations/hooks"

    /// The violations of a hook answer: exactly the three members Chatwoot renders with other types than the swagger
    /// (ids as numbers, `hook_type` as the enum's name; decision 347).
    static func checkHook(_ response: TestResponse, _ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let violations = ChatwootSwagger.violations(method, path, status: 200, body: Data(buffer: response.body)).map {
            $0.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
        }
        let expected: Set<String> = ["$.id is", "$.account_id is", "$.hook_type is"]
        #expect(
            Set(violations.map { $0.components(separatedBy: " ").prefix(2).joined(separator: " ") }) == expected, "\(violations)",
            sourceLocation: sourceLocation)
        #expect(violations.count == 3, "\(violations)", sourceLocation: sourceLocation)
    }

    /// Creates a hook, checking the three known swagger differences instead of the client's automatic check.
    static func create(
        _ client: any TestClientProtocol, _ body: String, token: String = TestConfiguration.bootstrapKey, path: String = hooks
    )
        async throws -> TestResponse
    {
        try await client.execute(
            uri: path, method: .post, headers: [.apiAccessToken: token, .contentType: "application/json"], body: ByteBuffer(string: body))
    }

    @Test("The apps list is Chatwoot's catalogue; every member reads it, actions for administrators; enabled by hooks and webhooks")
    func appsList() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let listed = try await client.chatwoot(.get, Self.apps)
            #expect(listed.status == .ok)
            let apps = try #require(listed.object["payload"] as? [[String: Any]])
            #expect(
                apps.map { $0["id"] as? String } == [
                    "webhook", "dashboard_apps", "openai", "notion", "dialogflow", "google_translate", "dyte", "leadsquared",
                ])
            #expect(apps.allSatisfy { $0["enabled"] as? Bool == false && ($0["hooks"] as? [Any])?.isEmpty == true })
            let dialogflow = try #require(apps.first { $0["id"] as? String == "dialogflow" })
            #expect(dialogflow["hook_type"] as? String == "inbox" && dialogflow["allow_multiple_hooks"] as? Bool == true)
            #expect(dialogflow["name"] as? String == "Dialogflow" && dialogflow["action"] as? String == "/dialogflow")

            let agent = try await client.chatwootUser("Integration Agent")
            let seen = try await client.chatwoot(.get, Self.apps, token: agent.token)
            #expect(seen.status == .ok)
            #expect((seen.object["payload"] as? [[String: Any]])?.allSatisfy { $0["action"] == nil } == true)

            // A webhook enables the webhook app; a hook enables its app and is listed under it.
            let webhook = try await client.chatwoot(.post, "/api/v1/accounts/1/webhooks", json: #"{"url": "https://example.com/hook"}"#)
            #expect(webhook.status == .ok)
            #expect(try await Self.create(client, #"{"app_id": "openai", "settings": {"api_key": "sk-test"}}"#).status == .ok)
            let after = try #require(try await client.chatwoot(.get, Self.apps).object["payload"] as? [[String: Any]])
            #expect(after.filter { $0["enabled"] as? Bool == true }.map { $0["id"] as? String } == ["webhook", "openai"])
            #expect((after.first { $0["id"] as? String == "openai" }?["hooks"] as? [[String: Any]])?.first?["app_id"] as? String == "openai")

            let other = try await client.chatwootAccount("Other Integrations")
            let outsider = try await client.chatwootUser("Integration Outsider", account: other, role: "administrator")
            #expect(try await client.chatwoot(.get, Self.apps, token: outsider.token).status == .unauthorized)
            let theirs = try await client.chatwoot(.get, "/api/v1/accounts/\(other)/integrations/apps", token: outsider.token)
            #expect((theirs.object["payload"] as? [[String: Any]])?.allSatisfy { $0["enabled"] as? Bool == false } == true)
        }
    }

    @Test("Hooks: administrators create, update and delete them as Integrations::Hook checks them; inbox apps need the account's inbox")
    func hooks() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let inbox = try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Bot inbox", "channel": {"type": "api"}}"#)
            let inboxID = try #require(inbox.object["id"] as? Int)
            let other = try await client.chatwootAccount("Other Hooks")
            let outsider = try await client.chatwootUser("Hook Outsider", account: other, role: "administrator")
            let theirInbox = try await client.chatwoot(
                .post, "/api/v1/accounts/\(other)/inboxes", token: outsider.token, json: #"{"name": "Theirs", "channel": {"type": "api"}}"#)
            let theirInboxID = try #require(theirInbox.object["id"] as? Int)

            let settings = #"{"project_id": "acme", "credentials": {"type": "service_account"}, "region": "global"}"#
            for (body, field) in [
                (#"{"settings": {}}"#, "app_id"), (#"{"app_id": "zapier"}"#, "app_id"), (#"{"app_id": "webhook"}"#, "app_id"),
                (#"{"app_id": "dialogflow", "settings": \#(settings)}"#, "inbox_id"),
                (#"{"app_id": "dialogflow", "inbox_id": \#(theirInboxID), "settings": \#(settings)}"#, "inbox_id"),
                (#"{"app_id": "dialogflow", "inbox_id": \#(inboxID), "settings": {"project_id": "acme"}}"#, "settings"),
                (#"{"app_id": "dialogflow", "inbox_id": \#(inboxID), "settings": {"project_id": 5, "credentials": {}}}"#, "settings"),
                (#"{"app_id": "openai", "settings": {"api_key": "k", "model": "x"}}"#, "settings"),
                (#"{"app_id": "openai", "settings": [1]}"#, "settings"),
                (#"{"app_id": "openai", "status": "on", "settings": {"api_key": "k"}}"#, "status"),
                (#"{"app_id": "leadsquared", "settings": {"access_key": "a", "secret_key": "b"}}"#, "feature_flag"),
            ] {
                let refused = try await Self.create(client, body)
                #expect(refused.status == .unprocessableContent, "\(body): \(String(buffer: refused.body))")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
            }
            #expect(try await Self.create(client, #"{"app_id": "openai", "inbox_id": "one"}"#).status == .badRequest)

            // Dialogflow: an inbox hook, several allowed; status by number, wrapped as the dashboard sends it.
            let created = try await Self.create(
                client, #"{"hook": {"app_id": "dialogflow", "inbox_id": \#(inboxID), "status": 1, "settings": \#(settings)}}"#)
            #expect(created.status == .ok, "\(String(buffer: created.body))")
            Self.checkHook(created, "POST", Self.hooks)
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["app_id"] as? String == "dialogflow" && created.object["hook_type"] as? String == "inbox")
            #expect(created.object["status"] as? Bool == true && created.object["account_id"] as? Int == 1)
            #expect((created.object["inbox"] as? [String: Any])?["name"] as? String == "Bot inbox")
            #expect((created.object["settings"] as? [String: Any])?["project_id"] as? String == "acme")
            #expect(
                try await Self.create(client, #"{"app_id": "dialogflow", "inbox_id": \#(inboxID), "settings": \#(settings)}"#).status == .ok)
            // OpenAI: an account hook, one per account.
            let openai = try await Self.create(client, #"{"app_id": "openai", "status": "disabled", "settings": {"api_key": "sk-1"}}"#)
            #expect(openai.status == .ok)
            #expect(openai.object["hook_type"] as? String == "account" && openai.object["status"] as? Bool == false)
            #expect(openai.object["inbox"] is NSNull)
            let again = try await Self.create(client, #"{"app_id": "openai", "settings": {"api_key": "sk-2"}}"#)
            #expect(again.status == .unprocessableContent)
            #expect((again.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "app_id")
            // An account with the CRM feature may add LeadSquared.
            let featured = try await client.chatwoot(
                .patch, "/platform/api/v1/accounts/\(other)", json: #"{"features": {"crm_integration": true}}"#)
            #expect(featured.status == .ok)
            let crm = try await Self.create(
                client, #"{"app_id": "leadsquared", "settings": {"access_key": "a", "secret_key": "b"}}"#, token: outsider.token,
                path: "/api/v1/accounts/\(other)/integrations/hooks")
            #expect(crm.status == .ok, "\(String(buffer: crm.body))")

            // Update: status and settings only, checked again.
            let path = "\(Self.hooks)/\(id)"
            let updated = try await client.execute(
                uri: path, method: .patch, headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"status": 0, "app_id": "openai", "settings": {"project_id": "other", "credentials": {}}}"#))
            #expect(updated.status == .ok, "\(String(buffer: updated.body))")
            Self.checkHook(updated, "PATCH", path)
            #expect(updated.object["status"] as? Bool == false && updated.object["app_id"] as? String == "dialogflow")
            #expect((updated.object["settings"] as? [String: Any])?["project_id"] as? String == "other")
            #expect(try await client.chatwoot(.patch, path, json: #"{"settings": {"credentials": {}}}"#).status == .unprocessableContent)
            #expect(try await client.chatwoot(.patch, path, json: #"{"status": 2}"#).status == .unprocessableContent)

            // Agents may not manage hooks; another account's hooks are out of reach.
            let agent = try await client.chatwootUser("Hook Agent")
            #expect(try await client.chatwoot(.patch, path, token: agent.token, json: #"{"status": 1}"#).status == .unauthorized)
            #expect(try await client.chatwoot(.delete, path, token: agent.token).status == .unauthorized)
            #expect(try await Self.create(client, #"{"app_id": "notion"}"#, token: agent.token).status == .unauthorized)
            let theirPath = "/api/v1/accounts/\(other)/integrations/hooks/\(id)"
            #expect(try await client.chatwoot(.patch, theirPath, token: outsider.token, json: #"{"status": 1}"#).status == .notFound)
            #expect(try await client.chatwoot(.delete, theirPath, token: outsider.token).status == .notFound)

            #expect(try await client.chatwoot(.delete, path).status == .ok)
            #expect(try await client.chatwoot(.delete, path).status == .notFound)
            #expect(try await client.chatwoot(.patch, "\(Self.hooks)/abc", json: "{}").status == .notFound)
            let apps = try #require(try await client.chatwoot(.get, Self.apps).object["payload"] as? [[String: Any]])
            #expect((apps.first { $0["id"] as? String == "dialogflow" }?["hooks"] as? [Any])?.count == 1)
        }
    }
}

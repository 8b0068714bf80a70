import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import SQLKit
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import ChatwootGroups

@Suite("Chatwoot webhooks and the event fan-out")
struct ChatwootWebhookTests {
    static let path = "/api/v1/accounts/1/webhooks"

    /// Calls the API with the bootstrap key without the client's swagger check (for Chatwoot's envelopes, checked inside).
    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> TestResponse
    {
        var headers: HTTPFields = [.apiAccessToken: TestConfiguration.bootstrapKey]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// The webhooks inside Chatwoot's envelope, each checked against the swagger's `webhook` schema.
    static func webhooks(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        let payload = object?["payload"] as? [String: Any]
        let items = (payload?["webhooks"] as? [[String: Any]]) ?? (payload?["webhook"] as? [String: Any]).map { [$0] } ?? []
        for item in items {
            let data = try JSONSerialization.data(withJSONObject: item)
            // The create operation's 200 schema is the swagger's `webhook`.
            for violation in ChatwootSwagger.violations("POST", Self.path, status: 200, body: data) {
                Issue.record(Comment(rawValue: violation), sourceLocation: sourceLocation)
            }
        }
        return items
    }

    @Test("Webhooks: create (flat or wrapped), list, update, delete in Chatwoot's envelope; bad URL, events and types are 4xx; another account 404")
    func crud() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let created = try await Self.call(
                client, .post, Self.path,
                json: #"{"url": "https://example.com/hook", "name": "CRM", "subscriptions": ["message_created", "contact_created"]}"#)
            #expect(created.status == .ok)
            let hook = try #require(try Self.webhooks(created).first)
            let id = try #require(hook["id"] as? Int)
            #expect(hook["url"] as? String == "https://example.com/hook")
            #expect(hook["name"] as? String == "CRM")
            #expect(hook["account_id"] as? Int == 1)
            #expect(hook["subscriptions"] as? [String] == ["message_created", "contact_created"])
            #expect((hook["secret"] as? String)?.hasPrefix("whsec_") == true)

            // Chatwoot's dashboard wraps the body in `webhook`; no subscriptions takes Chatwoot's default list.
            let wrapped = try await Self.call(client, .post, Self.path, json: #"{"webhook": {"url": "http://example.org/in"}}"#)
            #expect(wrapped.status == .ok)
            let second = try #require(try Self.webhooks(wrapped).first)
            #expect((second["subscriptions"] as? [String])?.count == 8)

            let listed = try await Self.call(client, .get, Self.path)
            #expect(listed.status == .ok)
            #expect(try Self.webhooks(listed).compactMap { $0["id"] as? Int } == [id, second["id"] as? Int ?? 0])

            let updated = try await Self.call(
                client, .patch, "\(Self.path)/\(id)", json: #"{"webhook": {"subscriptions": ["conversation_created"]}}"#)
            #expect(updated.status == .ok)
            let changed = try #require(try Self.webhooks(updated).first)
            #expect(changed["subscriptions"] as? [String] == ["conversation_created"])
            #expect(changed["url"] as? String == "https://example.com/hook")

            // Bad input: Chatwoot's 422 naming the field; wrong JSON types are 400.
            for (body, field) in [
                (#"{"url": "ftp://example.com/x"}"#, "url"), (#"{"url": "not a url"}"#, "url"), (#"{"name": "no url"}"#, "url"),
                (#"{"url": "https://example.com/hook"}"#, "url"),
                (#"{"url": "https://example.com/2", "subscriptions": ["message_deleted"]}"#, "subscriptions"),
                (#"{"url": "https://example.com/2", "subscriptions": []}"#, "subscriptions"),
                (#"{"url": "https://example.com/2", "inbox_id": 999}"#, "inbox_id"),
            ] {
                let refused = try await Self.call(client, .post, Self.path, json: body)
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body)")
                #expect(refused.object["message"] is String)
            }
            #expect(
                try await Self.call(client, .post, Self.path, json: #"{"url": "https://example.com/3", "subscriptions": "message_created"}"#).status
                    == .badRequest)
            #expect(try await Self.call(client, .patch, "\(Self.path)/\(id)", json: #"{"subscriptions": ["nope"]}"#).status == .unprocessableContent)

            // Unknown ids and another account's path: 404 in Chatwoot's shape.
            let missing = try await Self.call(client, .patch, "\(Self.path)/999", json: #"{"name": "x"}"#)
            #expect(missing.status == .notFound)
            #expect(missing.object["error"] as? String == "Resource could not be found")
            #expect(try await Self.call(client, .get, "/api/v1/accounts/999/webhooks").status == .notFound)
            #expect(try await Self.call(client, .delete, "\(Self.path)/abc").status == .notFound)

            let deleted = try await Self.call(client, .delete, "\(Self.path)/\(id)")
            #expect(deleted.status == .ok)
            #expect(try await Self.call(client, .delete, "\(Self.path)/\(id)").status == .notFound)
            #expect(try Self.webhooks(try await Self.call(client, .get, Self.path)).count == 1)
            // Each change is audited, newest first: the deletion, the update (only what changed), the creations.
            let audit = try await client.chatwoot(.get, "/api/v1/accounts/1/audit_logs")
            #expect(audit.status == .ok)
            #expect(audit.object["per_page"] as? Int == 15 && audit.object["total_entries"] as? Int == 4 && audit.object["current_page"] as? Int == 1)
            let entries = try #require(audit.object["audit_logs"] as? [[String: Any]])
            #expect(entries.compactMap { $0["action"] as? String } == ["destroy", "update", "create", "create"])
            #expect(entries.allSatisfy { $0["auditable_type"] as? String == "Webhook" && $0["username"] as? String == "admin@example.com" })
            #expect(entries.compactMap { $0["version"] as? Int } == [3, 2, 1, 1])
            let diff = try #require(entries[1]["audited_changes"] as? [String: Any])
            #expect(Array(diff.keys) == ["subscriptions"])
            #expect((diff["subscriptions"] as? [Any])?.count == 2)
            #expect((try await client.chatwoot(.get, "/api/v1/accounts/1/audit_logs?page=2").object["audit_logs"] as? [Any])?.isEmpty == true)
            // Without a token: 401.
            #expect(try await client.execute(uri: Self.path, method: .get).status == .unauthorized)
            // Agents may not manage webhooks (Chatwoot's `WebhookPolicy`: a 401); another account's webhook is a 404 there.
            let agent = try await client.chatwootUser("Hook Agent")
            let refused = try await client.execute(uri: Self.path, method: .get, headers: [.apiAccessToken: agent.token])
            #expect(refused.status == .unauthorized)
            #expect(refused.object["error"] as? String == "You are not authorized to do this action")
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/audit_logs", token: agent.token).status == .unauthorized)
            let other = try await client.chatwootAccount("Other")
            let outsider = try await client.chatwootUser("Hook Outsider", account: other, role: "administrator")
            let remaining = try #require(try Self.webhooks(try await Self.call(client, .get, Self.path)).first?["id"] as? Int)
            let foreign = try await client.execute(
                uri: "/api/v1/accounts/\(other)/webhooks/\(remaining)", method: .delete, headers: [.apiAccessToken: outsider.token])
            #expect(foreign.status == .notFound)
            #expect(try await client.execute(uri: Self.path, method: .get, headers: [.apiAccessToken: outsider.token]).status == .unauthorized)
            #expect(try Self.webhooks(try await Self.call(client, .get, Self.path)).count == 1)
        }
    }

    @Test("contact_created and contact_updated made through the API reach a live receiver, signed with the webhook's secret")
    func contactEvents() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await buildApplication(reader: TestConfiguration.reader()).test(.live) { client in
                let hook = try await Self.call(
                    client, .post, Self.path, json: #"{"url": "\#(url)", "subscriptions": ["contact_created", "contact_updated"]}"#)
                let secret = try #require(try Self.webhooks(hook).first?["secret"] as? String)
                let created = try await Self.call(client, .post, "/api/v1/accounts/1/contacts", json: #"{"name": "Ann", "email": "ann@example.com"}"#)
                #expect(created.status == .ok)
                let id = try #require(((created.object["payload"] as? [String: Any])?["contact"] as? [String: Any])?["id"] as? Int)
                #expect(try await Self.call(client, .put, "/api/v1/accounts/1/contacts/\(id)", json: #"{"name": "Ann Lee"}"#).status == .ok)
                for _ in 0..<100 where receiver.received.count < 2 { try await Task.sleep(for: .milliseconds(50)) }

                let deliveries = receiver.received
                #expect(deliveries.count == 2)
                var events: [String: [String: Any]] = [:]
                for delivery in deliveries {
                    let body = try #require(try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any])
                    events[body["event"] as? String ?? ""] = body
                    let eventID = try #require(delivery.headers[HTTPField.Name("webhook-id")!])
                    let timestamp = try #require(delivery.headers[HTTPField.Name("webhook-timestamp")!].flatMap(Int64.init))
                    let signature = try #require(delivery.headers[HTTPField.Name("webhook-signature")!])
                    #expect(
                        WebhookSignature.verify(header: signature, id: eventID, timestamp: timestamp, body: Data(delivery.body.utf8), secret: secret))
                }
                let contact = try #require(events["contact_created"])
                #expect(contact["id"] as? Int == id && contact["name"] as? String == "Ann" && contact["email"] as? String == "ann@example.com")
                #expect((contact["account"] as? [String: Any])?["id"] as? Int == 1)
                let updated = try #require(events["contact_updated"])
                #expect(updated["name"] as? String == "Ann Lee")
                let change = (updated["changed_attributes"] as? [[String: Any]])?.compactMap { $0["name"] as? [String: Any] }.first
                #expect(change?["previous_value"] as? String == "Ann" && change?["current_value"] as? String == "Ann Lee")
            }
        }
    }

    /// An account, an API inbox posting to `apiURL` with an agent bot posting to `botURL`, on a migrated database.
    static func seed(_ database: Database, apiURL: String, botURL: String) async throws {
        try await database.transaction { tx in
            for account in [1, 2] {
                try await tx.sql.insert(into: "accounts").columns("id", "name", "created_at").values(account, "Account \(account)", 0).run()
            }
            try await tx.sql.insert(into: "agent_bots").columns("id", "account_id", "name", "outgoing_url", "created_at", "updated_at")
                .values(7, 1, "Bot", botURL, 0, 0).run()
            try await tx.sql.insert(into: "inboxes")
                .columns(
                    "id", "account_id", "name", "channel_type", "channel_id", "hmac_token", "agent_bot_id", "settings", "created_at", "updated_at"
                )
                .values(3, 1, "API", "Channel::Api", 1, "inbox-secret", 7, #"{"webhook_url": "\#(apiURL)"}"#, 0, 0).run()
        }
    }

    static func deliverUntil(_ database: Database, _ done: () -> Bool) async throws {
        let deliverer = WebhookDeliverer(
            database: database, httpClient: .shared, settings: WebhookSettings(reader: TestConfiguration.reader()), logger: TestConfiguration.logger)
        for _ in 0..<100 where !done() {
            try await deliverer.deliverDue()
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("publish writes one signed event per subscribed webhook, the API inbox's webhook_url and the inbox's bot, in the caller's transaction")
    func fanOut() async throws {
        try await withTestDatabase(migrations: ChatwootMigrations.all) { database in
            let (account, api, bot) = (WebhookReceiver(), WebhookReceiver(), WebhookReceiver())
            try await account.run { accountURL in
                try await api.run { apiURL in
                    try await bot.run { botURL in
                        try await Self.seed(database, apiURL: apiURL, botURL: botURL)
                        let hooks = WebhookSQLRepository(database: database, clock: .system)
                        let messages = try await hooks.create(
                            account: 1, .init(url: accountURL, name: "messages", subscriptions: ["message_created", "contact_updated"]))
                        _ = try await hooks.create(account: 1, .init(url: accountURL + "?conversations", subscriptions: ["conversation_created"]))
                        _ = try await hooks.create(account: 2, .init(url: accountURL + "?other", subscriptions: ["message_created"]))

                        // A rolled-back change sends nothing.
                        struct Abort: Error {}
                        _ = try? await database.transaction { tx in
                            try await ChatwootEvents.publish(.messageCreated, payload: ["id": 1], account: 1, inbox: 3, tx: tx)
                            throw Abort()
                        }
                        let payload = ChatwootEventPayloads.Contact(
                            id: 5, name: "Ann", email: "ann@example.com", additionalAttributes: .object([:]),
                            customAttributes: .object(["plan": .string("pro")]),
                            blocked: false, account: .init(id: 1, name: "Account 1"))
                        let ids = try await database.transaction { tx in
                            try await ChatwootEvents.publish(.messageCreated, payload: ["id": 42], account: 1, inbox: 3, tx: tx)
                                + ChatwootEvents.publish(
                                    .contactUpdated, payload: payload, changes: [.init("name", from: .string("A"), to: .string("Ann"))], account: 1,
                                    tx: tx)
                        }
                        // message_created: the subscribed account webhook, the API inbox, the bot; contact_updated: the account webhook only.
                        #expect(ids.count == 4)
                        try await Self.deliverUntil(database) { account.received.count >= 2 && api.received.count >= 1 && bot.received.count >= 1 }
                        let events = try await database.readStatement { sql in try await Outbox().events(tenant: "1", on: sql) }
                        #expect(events.count == 4 && events.allSatisfy { $0.status == "delivered" })

                        let bodies = account.received.compactMap {
                            try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any]
                        }
                        #expect(Set(bodies.compactMap { $0["event"] as? String }) == ["message_created", "contact_updated"])
                        let contact = try #require(bodies.first { $0["event"] as? String == "contact_updated" })
                        #expect(contact["id"] as? Int == 5 && contact["type"] as? String == "contact")
                        #expect(contact["phone_number"] is NSNull)
                        #expect((contact["account"] as? [String: Any])?["name"] as? String == "Account 1")
                        let change = (contact["changed_attributes"] as? [[String: Any]])?.first?["name"] as? [String: Any]
                        #expect(change?["previous_value"] as? String == "A" && change?["current_value"] as? String == "Ann")
                        // Signed with the webhook's secret (Standard Webhooks headers); the API inbox's with its HMAC token.
                        for (delivery, secret) in [(account.received[0], messages.secret ?? ""), (api.received[0], "inbox-secret")] {
                            let id = try #require(delivery.headers[HTTPField.Name("webhook-id")!])
                            let timestamp = try #require(delivery.headers[HTTPField.Name("webhook-timestamp")!].flatMap(Int64.init))
                            let signature = try #require(delivery.headers[HTTPField.Name("webhook-signature")!])
                            #expect(
                                WebhookSignature.verify(
                                    header: signature, id: id, timestamp: timestamp, body: Data(delivery.body.utf8), secret: secret))
                        }
                        #expect(api.received.first?.body.contains(#""event":"message_created""#) == true)
                        #expect(bot.received.first?.body.contains(#""id":42"#) == true)
                    }
                }
            }
        }
    }
}

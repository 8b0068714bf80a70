import Crypto
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

/// The Client API (`/public/api/v1/inboxes/...`, no token) and the CSAT survey page.
@Suite("Chatwoot Client API and CSAT")
struct ChatwootClientAPITests {
    /// Where Chatwoot's Client API answers differ from the swagger's `public_message`/`public_conversation` (decision
    /// 306): numbers (and the content attributes object) where the swagger types strings, and the CSAT survey's
    /// template type and `input_csat` content type, outside the account `message` enums the conversation refers to.
    static var deviations: [Regex<Substring>] {
        [
            #/\.(?:id|message_type|created_at|conversation_id|inbox_id) is integer\(-?\d+\), not string$/#,
            #/\.content_attributes is object\(.*\), not string$/#,
            #/\.message_type is integer\(3\), not one of the enum$/#,
            #/\.content_type is string\("input_csat"\), not one of the enum$/#,
        ]
    }

    /// The swagger's violations of a 2xx answer, less the known deviations.
    static func unexpected(_ response: TestResponse, _ method: String, _ uri: String) -> [String] {
        guard (200..<300).contains(response.status.code), response.headers[.contentType]?.hasPrefix("application/json") == true else { return [] }
        return ChatwootSwagger.violations(method, uri, status: Int(response.status.code), body: Data(buffer: response.body)).filter { violation in
            !Self.deviations.contains { violation.firstMatch(of: $0) != nil }
        }
    }

    /// The Client API's identity hash.
    static func hash(_ identifier: String, token: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(identifier.utf8), using: SymmetricKey(data: Data(token.utf8))).map { String(format: "%02x", $0) }
            .joined()
    }

    // MARK: Widget flow

    @Test("A widget user's flow: inbox, contact, conversation, messages both ways, last seen, typing, resolve")
    func widgetFlow() async throws {
        try await ConversationWorld().run { client, _ in
            let made = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Widget", "channel": {"type": "api", "webhook_url": ""}}"#)
            let inboxID = try #require(made.object["id"] as? Int)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let base = "/public/api/v1/inboxes/\(identifier)"

            let inbox = try await client.publicCall(.get, base)
            #expect(inbox.status == .ok)
            #expect(inbox.object["identifier"] as? String == identifier)
            #expect(inbox.object["name"] as? String == "Widget")
            #expect(inbox.object["identity_validation_enabled"] as? Bool == false)
            #expect(inbox.object["csat_survey_enabled"] as? Bool == false)

            let created = try await client.publicCall(
                .post, base + "/contacts", json: #"{"name": "Wanda", "email": "Wanda@Example.com", "custom_attributes": {"plan": "pro"}}"#)
            #expect(created.status == .ok)
            let contactID = try #require(created.object["id"] as? Int)
            let source = try #require(created.object["source_id"] as? String)
            #expect((created.object["pubsub_token"] as? String)?.count == 24)
            #expect(created.object["email"] as? String == "wanda@example.com")
            let contactPath = base + "/contacts/\(source)"
            let shown = try await client.publicCall(.get, contactPath)
            #expect(shown.object["id"] as? Int == contactID)
            #expect(shown.object["source_id"] as? String == source)
            #expect(shown.object["pubsub_token"] as? String == created.object["pubsub_token"] as? String)
            // The same source id again is the same contact inbox; the same email in a new session is the same contact.
            let again = try await client.publicCall(.post, base + "/contacts", json: #"{"source_id": "\#(source)", "name": "Other"}"#)
            #expect(again.object["id"] as? Int == contactID)
            let session = try await client.publicCall(.post, base + "/contacts", json: #"{"email": "wanda@example.com"}"#)
            #expect(session.object["id"] as? Int == contactID)
            #expect(session.object["source_id"] as? String != source)
            // A contact made without a name gets one.
            let anonymous = try await client.publicCall(.post, base + "/contacts", json: "{}")
            #expect((anonymous.object["name"] as? String)?.isEmpty == false)

            let updated = try await client.publicCall(
                .patch, contactPath, json: #"{"name": "Wanda W", "phone_number": "+15550111", "custom_attributes": {"tier": "gold"}}"#)
            #expect(updated.status == .ok)
            #expect(updated.object["name"] as? String == "Wanda W")
            #expect(updated.object["account_id"] as? Int == 1)
            #expect(updated.object["custom_attributes"] as? [String: String] == ["plan": "pro", "tier": "gold"])

            let conversation = try await client.publicCall(.post, contactPath + "/conversations", json: #"{"custom_attributes": {"order": "A-1"}}"#)
            #expect(conversation.status == .ok)
            let displayID = try #require(conversation.object["id"] as? Int)
            #expect(conversation.object["inbox_id"] as? Int == inboxID)
            #expect(conversation.object["status"] as? String == "open")
            #expect((conversation.object["contact"] as? [String: Any])?["id"] as? Int == contactID)
            let account = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(displayID)")
            #expect(account.object["custom_attributes"] as? [String: String] == ["order": "A-1"])
            #expect(((account.object["meta"] as? [String: Any])?["sender"] as? [String: Any])?["id"] as? Int == contactID)
            #expect((account.object["meta"] as? [String: Any])?["hmac_verified"] as? Bool == false)

            let conversationPath = contactPath + "/conversations/\(displayID)"
            let sent = try await client.publicCall(
                .post, conversationPath + "/messages", json: #"{"content": "Hello from the widget", "echo_id": "w-1"}"#)
            #expect(sent.status == .ok)
            #expect(sent.object["message_type"] as? Int == 0)
            #expect(sent.object["conversation_id"] as? Int == displayID)
            #expect((sent.object["sender"] as? [String: Any])?["type"] as? String == "contact")
            // The agent answers through the account API; a private note stays inside.
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(displayID)/messages", json: #"{"content": "Hi Wanda"}"#)
            try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations/\(displayID)/messages", json: #"{"content": "internal", "private": true}"#)
            let messages = try await client.publicCall(.get, conversationPath + "/messages")
            #expect(messages.array.compactMap { $0["content"] as? String } == ["Hello from the widget", "Hi Wanda"])
            #expect(messages.array.last?["message_type"] as? Int == 1)
            #expect((messages.array.last?["sender"] as? [String: Any])?["type"] as? String == "user")
            #expect(try await client.contents(displayID) == ["Hello from the widget", "Hi Wanda", "internal"])

            let list = try await client.publicCall(.get, contactPath + "/conversations")
            #expect(list.array.map { $0["id"] as? Int } == [displayID])
            #expect((list.array.first?["messages"] as? [[String: Any]])?.count == 2)
            #expect(try await client.publicCall(.get, conversationPath).object["id"] as? Int == displayID)

            let statuses = { () async throws -> [String] in
                let listed = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(displayID)/messages")
                return ((listed.object["payload"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String }
            }
            #expect(try await statuses() == ["sent", "sent", "sent"])
            #expect(try await client.publicCall(.post, conversationPath + "/update_last_seen").status == .ok)
            #expect(try await client.publicCall(.get, conversationPath).object["contact_last_seen_at"] as? Int ?? 0 > 0)
            // What was sent to the contact is read now; the contact's own message stays as it was.
            #expect(try await statuses() == ["sent", "read", "read"])
            #expect(try await client.publicCall(.post, conversationPath + "/toggle_typing", json: #"{"typing_status": "on"}"#).status == .ok)
            #expect(try await client.publicCall(.post, conversationPath + "/toggle_typing?typing_status=off").status == .ok)
            #expect(
                try await client.publicCall(.post, conversationPath + "/toggle_typing", json: #"{"typing_status": "loud"}"#).status
                    == .unprocessableContent)
            #expect(try await client.publicCall(.post, conversationPath + "/toggle_typing").status == .unprocessableContent)

            let resolved = try await client.publicCall(.post, conversationPath + "/toggle_status")
            #expect(resolved.status == .ok)
            #expect(resolved.object["status"] as? String == "resolved")
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(displayID)").object["status"] as? String == "resolved")
            #expect(try await client.contents(displayID).last == "Conversation was resolved by Wanda W")
            // Resolving again changes nothing; a new message from the contact reopens it.
            #expect(try await client.publicCall(.post, conversationPath + "/toggle_status").object["status"] as? String == "resolved")
            try await client.publicCall(.post, conversationPath + "/messages", json: #"{"content": "One more thing"}"#)
            #expect(try await client.publicCall(.get, conversationPath).object["status"] as? String == "open")
        }
    }

    @Test("The swagger's public_message types Chatwoot's numbers as strings: exactly those members differ")
    func pinnedDeviation() async throws {
        try await ConversationWorld().run { client, _ in
            let (base, source) = try await client.widget("Pinned")
            let conversation = try await client.publicCall(.post, base + "/contacts/\(source)/conversations", json: "{}")
            let id = try #require(conversation.object["id"] as? Int)
            let uri = base + "/contacts/\(source)/conversations/\(id)/messages"
            let sent = try await client.publicCall(.post, uri, json: #"{"content": "hi"}"#)
            let members = ChatwootSwagger.violations("POST", uri, status: 200, body: Data(buffer: sent.body)).compactMap {
                $0.firstMatch(of: #/\$\.(\w+) is/#).map { String($0.1) }
            }
            #expect(Set(members) == ["id", "message_type", "created_at", "conversation_id", "content_attributes"])
        }
    }

    @Test("The API inbox's webhook_url hears the widget's conversation, its message with echo_id and the typing events")
    func events() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await buildApplication(reader: TestConfiguration.reader()).test(.live) { client in
                let made = try await client.chatwoot(
                    .post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Hooked", "channel": {"type": "api", "webhook_url": "\#(url)"}}"#)
                let identifier = try #require(made.object["inbox_identifier"] as? String)
                let base = "/public/api/v1/inboxes/\(identifier)"
                let created = try await client.publicCall(.post, base + "/contacts", json: #"{"name": "Tess"}"#)
                let contactID = try #require(created.object["id"] as? Int)
                let contactPath = base + "/contacts/\(try #require(created.object["source_id"] as? String))"
                let conversation = try await client.publicCall(.post, contactPath + "/conversations", json: "{}")
                let id = try #require(conversation.object["id"] as? Int)
                let path = contactPath + "/conversations/\(id)"
                try await client.publicCall(.post, path + "/messages", json: #"{"content": "Typed", "echo_id": "e-9"}"#)
                try await client.publicCall(.post, path + "/toggle_typing", json: #"{"typing_status": "on"}"#)
                try await client.publicCall(.post, path + "/toggle_typing", json: #"{"typing_status": "recording"}"#)
                try await client.publicCall(.post, path + "/toggle_typing", json: #"{"typing_status": "off"}"#)
                for _ in 0..<200 where receiver.received.count < 4 { try await Task.sleep(for: .milliseconds(50)) }

                let bodies = receiver.received.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }
                #expect(
                    Set(bodies.compactMap { $0["event"] as? String })
                        == ["conversation_created", "message_created", "conversation_typing_on", "conversation_typing_off"])
                #expect(bodies.count == 4)
                let message = try #require(bodies.first { $0["event"] as? String == "message_created" })
                #expect(message["content"] as? String == "Typed")
                #expect(message["echo_id"] as? String == "e-9")
                #expect((message["sender"] as? [String: Any])?["id"] as? Int == contactID)
                let typing = try #require(bodies.first { $0["event"] as? String == "conversation_typing_on" })
                #expect((typing["user"] as? [String: Any])?["id"] as? Int == contactID)
                #expect((typing["conversation"] as? [String: Any])?["id"] as? Int == id)
                #expect(typing["is_private"] as? Bool == false)
            }
        }
    }

    @Test("A contact update with another contact's email merges this contact into that one, conversations included")
    func identifyMerges() async throws {
        try await ConversationWorld().run { client, seed in
            let known = try await seed.contact("Known", email: "known@example.com")
            let (base, source) = try await client.widget("Merging")
            let path = base + "/contacts/\(source)"
            let conversation = try await client.publicCall(.post, path + "/conversations", json: "{}")
            let id = try #require(conversation.object["id"] as? Int)
            let updated = try await client.publicCall(.patch, path, json: #"{"email": "Known@Example.com", "name": "Known Again"}"#)
            #expect(updated.status == .ok)
            #expect(updated.object["id"] as? Int == known)
            #expect(updated.object["name"] as? String == "Known Again")
            // The source id now belongs to the known contact, and so does the conversation.
            #expect(try await client.publicCall(.get, path).object["id"] as? Int == known)
            let shown = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(id)")
            #expect(((shown.object["meta"] as? [String: Any])?["sender"] as? [String: Any])?["id"] as? Int == known)
            #expect(try await client.publicCall(.get, path + "/conversations").array.map { $0["id"] as? Int } == [id])
        }
    }

    // MARK: Identity validation

    @Test("HMAC identity: required when mandatory, a wrong hash is a 401, the right one verifies the contact inbox")
    func identityValidation() async throws {
        try await ConversationWorld().run { client, _ in
            let made = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Secure", "channel": {"type": "api", "hmac_mandatory": true}}"#)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let token = try #require(made.object["hmac_token"] as? String)
            let base = "/public/api/v1/inboxes/\(identifier)"
            #expect(try await client.publicCall(.get, base).object["identity_validation_enabled"] as? Bool == true)

            let missing = try await client.publicCall(.post, base + "/contacts", json: #"{"identifier": "user-42", "name": "Hugo"}"#)
            #expect(missing.status == .unauthorized)
            #expect(missing.object["error"] as? String == "HMAC failed: Invalid Identifier Hash Provided")
            let wrong = try await client.publicCall(
                .post, base + "/contacts", json: #"{"identifier": "user-42", "identifier_hash": "\#(Self.hash("user-43", token: token))"}"#)
            #expect(wrong.status == .unauthorized)
            let hash = Self.hash("user-42", token: token)
            let created = try await client.publicCall(
                .post, base + "/contacts", json: #"{"identifier": "user-42", "identifier_hash": "\#(hash)", "name": "Hugo"}"#)
            #expect(created.status == .ok)
            let source = try #require(created.object["source_id"] as? String)
            let contactID = try #require(created.object["id"] as? Int)
            let contact = try await client.chatwoot(.get, "/api/v1/accounts/1/contacts/\(contactID)")
            #expect((contact.object["payload"] as? [String: Any])?["identifier"] as? String == "user-42")

            let contactPath = base + "/contacts/\(source)"
            #expect(try await client.publicCall(.get, contactPath).status == .unauthorized)
            #expect(
                try await client.publicCall(.get, contactPath + "?identifier=user-42&identifier_hash=\(Self.hash("x", token: token))").status
                    == .unauthorized)
            // Another identifier's valid hash does not open this contact.
            let other = try await client.publicCall(.get, contactPath + "?identifier=user-43&identifier_hash=\(Self.hash("user-43", token: token))")
            #expect(other.status == .unauthorized)
            #expect(other.object["error"] as? String == "HMAC failed: Identifier does not match contact")
            let shown = try await client.publicCall(.get, contactPath + "?identifier=user-42&identifier_hash=\(hash)")
            #expect(shown.status == .ok)
            #expect(shown.object["id"] as? Int == contactID)
            let updated = try await client.publicCall(
                .patch, contactPath, json: #"{"identifier": "user-42", "identifier_hash": "\#(hash)", "name": "Hugo H"}"#)
            #expect(updated.object["name"] as? String == "Hugo H")
            #expect(try await client.publicCall(.patch, contactPath, json: #"{"name": "Nope"}"#).status == .unauthorized)
            // The verified contact inbox shows as such on its conversations.
            let conversation = try await client.publicCall(.post, contactPath + "/conversations", json: "{}")
            let id = try #require(conversation.object["id"] as? Int)
            let account = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(id)")
            #expect((account.object["meta"] as? [String: Any])?["hmac_verified"] as? Bool == true)

            // Where identity validation is optional, a hash given is still checked.
            let (open, openSource) = try await client.widget("Open")
            #expect(try await client.publicCall(.get, open + "/contacts/\(openSource)?identifier=a&identifier_hash=b").status == .unauthorized)
            #expect(try await client.publicCall(.get, open + "/contacts/\(openSource)").status == .ok)
        }
    }

    // MARK: Not found and bad input

    @Test("Unknown inbox or contact identifiers, another inbox's contact, a website token and another contact's conversation are 404s")
    func notFound() async throws {
        try await ConversationWorld().run { client, _ in
            let (base, source) = try await client.widget("First")
            let (otherBase, otherSource) = try await client.widget("Second")
            let unknown = try await client.publicCall(.get, "/public/api/v1/inboxes/nope")
            #expect(unknown.status == .notFound)
            #expect(unknown.object["error"] as? String == "Resource could not be found")
            #expect(try await client.publicCall(.post, "/public/api/v1/inboxes/nope/contacts", json: "{}").status == .notFound)
            #expect(try await client.publicCall(.get, base + "/contacts/nope").status == .notFound)
            #expect(try await client.publicCall(.get, base + "/contacts/\(otherSource)").status == .notFound)
            #expect(try await client.publicCall(.get, base + "/contacts/\(otherSource)/conversations").status == .notFound)
            let website = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes",
                json: #"{"name": "Site", "channel": {"type": "web_widget", "website_url": "https://example.com"}}"#)
            let token = try #require(website.object["website_token"] as? String)
            #expect(try await client.publicCall(.get, "/public/api/v1/inboxes/\(token)").status == .notFound)

            // Another contact's conversation (same inbox, and another inbox) is out of reach.
            let mine = try await client.publicCall(.post, base + "/contacts/\(source)/conversations", json: "{}")
            let mineID = try #require(mine.object["id"] as? Int)
            let stranger = try #require(
                try await client.publicCall(.post, base + "/contacts", json: #"{"name": "Stranger"}"#).object["source_id"] as? String)
            #expect(try await client.publicCall(.get, base + "/contacts/\(stranger)/conversations/\(mineID)").status == .notFound)
            #expect(try await client.publicCall(.get, base + "/contacts/\(stranger)/conversations/\(mineID)/messages").status == .notFound)
            #expect(
                try await client.publicCall(.post, base + "/contacts/\(stranger)/conversations/\(mineID)/messages", json: #"{"content": "x"}"#).status
                    == .notFound)
            #expect(try await client.publicCall(.post, base + "/contacts/\(stranger)/conversations/\(mineID)/toggle_status").status == .notFound)
            #expect(try await client.publicCall(.get, otherBase + "/contacts/\(otherSource)/conversations/\(mineID)").status == .notFound)
            #expect(try await client.publicCall(.get, base + "/contacts/\(stranger)/conversations").array.isEmpty)
            #expect(try await client.publicCall(.get, base + "/contacts/\(source)/conversations/abc").status == .notFound)
            #expect(try await client.publicCall(.get, base + "/contacts/\(source)/conversations/999999").status == .notFound)
            #expect(
                try await client.publicCall(
                    .patch, base + "/contacts/\(source)/conversations/\(mineID)/messages/999999", json: #"{"submitted_values": {}}"#
                ).status
                    == .notFound)
            #expect(try await client.publicCall(.get, "/survey/responses/\(UUID().uuidString.lowercased())").status == .notFound)
        }
    }

    @Test("Bad input answers Chatwoot's 4xx naming the field, never a 500")
    func badInput() async throws {
        try await ConversationWorld().run { client, _ in
            let (base, source) = try await client.widget("Strict")
            let contactPath = base + "/contacts/\(source)"
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status)] = [
                (.post, base + "/contacts", #"{"name": 5}"#, .badRequest),
                (.post, base + "/contacts", #"{"email": "not-an-email"}"#, .unprocessableContent),
                (.post, base + "/contacts", #"{"custom_attributes": "x"}"#, .unprocessableContent),
                (.post, base + "/contacts", #"{"phone_number": "12"}"#, .unprocessableContent),
                (.post, base + "/contacts", "{", .badRequest),
                (.patch, contactPath, #"{"email": 7}"#, .badRequest),
                (.patch, contactPath, #"{"email": "bad"}"#, .unprocessableContent),
                (.post, contactPath + "/conversations", #"{"custom_attributes": []}"#, .unprocessableContent),
                (.post, contactPath + "/conversations", #"{"custom_attributes": 3}"#, .unprocessableContent),
            ]
            for (method, uri, json, status) in cases {
                let response = try await client.publicCall(method, uri, json: json)
                #expect(response.status == status, "\(method) \(uri) \(json ?? ""): \(String(buffer: response.body))")
            }
            let conversation = try await client.publicCall(.post, contactPath + "/conversations", json: "{}")
            let id = try #require(conversation.object["id"] as? Int)
            let path = contactPath + "/conversations/\(id)"
            let message = try #require(try await client.publicCall(.post, path + "/messages", json: #"{"content": "hi"}"#).object["id"] as? Int)
            let more: [(HTTPRequest.Method, String, String?, HTTPResponse.Status)] = [
                (.post, path + "/messages", "{}", .unprocessableContent),
                (.post, path + "/messages", #"{"content": ""}"#, .unprocessableContent),
                (.post, path + "/messages", #"{"content": 5}"#, .badRequest),
                (.get, path + "/messages?before=abc", nil, .badRequest),
                (.patch, path + "/messages/\(message)", #"{"submitted_values": "x"}"#, .badRequest),
                (.patch, path + "/messages/\(message)", "{}", .unprocessableContent),
                (.patch, path + "/messages/\(message)", #"{"submitted_values": {"csat_survey_response": 3}}"#, .badRequest),
            ]
            for (method, uri, json, status) in more {
                let response = try await client.publicCall(method, uri, json: json)
                #expect(response.status == status, "\(method) \(uri) \(json ?? ""): \(String(buffer: response.body))")
                if let field = response.object["errors"] as? [[String: Any]] { #expect(field.first?["field"] is String) }
            }
            // An input_select answer is kept on the message.
            let answered = try await client.publicCall(
                .patch, path + "/messages/\(message)", json: #"{"submitted_values": [{"title": "Yes", "value": "yes", "extra": 1}]}"#)
            #expect(answered.status == .ok)
            let attributes = try #require(answered.object["content_attributes"] as? [String: Any])
            #expect((attributes["submitted_values"] as? [[String: String]]) == [["title": "Yes", "value": "yes"]])
        }
    }

    // MARK: CSAT

    @Test("csat_config is stored with Chatwoot's defaults, checked (422 naming it), and the survey honours its message, display type and label rules")
    func csatConfig() async throws {
        try await ConversationWorld().run { client, seed in
            let plain = try await client.chatwoot(.post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Unrated", "channel": {"type": "api"}}"#)
            #expect((plain.object["csat_config"] as? [String: Any])?.isEmpty == true)
            let made = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes",
                json:
                    #"{"name": "Starred", "csat_survey_enabled": true, "csat_config": {"display_type": "star", "message": "How did we do?", "survey_rules": {"values": ["vip"]}}, "channel": {"type": "api"}}"#
            )
            #expect(made.status == .ok, "\(String(buffer: made.body))")
            let inboxID = try #require(made.object["id"] as? Int)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let config = try #require(made.object["csat_config"] as? [String: Any])
            #expect(config["display_type"] as? String == "star")
            #expect(config["message"] as? String == "How did we do?")
            #expect((config["survey_rules"] as? [String: Any])?["operator"] as? String == "contains")
            #expect((config["survey_rules"] as? [String: Any])?["values"] as? [String] == ["vip"])
            let shown = try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes/\(inboxID)")
            #expect((shown.object["csat_config"] as? [String: Any])?["display_type"] as? String == "star")

            // Wrong types and values: 422 naming csat_config; the stored config stays.
            for bad in [
                #""thumbs""#, #"{"display_type": "thumbs"}"#, #"{"display_type": 5}"#, #"{"message": ["x"]}"#, #"{"survey_rules": "vip"}"#,
                #"{"survey_rules": {"operator": "is"}}"#, #"{"survey_rules": {"values": "vip"}}"#, #"{"survey_rules": {"values": [1]}}"#,
            ] {
                let refused = try await client.chatwoot(.patch, "/api/v1/accounts/1/inboxes/\(inboxID)", json: #"{"csat_config": \#(bad)}"#)
                #expect(refused.status == .unprocessableContent, "\(bad): \(String(buffer: refused.body))")
                #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "csat_config", "\(bad)")
            }
            #expect(
                (try await client.chatwoot(.get, "/api/v1/accounts/1/inboxes/\(inboxID)").object["csat_config"] as? [String: Any])?["message"]
                    as? String == "How did we do?")

            let base = "/public/api/v1/inboxes/\(identifier)"
            let source = try #require(
                try await client.publicCall(.post, base + "/contacts", json: #"{"name": "Vic"}"#).object["source_id"] as? String)
            /// Resolves a new conversation with `labels`; answers its survey message, if one was sent.
            func resolved(labels: [String]) async throws -> [String: Any]? {
                let path = base + "/contacts/\(source)/conversations"
                let id = try #require(try await client.publicCall(.post, path, json: "{}").object["id"] as? Int)
                let accountPath = "/api/v1/accounts/1/conversations/\(id)"
                if !labels.isEmpty {
                    let list = labels.map { "\"\($0)\"" }.joined(separator: ", ")
                    try await client.chatwoot(.post, accountPath + "/labels", json: #"{"labels": [\#(list)]}"#)
                }
                #expect(try await client.chatwoot(.post, accountPath + "/toggle_status", json: #"{"status": "resolved"}"#).status == .ok)
                return try await client.publicCall(.get, path + "/\(id)/messages").array.first { $0["content_type"] as? String == "input_csat" }
            }
            // `contains vip`: no survey without the label; with it, the config's message and display type.
            #expect(try await resolved(labels: []) == nil)
            let survey = try #require(try await resolved(labels: ["vip", "billing"]))
            #expect(survey["content"] as? String == "How did we do?")
            #expect((survey["content_attributes"] as? [String: Any])?["display_type"] as? String == "star")
            // `does_not_contain vip`, no message: the other way round, with Chatwoot's default text and emoji.
            let changed = try await client.chatwoot(
                .patch, "/api/v1/accounts/1/inboxes/\(inboxID)",
                json: #"{"csat_config": {"survey_rules": {"operator": "does_not_contain", "values": ["vip"]}}}"#)
            #expect((changed.object["csat_config"] as? [String: Any])?["display_type"] as? String == "emoji")
            #expect(try await resolved(labels: ["vip"]) == nil)
            let plainSurvey = try #require(try await resolved(labels: ["billing"]))
            #expect(plainSurvey["content"] as? String == "Please rate the conversation")
            #expect((plainSurvey["content_attributes"] as? [String: Any])?["display_type"] as? String == "emoji")
            _ = seed
        }
    }

    @Test("A resolve sends the CSAT survey once; the contact's rating is stored with the assignee and shown by the survey page")
    func csat() async throws {
        try await ConversationWorld().run { client, seed in
            let made = try await client.chatwoot(
                .post, "/api/v1/accounts/1/inboxes", json: #"{"name": "Rated", "csat_survey_enabled": true, "channel": {"type": "api"}}"#)
            let inboxID = try #require(made.object["id"] as? Int)
            let identifier = try #require(made.object["inbox_identifier"] as? String)
            let agent = try await client.chatwootUser("Rita Agent")
            try await seed.member(inbox: inboxID, user: agent.id)
            let base = "/public/api/v1/inboxes/\(identifier)"
            let created = try await client.publicCall(.post, base + "/contacts", json: #"{"name": "Carl"}"#)
            let contactID = try #require(created.object["id"] as? Int)
            let source = try #require(created.object["source_id"] as? String)
            let contactPath = base + "/contacts/\(source)"
            let conversation = try await client.publicCall(.post, contactPath + "/conversations", json: "{}")
            let id = try #require(conversation.object["id"] as? Int)
            let uuid = try #require(conversation.object["uuid"] as? String)
            let accountPath = "/api/v1/accounts/1/conversations/\(id)"
            try await client.chatwoot(.post, accountPath + "/assignments", json: #"{"assignee_id": \#(agent.id)}"#)
            // No survey before the resolve.
            #expect(try await client.publicCall(.get, "/survey/responses/\(uuid)").status == .notFound)
            #expect(try await client.chatwoot(.post, accountPath + "/toggle_status", json: #"{"status": "resolved"}"#).status == .ok)

            let path = contactPath + "/conversations/\(id)"
            let messages = try await client.publicCall(.get, path + "/messages")
            let survey = try #require(messages.array.last)
            #expect(survey["content_type"] as? String == "input_csat")
            #expect(survey["message_type"] as? Int == 3)
            #expect(survey["content"] as? String == "Please rate the conversation")
            let surveyID = try #require(survey["id"] as? Int)
            let page = try await client.publicCall(.get, "/survey/responses/\(uuid)", accept: "application/json")
            #expect(page.status == .ok)
            #expect(page.object["id"] as? Int == surveyID)
            #expect(page.object["csat_survey_response"] is NSNull)

            let tooHigh = try await client.publicCall(
                .patch, path + "/messages/\(surveyID)", json: #"{"submitted_values": {"csat_survey_response": {"rating": 6}}}"#)
            #expect(tooHigh.status == .unprocessableContent)
            #expect((tooHigh.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "rating")
            let rated = try await client.publicCall(
                .patch, path + "/messages/\(surveyID)",
                json: #"{"submitted_values": {"csat_survey_response": {"rating": 4, "feedback_message": "Quick, thanks"}}}"#)
            #expect(rated.status == .ok)
            let submitted = (rated.object["content_attributes"] as? [String: Any])?["submitted_values"] as? [String: Any]
            #expect((submitted?["csat_survey_response"] as? [String: Any])?["rating"] as? Int == 4)

            let stored = try await client.publicCall(.get, "/survey/responses/\(uuid)", accept: "application/json")
            let response = try #require(stored.object["csat_survey_response"] as? [String: Any])
            #expect(response["rating"] as? Int == 4)
            #expect(response["feedback_message"] as? String == "Quick, thanks")
            #expect(response["assigned_agent_id"] as? Int == agent.id)
            #expect(response["contact_id"] as? Int == contactID)
            #expect(response["message_id"] as? Int == surveyID)
            let html = try await client.publicCall(.get, "/survey/responses/\(uuid)")
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: html.body).contains("Rate your conversation"))
            #expect(String(buffer: html.body).contains("Quick, thanks"))

            // The survey page's own API changes the answer (one answer per survey).
            let changed = try await client.publicCall(
                .put, "/public/api/v1/csat_survey/\(uuid)",
                json: #"{"message": {"submitted_values": {"csat_survey_response": {"rating": 5, "feedback_message": "Even better"}}}}"#)
            #expect(changed.status == .ok)
            #expect((changed.object["csat_survey_response"] as? [String: Any])?["rating"] as? Int == 5)
            #expect((changed.object["csat_survey_response"] as? [String: Any])?["id"] as? Int == response["id"] as? Int)
            let shown = try await client.publicCall(.get, "/public/api/v1/csat_survey/\(uuid)")
            #expect((shown.object["csat_survey_response"] as? [String: Any])?["feedback_message"] as? String == "Even better")

            // Reopened and resolved again: no second survey.
            try await client.chatwoot(.post, accountPath + "/toggle_status", json: #"{"status": "open"}"#)
            try await client.publicCall(.post, path + "/toggle_status")
            let surveys = try await client.publicCall(.get, path + "/messages").array.filter { $0["content_type"] as? String == "input_csat" }
            #expect(surveys.count == 1)

            // An inbox without CSAT sends none.
            let (plain, plainSource) = try await client.widget("Unrated")
            let other = try await client.publicCall(.post, plain + "/contacts/\(plainSource)/conversations", json: "{}")
            let otherID = try #require(other.object["id"] as? Int)
            try await client.publicCall(.post, plain + "/contacts/\(plainSource)/conversations/\(otherID)/toggle_status")
            let none = try await client.publicCall(.get, plain + "/contacts/\(plainSource)/conversations/\(otherID)/messages")
            #expect(!none.array.contains { $0["content_type"] as? String == "input_csat" })
        }
    }
}

extension TestClientProtocol {
    /// Calls the Client API (no token); a 2xx JSON answer is checked against the swagger, less Chatwoot's known
    /// differences (``ChatwootClientAPITests/deviations``).
    @discardableResult func publicCall(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, accept: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if json != nil { headers[.contentType] = "application/json" }
        if let accept { headers[.accept] = accept }
        let response = try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        #expect(response.status != .internalServerError, "\(method) \(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        if !uri.hasPrefix("/public/api/v1/csat_survey"), !(uri.hasPrefix("/survey/") && accept != nil) {
            for violation in ChatwootClientAPITests.unexpected(response, method.rawValue, uri) {
                Issue.record(Comment(rawValue: violation), sourceLocation: sourceLocation)
            }
        }
        return response
    }

    /// A new API inbox (account 1) with one contact made through the Client API: the inbox's Client API base path
    /// and the contact's source id.
    func widget(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (base: String, source: String) {
        let made = try await self.chatwoot(
            .post, "/api/v1/accounts/1/inboxes", json: #"{"name": "\#(name)", "channel": {"type": "api"}}"#, sourceLocation: sourceLocation)
        let identifier = try #require(made.object["inbox_identifier"] as? String, sourceLocation: sourceLocation)
        let base = "/public/api/v1/inboxes/\(identifier)"
        let contact = try await self.publicCall(.post, base + "/contacts", json: #"{"name": "\#(name) Visitor"}"#, sourceLocation: sourceLocation)
        return (base, try #require(contact.object["source_id"] as? String, sourceLocation: sourceLocation))
    }
}

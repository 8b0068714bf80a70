import Configuration
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

@testable import ChatwootGroups

/// The app with its database reachable by the test (SQLite in a temporary file, or a PostgreSQL schema of its own),
/// to put in place inboxes and their members and custom attribute definitions, which other lanes' APIs make.
struct ContactFixture {
    let values: [AbsoluteConfigKey: ConfigValue]
    let directory: String

    init() throws {
        let directory = NSTemporaryDirectory() + "chatwoot-contacts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var values: [AbsoluteConfigKey: ConfigValue] = [
            "data.dir": .init(.string(directory), isSecret: false),
            "db.schema": .init(.string("t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)), isSecret: false),
        ]
        if TestConfiguration.databaseURL.hasPrefix("sqlite") {
            values["db.url"] = .init(.string("sqlite:\(directory)/chatwoot.sqlite"), isSecret: true)
        }
        self.values = values
        self.directory = directory
    }

    static func run(_ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        let fixture = try ContactFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let app = try await buildApplication(reader: TestConfiguration.reader(fixture.values))
        let database = try TestConfiguration.database(fixture.values)
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/readyz", method: .get)
            try await database.withRunning { try await body(client, database) }
        }
    }
}

extension Database {
    /// An inbox of `account` (as the inbox API makes one); answers its id.
    func contactInbox(account: Int = 1, _ name: String, channel: String = "Channel::Api", settings: String = "{}") async throws -> Int {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return try await self.transaction { tx in
            let row = try await tx.sql.insert(into: "inboxes")
                .columns("account_id", "name", "channel_type", "channel_id", "settings", "created_at", "updated_at")
                .values(account, name, channel, 1, settings, now, now).returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
    }

    func inboxMember(inbox: Int, user: Int) async throws {
        try await self.transaction { tx in
            try await tx.sql.insert(into: "inbox_members").columns("inbox_id", "user_id", "created_at").values(inbox, user, 0).run()
        }
    }

    /// Sets a contact's activity (what conversations write).
    func lastActivity(contact: Int, at milliseconds: Int64) async throws {
        try await self.transaction { tx in
            try await tx.sql.update("contacts").set("last_activity_at", to: milliseconds).where("id", .equal, contact).run()
        }
    }
}

extension TestClientProtocol {
    /// Creates a contact in account 1 from a JSON body; answers its id.
    func contact(
        _ json: String, account: Int = 1, token: String = TestConfiguration.bootstrapKey, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int {
        let response = try await self.execute(
            uri: "/api/v1/accounts/\(account)/contacts", method: .post, headers: [.apiAccessToken: token, .contentType: "application/json"],
            body: ByteBuffer(string: json))
        #expect(response.status == .ok, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        let payload = response.object["payload"] as? [String: Any]
        return try #require((payload?["contact"] as? [String: Any])?["id"] as? Int, sourceLocation: sourceLocation)
    }

    /// The ids a list answer holds, in order.
    func contactIDs(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws
        -> [Int]
    {
        let response = try await self.chatwoot(method, uri, json: json, sourceLocation: sourceLocation)
        #expect(response.status == .ok, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        return (response.object["payload"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }
}

@Suite("Chatwoot contacts")
struct ContactTests {
    static let accountPath = "/api/v1/accounts/1"

    @Test("Create answers Chatwoot's payload with the contact inbox; show, update (attributes merged) and the swagger")
    func createShowUpdate() async throws {
        try await ContactFixture.run { client, database in
            let inbox = try await database.contactInbox("API")
            let created = try await client.execute(
                uri: "\(Self.accountPath)/contacts", method: .post,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(
                    string: #"""
                        {"inbox_id": \#(inbox), "name": "Alice", "email": "Alice@Acme.INC", "phone_number": "+15550100",
                         "identifier": "ext-1", "additional_attributes": {"city": "Paris", "company": "Acme"}, "custom_attributes": {"plan": "gold"}}
                        """#))
            #expect(created.status == .ok)
            // Chatwoot's create answers `{payload: {contact, contact_inbox}}`; the swagger's `payload` is an array (decision 322).
            let violations = ChatwootSwagger.violations("POST", "\(Self.accountPath)/contacts", status: 200, body: Data(buffer: created.body))
            #expect(violations.count == 1)
            #expect(violations.first?.hasPrefix("POST /api/v1/accounts/{account_id}/contacts 200: $.payload is object(") == true)
            #expect(violations.first?.hasSuffix("not array") == true)
            let payload = try #require(created.object["payload"] as? [String: Any])
            let contact = try #require(payload["contact"] as? [String: Any])
            let id = try #require(contact["id"] as? Int)
            #expect(contact["email"] as? String == "alice@acme.inc")
            #expect(contact["availability_status"] as? String == "offline")
            #expect(contact["last_activity_at"] is NSNull)
            let contactInbox = try #require(payload["contact_inbox"] as? [String: Any])
            let source = try #require(contactInbox["source_id"] as? String)
            #expect(UUID(uuidString: source) != nil)
            #expect((contactInbox["inbox"] as? [String: Any])?["id"] as? Int == inbox)
            #expect(((contact["contact_inboxes"] as? [[String: Any]])?.first)?["source_id"] as? String == source)

            let shown = try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)")
            #expect(shown.status == .ok)
            let shownContact = try #require(shown.object["payload"] as? [String: Any])
            #expect(shownContact["name"] as? String == "Alice")
            #expect((shownContact["custom_attributes"] as? [String: Any])?["plan"] as? String == "gold")

            // Update: 200 with `{payload: contact}` (the swagger says 204; decision 322); hashes merged, not replaced.
            let updated = try await client.execute(
                uri: "\(Self.accountPath)/contacts/\(id)", method: .put,
                headers: [.apiAccessToken: TestConfiguration.bootstrapKey, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "Alice B", "custom_attributes": {"age": 30}, "blocked": true}"#))
            #expect(updated.status == .ok)
            let after = try #require(updated.object["payload"] as? [String: Any])
            #expect(after["name"] as? String == "Alice B")
            #expect(after["blocked"] as? Bool == true)
            let custom = try #require(after["custom_attributes"] as? [String: Any])
            #expect(custom["plan"] as? String == "gold" && custom["age"] as? Int == 30)
            #expect((after["additional_attributes"] as? [String: Any])?["city"] as? String == "Paris")
            let content = try #require(String(buffer: updated.body).data(using: .utf8))
            #expect(ChatwootSwagger.violations("GET", "\(Self.accountPath)/contacts/\(id)", status: 200, body: content).isEmpty)

            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/999999").status == .notFound)
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/abc").status == .notFound)
        }
    }

    @Test("Email, phone number and identifier are unique per account with Chatwoot's 422 messages; formats are checked")
    func uniqueness() async throws {
        try await ContactFixture.run { client, _ in
            _ = try await client.contact(#"{"name": "A", "email": "a@x.io", "phone_number": "+15550101", "identifier": "id-1"}"#)
            let clash = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts", json: #"{"name": "B", "email": "A@X.io", "phone_number": "+15550101", "identifier": "id-1"}"#)
            #expect(clash.status == .unprocessableContent)
            #expect(
                clash.object["message"] as? String
                    == "Email has already been taken, Phone number has already been taken, Identifier has already been taken")
            let bad = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts", json: #"{"name": "C", "email": "nope", "phone_number": "555"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.object["message"] as? String == "Email Invalid email, Phone number should be in e164 format")
            // Another account may hold the same email.
            let other = try await client.chatwootAccount("Other")
            let owner = try await client.chatwootUser("Other Owner", account: other, role: "administrator")
            _ = try await client.contact(#"{"name": "A", "email": "a@x.io"}"#, account: other, token: owner.token)
            // Wrong types and a non-object hash are 4xx naming the field, never a 500.
            let wrongType = try await client.chatwoot(.post, "\(Self.accountPath)/contacts", json: #"{"name": ["x"]}"#)
            #expect(wrongType.status == .badRequest)
            let notObject = try await client.chatwoot(.post, "\(Self.accountPath)/contacts", json: #"{"name": "D", "custom_attributes": [1]}"#)
            #expect(notObject.status == .unprocessableContent)
            #expect(String(buffer: notObject.body).contains("custom_attributes"))
            let unknownInbox = try await client.chatwoot(.post, "\(Self.accountPath)/contacts", json: #"{"name": "E", "inbox_id": 424242}"#)
            #expect(unknownInbox.status == .notFound)
        }
    }

    @Test("Labels replace the contact's list; contact inboxes and contactable inboxes follow the channel and the caller's inboxes")
    func labelsAndInboxes() async throws {
        try await ContactFixture.run { client, database in
            let id = try await client.contact(#"{"name": "Dan", "email": "dan@x.io", "phone_number": "+15550199"}"#)
            let labels = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts/\(id)/labels", json: #"{"labels": ["support", "billing", "support", " "]}"#)
            #expect(labels.object["payload"] as? [String] == ["support", "billing"])
            #expect(
                try await client.chatwoot(.post, "\(Self.accountPath)/contacts/\(id)/labels", json: #"{"labels": ["billing"]}"#).object["payload"]
                    as? [String] == ["billing"])
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)/labels").object["payload"] as? [String] == ["billing"])
            #expect(try await client.chatwoot(.post, "\(Self.accountPath)/contacts/\(id)/labels", json: #"{"labels": "x"}"#).status == .badRequest)

            let api = try await database.contactInbox("API")
            let email = try await database.contactInbox("Mail", channel: "Channel::Email")
            let whatsapp = try await database.contactInbox("WA", channel: "Channel::Whatsapp")
            let web = try await database.contactInbox("Web", channel: "Channel::WebWidget")
            let made = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts/\(id)/contact_inboxes", json: #"{"inbox_id": \#(api), "source_id": "src-1"}"#)
            #expect(made.status == .ok)
            #expect(made.object["source_id"] as? String == "src-1")
            #expect((made.object["inbox"] as? [String: Any])?["channel_type"] as? String == "Channel::Api")
            let byEmail = try await client.chatwoot(.post, "\(Self.accountPath)/contacts/\(id)/contact_inboxes", json: #"{"inbox_id": \#(email)}"#)
            #expect(byEmail.object["source_id"] as? String == "dan@x.io")
            let other = try await client.contact(#"{"name": "Eve", "email": "eve@x.io"}"#)
            let taken = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts/\(other)/contact_inboxes", json: #"{"inbox_id": \#(api), "source_id": "src-1"}"#)
            #expect(taken.status == .unprocessableContent)
            let noInbox = try await client.chatwoot(.post, "\(Self.accountPath)/contacts/\(id)/contact_inboxes", json: #"{"inbox_id": 999999}"#)
            #expect(noInbox.status == .notFound)
            #expect(noInbox.object["error"] as? String == "Inbox not found")
            let noPhone = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts/\(other)/contact_inboxes", json: #"{"inbox_id": \#(whatsapp)}"#)
            #expect(noPhone.status == .unprocessableContent)
            #expect(noPhone.object["error"] as? String == "param is missing or the value is empty: contact phone number")

            let contactable = try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)/contactable_inboxes")
            let offered = (contactable.object["payload"] as? [[String: Any]] ?? []).map {
                (($0["inbox"] as? [String: Any])?["id"] as? Int ?? 0, $0["source_id"] as? String ?? "")
            }
            // The website inbox has no contact inbox for Dan, so it is not offered.
            #expect(offered.map(\.0) == [api, email, whatsapp])
            #expect(offered.map(\.1) == ["src-1", "dan@x.io", "15550199"])
            _ = web

            // An agent is offered only the inboxes they belong to, and cannot join the contact to another.
            let agent = try await client.chatwootUser("Agent Contacts")
            try await database.inboxMember(inbox: email, user: agent.id)
            let agentView = try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)/contactable_inboxes", token: agent.token)
            #expect((agentView.object["payload"] as? [[String: Any]])?.compactMap { ($0["inbox"] as? [String: Any])?["id"] as? Int } == [email])
            let refused = try await client.chatwoot(
                .post, "\(Self.accountPath)/contacts/\(other)/contact_inboxes", token: agent.token, json: #"{"inbox_id": \#(api)}"#)
            #expect(refused.status == .unauthorized)
        }
    }

    @Test("Agents see every contact but only administrators delete; another account's contacts are 404; merge moves inboxes and attributes")
    func accessDeleteMerge() async throws {
        try await ContactFixture.run { client, database in
            let agent = try await client.chatwootUser("Agent Delete")
            let id = try await client.contact(#"{"name": "Frank", "email": "frank@x.io"}"#)
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)", token: agent.token).status == .ok)
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts", token: agent.token).status == .ok)
            let refused = try await client.chatwoot(.delete, "\(Self.accountPath)/contacts/\(id)", token: agent.token)
            #expect(refused.status == .unauthorized)
            #expect(refused.object["error"] as? String == "You are not authorized to do this action")

            let other = try await client.chatwootAccount("Elsewhere")
            let owner = try await client.chatwootUser("Elsewhere Owner", account: other, role: "administrator")
            let foreign = try await client.contact(#"{"name": "Gina", "email": "gina@x.io"}"#, account: other, token: owner.token)
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(foreign)").status == .notFound)
            #expect(try await client.chatwoot(.put, "\(Self.accountPath)/contacts/\(foreign)", json: #"{"name": "x"}"#).status == .notFound)
            #expect(try await client.chatwoot(.delete, "\(Self.accountPath)/contacts/\(foreign)").status == .notFound)
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(foreign)/labels").status == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/\(other)/contacts", token: agent.token).status == .unauthorized)

            // Merge: the base keeps its values, gains the mergee's missing ones and contact inboxes; the mergee is gone.
            let inbox = try await database.contactInbox("API")
            let mergee = try await client.contact(
                #"{"name": "Frank Two", "phone_number": "+15550777", "inbox_id": \#(inbox), "additional_attributes": {"city": "Rome"}}"#)
            let merged = try await client.chatwoot(
                .post, "\(Self.accountPath)/actions/contact_merge", json: #"{"base_contact_id": \#(id), "mergee_contact_id": \#(mergee)}"#)
            #expect(merged.status == .ok)
            #expect(merged.object["name"] as? String == "Frank")
            #expect(merged.object["phone_number"] as? String == "+15550777")
            #expect((merged.object["additional_attributes"] as? [String: Any])?["city"] as? String == "Rome")
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(mergee)").status == .notFound)
            let base = try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)")
            #expect(((base.object["payload"] as? [String: Any])?["contact_inboxes"] as? [[String: Any]])?.count == 1)
            #expect(
                try await client.chatwoot(
                    .post, "\(Self.accountPath)/actions/contact_merge", json: #"{"base_contact_id": \#(id), "mergee_contact_id": \#(foreign)}"#
                )
                .status == .notFound)

            let deleted = try await client.chatwoot(.delete, "\(Self.accountPath)/contacts/\(id)")
            #expect(deleted.status == .ok)
            #expect(try await client.chatwoot(.get, "\(Self.accountPath)/contacts/\(id)").status == .notFound)
        }
    }
}

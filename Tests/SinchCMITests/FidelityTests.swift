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

@testable import SinchCMI

/// The findings of the 2026-12-01 fidelity review (`CMI-n`), each pinned by the behaviour the seed asks for.
@Suite("sinch-cmi fidelity")
struct FidelityTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)
    static let queueID = "97C9F85A2F55484198FD908C6A97FA7D"

    static func send(
        _ method: HTTPRequest.Method, _ uri: String, _ body: String = "", headers: HTTPFields = [:], client: some TestClientProtocol
    ) async throws -> TestResponse {
        var fields: HTTPFields = [.authorization: admin, .contentType: "application/json"]
        fields.append(contentsOf: headers)
        return try await client.execute(uri: uri, method: method, headers: fields, body: ByteBuffer(string: body))
    }

    static func json<T: Decodable>(_ type: T.Type, _ uri: String, client: some TestClientProtocol) async throws -> T {
        let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: admin])
        #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
        return try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
    }

    static func load(_ record: CMIContactRecord, client: some TestClientProtocol) async throws {
        let body = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        #expect(try await send(.put, "/RI/cmi-admin/contacts/\(record.contact.id)", body, client: client).status == .noContent)
    }

    static func contact(
        _ n: Int, group: String, channel: CMIContactChannel, status: CMIContactStatus, arrival: String, disconnect: String? = nil
    ) -> CMIContactRecord {
        CMIContactRecord(
            contact: CMIContact(
                id: String(format: "C%031d", n), contactGroupId: group, channel: channel, type: channel == .phone ? .callIn : .chatIn,
                typeDetails: "x",
                status: status, statusDetails: "x", source: "s\(n)", destination: "d", queueId: queueID, arrivalTime: arrival,
                disconnectTime: disconnect, totalDuration: 0
            ))
    }

    @Test("CMI-1: pickable=true&limit=1 finds the pickable contact behind newer ones that are not (the filter runs before the limit)")
    func pickableBeforeLimit() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.load(
                Self.contact(1, group: "D0000000000000000000000000000001", channel: .chat, status: .inQueue, arrival: "2020-01-01T00:00:00.000Z"),
                client: client)
            for n in 2...4 {
                try await Self.load(
                    Self.contact(
                        n, group: "D000000000000000000000000000000\(n)", channel: .phone, status: .inQueue, arrival: "2020-01-0\(n)T00:00:00.000Z"),
                    client: client)
            }
            let ids = try await Self.json([CMIContact].self, "/RI/cmi/contacts?pickable=true&limit=1", client: client).map(\.id)
            #expect(ids == [String(format: "C%031d", 1)])
        }
    }

    @Test("CMI-7: contacts sort by the computed durations and connect time too; a field that cannot be ordered is a 400")
    func sortComputed() async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2020-01-10T00:00:00Z")!)
        try await buildApplication(reader: TestConfiguration.reader(), clock: clock.wallClock).test(.router) { client in
            // 1 lasted a day, 2 an hour, 3 is still open (nine days so far).
            try await Self.load(
                Self.contact(
                    1, group: "D0000000000000000000000000000001", channel: .phone, status: .handled, arrival: "2020-01-01T00:00:00.000Z",
                    disconnect: "2020-01-02T00:00:00.000Z"), client: client)
            try await Self.load(
                Self.contact(
                    2, group: "D0000000000000000000000000000002", channel: .phone, status: .handled, arrival: "2020-01-05T00:00:00.000Z",
                    disconnect: "2020-01-05T01:00:00.000Z"), client: client)
            try await Self.load(
                Self.contact(3, group: "D0000000000000000000000000000003", channel: .chat, status: .inQueue, arrival: "2020-01-01T00:00:00.000Z"),
                client: client)
            let shortest = try await Self.json([CMIContact].self, "/RI/cmi/contacts?sort=totalDuration", client: client).map(\.id.last)
            #expect(shortest == ["2", "1", "3"])
            #expect(try await Self.json([CMIContact].self, "/RI/cmi/contacts?sort=-waitingDuration&limit=1", client: client).map(\.id.last) == ["3"])
            let bad = try await client.execute(uri: "/RI/cmi/contacts?sort=requiredAgent", method: .get, headers: [.authorization: Self.admin])
            #expect(bad.status == .badRequest && String(buffer: bad.body) == "Invalid value for sort: requiredAgent")
        }
    }

    @Test("CMI-8: a contact group is found by its 32- and its 36-character spelling, in the filter and the remarks path")
    func groupSpellings() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.load(
                Self.contact(1, group: "B4AFCD2C-A791-4D1D-8ED6-AF4E25AEA096", channel: .chat, status: .inQueue, arrival: "2020-01-01T00:00:00.000Z"),
                client: client)
            for spelling in ["B4AFCD2CA7914D1D8ED6AF4E25AEA096", "b4afcd2c-a791-4d1d-8ed6-af4e25aea096"] {
                #expect(try await Self.json([CMIContact].self, "/RI/cmi/contacts?contactGroupId=\(spelling)", client: client).count == 1)
            }
            let remarks = try await client.execute(
                uri: "/RI/cmi/contacts/B4AFCD2CA7914D1D8ED6AF4E25AEA096/remarks", method: .get, headers: [.authorization: Self.admin])
            #expect(remarks.status == .notFound)  // the group is found; it has no remarks yet (a 400 or unknown group would differ in body)
            #expect(String(buffer: remarks.body) == "HTTP 404 Not Found")
        }
    }

    @Test("CMI-6: chat filters compare trimmed and ignoring case: the seed's destination finds its stored ' 123456Support@Test.com'")
    func chatFilters() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = CMIChat(
                id: "5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A", channelType: "chat", channelSubType: "text", originator: "Visitor@Example.com",
                destination: " 123456Support@Test.com", dateCreated: "2019-09-08T11:09:14.000Z",
                fromQueue: CMIQueueRef(id: Self.queueID, name: "Sales")
            )
            let body = String(decoding: try JSONEncoder().encode(chat), as: UTF8.self)
            #expect(try await Self.send(.put, "/RI/cmi-admin/chats/\(chat.id)", body, client: client).status == .noContent)
            for query in ["destination=123456Support@Test.com", "originator=visitor@example.com%20", "channel_sub_type=TEXT"] {
                #expect(try await Self.json([CMIChat].self, "/RI/cmi/chats?\(query)", client: client).map(\.id) == [chat.id], "\(query)")
            }
            // CMI-5: a loaded chat without type and status gets them derived: inbound history, handled.
            let loaded = try await Self.json(CMIChat.self, "/RI/cmi/chats/\(chat.id)", client: client)
            #expect(loaded.type == .chatIn && loaded.typeDetails == "Chat" && loaded.status == .handled && loaded.statusDetails == "Handled")
        }
    }

    @Test("CMI-5: an email loaded without the seed's required members gets them derived")
    func emailRequiredMembers() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let email = CMIEmail(
                id: "E0000000000000000000000000000001", fromQueue: CMIQueueRef(id: Self.queueID, name: "Sales"), channelType: "email",
                channelSubType: "outbound",
                status: "Sent", title: "Offer", content: "Hi",
                attachments: [CMIAttachmentInfo(id: "1", filename: "a.pdf", mimeType: "application/pdf", size: 1)],
                originator: "sales@x.com", destination: "c@y.com", fromAddress: CMIEmailAddress(address: "sales@x.com"),
                toAddress: [CMIEmailAddress(address: "c@y.com")], dateCreated: "2020-01-01T00:00:00Z"
            )
            let body = String(decoding: try JSONEncoder().encode(email), as: UTF8.self)
            #expect(try await Self.send(.put, "/RI/cmi-admin/emails/\(email.id)", body, client: client).status == .noContent)
            let loaded = try await Self.json(CMIEmail.self, "/RI/cmi/emails/\(email.id)", client: client)
            #expect(loaded.type == .emailOut && loaded.typeDetails == "EMAILOUT" && loaded.statusDetails == "Sent")
            #expect(loaded.attachments?.first?.originator == .agent && loaded.toAddress.first?.name == "c@y.com")
            #expect(loaded.dateCreated == "2020-01-01T00:00:00.000Z")  // the seed's form, milliseconds included
        }
    }

    @Test(
        "CMI-2, CMI-12, CMI-13, CMI-15: creationDate beside creationTime; absolute, routable Locations; the original queue; a challenge on every 401")
    func smallerFindings() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let queue = #"{"id": "\#(Self.queueID)", "name": "Sales", "addresses": ["152", "12345678@sms.social365.com"]}"#
            #expect(try await Self.send(.put, "/RI/cmi-admin/queues/\(Self.queueID)", queue, client: client).status == .noContent)
            #expect(
                try await Self.send(.put, "/RI/cmi-admin/settings", #"{"callbackIvrNumber": "+358201234567"}"#, client: client).status == .noContent)

            // CMI-13: the original queue is the one the body names (the seed's 152 beside 153), named after its queue.
            let callback = try await Self.send(
                .post, "/RI/cmi/callbacks", #"{"callbackQueueNumber": "153", "customerNumber": "1", "originalQueueNumber": "152"}"#, client: client)
            let stored = try await Self.json(CMICallback.self, "/RI/cmi/callbacks/\(String(buffer: callback.body))", client: client)
            #expect(stored.callbackQueueNumber == "153" && stored.originalQueueNumber == "152" && stored.originalQueueName == "Sales")

            // CMI-12: behind the gateway, the Location is the client's own origin.
            let forwarded: HTTPFields = [HTTPField.Name("X-Forwarded-Host")!: "cmi.example.com", HTTPField.Name("X-Forwarded-Proto")!: "https"]
            let message =
                #"{"message": "Hi", "source": "12345678@sms.social365.com", "subType": "sms", "sendTime": "2030-01-01T00:00:00Z", "destinations": {"destination": [{"address": "+1"}]}}"#
            let created = try await Self.send(.post, "/RI/cmi/messages", message, headers: forwarded, client: client)
            let id = String(buffer: created.body)
            #expect(created.headers[.location] == "https://cmi.example.com/RI/cmi/messages/\(id)")

            // CMI-2: the creation time under the schema's name too.
            let shown = try await Self.json(CMIMessage.self, "/RI/cmi/messages/\(id)", client: client)
            #expect(shown.creationDate != nil && shown.creationDate == shown.creationTime)

            // CMI-12: the listen-log entry's Location is served.
            let recording =
                #"{"id": "A0000000000000000000000000000001", "call_id": "CA000000000000000000000000000001", "contact_id": "CC000000000000000000000000000001", "owner_id": "0A000000000000000000000000000001", "owner_type": "queue", "owner_name": "Sales", "file_name": "x.wav", "file_path": "", "creation_time": "2017-07-01T10:00:00Z"}"#
            #expect(
                try await Self.send(.put, "/RI/cmi-admin/callRecordings/A0000000000000000000000000000001", recording, client: client).status
                    == .noContent)
            let entry = try await Self.send(
                .post, "/RI/cmi/callRecordings/A0000000000000000000000000000001/listenLog", #"{"description": "qa", "userSessionId": "S"}"#,
                client: client)
            let location = try #require(entry.headers[.location])
            let path = String(location.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            #expect(try await Self.json(CMIListenLog.self, path, client: client).id == String(buffer: entry.body))

            // CMI-15: without credentials, the 401 still names the scheme.
            let anonymous = try await client.execute(uri: "/RI/cmi/emails", method: .get)
            #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] == "Basic realm=\"CMI\"")
        }
    }

    @Test("CMI-9: `language` translates the chat types POST /chats writes (L590: Chat, ChatOut), in Finnish and Swedish, chats and contacts")
    func chatTranslations() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await ChatTests.defineQueue(client)
            let inbound = String(buffer: try await Self.send(.post, "/RI/cmi/chats", ChatTests.inbound, client: client).body)
            let chatout = ChatTests.inbound.replacingOccurrences(of: #""channel_type": "chat""#, with: #""channel_type": "chatout""#)
            let outbound = String(buffer: try await Self.send(.post, "/RI/cmi/chats", chatout, client: client).body)
            let finnish = try await Self.json(CMIChat.self, "/RI/cmi/chats/\(inbound)?language=FI", client: client)
            #expect(finnish.typeDetails == "Chatti" && finnish.statusDetails == "Avoin")
            let swedish = try await Self.json([CMIChat].self, "/RI/cmi/chats?language=sv", client: client)
            #expect(Set(swedish.map { "\($0.typeDetails ?? "") \($0.statusDetails ?? "")" }) == ["Chatt Öppen", "Utgående chatt Skickad"])
            let contact = try await Self.json(CMIContact.self, "/RI/cmi/contacts/\(outbound)?language=sv", client: client)
            #expect(contact.typeDetails == "Utgående chatt" && contact.statusDetails == "Skickad")
            let english = try await Self.json(CMIChat.self, "/RI/cmi/chats/\(outbound)", client: client)
            #expect(english.typeDetails == "ChatOut" && english.statusDetails == "Sent")
        }
        // Every operative type and status the seed names (L47, L50, L590, L1503) has a Finnish and a Swedish entry.
        let seed = [
            "ACTION", "Chat", "ChatOut", "EMAIL", "EMAILOUT", "TASK", "OII_EMAIL", "Deleted", "Handled", "Closed", "Pending", "Sent", "Open",
            "Forwarded",
        ]
        #expect(seed.allSatisfy { CMITranslations.translate($0, to: "sv") != $0 && CMITranslations.translate($0, to: "FI") != $0 })
    }

    @Test("A database made before the relational tables keeps its data: migration 009 moves the JSON documents into rows")
    func legacyDocumentsMove() async throws {
        let database = try TestConfiguration.database()
        try await database.withRunning {
            // The schema as releases before 009 left it (their migrations 002 and 004–008, verbatim).
            let legacy = LegacySchema.migrations
            try await database.migrate(
                ServiceKitMigrations.all + [SinchMigrations.all[0], SinchMigrations.all[1]] + legacy, logger: TestConfiguration.logger)
            let email = EmailAndScriptResultTests.email
            try await database.transaction { tx in
                try await tx.sql.insert(into: "emails").columns("id", "case_id", "cid", "date_created", "document")
                    .values(
                        SQLBind(email.id), SQLBind(email.caseId), SQLBind(email.cid), SQLBind(email.dateCreated),
                        SQLBind(String(decoding: try JSONEncoder().encode(email), as: UTF8.self))
                    ).run()
                let queue = CMIQueue(id: Self.queueID, name: "Sales", addresses: ["152"])
                try await tx.sql.insert(into: "queues").columns("id", "name", "document")
                    .values(SQLBind(queue.id), SQLBind(queue.name), SQLBind(String(decoding: try JSONEncoder().encode(queue), as: UTF8.self))).run()
            }
            try await database.migrate(ServiceKitMigrations.all + SinchMigrations.all, logger: TestConfiguration.logger)
            #expect(try await database.read { try await $0.emails.email(id: email.id) } == email)
            #expect(try await database.read { try await $0.queues.queue(address: "152") }?.name == "Sales")
        }
    }
}

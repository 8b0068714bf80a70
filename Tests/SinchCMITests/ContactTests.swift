import Configuration
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

@testable import SinchCMI

@Suite("sinch-cmi contacts")
struct ContactTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)
    static let agent = basicAuthorization("agent", "agent-password")
    static let agentID = "AAAA0000000000000000000000000001"
    static let queueID = "97C9F85A2F55484198FD908C6A97FA7D"
    static let start = Date(timeIntervalSince1970: 1_571_319_349)  // 2019-10-17T13:35:49Z

    static func at(_ seconds: TimeInterval) -> String { CMITime.format(start.addingTimeInterval(seconds)) }

    static func record(
        _ id: String, group: String, channel: CMIContactChannel, type: CMIContactType, status: CMIContactStatus, source: String,
        arrival: TimeInterval, disconnect: TimeInterval? = nil, connect: TimeInterval? = nil, wrapUpEnd: TimeInterval? = nil,
        agent: String? = nil, queue: String? = queueID, subject: String? = nil, body: String? = nil, remarks: String? = nil, caseId: String? = nil,
        creator: String? = nil
    ) -> CMIContactRecord {
        CMIContactRecord(
            contact: CMIContact(
                id: id, contactGroupId: group, channel: channel, type: type, typeDetails: channel == .phone ? "IVR" : "EMAILIN", status: status,
                statusDetails: "Handled", source: source, destination: "+358201234567", agentId: agent, queueId: queue,
                arrivalTime: at(arrival), disconnectTime: disconnect.map(at), totalDuration: 0, subject: subject
            ),
            connectTime: connect.map(at), wrapUpEndTime: wrapUpEnd.map(at), body: body, remarks: remarks, caseId: caseId, creatorId: creator
        )
    }

    static let phone = record(
        "C0000000000000000000000000000001", group: "D0000000000000000000000000000001", channel: .phone, type: .callIn, status: .handled,
        source: "+35840987654", arrival: 0, disconnect: 70, connect: 10, wrapUpEnd: 100, agent: agentID
    )
    static let email = record(
        "C0000000000000000000000000000002", group: "B4AFCD2C-A791-4D1D-8ED6-AF4E25AEA096", channel: .email, type: .emailIn, status: .inProcess,
        source: "customer@example.com", arrival: 100, agent: agentID, subject: "Invoice question", body: "My invoice 123 is wrong",
        remarks: "Customer called twice", caseId: "68108"
    )
    static let queuedChat = record(
        "C0000000000000000000000000000003", group: "C4AFCD2C-A791-4D1D-8ED6-AF4E25AEA097", channel: .chat, type: .chatIn, status: .inQueue,
        source: "visitor@example.com", arrival: 200, subject: "Delivery", body: "where is my parcel", remarks: ""
    )
    static let otherAgentsEmail = record(
        "C0000000000000000000000000000004", group: "D4AFCD2C-A791-4D1D-8ED6-AF4E25AEA098", channel: .email, type: .emailOut, status: .inProcess,
        source: "sales@example.com", arrival: 300, agent: "BBBB0000000000000000000000000002", subject: "Offer", body: "offer", remarks: "",
        creator: "BBBB0000000000000000000000000002"
    )

    static func setUp(_ client: some TestClientProtocol, rights: [String] = ["SERVE", "STATISTICS_DETAILS"]) async throws {
        for record in [phone, email, queuedChat, otherAgentsEmail] {
            let response = try await client.execute(
                uri: "/RI/cmi-admin/contacts/\(record.contact.id)", method: .put, headers: [.authorization: admin, .contentType: "application/json"],
                body: ByteBuffer(data: try JSONEncoder().encode(record))
            )
            #expect(response.status == .noContent)
        }
        let user = CMIUserDefinition(guid: agentID, login: "agent", name: "Agent Smith", language: "fi", rights: rights, password: "agent-password")
        let created = try await client.execute(
            uri: "/RI/cmi-admin/users/agent", method: .put, headers: [.authorization: admin, .contentType: "application/json"],
            body: ByteBuffer(data: try JSONEncoder().encode(user))
        )
        #expect(created.status == .noContent)
    }

    static func ids(_ query: String, as credential: String = admin, client: some TestClientProtocol) async throws -> [String] {
        let response = try await client.execute(uri: "/RI/cmi/contacts?\(query)", method: .get, headers: [.authorization: credential])
        #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
        return try JSONDecoder().decode([CMIContact].self, from: Data(buffer: response.body)).map(\.id)
    }

    static func app(clock: ManualClock) async throws -> some ApplicationProtocol {
        try await buildApplication(reader: TestConfiguration.reader(), clock: clock.wallClock)
    }

    @Test("Searches: addresses with wildcards, overlapping time windows, full text, lists, any fields, sort and limit")
    func search() async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(1000))
        try await Self.app(clock: clock).test(.router) { client in
            try await Self.setUp(client)
            #expect(
                try await Self.ids("", client: client) == [
                    "C0000000000000000000000000000004", "C0000000000000000000000000000003", "C0000000000000000000000000000002",
                    "C0000000000000000000000000000001",
                ])
            #expect(try await Self.ids("search=*987654", client: client) == ["C0000000000000000000000000000001"])
            #expect(
                try await Self.ids("search=*987654,customer@example.com", client: client) == [
                    "C0000000000000000000000000000002", "C0000000000000000000000000000001",
                ])
            // The phone call ran 0–70 s; the email arrived at 100 s and is still open.
            #expect(try await Self.ids("startTime=\(Self.at(50))&endTime=\(Self.at(60))", client: client) == ["C0000000000000000000000000000001"])
            #expect(try await Self.ids("startTime=\(Self.at(80))&endTime=\(Self.at(150))", client: client) == ["C0000000000000000000000000000002"])
            #expect(try await Self.ids("subject=invoice%20QUESTION", client: client) == ["C0000000000000000000000000000002"])
            #expect(try await Self.ids("body=parcel", client: client) == ["C0000000000000000000000000000003"])
            #expect(try await Self.ids("remarks=twice", client: client) == ["C0000000000000000000000000000002"])
            #expect(try await Self.ids("caseId=68108", client: client) == ["C0000000000000000000000000000002"])
            #expect(
                try await Self.ids("agentId=\(Self.agentID),BBBB0000000000000000000000000002&limit=2", client: client) == [
                    "C0000000000000000000000000000004", "C0000000000000000000000000000002",
                ])
            #expect(
                try await Self.ids("contactGroupId=B4AFCD2C-A791-4D1D-8ED6-AF4E25AEA096,D0000000000000000000000000000001", client: client) == [
                    "C0000000000000000000000000000002", "C0000000000000000000000000000001",
                ])
            #expect(try await Self.ids("source=%2B358*&channel=PHONE", client: client) == ["C0000000000000000000000000000001"])
            #expect(try await Self.ids("sort=arrivalTime&limit=1", client: client) == ["C0000000000000000000000000000001"])
            #expect(try await Self.ids("sort=-source,LOCALE-fi", client: client).first == "C0000000000000000000000000000003")
            for (query, message) in [
                ("colour=red", "Invalid search field: colour"), ("sort=colour", "Invalid value for sort: colour"),
                ("agentId=nope", "Invalid GUID: 'nope'"), ("pickable=maybe", "Invalid value for pickable: maybe"),
                ("startTime=soon", "Invalid value for startTime: soon"),
            ] {
                let response = try await client.execute(uri: "/RI/cmi/contacts?\(query)", method: .get, headers: [.authorization: Self.admin])
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body) == message)
            }
        }
    }

    @Test("Durations follow the formulas against the current time, and only statistics=true shows them")
    func statistics() async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(150))
        try await Self.app(clock: clock).test(.router) { client in
            try await Self.setUp(client)
            func contact(_ id: String, _ query: String = "") async throws -> CMIContact {
                let response = try await client.execute(uri: "/RI/cmi/contacts/\(id)?\(query)", method: .get, headers: [.authorization: Self.admin])
                return try JSONDecoder().decode(CMIContact.self, from: Data(buffer: response.body))
            }
            let plain = try await contact(Self.phone.contact.id)
            #expect(plain.totalDuration == 70_000)
            #expect(plain.waitingDuration == nil && plain.handlingDuration == nil && plain.connectTime == nil)
            // Connected at 10 s, ended at 70 s, wrap-up ended at 100 s.
            let call = try await contact(Self.phone.contact.id, "statistics=true")
            #expect(call.connectTime == Self.at(10))
            #expect((call.waitingDuration, call.handlingDuration, call.wrapUpTotalDuration) == (10_000, 60_000, 30_000))
            #expect(call.waitingDuration! + call.handlingDuration! == call.totalDuration)
            // Arrived at 100 s, never connected, still open: now is 150 s.
            let open = try await contact(Self.email.contact.id, "statistics=true")
            #expect((open.totalDuration, open.waitingDuration, open.handlingDuration, open.wrapUpTotalDuration) == (50_000, 50_000, 0, 0))
            clock.advance(by: 30)
            #expect(try await contact(Self.email.contact.id).totalDuration == 80_000)
            let listed = try await client.execute(
                uri: "/RI/cmi/contacts?statistics=true&search=*987654", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMIContact].self, from: Data(buffer: listed.body)).first?.handlingDuration == 60_000)
        }
    }

    @Test("pickable=true keeps chats and emails the user may serve: queued ones, inbound emails in process, never calls")
    func pickable() async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(1000))
        try await Self.app(clock: clock).test(.router) { client in
            try await Self.setUp(client)
            #expect(
                try await Self.ids("pickable=true", as: Self.agent, client: client) == [
                    "C0000000000000000000000000000003", "C0000000000000000000000000000002",
                ])
            try await Self.setUp(client, rights: ["STATISTICS_DETAILS"])
            #expect(try await Self.ids("pickable=true", as: Self.agent, client: client) == [])
            // The agent's language is Finnish: typeDetails are translated by default.
            let response = try await client.execute(
                uri: "/RI/cmi/contacts/\(Self.email.contact.id)", method: .get, headers: [.authorization: Self.agent])
            #expect(try JSONDecoder().decode(CMIContact.self, from: Data(buffer: response.body)).statusDetails == "Käsitelty")
        }
    }

    @Test("Remarks: added once to a phone call by its agent, then updated; other agents get 403, emails a 400 on POST")
    func remarks() async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(1000))
        try await Self.app(clock: clock).test(.router) { client in
            try await Self.setUp(client)
            let group = Self.phone.contact.contactGroupId
            func remarks(
                _ method: HTTPRequest.Method, _ group: String, _ text: String = "", as credential: String = ContactTests.agent
            ) async throws -> TestResponse {
                try await client.execute(
                    uri: "/RI/cmi/contacts/\(group)/remarks", method: method, headers: [.authorization: credential, .contentType: "text/plain"],
                    body: ByteBuffer(string: text)
                )
            }
            #expect(try await remarks(.get, group).status == .notFound)
            #expect(try await remarks(.post, group, "New remarks.", as: Self.admin).status == .forbidden)
            #expect(try await remarks(.put, group, "x").status == .notFound)  // not in the operative database yet
            #expect(try await remarks(.post, group, "New remarks.").status == .noContent)
            let read = try await remarks(.get, group)
            #expect(String(buffer: read.body) == "New remarks." && read.headers[.contentType] == "text/plain")
            #expect(try await remarks(.post, group, "Again.").status == .conflict)
            #expect(try await remarks(.put, group, "Updated remarks.").status == .noContent)
            #expect(String(buffer: try await remarks(.get, group).body) == "Updated remarks.")
            #expect(
                try await client.execute(uri: "/RI/cmi/contacts?remarks=updated", method: .get, headers: [.authorization: Self.admin]).status == .ok)

            let email = Self.email.contact.contactGroupId
            let onEmail = try await remarks(.post, email, "x")
            #expect(onEmail.status == .badRequest && String(buffer: onEmail.body) == "Remarks can be added only to phone calls")
            #expect(try await remarks(.put, email, "Checked the invoice").status == .noContent)
            #expect(try await remarks(.get, "E0000000000000000000000000000009").status == .notFound)
            #expect(try await remarks(.get, "not-a-group").status == .badRequest)
        }
    }

    @Test("A chat created through the CMI is also a contact of channel CHAT")
    func chatBecomesContact() async throws {
        let clock = ManualClock(Self.start)
        try await Self.app(clock: clock).test(.router) { client in
            _ = try await client.execute(
                uri: "/RI/cmi-admin/queues/\(Self.queueID)", method: .put, headers: [.authorization: Self.admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"id": "\#(Self.queueID)", "name": "Chat", "addresses": []}"#)
            )
            let created = try await client.execute(
                uri: "/RI/cmi/chats", method: .post, headers: [.authorization: Self.admin, .contentType: "application/json"],
                body: ByteBuffer(
                    string:
                        #"{"channel_type": "chat", "channel_sub_type": "whatsapp", "originator": "+358401111111", "destination": "+358202222222", "title": "", "from_queue": {"id": "\#(Self.queueID)"}, "transcript": {"messages": [{"message": "Hi", "originator": "+358401111111"}]}}"#
                )
            )
            let id = String(buffer: created.body)
            let contact = try await client.execute(uri: "/RI/cmi/contacts/\(id)", method: .get, headers: [.authorization: Self.admin])
            let decoded = try JSONDecoder().decode(CMIContact.self, from: Data(buffer: contact.body))
            #expect(decoded.channel == .chat && decoded.subtype == "whatsapp" && decoded.status == .inQueue && decoded.contactGroupId.count == 36)
        }
    }
}

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

@Suite("sinch-cmi chats")
struct ChatTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)
    static let queueID = "97C9F85A2F55484198FD908C6A97FA7D"

    static func defineQueue(_ client: some TestClientProtocol) async throws {
        let response = try await client.execute(
            uri: "/RI/cmi-admin/queues/\(queueID)", method: .put, headers: [.authorization: admin, .contentType: "application/json"],
            body: ByteBuffer(string: #"{"id": "\#(queueID)", "name": "Direct Sales", "addresses": ["12345678@sms.social365.com"]}"#)
        )
        #expect(response.status == .noContent)
    }

    static let inbound = """
        {"channel_type": "chat", "channel_sub_type": "text", "originator": "visitor@example.com", "destination": "sales@example.com",
         "title": "Order help", "from_queue": {"id": "\(queueID)", "name": "Direct Sales"},
         "participants": [{"alias": "Visitor", "uniquekey": "visitor@example.com"}],
         "transcript": {"messages": [
            {"message": "Hello", "originator": "visitor@example.com", "timestamp": "2019-09-08T11:09:14Z"},
            {"message": "Please wait while I transfer you to the queue", "originator": "Sinch Contact Center", "timestamp": "2019-09-08T11:09:20.500Z", "system_message": true}
         ]}}
        """

    @Test("POST creates an inbound chat: 201 with the id and Location; GET shows it queued with its transcript newest first")
    func createInbound() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.defineQueue(client)
            let created = try await client.execute(
                uri: "/RI/cmi/chats", method: .post, headers: [.authorization: Self.admin, .contentType: "application/json", .accept: "text/html"],
                body: ByteBuffer(string: Self.inbound)
            )
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "text/html")
            let id = String(buffer: created.body)
            #expect(id.count == 32)
            #expect(created.headers[.location] == "http://localhost/RI/cmi/chats/\(id)")  // absolute (CMI-12)

            let one = try await client.execute(uri: "/RI/cmi/chats/\(id)", method: .get, headers: [.authorization: Self.admin])
            let chat = try JSONDecoder().decode(CMIChat.self, from: Data(buffer: one.body))
            #expect(chat.type == .chatIn && chat.status == .inQueue && chat.typeDetails == "Chat")
            #expect(chat.fromQueue == CMIQueueRef(id: Self.queueID, name: "Direct Sales"))
            #expect(chat.transcript?.messages.map(\.message) == ["Please wait while I transfer you to the queue", "Hello"])
            #expect(chat.transcript?.messages.last?.timestamp == "2019-09-08T11:09:14.000Z")
            #expect(chat.transcript?.messages.first?.systemMessage == true)
            #expect(chat.participants?.count == 1)

            let list = try await client.execute(
                uri: "/RI/cmi/chats?originator=visitor@example.com", method: .get, headers: [.authorization: Self.admin])
            let listed = try JSONDecoder().decode([CMIChat].self, from: Data(buffer: list.body))
            #expect(listed.map(\.id) == [id])
            #expect(listed[0].transcript == nil && listed[0].participants == nil)
            let none = try await client.execute(uri: "/RI/cmi/chats?channel_sub_type=sms", method: .get, headers: [.authorization: Self.admin])
            #expect(String(buffer: none.body) == "[]")
        }
    }

    @Test("An outbound chat is handled at once; XML bodies work; bad queues, titles and types are 400s")
    func outboundAndErrors() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            try await Self.defineQueue(client)
            let xml = """
                <chat><channel_type>chatout</channel_type><channel_sub_type>sms</channel_sub_type><originator>12345678@sms.social365.com</originator>\
                <destination>+358401234567</destination><title></title><from_queue><id>\(Self.queueID)</id></from_queue>\
                <transcript><messages><message>Your order has shipped</message><originator>12345678@sms.social365.com</originator></messages></transcript></chat>
                """
            let created = try await client.execute(
                uri: "/RI/cmi/chats", method: .post, headers: [.authorization: Self.admin, .contentType: "application/xml"],
                body: ByteBuffer(string: xml)
            )
            #expect(created.status == .created)
            let one = try await client.execute(
                uri: "/RI/cmi/chats/\(String(buffer: created.body))", method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
            let text = String(buffer: one.body)
            #expect(text.contains("<type>ChatOut</type>") && text.contains("<status>Handled</status>"))
            #expect(text.contains("<system_message>false</system_message>"))
            // A `+` in a query stays a plus (it used to read as a space, so a number's filter found nothing).
            let byNumber = try await client.execute(
                uri: "/RI/cmi/chats?destination=+358401234567", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMIChat].self, from: Data(buffer: byNumber.body)).map(\.id) == [String(buffer: created.body)])

            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/RI/cmi/chats", method: .post, headers: [.authorization: Self.admin, .contentType: "application/json"],
                    body: ByteBuffer(string: body))
            }
            let unknownQueue = try await post(Self.inbound.replacingOccurrences(of: Self.queueID, with: "00000000000000000000000000000000"))
            #expect(unknownQueue.status == .badRequest)
            #expect(String(buffer: unknownQueue.body) == "Invalid value for from_queue.id: 00000000000000000000000000000000")
            let longTitle = try await post(Self.inbound.replacingOccurrences(of: "Order help", with: String(repeating: "x", count: 257)))
            #expect(longTitle.status == .badRequest)
            let attachment = try await post(
                Self.inbound.replacingOccurrences(of: #""timestamp": "2019-09-08T11:09:14Z""#, with: #""type": "attachment""#))
            #expect(attachment.status == .badRequest)
            let badChannel = try await post(Self.inbound.replacingOccurrences(of: #""channel_type": "chat""#, with: #""channel_type": "email""#))
            #expect(badChannel.status == .badRequest)
            let malformedQueue = try await post(Self.inbound.replacingOccurrences(of: Self.queueID, with: "XYZ"))
            #expect(String(buffer: malformedQueue.body) == "Invalid GUID: 'XYZ'")
        }
    }
}

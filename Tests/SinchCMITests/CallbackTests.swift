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

@Suite("sinch-cmi callbacks")
struct CallbackTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)

    static func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String, client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: method, headers: [.authorization: admin, .contentType: "application/json"], body: ByteBuffer(string: body))
    }

    @Test("Adding a callback needs the callback IVR number; a new one is ADDED by the signed-in user with no failures")
    func create() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let body = #"{"nextCallTime": "2019-10-04T12:36:02.440Z", "customerNumber": "85412369512", "callbackQueueNumber": "505"}"#
            let refused = try await Self.send(.post, "/RI/cmi/callbacks", body, client: client)
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body) == "Built-in Callback IVR Number is not defined")

            #expect(
                try await Self.send(.put, "/RI/cmi-admin/settings", #"{"callbackIvrNumber": "+358201234567"}"#, client: client).status == .noContent)
            _ = try await Self.send(
                .put, "/RI/cmi-admin/queues/97C9F85A2F55484198FD908C6A97FA7D",
                #"{"id": "97C9F85A2F55484198FD908C6A97FA7D", "name": "Sales", "addresses": ["505"]}"#, client: client
            )
            let created = try await Self.send(.post, "/RI/cmi/callbacks", body, client: client)
            #expect(created.status == .created)
            let id = String(buffer: created.body)
            let one = try await client.execute(uri: "/RI/cmi/callbacks/\(id)", method: .get, headers: [.authorization: Self.admin])
            let callback = try JSONDecoder().decode(CMICallback.self, from: Data(buffer: one.body))
            #expect(callback.lastResult == "ADDED" && callback.failures == 0 && callback.maxCalls == 99)
            #expect(callback.nextCallTime == "2019-10-04T12:36:02.440Z")
            #expect(callback.creatorName == "Administrator" && callback.creatorId?.count == 32)
            #expect(callback.originalQueueNumber == "505" && callback.originalQueueName == "Sales")

            let found = try await client.execute(uri: "/RI/cmi/callbacks?customerNumber=*369512", method: .get, headers: [.authorization: Self.admin])
            #expect(try JSONDecoder().decode([CMICallback].self, from: Data(buffer: found.body)).map(\.id) == [id])
            let missed = try await client.execute(uri: "/RI/cmi/callbacks?customerNumber=9*", method: .get, headers: [.authorization: Self.admin])
            #expect(String(buffer: missed.body) == "[]")
            let invalid = try await client.execute(uri: "/RI/cmi/callbacks?notes=x", method: .get, headers: [.authorization: Self.admin])
            #expect(String(buffer: invalid.body) == "Invalid search field: notes")
        }
    }

    @Test("PUT applies only customerNumber, notes, lastResult and nextCallTime, the last only when rescheduling")
    func update() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            _ = try await Self.send(.put, "/RI/cmi-admin/settings", #"{"callbackIvrNumber": "+358201234567"}"#, client: client)
            let created = try await Self.send(
                .post, "/RI/cmi/callbacks", #"{"customerNumber": "+35854852156", "callbackQueueNumber": "153"}"#, client: client)
            let id = String(buffer: created.body)
            let update =
                #"{"customerNumber": "+35854852157", "notes": "Call in the morning", "lastResult": "RESCHEDULE", "nextCallTime": "2030-01-01T08:00:00Z", "maxCalls": 3, "failures": 7}"#
            #expect(try await Self.send(.put, "/RI/cmi/callbacks/\(id)", update, client: client).status == .noContent)
            let one = try await client.execute(uri: "/RI/cmi/callbacks/\(id)", method: .get, headers: [.authorization: Self.admin])
            let callback = try JSONDecoder().decode(CMICallback.self, from: Data(buffer: one.body))
            #expect(callback.customerNumber == "+35854852157" && callback.notes == "Call in the morning" && callback.lastResult == "RESCHEDULE")
            #expect(callback.nextCallTime == "2030-01-01T08:00:00.000Z")
            #expect(callback.maxCalls == 99 && callback.failures == 0)  // ignored

            let notRescheduling = try await Self.send(
                .put, "/RI/cmi/callbacks/\(id)",
                #"{"customerNumber": "1", "notes": "", "lastResult": "BUSY", "nextCallTime": "2030-01-01T08:00:00Z"}"#, client: client
            )
            #expect(notRescheduling.status == .badRequest)
            let badResult = try await Self.send(
                .put, "/RI/cmi/callbacks/\(id)", #"{"customerNumber": "1", "notes": "", "lastResult": "MAYBE"}"#, client: client)
            #expect(badResult.status == .badRequest)
            let missingNotes = try await Self.send(.put, "/RI/cmi/callbacks/\(id)", #"{"customerNumber": "1", "lastResult": "BUSY"}"#, client: client)
            #expect(missingNotes.status == .badRequest)
            let unknown = try await Self.send(
                .put, "/RI/cmi/callbacks/00000000000000000000000000000000", #"{"customerNumber": "1", "notes": "", "lastResult": "BUSY"}"#,
                client: client)
            #expect(unknown.status == .notFound)
        }
    }
}

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

@Suite("sinch-cmi scheduled messages")
struct MessageTests {
    static let admin = basicAuthorization("admin", TestConfiguration.bootstrapKey)
    static let source = "12345678@sms.social365.com"

    static func app(carrier: String, clock: ManualClock) async throws -> some ApplicationProtocol {
        try await buildApplication(
            reader: TestConfiguration.reader(["carrier.url": .init(.string(carrier), isSecret: false)]), clock: clock.wallClock
        )
    }

    static func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String = "", client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: method, headers: [.authorization: admin, .contentType: "application/json"], body: ByteBuffer(string: body))
    }

    static func defineQueue(_ client: some TestClientProtocol) async throws {
        _ = try await send(
            .put, "/RI/cmi-admin/queues/97C9F85A2F55484198FD908C6A97FA7D",
            #"{"id": "97C9F85A2F55484198FD908C6A97FA7D", "name": "SMS", "addresses": ["\#(source)"]}"#, client: client
        )
    }

    static func message(_ extra: String = "") -> String {
        #"{"message": "Your order has shipped", "source": "\#(source)", "subType": "sms", "destinations": {"destination": [{"address": "+358401234567"}]}\#(extra)}"#
    }

    static func status(_ id: String, client: some TestClientProtocol) async throws -> [CMIDestinationStatus?] {
        let response = try await client.execute(uri: "/RI/cmi/messages/\(id)", method: .get, headers: [.authorization: admin])
        return try JSONDecoder().decode(CMIMessage.self, from: Data(buffer: response.body)).destinations.destination.map(\.status)
    }

    /// Moves the clock past `retryDelay` until the carrier has had `count` sends: the retry is scheduled a moment
    /// after the failed send, so one early move could land before it.
    static func advanceUntil(_ count: Int, carrier: CarrierReceiver, clock: ManualClock) async throws {
        for _ in 0..<50 where carrier.sends.count < count {
            clock.advance(by: 61)
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits up to two seconds for the destinations to reach `expected`.
    static func waitForStatus(
        _ expected: [CMIDestinationStatus?], id: String, client: some TestClientProtocol
    ) async throws -> [CMIDestinationStatus?] {
        var current = try await status(id, client: client)
        for _ in 0..<200 where current != expected {
            try await Task.sleep(for: .milliseconds(10))
            current = try await status(id, client: client)
        }
        return current
    }

    @Test("A failed send is retried retryDelay seconds later and then HANDLED; the carrier gets the message as JSON")
    func retryThenHandled() async throws {
        let carrier = CarrierReceiver(answers: [.internalServerError])
        let clock = ManualClock()
        try await carrier.run { url in
            try await Self.app(carrier: url, clock: clock).test(.router) { client in
                try await Self.defineQueue(client)
                let created = try await Self.send(.post, "/RI/cmi/messages", Self.message(#", "retryDelay": 60"#), client: client)
                #expect(created.status == .created)
                let id = String(buffer: created.body)
                #expect(created.headers[.location] == "http://localhost/RI/cmi/messages/\(id)")
                try await carrier.waitFor(1)
                #expect(try await Self.waitForStatus([.processing], id: id, client: client) == [.processing])
                try await Task.sleep(for: .milliseconds(200))
                #expect(carrier.sends.count == 1)  // not before retryDelay
                try await Self.advanceUntil(2, carrier: carrier, clock: clock)
                #expect(try await Self.waitForStatus([.handled], id: id, client: client) == [.handled])
                let send = try JSONDecoder().decode(HTTPCarrierAdapter.Send.self, from: Data(carrier.sends[1].utf8))
                #expect(
                    send
                        == .init(
                            messageId: id, source: Self.source, subType: "sms", contentType: "text", destination: "+358401234567",
                            message: "Your order has shipped"))
                // A message that has started sending can no longer be replaced.
                let replace = try await Self.send(.put, "/RI/cmi/messages/\(id)", Self.message(), client: client)
                #expect(replace.status == .conflict)
            }
        }
    }

    @Test("When retries run out the destination is FAILED; a message deleted before its send time is never sent")
    func failedAndCancelled() async throws {
        let carrier = CarrierReceiver(answers: Array(repeating: .serviceUnavailable, count: 10))
        let clock = ManualClock()
        try await carrier.run { url in
            try await Self.app(carrier: url, clock: clock).test(.router) { client in
                try await Self.defineQueue(client)
                let created = try await Self.send(.post, "/RI/cmi/messages", Self.message(#", "maxRetryCount": 1, "retryDelay": 60"#), client: client)
                let id = String(buffer: created.body)
                try await carrier.waitFor(1)
                try await Self.advanceUntil(2, carrier: carrier, clock: clock)
                #expect(try await Self.waitForStatus([.failed], id: id, client: client) == [.failed])
                #expect(carrier.sends.count == 2)

                let later = ISO8601DateFormatter().string(from: clock.wallClock.date().addingTimeInterval(3600))
                let scheduled = try await Self.send(.post, "/RI/cmi/messages", Self.message(#", "sendTime": "\#(later)""#), client: client)
                let scheduledID = String(buffer: scheduled.body)
                #expect(try await Self.status(scheduledID, client: client) == [.added])
                #expect(try await Self.send(.delete, "/RI/cmi/messages/\(scheduledID)", client: client).status == .noContent)
                clock.advance(by: 7200)
                try await Task.sleep(for: .milliseconds(300))
                #expect(carrier.sends.count == 2)
                #expect(try await Self.send(.delete, "/RI/cmi/messages/\(scheduledID)", client: client).status == .notFound)
            }
        }
    }

    @Test("Validation: source must be a queue address; bounds on retries, delay, text and addresses; templates are JSON")
    func validation() async throws {
        let clock = ManualClock()
        try await Self.app(carrier: "http://127.0.0.1:9/send", clock: clock).test(.router) { client in
            try await Self.defineQueue(client)
            func post(_ body: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await Self.send(.post, "/RI/cmi/messages", body, client: client)
                return (response.status, String(buffer: response.body))
            }
            #expect(
                try await post(Self.message().replacingOccurrences(of: Self.source, with: "nobody@sms.example")) == (
                    .badRequest, "Invalid value for source: nobody@sms.example"
                ))
            #expect(try await post(Self.message(#", "retryDelay": 30"#)) == (.badRequest, "Invalid value for retryDelay: 30"))
            #expect(try await post(Self.message(#", "maxRetryCount": 11"#)) == (.badRequest, "Invalid value for maxRetryCount: 11"))
            #expect(
                try await post(Self.message().replacingOccurrences(of: "Your order has shipped", with: String(repeating: "x", count: 2001))).0
                    == .badRequest)
            #expect(try await post(Self.message().replacingOccurrences(of: "+358401234567", with: "")).0 == .badRequest)
            #expect(
                try await post(Self.message(#", "contentType": "template""#)) == (
                    .badRequest, "Invalid value for message: a template message must be JSON"
                ))
            #expect(try await post(Self.message(#", "sendTime": "tomorrow""#)) == (.badRequest, "Invalid value for sendTime: tomorrow"))

            // Defaults, system fields, and the list's wildcard and window filters.
            let created = try await Self.send(.post, "/RI/cmi/messages", Self.message(#", "sendTime": "2030-01-01T00:00:00Z""#), client: client)
            let id = String(buffer: created.body)
            let one = try await client.execute(uri: "/RI/cmi/messages/\(id)", method: .get, headers: [.authorization: Self.admin])
            let message = try JSONDecoder().decode(CMIMessage.self, from: Data(buffer: one.body))
            #expect(message.maxRetryCount == 5 && message.retryDelay == 300 && message.contentType == .text && message.id == id)
            #expect(message.sendTime == "2030-01-01T00:00:00.000Z" && message.creationTime != nil)
            for (query, count) in [
                ("source=1234*", 1), ("subType=whats*", 0), ("sendTime=2029-12-31T00:00:00Z", 1), ("sendTimeEnd=2029-12-31T00:00:00Z", 0),
            ] {
                let list = try await client.execute(uri: "/RI/cmi/messages?\(query)", method: .get, headers: [.authorization: Self.admin])
                #expect(try JSONDecoder().decode([CMIMessage].self, from: Data(buffer: list.body)).count == count)
            }
            // A full replacement resets what the body leaves out.
            #expect(try await Self.send(.put, "/RI/cmi/messages/\(id)", Self.message(#", "retryDelay": 120"#), client: client).status == .noContent)
            let replaced = try await client.execute(
                uri: "/RI/cmi/messages/\(id)", method: .get, headers: [.authorization: Self.admin, .accept: "application/xml"])
            let xml = String(buffer: replaced.body)
            #expect(xml.contains("<retryDelay>120</retryDelay>") && !xml.contains("<sendTime>"))
            #expect(xml.contains("<destinations><destination><address>+358401234567</address><status>ADDED</status></destination></destinations>"))
        }
    }
}

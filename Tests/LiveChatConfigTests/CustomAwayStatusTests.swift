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

@testable import LiveChatConfig

@Suite("livechat-config custom away statuses")
struct CustomAwayStatusTests {
    static let admin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)

    @Test("CRUD: names unique case-insensitively and never a built-in status; partial PUT; DELETE answers 200")
    func crud() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            func send(_ method: HTTPRequest.Method, _ uri: String, _ body: String = "") async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: method, headers: [.authorization: Self.admin, .contentType: "application/json"], body: ByteBuffer(string: body))
            }
            let created = try await send(.post, "/api/v1/livechat/customAwayStatus", #"{"name": " At lunch "}"#)
            #expect(created.status == .ok)
            let status = try JSONDecoder().decode(LiveChatCustomAwayStatus.self, from: Data(buffer: created.body))
            #expect(status.name == "At lunch" && status.isVisible == true)
            let id = try #require(status.id)

            let duplicate = try await send(.post, "/api/v1/livechat/customAwayStatus", #"{"name": "AT LUNCH"}"#)
            #expect(duplicate.status == .conflict)
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: duplicate.body)) as? [String: Any])?["code"] as? Int == 409000)
            #expect(try await send(.post, "/api/v1/livechat/customAwayStatus", #"{"name": "Offline"}"#).status == .badRequest)
            #expect(try await send(.post, "/api/v1/livechat/customAwayStatus", #"{"isVisible": true}"#).status == .badRequest)

            let hidden = try await send(.put, "/api/v1/livechat/customAwayStatus/\(id)", #"{"isVisible": false}"#)
            #expect(
                try JSONDecoder().decode(LiveChatCustomAwayStatus.self, from: Data(buffer: hidden.body))
                    == LiveChatCustomAwayStatus(id: id, name: "At lunch", isVisible: false))
            _ = try await send(.post, "/api/v1/livechat/customAwayStatus", #"{"name": "Meeting"}"#)
            #expect(try await send(.put, "/api/v1/livechat/customAwayStatus/\(id)", #"{"name": "meeting"}"#).status == .conflict)
            #expect(try await send(.put, "/api/v1/livechat/customAwayStatus/\(id)", #"{"name": "At Lunch"}"#).status == .ok)  // its own name, recased

            let list = try await send(.get, "/api/v1/livechat/customAwayStatus")
            #expect(try JSONDecoder().decode([LiveChatCustomAwayStatus].self, from: Data(buffer: list.body)).map(\.name) == ["At Lunch", "Meeting"])
            let deleted = try await send(.delete, "/api/v1/livechat/customAwayStatus/\(id)")
            #expect(deleted.status == .ok && deleted.body.readableBytes == 0)
            #expect(try await send(.get, "/api/v1/livechat/customAwayStatus/\(id)").status == .notFound)
            #expect(try await send(.get, "/api/v1/livechat/customAwayStatus/abc").status == .notFound)
        }
    }
}

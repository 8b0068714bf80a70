import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import OpenAPIKit
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups
@testable import Conversation
@testable import Gateway
@testable import LiveChatConfig
@testable import OutreachContact
@testable import SinchCMI

/// Every `/openapi.json` read by a standard OpenAPI 3.1 reader (OpenAPIKit), so generated clients and fuzzers can use it.
@Suite("OpenAPI documents validate")
struct OpenAPIValidationTests {
    /// Each service's document, fetched from the app as a client would.
    static func documents() async throws -> [(name: String, data: Data)] {
        var documents: [(String, Data)] = []
        func fetch(_ name: String, _ app: some ApplicationProtocol) async throws {
            let data = try await app.test(.router) { client in
                let response = try await client.execute(uri: "/openapi.json", method: .get)
                #expect(response.status == .ok, "\(name)")
                return Data(buffer: response.body)
            }
            documents.append((name, data))
        }
        try await fetch("conversation", Conversation.buildApplication(reader: TestConfiguration.reader()))
        try await fetch("livechat-config", LiveChatConfig.buildApplication(reader: TestConfiguration.reader()))
        try await fetch("outreach-contact", OutreachContact.buildApplication(reader: TestConfiguration.reader()))
        try await fetch("chatwoot-groups", ChatwootGroups.buildApplication(reader: TestConfiguration.reader()))
        try await fetch("sinch-cmi", SinchCMI.buildApplication(reader: TestConfiguration.reader()))
        try await fetch("gateway", Gateway.buildApplication(reader: TestConfiguration.reader()))
        return documents
    }

    @Test("Every document decodes and passes OpenAPIKit's validation, with operationIds unique even ignoring case")
    func validates() async throws {
        for (name, data) in try await Self.documents() {
            let document = try JSONDecoder().decode(OpenAPI.Document.self, from: data)
            do {
                _ = try document.validate()
            } catch {
                Issue.record("\(name): \(error)")
            }
            let ids = document.allOperationIds.map { $0.lowercased() }
            #expect(
                Set(ids).count == ids.count, "\(name) repeats operationIds: \(Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys.sorted())"
            )
        }
    }

    @Test("Every Comm100 operation taking Basic credentials declares siteId; history searches declare their required window")
    func comm100Parameters() async throws {
        for (name, data) in try await Self.documents() where ["conversation", "livechat-config", "outreach-contact"].contains(name) {
            let document = try JSONDecoder().decode(OpenAPI.Document.self, from: data)
            for (path, item) in document.paths {
                guard let item = item.pathItemValue else { continue }
                for endpoint in item.endpoints {
                    let schemes = (endpoint.operation.security ?? []).flatMap { $0.keys.compactMap(\.name) }
                    guard schemes.contains("basicAuth") else { continue }
                    let query = endpoint.operation.parameters.compactMap(\.parameterValue).filter { $0.location == .query }
                    #expect(query.contains { $0.name == "siteId" }, "\(name) \(endpoint.method.rawValue) \(path.rawValue) lacks siteId")
                }
            }
        }
        let liveChat = try #require(try await Self.documents().first { $0.name == "livechat-config" })
        let document = try JSONDecoder().decode(OpenAPI.Document.self, from: liveChat.data)
        let chats = try #require(document.paths["/api/v1/livechat/chats"]?.pathItemValue?.get)
        let required = chats.parameters.compactMap(\.parameterValue).filter(\.required).map(\.name)
        #expect(Set(required) == ["timeFrom", "timeTo"])
    }
}

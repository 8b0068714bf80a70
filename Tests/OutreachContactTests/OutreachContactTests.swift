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

@testable import OutreachContact

@Suite("outreach-contact foundation")
struct OutreachContactTests {
    @Test("Readiness names livechat-config when it cannot be reached; health and the OpenAPI document answer")
    func platformRoutes() async throws {
        let port = try TestConfiguration.closedPort()
        let app = try await buildApplication(
            reader: TestConfiguration.reader(["peers.livechatConfig.url": .init(.string("http://127.0.0.1:\(port)"), isSecret: false)]))
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains("livechat-config"))
            let document = try ServiceChecks.documentedRoutes(try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(document == ["GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json"])
        }
    }
}

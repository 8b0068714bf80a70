import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import Testing
import TestSupport
import WireModels

@testable import LiveChatConfig

@Suite("livechat-config foundation")
struct LiveChatConfigTests {
    @Test("Health, readiness, metrics and an OpenAPI document of exactly the served routes")
    func platformRoutes() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: metrics.body).contains("http_requests_total"))
            let document = try ServiceChecks.documentedRoutes(try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(document == ["GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "POST /internal/auth/verify"])
        }
    }

    @Test("The bootstrap administrator's API key verifies through the internal route; wrong ones do not")
    func internalVerification() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let request = CredentialVerificationRequest(scheme: "basic", email: "admin@example.com", secret: TestConfiguration.bootstrapKey, siteId: "10000")
            let body = ByteBuffer(data: try JSONEncoder().encode(request))
            let headers: HTTPFields = [.internalToken: TestConfiguration.internalToken, .contentType: "application/json"]
            let verified = try await client.execute(uri: "/internal/auth/verify", method: .post, headers: headers, body: body)
            #expect(verified.status == .ok)
            let agent = try JSONDecoder().decode(VerifiedAgent.self, from: Data(buffer: verified.body))
            #expect(agent.siteId == "10000" && agent.email == "admin@example.com" && agent.isAdministrator)

            var wrong = request
            wrong.secret = "nope"
            let refused = try await client.execute(uri: "/internal/auth/verify", method: .post, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(wrong)))
            #expect(refused.status == .notFound)

            var otherSite = request
            otherSite.siteId = "20000"
            let elsewhere = try await client.execute(uri: "/internal/auth/verify", method: .post, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(otherSite)))
            #expect(elsewhere.status == .notFound)

            let noToken = try await client.execute(uri: "/internal/auth/verify", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(noToken.status == .unauthorized)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: noToken.body)) as? [String: Any]
            #expect(json?["code"] as? Int == 401000)
        }
    }
}

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
            #expect(
                document.isSuperset(of: [
                    "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "POST /internal/auth/verify", "POST /oauth/token",
                ]))
        }
    }

    @Test("The bootstrap administrator's API key verifies through the internal route; wrong ones do not")
    func internalVerification() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let request = CredentialVerificationRequest(
                scheme: "basic", email: "admin@example.com", secret: TestConfiguration.bootstrapKey, siteId: "10000")
            let body = ByteBuffer(data: try JSONEncoder().encode(request))
            let headers: HTTPFields = [.internalToken: TestConfiguration.internalToken, .contentType: "application/json"]
            let verified = try await client.execute(uri: "/internal/auth/verify", method: .post, headers: headers, body: body)
            #expect(verified.status == .ok)
            let agent = try JSONDecoder().decode(VerifiedAgent.self, from: Data(buffer: verified.body))
            #expect(agent.siteId == "10000" && agent.email == "admin@example.com" && agent.isAdministrator)

            var wrong = request
            wrong.secret = "nope"
            let refused = try await client.execute(
                uri: "/internal/auth/verify", method: .post, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(wrong)))
            #expect(refused.status == .notFound)

            var otherSite = request
            otherSite.siteId = "20000"
            let elsewhere = try await client.execute(
                uri: "/internal/auth/verify", method: .post, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(otherSite)))
            #expect(elsewhere.status == .notFound)

            let noToken = try await client.execute(
                uri: "/internal/auth/verify", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(noToken.status == .unauthorized)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: noToken.body)) as? [String: Any]
            #expect(json?["code"] as? Int == 401000)
        }
    }

    @Test("The password grant issues bearer tokens the Comm100 services accept; refresh spends the refresh token")
    func oauthToken() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            let form = "grant_type=password&email=admin%40example.com&password=\(TestConfiguration.bootstrapKey)&siteId=10000"
            let issued = try await client.execute(
                uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
            )
            #expect(issued.status == .ok)
            #expect(issued.headers[.cacheControl] == "no-store")
            let token = try JSONSerialization.jsonObject(with: Data(buffer: issued.body)) as? [String: Any] ?? [:]
            #expect(token["token_type"] as? String == "bearer" && token["expires_in"] as? Int == 3600)
            let access = try #require(token["access_token"] as? String)
            let refresh = try #require(token["refresh_token"] as? String)

            let headers: HTTPFields = [.internalToken: TestConfiguration.internalToken, .contentType: "application/json"]
            let verify = CredentialVerificationRequest(scheme: "bearer", secret: access, siteId: "10000")
            let verified = try await client.execute(
                uri: "/internal/auth/verify", method: .post, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(verify)))
            #expect(verified.status == .ok)
            #expect(try JSONDecoder().decode(VerifiedAgent.self, from: Data(buffer: verified.body)).email == "admin@example.com")

            let json = #"{"grant_type": "refresh_token", "refresh_token": "\#(refresh)"}"#
            let refreshed = try await client.execute(
                uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
            #expect(refreshed.status == .ok)
            let replayed = try await client.execute(
                uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
            #expect(replayed.status == .badRequest)
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: replayed.body)) as? [String: Any])?["error"] as? String == "invalid_grant")

            let wrong = try await client.execute(
                uri: "/oauth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"grant_type": "password", "email": "admin@example.com", "password": "nope"}"#)
            )
            #expect(wrong.status == .badRequest)
            let unsupported = try await client.execute(
                uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "grant_type=client_credentials")
            )
            #expect(
                (try JSONSerialization.jsonObject(with: Data(buffer: unsupported.body)) as? [String: Any])?["error"] as? String
                    == "unsupported_grant_type")
        }
    }
}

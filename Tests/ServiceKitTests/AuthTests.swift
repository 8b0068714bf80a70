import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Prometheus
import TestSupport
import Testing

@testable import ServiceKit

@Suite("Authentication")
struct AuthTests {
    struct OneUser: CredentialVerifier {
        func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity? {
            guard case .basic("agent@example.com", "right") = credential, scope == nil || scope == "10000" else { return nil }
            return Identity(kind: .agent, tenant: "10000", principalID: "1")
        }
    }

    static func app(dialect: any APIDialect) -> some ApplicationProtocol {
        let router = ServiceRouter<AppRequestContext>.service(
            dialect: dialect, registry: PrometheusCollectorRegistry(), document: OpenAPIDocument(title: "t"), readiness: [], accessLog: false
        )
        router.add(middleware: Comm100Authentication.middleware(verifier: OneUser()))
        router.group("/me", context: AuthenticatedContext.self).get { _, context in context.identity.tenant }
        router.get("/boom") { _, _ -> String in throw CancellationError() }
        return Application(router: router)
    }

    @Test("Basic credentials parse, bearer tokens parse, garbage does not")
    func parsing() {
        #expect(PresentedCredential.from([.authorization: basicAuthorization("a@b.c", "k:ey")]) == .basic(username: "a@b.c", password: "k:ey"))
        #expect(PresentedCredential.from([.authorization: "Bearer tok"]) == .bearer("tok"))
        #expect(PresentedCredential.from([.apiAccessToken: "tok"]) == .apiAccessToken("tok"))
        #expect(PresentedCredential.from([.authorization: "Basic !!!"]) == nil)
    }

    @Test("Passwords are hashed with a salt and verified in constant time")
    func passwords() throws {
        let hash = try SecretHasher.passwordHash("s3cret", rounds: 1000)
        #expect(hash != (try SecretHasher.passwordHash("s3cret", rounds: 1000)))
        #expect(SecretHasher.verifyPassword("s3cret", against: hash))
        #expect(!SecretHasher.verifyPassword("s3cret!", against: hash))
        #expect(!SecretHasher.verifyPassword("s3cret", against: "garbage"))
    }

    @Test("Right credentials pass; wrong or missing ones get a 401 in the vendor's shape")
    func comm100() async throws {
        try await Self.app(dialect: Comm100ErrorDialect()).test(.router) { client in
            let ok = try await client.execute(
                uri: "/me?siteId=10000", method: .get, headers: [.authorization: basicAuthorization("agent@example.com", "right")])
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body) == "10000")
            let wrong = try await client.execute(
                uri: "/me", method: .get, headers: [.authorization: basicAuthorization("agent@example.com", "wrong")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate] != nil)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: wrong.body)) as? [String: Any]
            #expect(body?["code"] as? Int == 401000)
            let otherSite = try await client.execute(
                uri: "/me?siteId=20000", method: .get, headers: [.authorization: basicAuthorization("agent@example.com", "right")])
            #expect(otherSite.status == .unauthorized)
            let missing = try await client.execute(uri: "/me", method: .get)
            #expect(missing.status == .unauthorized)
        }
    }

    @Test("Unexpected errors are a 500 with no detail, and every response carries the request id")
    func unexpectedErrorsHidden() async throws {
        try await Self.app(dialect: Comm100ErrorDialect()).test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get, headers: [.requestID: "req-123"])
            #expect(response.status == .internalServerError)
            #expect(!String(buffer: response.body).contains("Cancellation"))
            #expect(response.headers[.requestID] == "req-123")
            let made = try await client.execute(uri: "/nowhere", method: .get)
            #expect(made.status == .notFound)
            #expect((made.headers[.requestID] ?? "").count == 36)
        }
    }

    @Test("Made request ids are version 4 UUIDs in lowercase, and never repeat")
    func madeRequestIDs() {
        let ids = (0..<10_000).map { _ in RequestID.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            #expect(UUID(uuidString: id) != nil)
            #expect(id == id.lowercased())
            let characters = Array(id)
            #expect(characters[14] == "4")  // version
            #expect("89ab".contains(characters[19]))  // RFC 9562 variant
        }
    }

    @Test("Sinch errors are plain text")
    func sinchDialect() async throws {
        try await Self.app(dialect: SinchErrorDialect()).test(.router) { client in
            let response = try await client.execute(uri: "/me", method: .get)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }
}

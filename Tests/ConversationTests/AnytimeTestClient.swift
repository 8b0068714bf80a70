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

@testable import Conversation

/// livechat-config's credential check as conversation calls it (`POST /internal/auth/verify` with the internal
/// token, decision 1), answered from a fixed table of agents by a real HTTP server on a free port, as
/// Tests/OutreachContactTests/ContactTestClient.swift does; the service's verifier, cache and middleware are real.
struct AgentDirectory {
    struct Agent {
        var email: String
        var key: String
        var site: String
        var id: String

        var credential: String { basicAuthorization(self.email, self.key) }
    }

    static let admin = Agent(email: "admin@example.com", key: "admin-key-0123456789", site: "10000", id: "1")
    static let colleague = Agent(email: "colleague@example.com", key: "colleague-key-0123456789", site: "10000", id: "2")
    static let otherSite = Agent(email: "admin@other.example", key: "other-key-0123456789", site: "20000", id: "1")
    static let agents = [admin, colleague, otherSite]

    static func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/healthz") { _, _ in HTTPResponse.Status.ok }
        router.post("/internal/auth/verify") { request, context -> Response in
            guard request.headers[HTTPField.Name("X-Internal-Token")!] == TestConfiguration.internalToken else {
                return Response(status: .unauthorized)
            }
            let asked = try await request.decode(as: CredentialVerificationRequest.self, context: context)
            guard
                let agent = Self.agents.first(where: {
                    asked.scheme == "basic" && $0.email == asked.email && $0.key == asked.secret && (asked.siteId == nil || asked.siteId == $0.site)
                })
            else { return Response(status: .notFound) }
            let verified = VerifiedAgent(
                siteId: agent.site, agentId: agent.id, name: agent.email, email: agent.email, isAdministrator: true, permissions: [])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(verified))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }
}

/// Sends Anytime API requests in tests, as the site 10000 administrator unless told otherwise.
struct AnytimeTestClient {
    let client: any TestClientProtocol
    let clock: ManualClock

    /// Runs conversation (with the agent directory as its livechat-config) on a clock the test moves.
    static func run(_ body: @Sendable (AnytimeTestClient) async throws -> Void) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await AgentDirectory.run { url in
            let app = try await buildApplication(
                reader: TestConfiguration.reader(["peers.livechatConfig.url": .init(.string(url), isSecret: false)]), clock: clock.wallClock)
            try await app.test(.router) { client in try await body(AnytimeTestClient(client: client, clock: clock)) }
        }
    }

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer

        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [String: Any] ?? [:] }
        var text: String { String(buffer: self.body) }
        var message: String { self.object["message"] as? String ?? "" }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: Data(buffer: self.body)) }
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, as agent: AgentDirectory.Agent? = AgentDirectory.admin
    ) async throws -> Reply {
        var headers: HTTPFields = [:]
        var uri = path.hasPrefix("/ticketing") ? path : "/api/v3/anytime" + path
        if let agent {
            headers[.authorization] = agent.credential
            uri += (uri.contains("?") ? "&" : "?") + "siteId=\(agent.site)"
        }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await self.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func get(_ path: String, as agent: AgentDirectory.Agent? = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.get, path, as: agent)
    }
    func post(_ path: String, _ body: String, as agent: AgentDirectory.Agent? = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.post, path, body, as: agent)
    }
    func put(_ path: String, _ body: String? = nil, as agent: AgentDirectory.Agent? = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.put, path, body, as: agent)
    }
    func delete(_ path: String, _ body: String? = nil, as agent: AgentDirectory.Agent? = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.delete, path, body, as: agent)
    }

    /// Creates a conversation by email with one text content.
    @discardableResult
    func create(
        subject: String = "Where is my order?", text: String = "Hello", extra: String = "", as agent: AgentDirectory.Agent = AgentDirectory.admin
    ) async throws -> AnytimeConversation {
        let reply = try await self.post(
            "/conversations",
            #"{"subject": "\#(subject)", \#(extra) "message": {"channelId": "email", "contents": [{"type": "text", "text": "\#(text)"}]}}"#, as: agent
        )
        guard reply.status == .created else { throw ReplyError(message: "not created: \(reply.status) \(reply.text)") }
        return try reply.decode(AnytimeConversation.self)
    }

    struct ReplyError: Error, CustomStringConvertible {
        var message: String
        var description: String { self.message }
    }
}

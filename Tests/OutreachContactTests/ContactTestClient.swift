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

@testable import OutreachContact

/// livechat-config's credential check as outreach-contact calls it (`POST /internal/auth/verify` with the internal
/// token, decision 1), answered from a fixed table of agents by a real HTTP server on a free port. This test target
/// cannot import livechat-config; the service's own verifier, cache and middleware are the real ones.
struct AgentDirectory {
    struct Agent {
        var email: String
        var key: String
        var site: String
        var id: String
        var isAdministrator = false
        var permissions: [String] = []

        var credential: String { basicAuthorization(self.email, self.key) }
    }

    static let admin = Agent(email: "admin@example.com", key: "admin-key-0123456789", site: "10000", id: "1", isAdministrator: true)
    static let reader = Agent(email: "reader@example.com", key: "reader-key-0123456789", site: "10000", id: "2")
    static let editor = Agent(email: "editor@example.com", key: "editor-key-0123456789", site: "10000", id: "3", permissions: ["Manage Contacts"])
    static let otherSite = Agent(email: "admin@other.example", key: "other-key-0123456789", site: "20000", id: "1", isAdministrator: true)
    static let agents = [admin, reader, editor, otherSite]

    /// Runs the directory for the duration of `body`, which gets its base URL.
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
                siteId: agent.site, agentId: agent.id, name: agent.email, email: agent.email, isAdministrator: agent.isAdministrator,
                permissions: agent.permissions)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(verified))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }
}

/// Sends Contact API requests in tests, as the site 10000 administrator unless told otherwise.
struct ContactTestClient {
    let client: any TestClientProtocol

    /// Runs outreach-contact (with the agent directory as its livechat-config) for the duration of `body`.
    static func run(_ body: @Sendable (ContactTestClient) async throws -> Void) async throws {
        try await AgentDirectory.run { url in
            let app = try await buildApplication(
                reader: TestConfiguration.reader(["peers.livechatConfig.url": .init(.string(url), isSecret: false)]))
            try await app.test(.router) { client in try await body(ContactTestClient(client: client)) }
        }
    }

    /// A response with its JSON body at hand.
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer

        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [String: Any] ?? [:] }
        var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [[String: Any]] ?? [] }
        var text: String { String(buffer: self.body) }
        /// Comm100's error `message`.
        var message: String { self.object["message"] as? String ?? "" }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: Data(buffer: self.body)) }
    }

    /// `path` with `siteId` of the agent appended (Basic credentials name their site, decision 1).
    func send(
        _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, as agent: AgentDirectory.Agent = AgentDirectory.admin,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers: HTTPFields = [.authorization: agent.credential]
        if body != nil, extra[.contentType] == nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        let separator = path.contains("?") ? "&" : "?"
        let response = try await self.client.execute(
            uri: path + separator + "siteId=\(agent.site)", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func get(_ path: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.get, path, as: agent)
    }
    func post(_ path: String, _ body: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.post, path, body, as: agent)
    }
    func put(_ path: String, _ body: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.put, path, body, as: agent)
    }
    func delete(_ path: String, _ body: String? = nil, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Reply {
        try await self.send(.delete, path, body, as: agent)
    }

    /// Creates a contact and returns it; fails the test's precondition when the service refuses.
    @discardableResult
    func createContact(_ body: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> Comm100Contact {
        let reply = try await self.post("/contact/contacts", body, as: agent)
        guard reply.status == .created else { throw ReplyError(message: "contact not created: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100Contact.self)
    }

    /// Creates a contact field and returns it.
    @discardableResult
    func createField(_ body: String) async throws -> Comm100ContactField {
        let reply = try await self.post("/contact/fields", body)
        guard reply.status == .created else { throw ReplyError(message: "field not created: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100ContactField.self)
    }

    /// The ids of a page of contacts (`POST /contact/contacts:query` or a list), in order.
    func names(_ reply: Reply) throws -> [String] {
        guard reply.status == .ok else { throw ReplyError(message: "not a page: \(reply.status) \(reply.text)") }
        return try reply.decode(Comm100ContactPage.self).contacts.map(\.name)
    }

    struct ReplyError: Error, CustomStringConvertible {
        var message: String
        var description: String { self.message }
    }
}

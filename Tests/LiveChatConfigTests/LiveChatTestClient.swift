import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport

/// Sends Live Chat requests in tests as the bootstrap administrator unless told otherwise.
struct LiveChatTestClient {
    let client: any TestClientProtocol
    static let admin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)

    /// A response with its JSON body at hand.
    struct Reply {
        var status: HTTPResponse.Status
        var body: ByteBuffer

        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [String: Any] ?? [:] }
        var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [[String: Any]] ?? [] }
        var text: String { String(buffer: self.body) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: Data(buffer: self.body)) }
    }

    func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, as credential: String = Self.admin) async throws -> Reply {
        var headers: HTTPFields = [.authorization: credential]
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await self.client.execute(
            uri: "/api/v1/livechat" + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Reply(status: response.status, body: response.body)
    }

    func get(_ path: String, as credential: String = Self.admin) async throws -> Reply { try await self.send(.get, path, as: credential) }
    func post(_ path: String, _ body: String, as credential: String = Self.admin) async throws -> Reply {
        try await self.send(.post, path, body, as: credential)
    }
    func put(_ path: String, _ body: String, as credential: String = Self.admin) async throws -> Reply {
        try await self.send(.put, path, body, as: credential)
    }
    func delete(_ path: String, as credential: String = Self.admin) async throws -> Reply { try await self.send(.delete, path, as: credential) }

    /// Creates an agent through the administration extension and returns its id and Basic credential.
    func createAgent(_ email: String, permissions: [String] = [], administrator: Bool = false) async throws -> (id: Int, credential: String) {
        let key = "key-\(email)-0123456789"
        let list = permissions.map { "\"\($0)\"" }.joined(separator: ",")
        let reply = try await self.post(
            "/admin/agents",
            #"{"email": "\#(email)", "displayName": "\#(email)", "apiKey": "\#(key)", "isAdministrator": \#(administrator), "permissions": [\#(list)]}"#
        )
        guard reply.status == .ok, let id = Int(reply.object["agentId"] as? String ?? "") else {
            throw ReplyError(message: "agent \(email) not created: \(reply.status) \(reply.text)")
        }
        return (id, basicAuthorization(email, key))
    }

    /// Creates a campaign and returns its id.
    func createCampaign(_ name: String, language: String = "English") async throws -> Int {
        let reply = try await self.post("/campaigns", #"{"name": "\#(name)", "language": "\#(language)"}"#)
        guard reply.status == .ok, let id = reply.object["id"] as? Int else {
            throw ReplyError(message: "campaign not created: \(reply.status) \(reply.text)")
        }
        return id
    }

    struct ReplyError: Error, CustomStringConvertible {
        var message: String
        var description: String { self.message }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a dotted path (`image.position.type`).
    subscript(path path: String) -> Any? {
        var current: Any? = self
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current
    }
}

/// A second site, made through the internal provisioning route, for tenancy tests.
enum OtherSite {
    static let id = "20000"

    /// Creates site 20000 with an administrator and returns the administrator's Basic credential.
    static func administrator(client: any TestClientProtocol) async throws -> String {
        let key = "other-site-administrator-key"
        let response = try await client.execute(
            uri: "/internal/sites", method: .post, headers: [.internalToken: TestConfiguration.internalToken, .contentType: "application/json"],
            body: ByteBuffer(
                string:
                    #"{"id": "\#(Self.id)", "name": "Other", "administrator": {"email": "boss@other.example", "displayName": "Boss", "apiKey": "\#(key)"}}"#
            )
        )
        guard response.status == .ok else { throw LiveChatTestClient.ReplyError(message: "site not created: \(response.status)") }
        return basicAuthorization("boss@other.example", key)
    }
}

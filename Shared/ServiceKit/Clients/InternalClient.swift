import AsyncHTTPClient
import Configuration
import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A JSON client for another service's `/internal/` routes: internal token, timeout, and a clear 503 naming
/// the peer when it cannot be reached.
public struct InternalClient: Sendable {
    public let peer: String
    public let baseURL: String
    let token: String?
    let timeout: TimeAmount
    let httpClient: HTTPClient

    public init(peer: String, baseURL: String, token: String?, timeout: Duration = .seconds(5), httpClient: HTTPClient) {
        self.peer = peer
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.timeout = .nanoseconds(timeout.nanoseconds)
        self.httpClient = httpClient
    }

    /// POSTs `body` and decodes the answer; a 404 from the peer is nil.
    public func post<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as: Answer.Type) async throws -> Answer? {
        try await self.send(.POST, path, body: try JSONEncoder().encode(body), as: Answer.self)
    }

    /// GETs and decodes; a 404 from the peer is nil.
    public func get<Answer: Decodable>(_ path: String, as: Answer.Type) async throws -> Answer? {
        try await self.send(.GET, path, body: nil, as: Answer.self)
    }

    /// The peer's `/healthz` answers 200.
    public func checkHealth() async throws {
        var request = HTTPClientRequest(url: self.baseURL + "/healthz")
        request.method = .GET
        let response = try await self.execute(request)
        guard response.status == .ok else { throw self.unavailable("answered \(response.status.code) to /healthz") }
    }

    func send<Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?, as: Answer.Type) async throws -> Answer? {
        var request = HTTPClientRequest(url: self.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "X-Internal-Token", value: token) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response = try await self.execute(request)
        let payload = try await response.body.collect(upTo: 8 * 1024 * 1024)
        switch response.status.code {
        case 200..<300:
            return try JSONDecoder().decode(Answer.self, from: Data(buffer: payload))
        case 404:
            return nil
        default:
            throw self.unavailable("answered \(response.status.code) to \(method.rawValue) \(path)")
        }
    }

    func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await self.httpClient.execute(request, timeout: self.timeout)
        } catch {
            throw self.unavailable("is unreachable at \(self.baseURL) (\(error))")
        }
    }

    func unavailable(_ detail: String) -> ServiceError {
        ServiceError(.serviceUnavailable, message: "Internal service \(self.peer) \(detail).")
    }

    /// `/readyz` includes this peer.
    public var readinessCheck: ReadinessCheck {
        ReadinessCheck(self.peer) { try await self.checkHealth() }
    }
}

/// Where the other services are, for internal calls.
public struct PeerSettings: Sendable {
    public var conversationURL: String
    public var liveChatConfigURL: String
    public var outreachContactURL: String

    /// Reads `peers.conversation.url` (default `http://127.0.0.1:8081`), `peers.livechatConfig.url`
    /// (default `http://127.0.0.1:8082`) and `peers.outreachContact.url` (default `http://127.0.0.1:8083`).
    public init(reader: ConfigReader) {
        self.conversationURL = reader.string(forKey: "peers.conversation.url", default: "http://127.0.0.1:8081")
        self.liveChatConfigURL = reader.string(forKey: "peers.livechatConfig.url", default: "http://127.0.0.1:8082")
        self.outreachContactURL = reader.string(forKey: "peers.outreachContact.url", default: "http://127.0.0.1:8083")
    }
}

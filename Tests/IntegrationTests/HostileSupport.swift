import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport

@testable import Gateway
@testable import LiveChatConfig
@testable import SinchCMI

/// The real livechat-config and sinch-cmi on port 0 with a small body limit, and the real gateway in front:
/// what the hostile-input suites send goes through all three, on whichever engine `TEST_DB_URL` selects.
enum HostileServices {
    /// `http.maxBodySize` of both services in these suites: small, so over-limit bodies are quick to send.
    static let bodyLimit = 64 * 1024
    static let liveChatAdmin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)
    static let cmiAdmin = basicAuthorization("admin", TestConfiguration.bootstrapKey)

    /// Runs `body` with a client of the gateway and the gateway's port.
    static func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let limit: [AbsoluteConfigKey: ConfigValue] = ["http.maxBodySize": .init(.int(bodyLimit), isSecret: false)]
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader(limit))
        try await liveChat.test(.live) { liveChatClient in
            let cmi = try await SinchCMI.buildApplication(reader: TestConfiguration.reader(limit))
            try await cmi.test(.live) { cmiClient in
                let gateway = try await Gateway.buildApplication(
                    reader: TestConfiguration.reader([
                        "upstream.livechatConfig.urls": .init(.stringArray(["http://127.0.0.1:\(liveChatClient.port!)"]), isSecret: false),
                        "upstream.sinchCmi.urls": .init(.stringArray(["http://127.0.0.1:\(cmiClient.port!)"]), isSecret: false),
                        // The suites send many requests with one credential: keep the rate limit out of the way.
                        "rateLimit.requestsPerSecond": .init(.double(100_000), isSecret: false),
                        "rateLimit.burst": .init(.double(100_000), isSecret: false),
                    ])
                )
                try await gateway.test(.live) { client in try await body(client) }
            }
        }
    }

    /// A Comm100 error body: `{"code": status × 1000 (or the vendor's own), "message": ...}`.
    static func comm100Error(_ response: TestResponse) -> (code: Int, message: String)? {
        guard response.headers[.contentType]?.hasPrefix("application/json") == true,
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any],
            let code = object["code"] as? Int, let message = object["message"] as? String
        else { return nil }
        return (code, message)
    }

    /// A CMI error body: `text/plain`.
    static func cmiError(_ response: TestResponse) -> String? {
        guard response.headers[.contentType]?.hasPrefix("text/plain") == true else { return nil }
        return String(buffer: response.body)
    }
}

extension TestClientProtocol {
    /// A Live Chat request of the bootstrap administrator on site 10000.
    func liveChat(
        _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, contentType: String = "application/json"
    ) async throws -> TestResponse {
        let separator = path.contains("?") ? "&" : "?"
        var headers: HTTPFields = [.authorization: HostileServices.liveChatAdmin]
        if body != nil { headers[.contentType] = contentType }
        return try await self.execute(
            uri: "/api/v1/livechat\(path)\(separator)siteId=10000", method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// A CMI request of the bootstrap administrator.
    func cmi(
        _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, contentType: String = "application/json", accept: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: HostileServices.cmiAdmin]
        if body != nil { headers[.contentType] = contentType }
        if let accept { headers[.accept] = accept }
        return try await self.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// The same with raw bytes (invalid UTF-8, control characters).
    func cmi(_ method: HTTPRequest.Method, _ path: String, bytes: [UInt8], contentType: String) async throws -> TestResponse {
        try await self.execute(
            uri: path, method: method, headers: [.authorization: HostileServices.cmiAdmin, .contentType: contentType], body: ByteBuffer(bytes: bytes)
        )
    }
}

import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport

@testable import ChatwootGroups
@testable import Gateway
@testable import LiveChatConfig
@testable import OutreachContact
@testable import SinchCMI

/// The real livechat-config, sinch-cmi, outreach-contact (checking credentials with that livechat-config) and
/// chatwoot-groups on port 0 with a small body limit, and the real gateway in front: what the hostile-input suites
/// send goes through the gateway and a service, on whichever engine `TEST_DB_URL` selects.
enum HostileServices {
    /// `http.maxBodySize` of both services in these suites: small, so over-limit bodies are quick to send.
    static let bodyLimit = 64 * 1024
    static let liveChatAdmin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)
    static let cmiAdmin = basicAuthorization("admin", TestConfiguration.bootstrapKey)
    /// An outreach-contact id (a GUID) that nothing has.
    static let unknownGUID = "0f0e0d0c-0b0a-0908-0706-050403020100"

    /// Runs `body` with a client of the gateway and the gateway's port.
    static func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let limit: [AbsoluteConfigKey: ConfigValue] = ["http.maxBodySize": .init(.int(bodyLimit), isSecret: false)]
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader(limit))
        try await liveChat.test(.live) { liveChatClient in
            let liveChatURL = "http://127.0.0.1:\(liveChatClient.port!)"
            let cmi = try await SinchCMI.buildApplication(reader: TestConfiguration.reader(limit))
            try await cmi.test(.live) { cmiClient in
                var contactValues = limit
                contactValues["peers.livechatConfig.url"] = .init(.string(liveChatURL), isSecret: false)
                let contact = try await OutreachContact.buildApplication(reader: TestConfiguration.reader(contactValues))
                try await contact.test(.live) { contactClient in
                    let chatwoot = try await ChatwootGroups.buildApplication(reader: TestConfiguration.reader(limit))
                    try await chatwoot.test(.live) { chatwootClient in
                        func urls(_ client: any TestClientProtocol) -> ConfigValue {
                            .init(.stringArray(["http://127.0.0.1:\(client.port!)"]), isSecret: false)
                        }
                        let gateway = try await Gateway.buildApplication(
                            reader: TestConfiguration.reader([
                                "upstream.livechatConfig.urls": .init(.stringArray([liveChatURL]), isSecret: false),
                                "upstream.sinchCmi.urls": urls(cmiClient), "upstream.outreachContact.urls": urls(contactClient),
                                "upstream.chatwootGroups.urls": urls(chatwootClient),
                                // The suites send many requests with one credential: keep the rate limit out of the way.
                                "rateLimit.requestsPerSecond": .init(.double(100_000), isSecret: false),
                                "rateLimit.burst": .init(.double(100_000), isSecret: false),
                            ])
                        )
                        try await gateway.test(.live) { client in try await body(client) }
                    }
                }
            }
        }
    }

    /// A Chatwoot error body: `{"error": "..."}`, or Rails' `{"message": ..., "errors": [...]}` for a field.
    static func chatwootError(_ response: TestResponse) -> String? {
        guard response.headers[.contentType]?.hasPrefix("application/json") == true,
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        else { return nil }
        return object["error"] as? String ?? object["message"] as? String
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

    /// A Contact API request (outreach-contact) of the bootstrap administrator on site 10000, whose credential
    /// outreach-contact verifies with livechat-config.
    func contact(
        _ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, contentType: String = "application/json"
    ) async throws -> TestResponse {
        try await self.contact(method, path, bytes: body.map { Array($0.utf8) }, contentType: contentType)
    }

    /// The same with raw bytes.
    func contact(
        _ method: HTTPRequest.Method, _ path: String, bytes: [UInt8]?, contentType: String = "application/json"
    ) async throws
        -> TestResponse
    {
        let separator = path.contains("?") ? "&" : "?"
        var headers: HTTPFields = [.authorization: HostileServices.liveChatAdmin]
        if bytes != nil { headers[.contentType] = contentType }
        return try await self.execute(
            uri: "/contact\(path)\(separator)siteId=10000", method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
    }

    /// A Chatwoot request with the bootstrap user's access token.
    func chatwoot(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.apiAccessToken: TestConfiguration.bootstrapKey]
        if body != nil { headers[.contentType] = "application/json" }
        return try await self.execute(uri: path, method: method, headers: headers, body: body)
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

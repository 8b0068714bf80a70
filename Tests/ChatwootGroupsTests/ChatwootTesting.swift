import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

extension TestClientProtocol {
    /// Calls the Chatwoot API with `token` (the bootstrap key, account 1's administrator and a platform app, unless
    /// given) and a JSON body; every 2xx JSON answer is checked against the swagger on the way back.
    @discardableResult func chatwoot(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = TestConfiguration.bootstrapKey, json: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.apiAccessToken] = token }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        ChatwootSwagger.validate(response, method.rawValue, uri, sourceLocation: sourceLocation)
        return response
    }
}

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [String: Any]) ?? [:]
    }

    /// The body as a JSON array (empty when it is not one).
    var array: [[String: Any]] {
        ((try? JSONSerialization.jsonObject(with: Data(buffer: self.body))) as? [[String: Any]]) ?? []
    }
}

/// A user made through the Platform API, with their token.
struct ChatwootTestUser {
    var id: Int
    var token: String
}

extension TestClientProtocol {
    /// A new user (through the Platform API, with the bootstrap app), optionally made a member of `account` with `role`.
    func chatwootUser(
        _ name: String, account: Int? = 1, role: String = "agent", sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ChatwootTestUser {
        let email = "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.com"
        let created = try await self.chatwoot(
            .post, "/platform/api/v1/users", json: #"{"name": "\#(name)", "email": "\#(email)", "password": "Password1!"}"#,
            sourceLocation: sourceLocation)
        #expect(created.status == .ok, sourceLocation: sourceLocation)
        let id = try #require(created.object["id"] as? Int, sourceLocation: sourceLocation)
        let token = try #require(created.object["access_token"] as? String, sourceLocation: sourceLocation)
        if let account {
            let joined = try await self.chatwoot(
                .post, "/platform/api/v1/accounts/\(account)/account_users", json: #"{"user_id": \#(id), "role": "\#(role)"}"#,
                sourceLocation: sourceLocation)
            #expect(joined.status == .ok, sourceLocation: sourceLocation)
        }
        return ChatwootTestUser(id: id, token: token)
    }

    /// A new account (through the Platform API, so the bootstrap app owns it); answers its id.
    func chatwootAccount(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let created = try await self.chatwoot(.post, "/platform/api/v1/accounts", json: #"{"name": "\#(name)"}"#, sourceLocation: sourceLocation)
        #expect(created.status == .ok, sourceLocation: sourceLocation)
        return try #require(created.object["id"] as? Int, sourceLocation: sourceLocation)
    }
}

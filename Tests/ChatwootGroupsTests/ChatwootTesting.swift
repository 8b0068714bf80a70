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

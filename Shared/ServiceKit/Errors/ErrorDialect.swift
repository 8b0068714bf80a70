import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Renders errors in one vendor's shape; each service picks the dialect of the API it speaks.
public protocol ErrorDialect: Sendable {
    func response(for error: ServiceError, requestID: String) -> Response
}

extension ErrorDialect {
    /// A JSON response with the given body object.
    func json(_ status: HTTPResponse.Status, _ body: [String: Any], headers: HTTPFields) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Comm100 (Anytime, Live Chat, Outreach/Contact): `{"code": 400000, "message": "..."}`.
public struct Comm100ErrorDialect: ErrorDialect {
    public init() {}
    public func response(for error: ServiceError, requestID: String) -> Response {
        let code = error.code ?? Int(error.status.code) * 1000
        return json(error.status, ["code": code, "message": error.message], headers: error.headers)
    }
}

/// Chatwoot: `{"error": "..."}` for auth and lookups; validation errors list the field as Rails does.
public struct ChatwootErrorDialect: ErrorDialect {
    public init() {}
    public func response(for error: ServiceError, requestID: String) -> Response {
        if let field = error.field {
            let item: [String: Any] = ["field": field, "message": error.message, "code": "invalid"]
            return json(error.status, ["message": error.message, "errors": [item]], headers: error.headers)
        }
        return json(error.status, ["error": error.message], headers: error.headers)
    }
}

/// Sinch CMI: plain text bodies (`Invalid GUID: '…'`, `HTTP 404 Not Found`).
public struct SinchErrorDialect: ErrorDialect {
    public init() {}
    public func response(for error: ServiceError, requestID: String) -> Response {
        var fields = error.headers
        fields[.contentType] = "text/plain; charset=utf-8"
        return Response(status: error.status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: error.message)))
    }
}

/// The gateway's own errors: `{"error": {"status": 502, "message": "...", "upstream": "..."}}`.
public struct GatewayErrorDialect: ErrorDialect {
    public init() {}
    public func response(for error: ServiceError, requestID: String) -> Response {
        var detail: [String: Any] = ["status": Int(error.status.code), "message": error.message, "requestId": requestID]
        if let field = error.field { detail["upstream"] = field }
        return json(error.status, ["error": detail], headers: error.headers)
    }
}

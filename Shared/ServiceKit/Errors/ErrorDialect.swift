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

/// Sinch CMI: plain text bodies (`Invalid GUID: '…'`, `HTTP 404 Not Found`), as the JAX-RS service behind the seed.
public struct SinchErrorDialect: ErrorDialect {
    public init() {}
    public func response(for error: ServiceError, requestID: String) -> Response {
        var fields = error.headers
        fields[.contentType] = "text/plain"
        // Every 404, an unknown route as much as an unknown id, reads as the seed shows it; 405 and 413 read as the
        // JAX-RS service behind the seed words them (`Allow` says which methods the path serves).
        let message =
            switch error.status {
            case .notFound: "HTTP 404 Not Found"
            case .methodNotAllowed: "HTTP 405 Method Not Allowed"
            case .contentTooLarge: "HTTP 413 Request Entity Too Large"
            default: error.message
            }
        return Response(status: error.status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}

/// The gateway's own errors: `{"error": {"status": 502, "message": "...", "upstream": "...", "requestId": "..."}}`.
public struct GatewayErrorDialect: ErrorDialect {
    public init() {}
    /// The `field` of a gateway error names the upstream it concerns.
    public func response(for error: ServiceError, requestID: String) -> Response {
        var fields = error.headers
        fields[.contentType] = "application/json; charset=utf-8"
        let body = Self.body(status: error.status, message: error.message, upstream: error.field, requestID: requestID)
        return Response(status: error.status, headers: fields, body: .init(byteBuffer: body))
    }

    /// The JSON body, shared with the gateway's channel-level proxy.
    public static func body(status: HTTPResponse.Status, message: String, upstream: String?, requestID: String) -> ByteBuffer {
        var detail: [String: Any] = ["status": status.code, "message": message, "requestId": requestID]
        if let upstream { detail["upstream"] = upstream }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": detail], options: [.sortedKeys])) ?? Data()
        return ByteBuffer(bytes: data)
    }
}

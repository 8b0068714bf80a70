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

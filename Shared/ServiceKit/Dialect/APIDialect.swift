import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One vendor's API as a whole: how it writes typed answers, beside how it renders errors. The request context
/// carries the service's dialect, so handlers return wire values and the dialect writes them: Comm100's JSON with
/// sorted members, Chatwoot's JSON, CMI's JSON or XML by `Accept`.
public protocol APIDialect: ErrorDialect {
    /// A typed answer as this API writes it.
    func response(for value: some Encodable, request: Request) throws -> Response
}

extension APIDialect {
    /// Plain JSON, members in declaration order.
    public func response(for value: some Encodable, request: Request) throws -> Response {
        try JSONAnswer.plain.response(for: value)
    }
}

/// A JSON writer configured once and shared by every request (making an encoder per answer costs more than
/// encoding a small one).
public struct JSONAnswer: Sendable {
    let encoder: JSONEncoder

    public init(configure: (JSONEncoder) -> Void) {
        let encoder = JSONEncoder()
        configure(encoder)
        self.encoder = encoder
    }

    public func response(for value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try self.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let plain = JSONAnswer { _ in }
}

/// The context's response encoder: whatever the service's dialect writes.
public struct DialectResponseEncoder: ResponseEncoder {
    let dialect: any APIDialect

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try self.dialect.response(for: value, request: request)
    }
}

extension GatewayErrorDialect: APIDialect {}

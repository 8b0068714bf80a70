import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

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

extension SinchErrorDialect: APIDialect {}

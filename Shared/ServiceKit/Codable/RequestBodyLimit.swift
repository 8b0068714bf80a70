import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, or a 413 naming `limit` when it is larger, whether it came with a `Content-Length` or chunked.
    public func collectBody(atMost limit: Int) async throws -> ByteBuffer {
        do {
            return try await self.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServiceError.bodyTooLarge(limit: limit)
        }
    }
}

extension ServiceError {
    /// 413 for a body over the service's (or a route's own) limit.
    public static func bodyTooLarge(limit: Int?) -> ServiceError {
        let message = limit.map { "The request body is larger than the \($0) bytes this endpoint accepts." } ?? "The request body is too large."
        return ServiceError(.contentTooLarge, message: message)
    }
}

/// The request decoder of every service context: JSON read through ``JSONBody`` within the service's body limit,
/// so every failure is a 400 or 413 in the service's own error shape.
public struct ServiceRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try JSONBody.decode(T.self, from: try await request.collectBody(atMost: context.maxUploadSize))
    }
}

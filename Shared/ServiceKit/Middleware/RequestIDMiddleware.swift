import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    public static let requestID = Self("X-Request-ID")!
    public static let idempotencyKey = Self("Idempotency-Key")!
    public static let internalToken = Self("X-Internal-Token")!
}

/// Takes the caller's `X-Request-ID` (when it is sane) or makes one, and echoes it on the response.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = Self.accept(request.headers[.requestID]) ?? UUID().uuidString.lowercased()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestID
        return response
    }

    /// A caller's id is kept only if it is short and printable, so logs cannot be forged through it.
    public static func accept(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.count <= 128,
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return value
    }
}

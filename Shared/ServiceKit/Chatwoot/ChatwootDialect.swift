import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

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

extension ChatwootErrorDialect: APIDialect {
    public func response(for value: some Encodable, request: Request) throws -> Response {
        try JSONAnswer.chatwoot.response(for: value)
    }
}

extension JSONAnswer {
    /// Chatwoot (Rails): slashes unescaped. Its wire types spell their snake_case names in `CodingKeys`: a key
    /// strategy would convert every member of every answer again (14% of a profile request's time, measured).
    public static let chatwoot = JSONAnswer {
        $0.outputFormatting = [.withoutEscapingSlashes]
    }
}

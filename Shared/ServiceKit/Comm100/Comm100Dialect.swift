import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Comm100 (Anytime, Live Chat, Outreach/Contact): `{"code": 400000, "message": "..."}`.
public struct Comm100ErrorDialect: ErrorDialect {
    public init() {}
    public func response(for error: ServiceError, requestID: String) -> Response {
        let code = error.code ?? Int(error.status.code) * 1000
        return json(error.status, ["code": code, "message": error.message], headers: error.headers)
    }
}

extension Comm100ErrorDialect: APIDialect {
    public func response(for value: some Encodable, request: Request) throws -> Response {
        try JSONAnswer.comm100.response(for: value)
    }
}

extension JSONAnswer {
    /// Comm100: members in a stable (sorted) order, slashes unescaped, dates in ISO 8601.
    public static let comm100 = JSONAnswer {
        $0.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        $0.dateEncodingStrategy = .iso8601
    }
}

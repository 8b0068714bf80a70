import HTTPTypes
import Hummingbird

/// Gives every request the service's body limit and dialect, and refuses, before any handler runs, what no route could
/// serve: a declared body over the limit (413) and a NUL (`%00`) anywhere in the URI (400: PostgreSQL cannot
/// store or compare one, so it would surface as a 500 from the first query that used it).
public struct RequestGuardMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let maxBodySize: Int
    let dialect: any APIDialect

    public init(maxBodySize: Int, dialect: any APIDialect) {
        self.maxBodySize = maxBodySize
        self.dialect = dialect
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > self.maxBodySize {
            throw ServiceError.bodyTooLarge(limit: self.maxBodySize)
        }
        if Self.containsEncodedNUL(request.uri.description) {
            throw ServiceError(.badRequest, message: "The request URI must not contain a NUL character (%00).")
        }
        var context = context
        context.maxBodySize = self.maxBodySize
        context.dialect = self.dialect
        return try await next(request, context)
    }

    static func containsEncodedNUL(_ uri: String) -> Bool {
        var utf8 = uri.utf8[...]
        while let percent = utf8.firstIndex(of: UInt8(ascii: "%")) {
            let rest = utf8[utf8.index(after: percent)...]
            if rest.starts(with: "00".utf8) { return true }
            utf8 = rest
        }
        return false
    }
}

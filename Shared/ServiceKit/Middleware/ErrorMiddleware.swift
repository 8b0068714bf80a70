import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Renders every error in the service's dialect; logs unexpected ones with the request id and hides their detail.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let dialect: any ErrorDialect

    public init(dialect: any ErrorDialect) {
        self.dialect = dialect
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.render(error, dialect: self.dialect, request: request, requestID: context.requestID, logger: context.logger)
        }
    }

    /// Shared with child-context routes, whose errors surface here too.
    public static func render(_ error: any Error, dialect: any ErrorDialect, request: Request, requestID: String, logger: Logger) -> Response {
        var response = dialect.response(for: Self.serviceError(for: error, request: request, logger: logger), requestID: requestID)
        response.headers[.requestID] = requestID
        return response
    }

    static func serviceError(for error: any Error, request: Request, logger: Logger) -> ServiceError {
        switch error {
        case let error as ServiceError:
            return error
        case let error as DecodingError:
            return Self.describe(error)
        case let error as HTTPError:
            // Hummingbird's own errors: unknown route, body too large, bad content.
            let message = error.body ?? Self.defaultMessage(error.status)
            return ServiceError(error.status, message: message, headers: error.headers)
        default:
            logger.error(
                "Unexpected error",
                metadata: ["error": .string(String(reflecting: error)), "path": .string(request.uri.path), "method": .string(request.method.rawValue)]
            )
            return ServiceError(.internalServerError, message: "Internal server error.")
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found."
        case .contentTooLarge: "Request body is too large."
        default: status.reasonPhrase
        }
    }

    /// A decoding error names the field path the client got wrong.
    static func describe(_ error: DecodingError) -> ServiceError {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (key.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return .invalid(field, "Field '\(field)' is required.")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalid(field, "Field '\(field)' must be of type \(type).")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .invalid(field, "Field '\(field)' must not be null.")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty
                ? ServiceError(.badRequest, message: "The request body is not valid JSON.")
                : .invalid(field, "Field '\(field)' is invalid: \(context.debugDescription)")
        @unknown default:
            return ServiceError(.badRequest, message: "The request body is invalid.")
        }
    }
}

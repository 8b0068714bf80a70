import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Renders every error in the service's dialect; logs unexpected ones with the request id and hides their detail.
/// A request the router has no route for is a 405 with `Allow` when its path is served with other methods.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let dialect: any ErrorDialect
    let routes: RouteTable?

    public init(dialect: any ErrorDialect, routes: RouteTable? = nil) {
        self.dialect = dialect
        self.routes = routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            // The router's "no route" is an HTTPError 404 whose endpoint Hummingbird names "NotFound" (a matched route
            // has its path there); only then is the route table consulted, so the cost stays off every routed request.
            if let routes = self.routes, (context.endpointPath ?? "NotFound") == "NotFound", let notFound = error as? HTTPError,
                notFound.status == .notFound
            {
                let allowed = routes.methods(servedAt: request.uri.path)
                if !allowed.isEmpty {
                    return Self.render(
                        Self.methodNotAllowed(request.method, allowed: allowed), dialect: self.dialect, request: request,
                        requestID: context.requestID, logger: context.logger)
                }
            }
            return Self.render(error, dialect: self.dialect, request: request, requestID: context.requestID, logger: context.logger)
        }
    }

    /// Shared with child-context routes, whose errors surface here too.
    public static func render(_ error: any Error, dialect: any ErrorDialect, request: Request, requestID: String, logger: Logger) -> Response {
        var response = dialect.response(for: Self.serviceError(for: error, request: request, logger: logger), requestID: requestID)
        response.headers[.requestID] = requestID
        return response
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> ServiceError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return ServiceError(
            .methodNotAllowed, message: "The method \(method.rawValue) is not allowed here; this path serves \(list).", headers: [.allow: list]
        )
    }

    static func serviceError(for error: any Error, request: Request, logger: Logger) -> ServiceError {
        switch error {
        case let error as ServiceError:
            return error
        case let error as DecodingError:
            return DecodingProblem.serviceError(error)
        case is NIOTooManyBytesError:
            // A body collected with NIO's own limit somewhere that does not name it (see `collectBody(atMost:)`).
            return .bodyTooLarge(limit: nil)
        case let error as HTTPError:
            // Hummingbird's own errors: unknown route, bad content.
            let message = error.body ?? Self.defaultMessage(error.status)
            return ServiceError(error.status, message: message, headers: error.headers)
        case let error as any HTTPResponseError where error.status.code < 500:
            return ServiceError(error.status, message: Self.defaultMessage(error.status))
        default:
            logger.error(
                "Unexpected error",
                metadata: [
                    "error": .string(String(reflecting: error)), "path": .string(request.uri.path), "method": .string(request.method.rawValue),
                ]
            )
            return ServiceError(.internalServerError, message: "Internal server error.")
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found."
        case .contentTooLarge: "The request body is too large."
        default: status.reasonPhrase
        }
    }

    /// A decoding error names the field path the client got wrong.
    static func describe(_ error: DecodingError) -> ServiceError {
        DecodingProblem.serviceError(error)
    }
}

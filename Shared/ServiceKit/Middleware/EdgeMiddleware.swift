import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The first thing every request of a service meets, in one frame: its request id (the caller's `X-Request-ID`
/// when sane), the service's body limit and dialect, the refusal of what no route could serve (a declared body
/// over the limit: 413; a NUL, `%00`, anywhere in the URI: 400, as PostgreSQL cannot store or compare one), every
/// error rendered in the dialect (405 with `Allow` for a known path and another method; unexpected errors logged
/// with the request id, their detail hidden), the metrics and the access log. One middleware rather than five:
/// on a small request each async frame and copy of the context showed in the profile (design §6).
public struct EdgeMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let dialect: any APIDialect
    let maxBodySize: Int
    let metrics: RequestMetrics
    let routes: RouteTable?
    let accessLog: Bool

    public init(dialect: any APIDialect, maxBodySize: Int, metrics: RequestMetrics, routes: RouteTable?, accessLog: Bool) {
        self.dialect = dialect
        self.maxBodySize = maxBodySize
        self.metrics = metrics
        self.routes = routes
        self.accessLog = accessLog
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.requestID = RequestID.accept(request.headers[.requestID]) ?? RequestID.make()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        context.maxBodySize = self.maxBodySize
        context.dialect = self.dialect
        var response: Response
        do {
            try self.refuseUnservable(request)
            response = try await next(request, context)
        } catch {
            response = self.render(error, request: request, context: context)
        }
        response.headers[.requestID] = context.requestID
        let elapsed = ContinuousClock.now - start
        self.metrics.record(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code, duration: elapsed)
        if self.accessLog {
            context.logger.info(
                "request",
                metadata: [
                    "method": .string(request.method.rawValue), "path": .string(request.uri.path), "status": .stringConvertible(response.status.code),
                    "duration_ms": .stringConvertible(Double(elapsed.nanoseconds) / 1_000_000),
                ])
        }
        return response
    }

    private func refuseUnservable(_ request: Request) throws {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > self.maxBodySize {
            throw ServiceError.bodyTooLarge(limit: self.maxBodySize)
        }
        if Self.containsEncodedNUL(request.uri.description) {
            throw ServiceError(.badRequest, message: "The request URI must not contain a NUL character (%00).")
        }
    }

    private func render(_ error: any Error, request: Request, context: Context) -> Response {
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

    static func containsEncodedNUL(_ uri: String) -> Bool {
        var utf8 = uri.utf8[...]
        while let percent = utf8.firstIndex(of: UInt8(ascii: "%")) {
            let rest = utf8[utf8.index(after: percent)...]
            if rest.starts(with: "00".utf8) { return true }
            utf8 = rest
        }
        return false
    }

    /// An error as the dialect writes it, with the request id.
    static func render(_ error: any Error, dialect: any ErrorDialect, request: Request, requestID: String, logger: Logger) -> Response {
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
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import WireModels

/// Endpoints under one path prefix with one security requirement. Each call registers a route (with `{id}`
/// captures, which Hummingbird reads as written) and documents it in the service's OpenAPI document, with JSON
/// Schemas derived from the wire types it reads and answers: one declaration per endpoint.
///
/// ```swift
/// let api = router.endpoints("/api/v1/livechat", context: AuthenticatedContext.self, tag: "Bans", security: comm100, document: document)
/// api.get("/bans/{id}", "Get a ban", returns: LiveChatBan.self, use: self.get)
/// api.post("/bans", "Create a ban", body: LiveChatBan.self, returns: LiveChatBan.self, use: self.create)
/// ```
public struct Endpoints<Context: RequestContext> {
    /// The router or group whose routes these are; its path is `prefix`.
    private let routes: any RouterMethods<Context>
    public let prefix: String
    public let tag: String
    public let security: [String]
    /// Error statuses every operation of the group may answer, with what they mean.
    public let errors: [Int: String]
    /// Whether these are Switchboard's own additions to the vendor's API.
    public let isExtension: Bool
    let document: OpenAPIDocument

    public init(
        _ routes: any RouterMethods<Context>, prefix: String, tag: String, security: [String] = [], errors: [Int: String] = [:],
        isExtension: Bool = false, document: OpenAPIDocument
    ) {
        self.routes = routes
        self.prefix = prefix
        self.tag = tag
        self.security = security
        self.errors = errors
        self.isExtension = isExtension
        self.document = document
    }

    /// The same group under another tag (the routes of one prefix often span several topics).
    public func tagged(_ tag: String, isExtension: Bool? = nil) -> Self {
        Self(
            self.routes, prefix: self.prefix, tag: tag, security: self.security, errors: self.errors, isExtension: isExtension ?? self.isExtension,
            document: self.document)
    }

    // MARK: Declarations

    /// A read answering `Output` as JSON.
    @discardableResult public func get<Output: ResponseEncodable & Decodable>(
        _ path: String, _ summary: String, returns: Output.Type, query: [QueryParameter] = [], errors: [Int: String] = [:],
        use handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.add(.get, path, summary, body: nil, returns: Output.self, status: .ok, query: query, errors: errors) { request, context in
            try await handler(request, context).response(from: request, context: context)
        }
    }

    /// A write reading `Input` (400 naming the field when it does not decode) and answering `Output`.
    @discardableResult public func post<Input: Decodable, Output: ResponseEncodable & Decodable>(
        _ path: String, _ summary: String, body: Input.Type, returns: Output.Type, status: HTTPResponse.Status = .ok, query: [QueryParameter] = [],
        errors: [Int: String] = [:], use handler: @escaping @Sendable (Request, Context, Input) async throws -> Output
    ) -> Self {
        self.write(.post, path, summary, body: body, returns: returns, status: status, query: query, errors: errors, use: handler)
    }

    /// An action on what the path names, with no body to read (accept, end), answering `Output`.
    @discardableResult public func post<Output: ResponseEncodable & Decodable>(
        _ path: String, _ summary: String, returns: Output.Type, status: HTTPResponse.Status = .ok, query: [QueryParameter] = [],
        errors: [Int: String] = [:], use handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.add(.post, path, summary, body: nil, returns: Output.self, status: status, query: query, errors: errors) { request, context in
            try await handler(request, context).response(from: request, context: context)
        }
    }

    /// A replacement or partial update reading `Input` and answering `Output`.
    @discardableResult public func put<Input: Decodable, Output: ResponseEncodable & Decodable>(
        _ path: String, _ summary: String, body: Input.Type, returns: Output.Type, status: HTTPResponse.Status = .ok, query: [QueryParameter] = [],
        errors: [Int: String] = [:], use handler: @escaping @Sendable (Request, Context, Input) async throws -> Output
    ) -> Self {
        self.write(.put, path, summary, body: body, returns: returns, status: status, query: query, errors: errors, use: handler)
    }

    /// A partial update (Chatwoot's `PATCH`) reading `Input` and answering `Output`.
    @discardableResult public func patch<Input: Decodable, Output: ResponseEncodable & Decodable>(
        _ path: String, _ summary: String, body: Input.Type, returns: Output.Type, status: HTTPResponse.Status = .ok, query: [QueryParameter] = [],
        errors: [Int: String] = [:], use handler: @escaping @Sendable (Request, Context, Input) async throws -> Output
    ) -> Self {
        self.write(.patch, path, summary, body: body, returns: returns, status: status, query: query, errors: errors, use: handler)
    }

    /// A removal answering `Output` (a vendor that answers an empty body declares ``EmptyBody``).
    @discardableResult public func delete<Output: ResponseEncodable & Decodable>(
        _ path: String, _ summary: String, returns: Output.Type, status: HTTPResponse.Status = .ok, query: [QueryParameter] = [],
        errors: [Int: String] = [:], use handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.add(.delete, path, summary, body: nil, returns: Output.self, status: status, query: query, errors: errors) { request, context in
            try await handler(request, context).response(from: request, context: context)
        }
    }

    /// A route whose answer is not one JSON type (an id as text, XML by `Accept`, a file): its answers documented by
    /// status only; the body it reads, when given, with its schema.
    @discardableResult public func raw(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, body: (any Decodable.Type)? = nil, responses: [Int: String],
        query: [QueryParameter] = [], use handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) -> Self {
        let route = RouteKey(method, self.prefix + path)
        var operation = OperationDescription(
            summary, tag: self.tag, security: self.security, isExtension: self.isExtension,
            responses: responses.merging(self.errors) { own, _ in own }, query: query
        )
        do {
            operation.requestSchema = try body.map { try self.document.schema(forAny: $0) }
        } catch {
            preconditionFailure("\(route): \(error)")
        }
        self.document.describe(method, route.path, operation)
        self.routes.on(RouterPath(path), method: method, use: handler)
        return self
    }

    // MARK: Registration

    private func write<Input: Decodable, Output: ResponseEncodable & Decodable>(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, body: Input.Type, returns: Output.Type, status: HTTPResponse.Status,
        query: [QueryParameter], errors: [Int: String], use handler: @escaping @Sendable (Request, Context, Input) async throws -> Output
    ) -> Self {
        self.add(method, path, summary, body: Input.self, returns: Output.self, status: status, query: query, errors: errors) { request, context in
            let input = try await request.decode(as: Input.self, context: context)
            return try await handler(request, context, input).response(from: request, context: context)
        }
    }

    /// Documents the operation (its schemas derived now, at start-up, so an undocumentable type fails the build of
    /// the app) and registers the handler; with `openapi.checkResponses` every JSON answer is checked against it.
    private func add(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, body: (any Decodable.Type)?, returns: any Decodable.Type,
        status: HTTPResponse.Status, query: [QueryParameter], errors: [Int: String],
        respond: @escaping @Sendable (Request, Context) async throws -> Response
    ) -> Self {
        let route = RouteKey(method, self.prefix + path)
        var operation = OperationDescription(
            summary, tag: self.tag, security: self.security, isExtension: self.isExtension,
            responses: [Int(status.code): summary].merging(errors) { own, _ in own }.merging(self.errors) { own, _ in own }, query: query
        )
        do {
            operation.requestSchema = try body.map { try self.document.schema(forAny: $0) }
            operation.responseSchema = returns == EmptyBody.self ? nil : try self.document.schema(forAny: returns)
        } catch {
            // A declaration is code: a wire type the walk cannot read is a programming error, named at start-up.
            preconditionFailure("\(route): \(error)")
        }
        operation.successStatus = Int(status.code)
        self.document.describe(method, route.path, operation)
        let document = self.document
        self.routes.on(RouterPath(path), method: method) { request, context -> Response in
            var response = try await respond(request, context)
            if status != .ok, response.status == .ok { response.status = status }
            guard document.checksResponses else { return response }
            return try await document.checked(response, answering: route)
        }
        return self
    }
}

/// The answer of an operation whose vendor sends no body.
public struct EmptyBody: ResponseEncodable, Codable, Sendable, Equatable {
    public init() {}

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok)
    }
}

extension OpenAPIDocument {
    /// The schema of a type known only as a metatype (opens the existential).
    func schema(forAny type: any Decodable.Type) throws -> JSONSchema {
        try self.schema(for: type)
    }

    /// The response as sent, after checking its JSON against the route's schema: a mismatch is a 500 listing every
    /// violation, so the test that produced it fails where it happened.
    func checked(_ response: Response, answering route: RouteKey) async throws -> Response {
        guard (200..<300).contains(response.status.code), response.headers[.contentType]?.hasPrefix("application/json") == true else {
            return response
        }
        let collector = BodyCollector()
        var response = response
        try await response.body.write(collector)
        let body = collector.buffer.withLockedValue { $0 }
        let violations = self.violations(of: Data(buffer: body, byteTransferStrategy: .copy), answering: route)
        guard violations.isEmpty else {
            throw ServiceError(.internalServerError, message: "\(route) answered outside its schema: \(violations.joined(separator: "; "))")
        }
        response.body = ResponseBody(byteBuffer: body)
        return response
    }
}

/// Gathers a response body in memory, for the test-time schema check.
private final class BodyCollector: ResponseBodyWriter, Sendable {
    let buffer = NIOLockedValueBox(ByteBuffer())

    func write(_ buffer: ByteBuffer) async throws {
        self.buffer.withLockedValue { $0.writeImmutableBuffer(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension RouterMethods {
    /// Endpoints of this router under `prefix`, in the same context.
    public func endpoints(
        _ prefix: String, tag: String, security: [String] = [], errors: [Int: String] = [:], isExtension: Bool = false, document: OpenAPIDocument
    ) -> Endpoints<Context> {
        Endpoints(
            self.group(RouterPath(prefix)), prefix: prefix, tag: tag, security: security, errors: errors, isExtension: isExtension, document: document
        )
    }

    /// Endpoints under `prefix` in a child context (an authenticated one, so no handler runs without an identity).
    public func endpoints<Child: ChildRequestContext>(
        _ prefix: String, context: Child.Type, tag: String, security: [String] = [], errors: [Int: String] = [:], isExtension: Bool = false,
        document: OpenAPIDocument
    ) -> Endpoints<Child> where Child.ParentContext == Context {
        Endpoints(
            self.group(RouterPath(prefix), context: Child.self), prefix: prefix, tag: tag, security: security, errors: errors,
            isExtension: isExtension,
            document: document
        )
    }
}

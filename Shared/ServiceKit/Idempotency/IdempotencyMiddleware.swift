import Configuration
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import SQLKit

/// `Idempotency-Key` on a POST: the first response is stored for a day and replayed for every repeat;
/// the same key with a different request is a 422, and a repeat while the first is still running a 409.
///
/// Keys are scoped by credential, so two clients never see each other's responses.
public struct IdempotencyMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let database: Database
    let ttlSeconds: Int64
    let clock: WallClock

    /// Reads `idempotency.ttlHours` (int, default 24) from `reader`.
    public init(database: Database, reader: ConfigReader, clock: WallClock = .system) {
        self.database = database
        self.ttlSeconds = Int64(reader.int(forKey: "idempotency.ttlHours", default: 24)) * 3600
        self.clock = clock
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else {
            return try await next(request, context)
        }
        guard !key.isEmpty, key.count <= 255 else {
            throw ServiceError.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters.")
        }
        var request = request
        // The service's own limit, so a body too large for the route is the same 413 with or without a key.
        let body = try await request.collectBody(atMost: context.maxUploadSize)
        request.body = RequestBody(buffer: body)
        let scope = Self.scope(of: request)
        let fingerprint = Self.fingerprint(request, body: body)
        let now = self.clock.milliseconds()

        try await self.database.sql.raw(
            """
            DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key) AND created_at < \(bind: now - self.ttlSeconds * 1000)
            """
        ).run()
        let inserted = try await self.database.sql.raw(
            """
            INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, status_code, created_at)
            VALUES (\(bind: scope), \(bind: key), \(bind: fingerprint), 0, \(bind: now))
            ON CONFLICT (scope, idempotency_key) DO NOTHING RETURNING scope
            """
        ).all()
        if inserted.isEmpty {
            return try await self.replay(scope: scope, key: key, fingerprint: fingerprint)
        }

        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Nothing was stored for a failed request: the client may retry with the same key.
            try? await self.forget(scope: scope, key: key)
            throw error
        }
        let status = Int(response.status.code)
        guard status < 500, status != 429 else {
            try? await self.forget(scope: scope, key: key)
            return response
        }
        return try await self.store(response, scope: scope, key: key)
    }

    func replay(scope: String, key: String, fingerprint: String) async throws -> Response {
        guard
            let row = try await self.database.sql.raw(
                """
                SELECT request_hash, status_code, response_headers, response_body FROM idempotency_keys
                WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key)
                """
            ).first()
        else {
            throw ServiceError(.conflict, message: "A request with this Idempotency-Key is being processed; retry shortly.")
        }
        guard try row.decode(column: "request_hash", as: String.self) == fingerprint else {
            throw ServiceError(.unprocessableContent, message: "Idempotency-Key was already used with a different request.", field: "Idempotency-Key")
        }
        let status = try row.decode(column: "status_code", as: Int.self)
        guard status != 0 else {
            throw ServiceError(.conflict, message: "A request with this Idempotency-Key is being processed; retry shortly.")
        }
        let storedHeaders = try row.decode(column: "response_headers", as: String?.self) ?? "{}"
        let headerValues = (try? JSONDecoder().decode([String: String].self, from: Data(storedHeaders.utf8))) ?? [:]
        var headers = HTTPFields()
        for (name, value) in headerValues {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        let body = Data(base64Encoded: try row.decode(column: "response_body", as: String?.self) ?? "") ?? Data()
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func store(_ response: Response, scope: String, key: String) async throws -> Response {
        var response = response
        let collected = CollectedBody()
        try await response.body.write(CollectingBodyWriter(into: collected))
        let buffer = collected.buffer
        response.body = .init(byteBuffer: buffer)
        var headers: [String: String] = [:]
        for field in response.headers where field.name != .requestID && field.name != .date {
            headers[field.name.rawName] = field.value
        }
        let encodedHeaders = String(decoding: try JSONEncoder().encode(headers), as: UTF8.self)
        try await self.database.sql.raw(
            """
            UPDATE idempotency_keys SET status_code = \(bind: Int(response.status.code)), response_headers = \(bind: encodedHeaders),
            response_body = \(bind: Data(buffer: buffer).base64EncodedString())
            WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key)
            """
        ).run()
        return response
    }

    func forget(scope: String, key: String) async throws {
        try await self.database.sql.raw(
            """
            DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key) AND status_code = 0
            """
        ).run()
    }

    /// The credential the request carries (a Live Chat visitor's chat token counts), hashed; anonymous
    /// requests share one scope, where a replay also needs the same request.
    static func scope(of request: Request) -> String {
        let credential =
            request.headers[.authorization] ?? request.headers[.apiAccessToken] ?? request.headers[Self.visitorToken].map { "visitor " + $0 }
            ?? "anonymous"
        return SecretHasher.tokenHash(credential)
    }

    static let visitorToken = HTTPField.Name("X-Visitor-Token")!

    /// What makes two requests "the same": method, path with query, and body.
    static func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.description)\n".utf8))
        hasher.update(data: Data(buffer: body))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A response body gathered so it can be stored and sent again.
final class CollectedBody: @unchecked Sendable {
    // Written by one writer, read only after `write` returns.
    var buffer = ByteBuffer()
}

/// Writes a response body into a ``CollectedBody``.
struct CollectingBodyWriter: ResponseBodyWriter {
    let into: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.into.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

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
/// Keys are scoped by credential, so two clients never see each other's responses: `Authorization` or
/// `api_access_token`, else a header the service's dialect names (``IdempotencyScoping``).
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
        let scope = Self.scope(of: request, dialect: context.dialect)
        let fingerprint = Self.fingerprint(request, body: body)
        let now = self.clock.milliseconds()
        let expired = now - self.ttlSeconds * 1000

        // Claim the key (after dropping an expired claim), or find what an earlier request stored under it.
        let claim = try await self.database.transaction { tx -> Claim in
            try await tx.sql.delete(from: "idempotency_keys")
                .where("scope", .equal, scope).where("idempotency_key", .equal, key).where("created_at", .lessThan, expired)
                .run()
            let claimed = try await tx.sql.insert(into: "idempotency_keys")
                .row(KeyRow(scope: scope, idempotencyKey: key, requestHash: fingerprint, statusCode: 0, createdAt: now))
                .ignoringConflicts(with: ["scope", "idempotency_key"])
                .returning("scope")
                .all()
            guard claimed.isEmpty else { return .claimed }
            let stored = try await tx.sql.select().columns(StoredResponse.columns).from("idempotency_keys")
                .where("scope", .equal, scope).where("idempotency_key", .equal, key)
                .first(StoredResponse.self)
            return .taken(stored)
        }
        if case .taken(let stored) = claim {
            return try Self.replay(stored, fingerprint: fingerprint)
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

    /// The stored answer to an earlier request with the key, as a response; a 422 for another request, a 409 while
    /// the first is still running (or when its claim was dropped in between: it failed, and a retry may go ahead).
    static func replay(_ stored: StoredResponse?, fingerprint: String) throws -> Response {
        guard let stored else {
            throw ServiceError(.conflict, message: "A request with this Idempotency-Key is being processed; retry shortly.")
        }
        guard stored.requestHash == fingerprint else {
            throw ServiceError(.unprocessableContent, message: "Idempotency-Key was already used with a different request.", field: "Idempotency-Key")
        }
        guard stored.statusCode != 0 else {
            throw ServiceError(.conflict, message: "A request with this Idempotency-Key is being processed; retry shortly.")
        }
        let headerValues = (try? JSONDecoder().decode([String: String].self, from: Data((stored.responseHeaders ?? "{}").utf8))) ?? [:]
        var headers = HTTPFields()
        for (name, value) in headerValues {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        let body = Data(base64Encoded: stored.responseBody ?? "") ?? Data()
        return Response(status: HTTPResponse.Status(code: stored.statusCode), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
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
        let (status, encodedBody) = (Int(response.status.code), Data(buffer: buffer).base64EncodedString())
        try await self.database.transaction { tx in
            try await tx.sql.update("idempotency_keys")
                .set("status_code", to: status).set("response_headers", to: encodedHeaders).set("response_body", to: encodedBody)
                .where("scope", .equal, scope).where("idempotency_key", .equal, key)
                .run()
        }
        return response
    }

    func forget(scope: String, key: String) async throws {
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "idempotency_keys")
                .where("scope", .equal, scope).where("idempotency_key", .equal, key).where("status_code", .equal, 0)
                .run()
        }
    }

    /// The credentials every API sends its callers' identity in, tried before a dialect's own.
    static let standardCredentials: [HTTPField.Name] = [.authorization, .apiAccessToken]

    /// The credential the request carries, hashed: `Authorization` or `api_access_token` as it is, a header the
    /// dialect adds with its name (so a value cannot stand for another header's). Anonymous requests share one
    /// scope, where a replay also needs the same request.
    static func scope(of request: Request, dialect: any APIDialect) -> String {
        for name in Self.standardCredentials {
            if let value = request.headers[name] { return SecretHasher.tokenHash(value) }
        }
        for name in (dialect as? any IdempotencyScoping)?.idempotencyCredentials ?? [] {
            if let value = request.headers[name] { return SecretHasher.tokenHash("\(name.canonicalName) \(value)") }
        }
        return SecretHasher.tokenHash("anonymous")
    }

    /// What makes two requests "the same": method, path with query, and body.
    static func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.description)\n".utf8))
        hasher.update(data: Data(buffer: body))
        return SecretHasher.hex(hasher.finalize())
    }

    /// An `idempotency_keys` row as a request claims it (status 0: under way).
    struct KeyRow: Encodable {
        var scope: String
        var idempotencyKey: String
        var requestHash: String
        var statusCode: Int
        var createdAt: Int64
    }

    /// Whether this request claimed the key, or an earlier one holds it (with what it stored, nil if gone since).
    enum Claim: Sendable {
        case claimed
        case taken(StoredResponse?)
    }

    /// What an earlier request with the key left.
    struct StoredResponse: Decodable, Sendable {
        static let columns = ["request_hash", "status_code", "response_headers", "response_body"]

        var requestHash: String
        var statusCode: Int
        var responseHeaders: String?
        var responseBody: String?
    }
}

/// An API whose callers may identify themselves by headers other than `Authorization` and `api_access_token`
/// (Comm100 Live Chat visitors: `X-Visitor-Token`): its dialect names them, and idempotency keys are scoped by them.
public protocol IdempotencyScoping {
    /// The headers, tried in order after the standard credentials.
    var idempotencyCredentials: [HTTPField.Name] { get }
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

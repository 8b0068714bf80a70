import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import ServiceKit

/// `POST /oauth/token`: Comm100's password grant (and refresh), issuing the bearer tokens every Comm100
/// service accepts. Errors follow OAuth 2.0 (RFC 6749 §5.2): `{"error": "...", "error_description": "..."}`.
struct OAuthController {
    let agents: any AgentCredentialRepository
    /// Seconds an access token lives; refresh tokens live 30 days.
    let accessLifetime: Int64 = 3600
    let refreshLifetime: Int64 = 30 * 24 * 3600

    func addRoutes(to router: some RouterMethods<AppRequestContext>, document: OpenAPIDocument) {
        router.post("/oauth/token", use: self.token)
        document.describe(
            .post, "/oauth/token",
            .init("Issue a bearer token (grant_type password or refresh_token; form-encoded or JSON)", tag: "OAuth", responses: [200: "Token", 400: "OAuth error", 401: "Invalid client credentials"])
        )
    }

    /// The token response of RFC 6749 §5.1.
    struct TokenResponse: ResponseEncodable {
        let access_token: String
        let token_type: String
        let expires_in: Int64
        let refresh_token: String
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields: [String: String]
        do {
            fields = try await Self.fields(of: request)
        } catch let error as ServiceError where error.status == .badRequest {
            // An unreadable body is OAuth's `invalid_request` (RFC 6749 §5.2), like a missing field.
            return Self.error("invalid_request", error.message)
        }
        let agent: Identity
        switch fields["grant_type"] {
        case "password":
            guard let email = fields["email"] ?? fields["username"], let password = fields["password"] else {
                return Self.error("invalid_request", "email and password are required for the password grant")
            }
            guard let found = try await self.agents.agent(email: email, password: password, siteId: fields["siteId"] ?? fields["site_id"]) else {
                return Self.error("invalid_grant", "The email or password is incorrect.")
            }
            agent = found
        case "refresh_token":
            guard let refresh = fields["refresh_token"] else { return Self.error("invalid_request", "refresh_token is required") }
            guard let found = try await self.agents.redeem(refreshToken: refresh) else {
                return Self.error("invalid_grant", "The refresh token is invalid or expired.")
            }
            agent = found
        case nil:
            return Self.error("invalid_request", "grant_type is required")
        case let other?:
            return Self.error("unsupported_grant_type", "grant_type \(other) is not supported")
        }
        let tokens = try await self.agents.issueTokens(for: agent, accessLifetime: self.accessLifetime, refreshLifetime: self.refreshLifetime)
        var response = try TokenResponse(access_token: tokens.access, token_type: "bearer", expires_in: self.accessLifetime, refresh_token: tokens.refresh)
            .response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// The body as form fields or JSON, whichever its `Content-Type` says; at most 16 KiB (413 above).
    static func fields(of request: Request) async throws -> [String: String] {
        let body = try await request.collectBody(atMost: 16 * 1024)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/json") {
            try JSONBody.check(body)
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                throw ServiceError(.badRequest, message: "The request body is not a JSON object.")
            }
            return object.compactMapValues { value in (value as? String) ?? (value as? NSNumber).map { $0.stringValue } }
        }
        return try Self.formFields(String(buffer: body))
    }

    /// `application/x-www-form-urlencoded` (`+` is a space). Read by hand: Foundation's `URLComponents` traps on
    /// a malformed escape such as `%zz` instead of failing, which took the whole process down.
    static func formFields(_ body: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decoded = parts.map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded[0], let value = decoded.count > 1 ? decoded[1] : "" else {
                throw ServiceError(.badRequest, message: "The form field '\(parts[0])' is not validly percent-encoded.")
            }
            guard !name.utf8.contains(0), !value.utf8.contains(0) else {
                throw ServiceError(.badRequest, message: "The form field '\(name)' must not contain a NUL character.")
            }
            fields[name] = value
        }
        return fields
    }

    static func error(_ code: String, _ description: String) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": code, "error_description": description], options: [.sortedKeys])) ?? Data()
        return Response(
            status: .badRequest, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `POST /oauth/token`: Comm100's password grant (and refresh), issuing the bearer tokens every Comm100
/// service accepts. Errors follow OAuth 2.0 (RFC 6749 §5.2): `{"error": "...", "error_description": "..."}`.
struct OAuthController {
    let agents: AgentCredentialSQLRepository
    /// Seconds an access token lives; refresh tokens live 30 days.
    let accessLifetime: Int64 = 3600
    let refreshLifetime: Int64 = 30 * 24 * 3600

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.post(
            "/token", "Issue a bearer token (grant_type password or refresh_token; form-encoded or JSON)", returns: TokenAnswer.self,
            errors: [400: "OAuth error", 401: "Invalid client credentials"], use: self.token
        )
    }

    /// The token response of RFC 6749 §5.1, or its error response (§5.2, a 400), never cached.
    struct TokenAnswer: Codable, ResponseEncodable {
        var access_token: String?
        var token_type: String?
        var expires_in: Int64?
        var refresh_token: String?
        var error: String?
        var error_description: String?

        static func failure(_ code: String, _ description: String) -> Self {
            Self(error: code, error_description: description)
        }

        func response(from request: Request, context: some RequestContext) throws -> Response {
            var response = try JSONAnswer.comm100.response(for: self, status: self.error == nil ? .ok : .badRequest)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> TokenAnswer {
        let fields: [String: String]
        do {
            fields = try await Self.fields(of: request)
        } catch let error as ServiceError where error.status == .badRequest {
            // An unreadable body is OAuth's `invalid_request` (RFC 6749 §5.2), like a missing field.
            return .failure("invalid_request", error.message)
        }
        let agent: Identity
        switch fields["grant_type"] {
        case "password":
            guard let email = fields["email"] ?? fields["username"], let password = fields["password"] else {
                return .failure("invalid_request", "email and password are required for the password grant")
            }
            guard let found = try await self.agents.agent(email: email, password: password, siteId: fields["siteId"] ?? fields["site_id"]) else {
                return .failure("invalid_grant", "The email or password is incorrect.")
            }
            agent = found
        case "refresh_token":
            guard let refresh = fields["refresh_token"] else { return .failure("invalid_request", "refresh_token is required") }
            guard let found = try await self.agents.redeem(refreshToken: refresh) else {
                return .failure("invalid_grant", "The refresh token is invalid or expired.")
            }
            agent = found
        case nil:
            return .failure("invalid_request", "grant_type is required")
        case let other?:
            return .failure("unsupported_grant_type", "grant_type \(other) is not supported")
        }
        let tokens = try await self.agents.issueTokens(for: agent, accessLifetime: self.accessLifetime, refreshLifetime: self.refreshLifetime)
        return TokenAnswer(access_token: tokens.access, token_type: "bearer", expires_in: self.accessLifetime, refresh_token: tokens.refresh)
    }

    /// The body's fields, form-encoded or JSON (strings and numbers), whichever its `Content-Type` says; at most
    /// 16 KiB (413 above). Hummingbird's form decoder fails on a malformed escape such as `%zz` (Foundation's
    /// `URLComponents` trapped on it).
    static func fields(of request: Request) async throws -> [String: String] {
        let body = try await request.collectBody(atMost: 16 * 1024)
        let fields: [String: String]
        if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
            fields = try JSONBody.decode([String: JSONValue].self, from: body).compactMapValues { value in
                switch value {
                case .string(let text): text
                case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
                default: nil
                }
            }
        } else {
            let form = String(buffer: body)
            // Hummingbird's decoder reads an escape of invalid UTF-8 (`%FF`) as U+FFFD: a credential must arrive as sent.
            guard form.removingPercentEncoding != nil else {
                throw ServiceError(.badRequest, message: "The form is not validly percent-encoded UTF-8.")
            }
            fields = try URLQuery.decode([String: String].self, from: form, plusIsSpace: true)
        }
        guard !fields.contains(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }) else {
            throw ServiceError(.badRequest, message: "A form field must not contain a NUL character.")
        }
        return fields
    }
}

import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// Turns a presented credential into an identity, or nil when it is not valid.
public protocol CredentialVerifier: Sendable {
    /// `scope` carries what the scheme needs beside the credential (Comm100's `siteId`).
    func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity?
}

/// Sets `context.identity` from the request's credential. A credential that is present but wrong is a 401 at once;
/// an absent one leaves the identity empty, and ``AuthenticatedContext`` refuses protected routes.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let verifier: any CredentialVerifier
    /// Which credential kinds this API accepts.
    let accepts: @Sendable (PresentedCredential) -> Bool
    /// What scopes a credential: Comm100's `siteId` parameter, Chatwoot's platform versus account routes.
    let scope: @Sendable (Request) -> String?
    let challenge: String?

    public init(
        verifier: any CredentialVerifier,
        challenge: String? = nil,
        scope: @escaping @Sendable (Request) -> String? = { _ in nil },
        accepts: @escaping @Sendable (PresentedCredential) -> Bool
    ) {
        self.verifier = verifier
        self.scope = scope
        self.challenge = challenge
        self.accepts = accepts
    }

    /// Comm100's scope: the `siteId` query parameter.
    public static let siteIDParameter: @Sendable (Request) -> String? = { request in
        let parameters = request.uri.queryParameters  // parsed once per access: read it once
        return (parameters["siteId"] ?? parameters["siteid"]).map(String.init)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let credential = PresentedCredential.from(request.headers), self.accepts(credential) else {
            do {
                return try await next(request, context)
            } catch var error as ServiceError where error.status == .unauthorized && error.headers[.wwwAuthenticate] == nil {
                // A protected route reached without credentials: every 401 names the scheme to use (RFC 9110 §11.6.1).
                if let challenge = self.challenge { error.headers[.wwwAuthenticate] = challenge }
                throw error
            }
        }
        guard let identity = try await self.verifier.verify(credential, scope: self.scope(request)) else {
            var headers = HTTPFields()
            if let challenge { headers[.wwwAuthenticate] = challenge }
            throw ServiceError(.unauthorized, message: "Invalid credentials.", headers: headers)
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}

/// Remembers successful verifications for a short time, so a slow hash or a remote call is not paid per request.
/// Failures are never cached: a corrected credential works at once.
public final class CachingVerifier: CredentialVerifier {
    private let inner: any CredentialVerifier
    private let cache: ExpiringCache<SHA256.Digest, Identity>

    public init(_ inner: any CredentialVerifier, ttl: Duration = .seconds(30)) {
        self.inner = inner
        self.cache = ExpiringCache(ttl: ttl)
    }

    public func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity? {
        // The key is a digest, so the cache never holds a secret in the clear.
        let key = credential.digest(scope: scope)
        if let identity = self.cache.kept(key) { return identity }
        guard let identity = try await self.inner.verify(credential, scope: scope) else { return nil }
        self.cache.keep(identity, for: key)
        return identity
    }

    /// Forgets everything, after a credential changes.
    public func invalidate() {
        self.cache.removeAll()
    }
}

/// Guards `/internal/` routes with the shared internal token, compared in constant time.
public struct InternalAuthMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let token: String?

    public init(token: String?) {
        self.token = token
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, !token.isEmpty else {
            throw ServiceError(.forbidden, message: "Internal routes are disabled: internal.token is not configured.")
        }
        guard let presented = request.headers[.internalToken], SecretHasher.constantTimeEquals(presented, token) else {
            throw ServiceError(.unauthorized, message: "Invalid internal token.")
        }
        return try await next(request, context)
    }
}

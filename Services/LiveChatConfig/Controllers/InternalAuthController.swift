import Hummingbird
import ServiceKit
import WireModels

extension CredentialVerificationRequest: ResponseEncodable {}
extension VerifiedAgent: ResponseEncodable {}

/// `POST /internal/auth/verify`: other Comm100 services verify their callers' credentials here.
struct InternalAuthController {
    let verifier: any CredentialVerifier

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.post(
            "/auth/verify", "Verify a Comm100 credential for another service", body: CredentialVerificationRequest.self, returns: VerifiedAgent.self,
            errors: [404: "Not a valid credential"], use: self.verify
        )
    }

    /// The agent a credential belongs to, or 404.
    @Sendable func verify(_ request: Request, context: AppRequestContext, body: CredentialVerificationRequest) async throws -> VerifiedAgent {
        let credential: PresentedCredential
        switch body.scheme {
        case "basic": credential = .basic(username: body.email ?? "", password: body.secret)
        case "bearer": credential = .bearer(body.secret)
        default: throw ServiceError.invalid("scheme", "scheme must be basic or bearer.")
        }
        guard let identity = try await self.verifier.verify(credential, scope: body.siteId) else {
            throw ServiceError.notFound("Credential")
        }
        return VerifiedAgent(identity)
    }
}

import Hummingbird
import ServiceKit
import WireModels

extension CredentialVerificationRequest: ResponseEncodable {}
extension VerifiedAgent: ResponseEncodable {}

/// `POST /internal/auth/verify`: other Comm100 services verify their callers' credentials here.
struct InternalAuthController {
    let verifier: any CredentialVerifier

    func addRoutes(to group: RouterGroup<AppRequestContext>, document: OpenAPIDocument) {
        group.post("/auth/verify", use: self.verify)
        document.describe(
            .post, "/internal/auth/verify",
            .init("Verify a Comm100 credential for another service", tag: "Internal", security: ["internalToken"], isExtension: true, responses: [200: "The agent", 404: "Not a valid credential"])
        )
    }

    /// The agent a credential belongs to, or 404.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> VerifiedAgent {
        let body = try await request.decode(as: CredentialVerificationRequest.self, context: context)
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

/// Comm100's schemes: HTTP Basic `agent-email:api-key` (with `siteId`) or an OAuth bearer token.
public enum Comm100Authentication {
    public static func middleware(verifier: any CredentialVerifier) -> AuthenticationMiddleware {
        AuthenticationMiddleware(
            verifier: verifier,
            challenge: "Basic realm=\"Comm100\"",
            scope: AuthenticationMiddleware.siteIDParameter
        ) { credential in
            switch credential {
            case .basic, .bearer: true
            case .apiAccessToken: false
            }
        }
    }
}

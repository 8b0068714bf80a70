import Hummingbird
import ServiceKit
import WireModels

extension ChatwootProfile: ResponseEncodable {}

/// `GET /api/v1/profile`: the signed-in user.
struct ProfileController {
    let tokens: any AccessTokenRepository

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        api.get("/profile", "Fetch user profile", returns: ChatwootProfile.self, use: self.get)
    }

    /// The user whose token was presented; bot and platform tokens have no profile.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootProfile {
        guard context.identity.kind == .user, let userID = Int(context.identity.principalID),
            let token = request.headers[.apiAccessToken],
            let profile = try await self.tokens.profile(userID: userID, accessToken: token)
        else {
            throw ServiceError(.unauthorized, message: "You need to sign in or sign up before continuing.")
        }
        return profile
    }
}

import ServiceKit
import WireModels

/// Chatwoot access tokens and the users, bots and platform apps that own them.
protocol AccessTokenRepository: Sendable {
    /// The owner of a token; `platform` selects platform-app tokens, otherwise user and agent-bot tokens.
    func owner(token: String, platform: Bool) async throws -> Identity?
    /// A user's profile, with the token they presented.
    func profile(userID: Int, accessToken: String) async throws -> ChatwootProfile?
    /// Creates account 1, its administrator and a platform app, all with `token`, when there is no account.
    func bootstrap(token: String) async throws
}

import ServiceKit

/// The agents' credentials: what verifies a Comm100 Basic or bearer credential.
protocol AgentCredentialRepository: Sendable {
    /// The active agent whose email and API key match, in `siteId` when given.
    func agent(email: String, apiKey: String, siteId: String?) async throws -> Identity?
    /// The active agent an unexpired access token belongs to.
    func agent(accessToken: String, siteId: String?) async throws -> Identity?
    /// The active agent whose email and password match, in `siteId` when given.
    func agent(email: String, password: String, siteId: String?) async throws -> Identity?
    /// Issues an access token (and a refresh token) for an agent; returns them in the clear, once.
    func issueTokens(for agent: Identity, accessLifetime: Int64, refreshLifetime: Int64) async throws -> (access: String, refresh: String)
    /// Exchanges an unexpired refresh token for the agent it belongs to, spending it.
    func redeem(refreshToken: String) async throws -> Identity?
    /// Creates an agent in a site with its credentials (stored hashed); nil when the email is taken there.
    func createAgent(_ agent: NewAgent, siteId: String) async throws -> Identity?
    /// Creates a site with its first administrator; nil when the site id is taken.
    func createSite(id: String, name: String, administrator: NewAgent) async throws -> Identity?
    /// Creates site `10000` and its administrator when the store has no agent at all.
    func bootstrap(apiKey: String) async throws
}

/// An agent as the administration extension creates one.
struct NewAgent: Decodable, Sendable {
    var email: String
    var displayName: String
    var isAdministrator: Bool?
    var permissions: [String]?
    var apiKey: String?
    var password: String?
}

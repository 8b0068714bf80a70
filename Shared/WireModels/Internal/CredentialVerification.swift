/// `POST /internal/auth/verify` on livechat-config: checks a Comm100-style credential for another service.
public struct CredentialVerificationRequest: Codable, Sendable, Equatable {
    /// `basic` (agent email and API key) or `bearer` (an OAuth access token).
    public var scheme: String
    public var email: String?
    public var secret: String
    public var siteId: String?

    public init(scheme: String, email: String? = nil, secret: String, siteId: String? = nil) {
        self.scheme = scheme
        self.email = email
        self.secret = secret
        self.siteId = siteId
    }
}

/// The agent a verified credential belongs to.
public struct VerifiedAgent: Codable, Sendable, Equatable {
    public var siteId: String
    public var agentId: String
    public var name: String
    public var email: String
    public var isAdministrator: Bool
    public var permissions: [String]

    public init(siteId: String, agentId: String, name: String, email: String, isAdministrator: Bool, permissions: [String]) {
        self.siteId = siteId
        self.agentId = agentId
        self.name = name
        self.email = email
        self.isAdministrator = isAdministrator
        self.permissions = permissions
    }
}

import WireModels

/// The internal calls other Comm100 services make to livechat-config. Agents and departments change
/// rarely and are read on many requests, so they are cached for `directoryTTL` per site.
public struct LiveChatConfigClient: Sendable {
    public let client: InternalClient
    let agentCache: ExpiringCache<String, [DirectoryAgent]>
    let departmentCache: ExpiringCache<String, [LiveChatDepartment]>

    public init(client: InternalClient, directoryTTL: Duration = .seconds(10)) {
        self.client = client
        self.agentCache = ExpiringCache(ttl: directoryTTL)
        self.departmentCache = ExpiringCache(ttl: directoryTTL)
    }

    /// Verifies an agent credential; nil when it is not valid.
    public func verify(_ request: CredentialVerificationRequest) async throws -> VerifiedAgent? {
        try await self.client.post("/internal/auth/verify", request, as: VerifiedAgent.self)
    }

    /// The site's agents with their status, departments and load.
    public func agents(siteId: String) async throws -> [DirectoryAgent] {
        try await self.agentCache.value(for: siteId) {
            try await self.client.get("/internal/sites/\(siteId)/agents", as: [DirectoryAgent].self) ?? []
        }
    }

    /// The site's departments with their member agents' ids.
    public func departments(siteId: String) async throws -> [LiveChatDepartment] {
        try await self.departmentCache.value(for: siteId) {
            try await self.client.get("/internal/sites/\(siteId)/departments", as: [LiveChatDepartment].self) ?? []
        }
    }
}

/// Verifies Comm100 credentials by asking livechat-config, which owns agents and tokens.
public struct RemoteComm100Verifier: CredentialVerifier {
    let liveChat: LiveChatConfigClient

    public init(liveChat: LiveChatConfigClient) {
        self.liveChat = liveChat
    }

    public func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity? {
        guard let request = CredentialVerificationRequest(credential, siteId: scope) else { return nil }
        return try await self.liveChat.verify(request).map(Identity.init)
    }
}

extension CredentialVerificationRequest {
    /// The wire form of a Comm100 credential: Basic `email:apikey` or a bearer token.
    public init?(_ credential: PresentedCredential, siteId: String?) {
        switch credential {
        case .basic(let email, let apiKey): self.init(scheme: "basic", email: email, secret: apiKey, siteId: siteId)
        case .bearer(let token): self.init(scheme: "bearer", secret: token, siteId: siteId)
        case .apiAccessToken: return nil
        }
    }
}

extension Identity {
    /// A Comm100 agent's identity, tenant = site.
    public init(_ agent: VerifiedAgent) {
        self.init(
            kind: .agent,
            tenant: agent.siteId,
            principalID: agent.agentId,
            name: agent.name,
            email: agent.email,
            isAdministrator: agent.isAdministrator,
            permissions: Set(agent.permissions)
        )
    }
}

extension VerifiedAgent {
    /// The wire form of an agent identity.
    public init(_ identity: Identity) {
        self.init(
            siteId: identity.tenant,
            agentId: identity.principalID,
            name: identity.name,
            email: identity.email,
            isAdministrator: identity.isAdministrator,
            permissions: identity.permissions.sorted()
        )
    }
}

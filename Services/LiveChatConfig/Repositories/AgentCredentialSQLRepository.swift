import SQLKit
import ServiceKit

/// An agent as the administration extension creates one.
struct NewAgent: Decodable, Sendable {
    var email: String
    var displayName: String
    var isAdministrator: Bool?
    var permissions: [String]?
    var apiKey: String?
    var password: String?

    /// An email, a display name, and an API key or a password long enough to resist guessing; `prefix` is where the
    /// agent is in the body.
    func validate(_ prefix: String = "") throws {
        guard Validation.isEmail(self.email), self.email.count <= 320 else {
            throw ServiceError.invalid(prefix + "email", "Parameter '\(prefix)email' must be an email address.")
        }
        guard !self.displayName.isEmpty else { throw ServiceError.missing(prefix + "displayName") }
        try Validation.length(self.displayName, atMost: 200, prefix + "displayName")
        guard self.apiKey != nil || self.password != nil else { throw ServiceError.missing(prefix + "apiKey") }
        try AgentAdministrationController.checkSecrets(apiKey: self.apiKey, password: self.password)
    }
}

/// An `agents` row as credentials see it: who the agent is and the hashes of its secrets.
struct AgentCredentialRow: Codable, Sendable {
    static let columns = ["id", "site_id", "email", "display_name", "is_administrator", "permissions", "api_key_hash", "password_hash"]

    var id: Int64 = 0
    var siteId: String
    var email: String
    var displayName: String
    var isAdministrator: Bool
    var permissions: JSONText<[String]>
    var apiKeyHash: String?
    var passwordHash: String?
    /// Written by an insert, not read.
    var isActive: Bool?
    var createdAt: Int64?

    var identity: Identity {
        Identity(
            kind: .agent, tenant: self.siteId, principalID: String(self.id), name: self.displayName, email: self.email,
            isAdministrator: self.isAdministrator, permissions: Set(self.permissions.value))
    }
}

/// An `oauth_tokens` row.
struct TokenRow: Codable, Sendable {
    var tokenHash: String?
    var kind: String?
    var siteId: String
    var agentId: Int64
    var expiresAt: Int64?
    var createdAt: Int64?
}

/// The agents' credentials, in `agents`, `oauth_tokens` and `sites`: what verifies a Comm100 Basic or bearer
/// credential, and what creates sites and agents.
struct AgentCredentialSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// The active agent whose email and API key match, in `siteId` when given.
    func agent(email: String, apiKey: String, siteId: String?) async throws -> Identity? {
        let presented = SecretHasher.tokenHash(apiKey)
        return try await self.agents(email: email, siteId: siteId).first {
            $0.apiKeyHash.map { SecretHasher.constantTimeEquals($0, presented) } ?? false
        }?
        .identity
    }

    /// The active agent whose email and password match, in `siteId` when given.
    func agent(email: String, password: String, siteId: String?) async throws -> Identity? {
        try await self.agents(email: email, siteId: siteId).first {
            $0.passwordHash.map { SecretHasher.verifyPassword(password, against: $0) } ?? false
        }?
        .identity
    }

    /// The active agent an unexpired access token belongs to.
    func agent(accessToken: String, siteId: String?) async throws -> Identity? {
        let identity = try await self.database.read { tx in
            guard
                let token = try await tx.sql.select().columns("site_id", "agent_id").from("oauth_tokens")
                    .where("token_hash", .equal, SecretHasher.tokenHash(accessToken)).where("kind", .equal, "access")
                    .where("expires_at", .greaterThan, self.clock.milliseconds()).first(TokenRow.self)
            else { return nil as Identity? }
            return try await Self.owner(of: token, tx)
        }
        return siteId == nil || siteId == identity?.tenant ? identity : nil
    }

    /// Issues an access token (and a refresh token) for an agent; returns them in the clear, once.
    func issueTokens(for agent: Identity, accessLifetime: Int64, refreshLifetime: Int64) async throws -> (access: String, refresh: String) {
        let (access, refresh) = (SecretHasher.randomToken(), SecretHasher.randomToken())
        let now = self.clock.milliseconds()
        let rows = [(access, "access", accessLifetime), (refresh, "refresh", refreshLifetime)].map { token, kind, lifetime in
            TokenRow(
                tokenHash: SecretHasher.tokenHash(token), kind: kind, siteId: agent.tenant, agentId: Int64(agent.principalID) ?? 0,
                expiresAt: now + lifetime * 1000, createdAt: now)
        }
        try await self.database.transaction { tx in try await tx.sql.insert(into: "oauth_tokens").rows(rows).run() }
        return (access, refresh)
    }

    /// Exchanges an unexpired refresh token for the agent it belongs to, spending it: the delete that finds it is
    /// the only one, so a stolen copy cannot be replayed after the owner refreshed, even by a concurrent request.
    func redeem(refreshToken: String) async throws -> Identity? {
        try await self.database.transaction { tx in
            guard
                let token = try await tx.sql.delete(from: "oauth_tokens").where("token_hash", .equal, SecretHasher.tokenHash(refreshToken))
                    .where("kind", .equal, "refresh").where("expires_at", .greaterThan, self.clock.milliseconds())
                    .returning("site_id", "agent_id").first(TokenRow.self)
            else { return nil }
            return try await Self.owner(of: token, tx)
        }
    }

    /// Creates an agent in a site with its credentials (stored hashed); nil when the email is taken there.
    func createAgent(_ agent: NewAgent, siteId: String) async throws -> Identity? {
        let row = AgentCredentialRow(
            siteId: siteId, email: agent.email, displayName: agent.displayName, isAdministrator: agent.isAdministrator ?? false,
            permissions: JSONText(agent.permissions ?? []), apiKeyHash: agent.apiKey.map(SecretHasher.tokenHash),
            passwordHash: try agent.password.map { try SecretHasher.passwordHash($0) }, isActive: true, createdAt: self.clock.milliseconds()
        )
        return try await self.database.transaction { tx in
            try await tx.sql.insert(into: "agents").row(row, excluding: ["id"]).ignoringConflicts(with: ["site_id", "email"])
                .returning(AgentCredentialRow.columns.map { SQLColumn($0) }).first(AgentCredentialRow.self)?.identity
        }
    }

    /// Creates a site with its first administrator; nil when the site id is taken.
    func createSite(id: String, name: String, administrator: NewAgent) async throws -> Identity? {
        var administrator = administrator
        administrator.isAdministrator = true
        return try await self.database.transaction { [administrator] tx in
            guard
                try await tx.sql.insert(into: "sites").columns("id", "name", "created_at").values(
                    SQLBind(id), SQLBind(name), SQLBind(self.clock.milliseconds())
                )
                .ignoringConflicts(with: ["id"]).returning("id").first() != nil
            else { return nil }
            return try await self.createAgent(administrator, siteId: id)
        }
    }

    /// Creates site `10000` and its administrator when the store has no agent at all.
    func bootstrap(apiKey: String) async throws {
        let administrator = NewAgent(email: "admin@example.com", displayName: "Administrator", permissions: [], apiKey: apiKey, password: apiKey)
        try await self.database.transaction { tx in
            guard try await tx.sql.select().column("id").from("agents").limit(1).first() == nil else { return }
            _ = try await self.createSite(id: "10000", name: "Default site", administrator: administrator)
        }
    }

    /// The active agents of that email (any case), in `siteId` when given.
    func agents(email: String, siteId: String?) async throws -> [AgentCredentialRow] {
        try await self.database.readStatement { sql in
            let select = Self.activeAgents(sql).where(SQLFunction("LOWER", args: SQLColumn("email")), .equal, SQLBind(email.lowercased()))
            if let siteId { select.where("site_id", .equal, siteId) }
            return try await select.orderBy("id").all(AgentCredentialRow.self)
        }
    }

    static func activeAgents(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(AgentCredentialRow.columns).from("agents").where("is_active", .equal, true)
    }

    /// The active agent a token was issued to.
    static func owner(of token: TokenRow, _ tx: Tx) async throws -> Identity? {
        try await Self.activeAgents(tx.sql).where("id", .equal, token.agentId).where("site_id", .equal, token.siteId).first(AgentCredentialRow.self)?
            .identity
    }
}

/// Verifies Comm100 credentials against this service's own agents.
struct LocalComm100Verifier: CredentialVerifier {
    let agents: AgentCredentialSQLRepository

    func verify(_ credential: PresentedCredential, scope siteId: String?) async throws -> Identity? {
        switch credential {
        case .basic(let email, let apiKey): try await self.agents.agent(email: email, apiKey: apiKey, siteId: siteId)
        case .bearer(let token): try await self.agents.agent(accessToken: token, siteId: siteId)
        case .apiAccessToken: nil
        }
    }
}

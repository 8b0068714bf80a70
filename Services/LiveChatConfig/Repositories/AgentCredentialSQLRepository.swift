import Foundation
import SQLKit
import ServiceKit

/// ``AgentCredentialRepository`` on SQLite or PostgreSQL.
struct AgentCredentialSQLRepository: AgentCredentialRepository {
    let database: Database
    let clock: WallClock

    func agent(email: String, apiKey: String, siteId: String?) async throws -> Identity? {
        let rows = try await self.database.sql.raw(
            """
            SELECT id, site_id, email, display_name, is_administrator, permissions, api_key_hash FROM agents
            WHERE LOWER(email) = \(bind: email.lowercased()) AND is_active = \(bind: true)
            """
        ).all()
        let presented = SecretHasher.tokenHash(apiKey)
        for row in rows {
            let site = try row.decode(column: "site_id", as: String.self)
            guard siteId == nil || siteId == site,
                let stored = try row.decode(column: "api_key_hash", as: String?.self),
                SecretHasher.constantTimeEquals(stored, presented)
            else { continue }
            return try Self.identity(row)
        }
        return nil
    }

    func agent(accessToken: String, siteId: String?) async throws -> Identity? {
        let row = try await self.database.sql.raw(
            """
            SELECT a.id, a.site_id, a.email, a.display_name, a.is_administrator, a.permissions FROM oauth_tokens t
            JOIN agents a ON a.id = t.agent_id AND a.site_id = t.site_id
            WHERE t.token_hash = \(bind: SecretHasher.tokenHash(accessToken)) AND t.kind = 'access'
              AND t.expires_at > \(bind: self.clock.milliseconds()) AND a.is_active = \(bind: true)
            """
        ).first()
        guard let row, let identity = try? Self.identity(row) else { return nil }
        return siteId == nil || siteId == identity.tenant ? identity : nil
    }

    func agent(email: String, password: String, siteId: String?) async throws -> Identity? {
        let rows = try await self.database.sql.raw(
            """
            SELECT id, site_id, email, display_name, is_administrator, permissions, password_hash FROM agents
            WHERE LOWER(email) = \(bind: email.lowercased()) AND is_active = \(bind: true)
            """
        ).all()
        for row in rows {
            let site = try row.decode(column: "site_id", as: String.self)
            guard siteId == nil || siteId == site, let stored = try row.decode(column: "password_hash", as: String?.self),
                SecretHasher.verifyPassword(password, against: stored)
            else { continue }
            return try Self.identity(row)
        }
        return nil
    }

    func issueTokens(for agent: Identity, accessLifetime: Int64, refreshLifetime: Int64) async throws -> (access: String, refresh: String) {
        let access = SecretHasher.randomToken()
        let refresh = SecretHasher.randomToken()
        let now = self.clock.milliseconds()
        try await self.database.withTransaction { database in
            for (token, kind, lifetime) in [(access, "access", accessLifetime), (refresh, "refresh", refreshLifetime)] {
                try await database.raw(
                    """
                    INSERT INTO oauth_tokens (token_hash, kind, site_id, agent_id, expires_at, created_at)
                    VALUES (\(bind: SecretHasher.tokenHash(token)), \(bind: kind), \(bind: agent.tenant), \(bind: Int64(agent.principalID) ?? 0),
                            \(bind: now + lifetime * 1000), \(bind: now))
                    """
                ).run()
            }
        }
        return (access, refresh)
    }

    func redeem(refreshToken: String) async throws -> Identity? {
        let hash = SecretHasher.tokenHash(refreshToken)
        return try await self.database.withTransaction { database in
            guard
                let row = try await database.raw(
                    """
                    SELECT a.id, a.site_id, a.email, a.display_name, a.is_administrator, a.permissions FROM oauth_tokens t
                    JOIN agents a ON a.id = t.agent_id AND a.site_id = t.site_id
                    WHERE t.token_hash = \(bind: hash) AND t.kind = 'refresh' AND t.expires_at > \(bind: self.clock.milliseconds())
                      AND a.is_active = \(bind: true)
                    """
                ).first()
            else { return nil }
            // A refresh token is spent by its use: a stolen copy cannot be replayed after the owner refreshed.
            try await database.raw("DELETE FROM oauth_tokens WHERE token_hash = \(bind: hash)").run()
            return try Self.identity(row)
        }
    }

    func createAgent(_ agent: NewAgent, siteId: String) async throws -> Identity? {
        let permissions = String(decoding: try JSONEncoder().encode(agent.permissions ?? []), as: UTF8.self)
        let passwordHash = try agent.password.map { try SecretHasher.passwordHash($0) }
        let rows = try await self.database.sql.raw(
            """
            INSERT INTO agents (site_id, email, display_name, is_administrator, is_active, permissions, api_key_hash, password_hash, created_at)
            VALUES (\(bind: siteId), \(bind: agent.email), \(bind: agent.displayName), \(bind: agent.isAdministrator ?? false), \(bind: true),
                    \(bind: permissions), \(bind: agent.apiKey.map(SecretHasher.tokenHash)), \(bind: passwordHash), \(bind: self.clock.milliseconds()))
            ON CONFLICT (site_id, email) DO NOTHING
            RETURNING id, site_id, email, display_name, is_administrator, permissions
            """
        ).all()
        return try rows.first.map(Self.identity)
    }

    func createSite(id: String, name: String, administrator: NewAgent) async throws -> Identity? {
        let now = self.clock.milliseconds()
        let created = try await self.database.sql.raw(
            """
            INSERT INTO sites (id, name, created_at) VALUES (\(bind: id), \(bind: name), \(bind: now)) ON CONFLICT (id) DO NOTHING RETURNING id
            """
        ).first()
        guard created != nil else { return nil }
        var admin = administrator
        admin.isAdministrator = true
        return try await self.createAgent(admin, siteId: id)
    }

    func bootstrap(apiKey: String) async throws {
        let passwordHash = try SecretHasher.passwordHash(apiKey)
        let now = self.clock.milliseconds()
        try await self.database.withTransaction { database in
            let existing = try await database.raw("SELECT COUNT(*) AS n FROM agents").first()?.decode(column: "n", as: Int.self) ?? 0
            guard existing == 0 else { return }
            try await database.raw("INSERT INTO sites (id, name, created_at) VALUES ('10000', 'Default site', \(bind: now))").run()
            try await database.raw(
                """
                INSERT INTO agents (site_id, email, display_name, is_administrator, is_active, permissions, api_key_hash, password_hash, created_at)
                VALUES ('10000', 'admin@example.com', 'Administrator', \(bind: true), \(bind: true), '[]',
                        \(bind: SecretHasher.tokenHash(apiKey)), \(bind: passwordHash), \(bind: now))
                """
            ).run()
        }
    }

    static func identity(_ row: any SQLRow) throws -> Identity {
        let permissions = try row.decode(column: "permissions", as: String.self)
        return Identity(
            kind: .agent,
            tenant: try row.decode(column: "site_id", as: String.self),
            principalID: String(try row.decode(column: "id", as: Int64.self)),
            name: try row.decode(column: "display_name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            isAdministrator: try row.decode(column: "is_administrator", as: Bool.self),
            permissions: Set((try? JSONDecoder().decode([String].self, from: Data(permissions.utf8))) ?? [])
        )
    }
}

/// Verifies Comm100 credentials against this service's own agents.
struct LocalComm100Verifier: CredentialVerifier {
    let agents: any AgentCredentialRepository

    func verify(_ credential: PresentedCredential, scope siteId: String?) async throws -> Identity? {
        switch credential {
        case .basic(let email, let apiKey): try await self.agents.agent(email: email, apiKey: apiKey, siteId: siteId)
        case .bearer(let token): try await self.agents.agent(accessToken: token, siteId: siteId)
        case .apiAccessToken: nil
        }
    }
}

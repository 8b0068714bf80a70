import SQLKit
import ServiceKit
import WireModels

/// ``AccessTokenRepository`` on SQLite or PostgreSQL.
struct AccessTokenSQLRepository: AccessTokenRepository {
    let database: Database
    let clock: WallClock

    func owner(token: String, platform: Bool) async throws -> Identity? {
        let hash = SecretHasher.tokenHash(token)
        let kinds = platform ? ["PlatformApp"] : ["User", "AgentBot"]
        let rows = try await self.database.sql.raw(
            """
            SELECT owner_type, owner_id, token_hash FROM access_tokens WHERE token_hash = \(bind: hash) AND owner_type IN (\(binds: kinds))
            """
        ).all()
        guard let row = rows.first, SecretHasher.constantTimeEquals(try row.decode(column: "token_hash", as: String.self), hash) else {
            return nil
        }
        let ownerID = try row.decode(column: "owner_id", as: Int64.self)
        switch try row.decode(column: "owner_type", as: String.self) {
        case "PlatformApp":
            return Identity(kind: .platformApp, tenant: "", principalID: String(ownerID), isAdministrator: true)
        case "AgentBot":
            return Identity(kind: .agentBot, tenant: "", principalID: String(ownerID))
        default:
            guard
                let user = try await self.database.sql.raw(
                    """
                    SELECT u.name, u.email, (SELECT COUNT(*) FROM account_users m WHERE m.user_id = u.id AND m.role = 'administrator') AS admin_accounts
                    FROM users u WHERE u.id = \(bind: ownerID)
                    """
                ).first()
            else { return nil }
            return Identity(
                kind: .user, tenant: "", principalID: String(ownerID),
                name: try user.decode(column: "name", as: String.self),
                email: try user.decode(column: "email", as: String.self),
                isAdministrator: try user.decode(column: "admin_accounts", as: Int.self) > 0
            )
        }
    }

    func profile(userID: Int, accessToken: String) async throws -> ChatwootProfile? {
        guard
            let user = try await self.database.sql.raw(
                """
                SELECT id, name, display_name, email, user_type, message_signature FROM users WHERE id = \(bind: userID)
                """
            ).first()
        else { return nil }
        let accounts = try await self.database.sql.raw(
            """
            SELECT a.id, a.name, m.role FROM account_users m JOIN accounts a ON a.id = m.account_id
            WHERE m.user_id = \(bind: userID) ORDER BY a.id
            """
        ).all().map { row in
            ChatwootProfile.Account(
                id: try row.decode(column: "id", as: Int.self),
                name: try row.decode(column: "name", as: String.self),
                role: try row.decode(column: "role", as: String.self)
            )
        }
        return ChatwootProfile(
            id: try user.decode(column: "id", as: Int.self),
            accessToken: accessToken,
            accountId: accounts.first?.id ?? 0,
            displayName: try user.decode(column: "display_name", as: String?.self),
            messageSignature: try user.decode(column: "message_signature", as: String?.self),
            email: try user.decode(column: "email", as: String.self),
            name: try user.decode(column: "name", as: String.self),
            role: accounts.first?.role ?? "agent",
            type: try user.decode(column: "user_type", as: String?.self),
            accounts: accounts
        )
    }

    func bootstrap(token: String) async throws {
        let now = self.clock.milliseconds()
        let hash = SecretHasher.tokenHash(token)
        try await self.database.withTransaction { database in
            let existing = try await database.raw("SELECT COUNT(*) AS n FROM accounts").first()?.decode(column: "n", as: Int.self) ?? 0
            guard existing == 0 else { return }
            try await database.raw("INSERT INTO accounts (name, created_at) VALUES ('Switchboard', \(bind: now))").run()
            try await database.raw(
                """
                INSERT INTO users (name, display_name, email, user_type, created_at)
                VALUES ('Administrator', 'Administrator', 'admin@example.com', 'SuperAdmin', \(bind: now))
                """
            ).run()
            try await database.raw("INSERT INTO account_users (account_id, user_id, role, created_at) VALUES (1, 1, 'administrator', \(bind: now))")
                .run()
            try await database.raw("INSERT INTO platform_apps (name, created_at) VALUES ('Switchboard bootstrap', \(bind: now))").run()
            try await database.raw(
                """
                INSERT INTO access_tokens (owner_type, owner_id, token_hash, created_at)
                VALUES ('User', 1, \(bind: hash), \(bind: now)), ('PlatformApp', 1, \(bind: hash), \(bind: now))
                """
            ).run()
        }
    }
}

/// Verifies Chatwoot `api_access_token`s; the scope says whether the route is a platform route.
struct ChatwootTokenVerifier: CredentialVerifier {
    let tokens: any AccessTokenRepository

    func verify(_ credential: PresentedCredential, scope: String?) async throws -> Identity? {
        guard case .apiAccessToken(let token) = credential else { return nil }
        return try await self.tokens.owner(token: token, platform: scope == "platform")
    }
}

import Foundation
import SQLKit
import ServiceKit
import WireModels

/// ``AccessTokenRepository`` on SQLite or PostgreSQL.
struct AccessTokenSQLRepository: AccessTokenRepository {
    let database: Database
    let clock: WallClock
    /// Signed-in users with their account memberships, kept as long as their credentials are (every account route
    /// authorizes by membership, and the profile is the user itself): a request then reads no row. Writes to a user or
    /// a membership must call ``forget(userID:)``; other instances see them when the entry expires.
    let users: ExpiringCache<Int, ChatwootProfile>

    init(database: Database, clock: WallClock, keepUsersFor ttl: Duration) {
        self.database = database
        self.clock = clock
        self.users = ExpiringCache(ttl: ttl)
    }

    private struct TokenRow: Codable {
        var ownerType: String
        var ownerId: Int64
        var tokenHash: String
    }

    private struct UserRow: Codable {
        var name: String
        var email: String
        var adminAccounts: Int64
    }

    /// A user with one of their accounts (none: the account columns are NULL), ordered by account.
    private struct ProfileRow: Codable {
        var id: Int
        var name: String
        var displayName: String?
        var email: String
        var userType: String?
        var messageSignature: String?
        var pubsubToken: String?
        var uiSettings: String
        var accountId: Int?
        var accountName: String?
        var role: String?
    }

    func owner(token: String, platform: Bool) async throws -> Identity? {
        let hash = SecretHasher.tokenHash(token)
        return try await self.database.read { tx in
            guard
                let token = try await tx.sql.select().columns("owner_type", "owner_id", "token_hash").from("access_tokens")
                    .where("token_hash", .equal, hash).where("owner_type", .in, platform ? ["PlatformApp"] : ["User", "AgentBot"])
                    .first(TokenRow.self),
                SecretHasher.constantTimeEquals(token.tokenHash, hash)
            else { return nil }
            switch token.ownerType {
            case "PlatformApp": return Identity(kind: .platformApp, tenant: "", principalID: String(token.ownerId), isAdministrator: true)
            case "AgentBot": return Identity(kind: .agentBot, tenant: "", principalID: String(token.ownerId))
            default:
                let administrated = tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all)).from("account_users")
                    .where("user_id", .equal, token.ownerId).where("role", .equal, "administrator")
                guard
                    let user = try await tx.sql.select().columns("name", "email").column(SQLSubquery(administrated.select), as: "admin_accounts")
                        .from("users").where("id", .equal, token.ownerId).first(UserRow.self)
                else { return nil }
                return Identity(
                    kind: .user, tenant: "", principalID: String(token.ownerId), name: user.name, email: user.email,
                    isAdministrator: user.adminAccounts > 0)
            }
        }
    }

    func profile(userID: Int, accessToken: String) async throws -> ChatwootProfile? {
        var profile = self.users.kept(userID)
        if profile == nil { profile = try await self.loadProfile(userID: userID) }
        profile?.accessToken = accessToken
        return profile
    }

    /// Drops a user's kept profile after a change to the user or their memberships.
    func forget(userID: Int) {
        self.users.remove(userID)
    }

    private func loadProfile(userID: Int) async throws -> ChatwootProfile? {
        let rows = try await self.database.readStatement { sql in
            try await sql.select()
                .columns(
                    SQLColumn("id", table: "u"), SQLColumn("name", table: "u"), SQLColumn("display_name", table: "u"), SQLColumn("email", table: "u"),
                    SQLColumn("user_type", table: "u"), SQLColumn("message_signature", table: "u"), SQLColumn("pubsub_token", table: "u"),
                    SQLColumn("ui_settings", table: "u"), SQLColumn("role", table: "m")
                )
                .column(SQLColumn("id", table: "a"), as: "account_id").column(SQLColumn("name", table: "a"), as: "account_name")
                .from(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")))
                .join(
                    SQLAlias(SQLIdentifier("account_users"), as: SQLIdentifier("m")), method: SQLJoinMethod.left,
                    on: SQLColumn("user_id", table: "m"), .equal, SQLColumn("id", table: "u")
                )
                .join(
                    SQLAlias(SQLIdentifier("accounts"), as: SQLIdentifier("a")), method: SQLJoinMethod.left, on: SQLColumn("id", table: "a"), .equal,
                    SQLColumn("account_id", table: "m")
                )
                .where(SQLColumn("id", table: "u"), .equal, SQLBind(userID))
                .orderBy(SQLColumn("id", table: "a"))
                .all(ProfileRow.self)
        }
        guard let user = rows.first else { return nil }
        let accounts = rows.compactMap { row in
            row.accountId.map { ChatwootProfile.Account(id: $0, name: row.accountName ?? "", role: row.role ?? "agent") }
        }
        let profile = ChatwootProfile(
            id: user.id, accessToken: "", accountId: accounts.first?.id ?? 0, displayName: user.displayName,
            messageSignature: user.messageSignature, email: user.email, name: user.name, pubsubToken: user.pubsubToken ?? "",
            role: accounts.first?.role ?? "agent", uiSettings: ChatwootRows.json(user.uiSettings), type: user.userType, accounts: accounts)
        self.users.keep(profile, for: userID)
        return profile
    }

    func bootstrap(token: String) async throws {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            guard
                try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("accounts").first(CountRow.self)?.count
                    == 0
            else { return }
            try await tx.sql.insert(into: "accounts").columns("name", "created_at", "updated_at").values("Switchboard", now, now).run()
            try await tx.sql.insert(into: "users").columns("name", "display_name", "email", "user_type", "pubsub_token", "created_at", "updated_at")
                .values("Administrator", "Administrator", "admin@example.com", "SuperAdmin", Self.newToken(), now, now).run()
            try await tx.sql.insert(into: "account_users").columns("account_id", "user_id", "role", "created_at").values(1, 1, "administrator", now)
                .run()
            try await tx.sql.insert(into: "platform_apps").columns("name", "created_at").values("Switchboard bootstrap", now).run()
            try await self.store(tx, token: token, owner: "User", 1, at: now)
            try await self.store(tx, token: token, owner: "PlatformApp", 1, at: now)
            // The bootstrap platform app reaches account 1 and its administrator, as if it had created them.
            try await ChatwootAccess.permit(tx, app: 1, .account, 1, at: now)
            try await ChatwootAccess.permit(tx, app: 1, .user, 1, at: now)
        }
    }

    // MARK: Memberships and tokens

    /// The accounts a user belongs to, with their role in each (kept with the profile; see ``forget(userID:)``).
    func memberships(userID: Int) async throws -> [Int: String] {
        var profile = self.users.kept(userID)
        if profile == nil { profile = try await self.loadProfile(userID: userID) }
        return Dictionary((profile?.accounts ?? []).map { ($0.id, $0.role) }) { first, _ in first }
    }

    /// A new token for a user, agent bot or platform app (Chatwoot's are 24 characters).
    static func newToken() -> String {
        String(SecretHasher.randomToken(bytes: 18).prefix(24))
    }

    /// Gives `owner` a new token, replacing any it had; answers the token.
    @discardableResult func issue(_ tx: Tx, owner type: String, _ id: Int, at now: Int64) async throws -> String {
        try await tx.sql.delete(from: "access_tokens").where("owner_type", .equal, type).where("owner_id", .equal, id).run()
        let token = Self.newToken()
        try await self.store(tx, token: token, owner: type, id, at: now)
        return token
    }

    /// The token `owner` holds, opened from its sealed copy; nil when it has none (or only a hash, as older rows).
    func token(owner type: String, _ id: Int) async throws -> String? {
        let row = try await self.database.readStatement { sql in
            try await sql.select().column("sealed_token").from("access_tokens").where("owner_type", .equal, type).where("owner_id", .equal, id)
                .orderBy("id", .descending).first(SealedRow.self)
        }
        guard let sealed = row?.sealedToken else { return nil }
        return String(decoding: try self.database.secrets.open(sealed, context: "access_tokens/\(type)/\(id)"), as: UTF8.self)
    }

    /// The tokens of many owners of one type at once (lists of agent bots).
    func tokens(owner type: String, _ ids: [Int]) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await self.database.readStatement { sql in
            try await sql.select().columns("owner_id", "sealed_token").from("access_tokens").where("owner_type", .equal, type)
                .where("owner_id", .in, ids).all(OwnerSealedRow.self)
        }
        var tokens: [Int: String] = [:]
        for row in rows {
            guard let sealed = row.sealedToken else { continue }
            let id = Int(row.ownerId)
            tokens[id] = String(decoding: try self.database.secrets.open(sealed, context: "access_tokens/\(type)/\(id)"), as: UTF8.self)
        }
        return tokens
    }

    private struct SealedRow: Codable {
        var sealedToken: String?
    }

    private struct OwnerSealedRow: Codable {
        var ownerId: Int64
        var sealedToken: String?
    }

    private func store(_ tx: Tx, token: String, owner type: String, _ id: Int, at now: Int64) async throws {
        let sealed = try self.database.secrets.seal(Data(token.utf8), context: "access_tokens/\(type)/\(id)")
        try await tx.sql.insert(into: "access_tokens").columns("owner_type", "owner_id", "token_hash", "sealed_token", "created_at")
            .values(type, id, SecretHasher.tokenHash(token), sealed, now).run()
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

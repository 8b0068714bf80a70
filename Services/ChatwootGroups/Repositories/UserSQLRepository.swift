import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Users and their account memberships (agents) on SQLite or PostgreSQL.
struct UserSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let tokens: AccessTokenSQLRepository

    /// A user row.
    struct Row: Codable, Sendable {
        var id: Int
        var name: String
        var displayName: String?
        var email: String
        var messageSignature: String?
        var avatarUrl: String?
        var pubsubToken: String?
        var customAttributes: String
        var uiSettings: String
    }

    /// A membership with its user, as the agents of an account list them.
    struct AgentRow: Codable, Sendable {
        var id: Int
        var name: String
        var displayName: String?
        var email: String
        var accountId: Int
        var role: String
        var availability: String
        var autoOffline: Bool
    }

    /// A membership with its account's name.
    private struct MembershipRow: Codable {
        var accountId: Int
        var name: String
        var role: String
        var activeAt: Int64?
    }

    /// What a user create or update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var name: String?
        var displayName: String?
        var email: String?
        var password: String?
        var customAttributes: JSONValue?
    }

    static let roles = ["agent", "administrator"]
    static let availabilities = ["online", "offline", "busy"]

    // MARK: Users

    /// Chatwoot's platform create: the user with that e-mail if there is one, else a new user; either way the app may
    /// reach it from now on.
    func create(_ changes: Changes, app: Int) async throws -> Int {
        guard let email = changes.email?.lowercased(), !email.isEmpty else { throw ChatwootRows.blank("email") }
        let now = self.clock.milliseconds()
        if let existing = try await self.id(email: email) {
            try await self.database.transaction { tx in
                if try await !Self.permitted(tx, app: app, user: existing) { try await ChatwootAccess.permit(tx, app: app, .user, existing, at: now) }
            }
            return existing
        }
        guard let name = changes.name, !name.isEmpty else { throw ChatwootRows.blank("name") }
        try Self.validate(changes)
        guard let password = changes.password else { throw ChatwootRows.blank("password") }
        let hash = try SecretHasher.passwordHash(password)
        return try await self.database.transaction { tx in
            let id = try await self.insert(tx, name: name, displayName: changes.displayName, email: email, passwordHash: hash, at: now)
            if let attributes = changes.customAttributes {
                try await tx.sql.update("users").set("custom_attributes", to: try ChatwootRows.text(attributes)).where("id", .equal, id).run()
            }
            try await ChatwootAccess.permit(tx, app: app, .user, id, at: now)
            return id
        }
    }

    func find(_ id: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("users").where("id", .equal, id).where("deleted_at", .is, SQLLiteral.null)
                .first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    func update(_ id: Int, _ changes: Changes) async throws {
        let current = try await self.find(id)
        try Self.validate(changes)
        if let name = changes.name, name.isEmpty { throw ChatwootRows.blank("name") }
        let email = changes.email?.lowercased() ?? current.email
        if email != current.email, try await self.id(email: email) != nil {
            throw ServiceError(.unprocessableContent, message: "Email has already been taken", field: "email")
        }
        let hash = try changes.password.map { try SecretHasher.passwordHash($0) }
        var attributes = ChatwootRows.json(current.customAttributes)
        if let patch = changes.customAttributes { attributes = attributes.merging(patch) }
        let now = self.clock.milliseconds()
        let attributesText = try ChatwootRows.text(attributes)
        try await self.database.transaction { tx in
            let update = tx.sql.update("users").set("name", to: changes.name ?? current.name)
                .set("display_name", to: changes.displayName ?? current.displayName).set("email", to: email)
                .set("custom_attributes", to: attributesText).set("updated_at", to: now)
            if let hash { update.set("password_hash", to: hash) }
            try await update.where("id", .equal, id).run()
        }
        self.tokens.forget(userID: id)
    }

    /// Deletes a user as Chatwoot's `DeleteObjectJob` ends them: memberships and token go, the e-mail is free again.
    func delete(_ id: Int) async throws {
        _ = try await self.find(id)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            for table in ["account_users", "inbox_members", "team_members"] {
                try await tx.sql.delete(from: table).where("user_id", .equal, id).run()
            }
            try await tx.sql.delete(from: "access_tokens").where("owner_type", .equal, "User").where("owner_id", .equal, id).run()
            try await tx.sql.update("users").set("deleted_at", to: now).set("email", to: "deleted-\(id)@users.invalid").set("updated_at", to: now)
                .where("id", .equal, id).run()
        }
        self.tokens.forget(userID: id)
    }

    /// The Platform API's user: its token and memberships.
    func platformUser(_ id: Int) async throws -> ChatwootPlatformUser {
        let row = try await self.find(id)
        let memberships = try await self.database.readStatement { sql in
            try await sql.select().column(SQLColumn("account_id", table: "m")).column(SQLColumn("role", table: "m"))
                .column(SQLColumn("active_at", table: "m")).column(SQLColumn("name", table: "a"))
                .from(SQLAlias(SQLIdentifier("account_users"), as: SQLIdentifier("m")))
                .join(
                    SQLAlias(SQLIdentifier("accounts"), as: SQLIdentifier("a")), on: SQLColumn("id", table: "a"), .equal,
                    SQLColumn("account_id", table: "m")
                )
                .where(SQLColumn("user_id", table: "m"), .equal, SQLBind(id)).orderBy(SQLColumn("account_id", table: "m"))
                .all(MembershipRow.self)
        }
        let token = try await self.tokens.token(owner: "User", id) ?? ""
        let attributes = ChatwootRows.json(row.customAttributes)
        return ChatwootPlatformUser(
            id: row.id, accessToken: token, displayName: row.displayName, messageSignature: row.messageSignature, email: row.email,
            name: row.name, pubsubToken: row.pubsubToken ?? "", avatarUrl: row.avatarUrl,
            customAttributes: attributes.object?.isEmpty == false ? attributes : nil, uiSettings: ChatwootRows.json(row.uiSettings),
            accounts: memberships.map { .init(id: $0.accountId, name: $0.name, role: $0.role, activeAt: $0.activeAt.map(ChatwootRows.iso)) })
    }

    /// A single-use sign-in link (Chatwoot's `generate_sso_link`): its token is kept hashed and is no API token.
    func loginLink(_ id: Int, base: String) async throws -> ChatwootLoginLink {
        let row = try await self.find(id)
        let token = SecretHasher.randomToken()
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "access_tokens").where("owner_type", .equal, "UserSSO").where("owner_id", .equal, id).run()
            try await tx.sql.insert(into: "access_tokens").columns("owner_type", "owner_id", "token_hash", "created_at")
                .values("UserSSO", id, SecretHasher.tokenHash(token), now).run()
        }
        var components = URLComponents()
        components.path = "/app/login"
        components.queryItems = [URLQueryItem(name: "email", value: row.email), URLQueryItem(name: "sso_auth_token", value: token)]
        return ChatwootLoginLink(url: base + (components.string ?? ""))
    }

    // MARK: Agents

    /// The account's agents, by name (Chatwoot's `order_by_full_name`).
    func agents(account: Int, ids: [Int]? = nil) async throws -> [ChatwootAgent] {
        try await self.agentRows(account: account, ids: ids).map(Self.agent)
    }

    private func agentRows(account: Int, ids: [Int]?) async throws -> [AgentRow] {
        if let ids, ids.isEmpty { return [] }
        let rows = try await self.database.readStatement { sql in
            let query = sql.select()
                .columns(
                    SQLColumn("id", table: "u"), SQLColumn("name", table: "u"), SQLColumn("display_name", table: "u"), SQLColumn("email", table: "u")
                )
                .columns(SQLColumn("account_id", table: "m"), SQLColumn("role", table: "m"), SQLColumn("availability", table: "m"))
                .column(SQLColumn("auto_offline", table: "m"))
                .from(SQLAlias(SQLIdentifier("account_users"), as: SQLIdentifier("m")))
                .join(
                    SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("id", table: "u"), .equal,
                    SQLColumn("user_id", table: "m")
                )
                .where(SQLColumn("account_id", table: "m"), .equal, SQLBind(account))
            if let ids { query.where(SQLColumn("id", table: "u"), .in, SQLBind.group(ids)) }
            return try await query.orderBy(SQLFunction("LOWER", args: SQLColumn("name", table: "u"))).orderBy(SQLColumn("id", table: "u"))
                .all(AgentRow.self)
        }
        return rows
    }

    /// Chatwoot's `AgentBuilder`: the user with that e-mail, or a new one, joins the account with the role.
    func addAgent(
        account: Int, name: String, email: String, role: String, availability: String?, autoOffline: Bool?, inviter: Int?
    ) async throws
        -> ChatwootAgent
    {
        guard !name.isEmpty else { throw ChatwootRows.blank("name") }
        let email = email.lowercased()
        guard ChatwootRows.isEmail(email) else { throw ServiceError(.unprocessableContent, message: "Email is invalid", field: "email") }
        try Self.validate(role: role, availability: availability)
        let now = self.clock.milliseconds()
        let existing = try await self.id(email: email)
        let id = try await self.database.transaction { tx in
            let id: Int
            if let existing {
                id = existing
                let member = try await tx.sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account)
                    .where("user_id", .equal, id).first(IDRow.self)
                if member != nil { throw ServiceError(.unprocessableContent, message: "User has already been taken", field: "email") }
            } else {
                id = try await self.insert(tx, name: name, displayName: nil, email: email, passwordHash: nil, at: now)
            }
            try await tx.sql.insert(into: "account_users")
                .columns("account_id", "user_id", "role", "inviter_id", "availability", "auto_offline", "created_at")
                .values(account, id, role, inviter, availability ?? "online", autoOffline ?? true, now).run()
            return id
        }
        self.tokens.forget(userID: id)
        guard let agent = try await self.agents(account: account, ids: [id]).first else { throw ChatwootRows.notFound }
        return agent
    }

    /// Changes a member's role, availability or auto-offline; a user outside the account is a 404.
    func updateAgent(account: Int, user: Int, role: String?, availability: String?, autoOffline: Bool?) async throws -> ChatwootAgent {
        try Self.validate(role: role, availability: availability)
        guard let current = try await self.agentRows(account: account, ids: [user]).first else { throw ChatwootRows.notFound }
        try await self.database.transaction { tx in
            try await tx.sql.update("account_users").set("role", to: role ?? current.role)
                .set("availability", to: availability ?? current.availability)
                .set("auto_offline", to: autoOffline ?? current.autoOffline).where("account_id", .equal, account).where("user_id", .equal, user).run()
        }
        self.tokens.forget(userID: user)
        guard let agent = try await self.agents(account: account, ids: [user]).first else { throw ChatwootRows.notFound }
        return agent
    }

    /// Removes a member from the account, and from its inboxes and teams (Chatwoot's `AccountUser` callbacks).
    func removeAgent(account: Int, user: Int) async throws {
        guard try await self.agents(account: account, ids: [user]).first != nil else { throw ChatwootRows.notFound }
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "inbox_members").where("user_id", .equal, user)
                .where("inbox_id", .in, SQLSubquery.select { $0.column("id").from("inboxes").where("account_id", .equal, account) }).run()
            try await tx.sql.delete(from: "team_members").where("user_id", .equal, user)
                .where("team_id", .in, SQLSubquery.select { $0.column("id").from("teams").where("account_id", .equal, account) }).run()
            try await tx.sql.delete(from: "account_users").where("account_id", .equal, account).where("user_id", .equal, user).run()
        }
        self.tokens.forget(userID: user)
    }

    /// The account's memberships, as the Platform API lists them.
    func memberships(account: Int) async throws -> [ChatwootAccountUser] {
        try await self.database.readStatement { sql in
            try await sql.select().columns("account_id", "user_id", "role", "inviter_id", "created_at").from("account_users")
                .where("account_id", .equal, account).orderBy("user_id").all(AccountUserRow.self)
        }.map(\.answer)
    }

    /// Makes a user a member with `role`, or changes their role (the Platform API's `find_or_initialize_by`).
    func setMembership(account: Int, user: Int, role: String) async throws -> ChatwootAccountUser {
        try Self.validate(role: role, availability: nil)
        guard (try? await self.find(user)) != nil else {
            throw ServiceError(.unprocessableContent, message: "User must exist", field: "user_id")
        }
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let updated = try await tx.sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account)
                .where("user_id", .equal, user).first(IDRow.self)
            if updated != nil {
                try await tx.sql.update("account_users").set("role", to: role).where("account_id", .equal, account).where("user_id", .equal, user)
                    .run()
            } else {
                try await tx.sql.insert(into: "account_users").columns("account_id", "user_id", "role", "created_at").values(account, user, role, now)
                    .run()
            }
        }
        self.tokens.forget(userID: user)
        guard let answer = try await self.memberships(account: account).first(where: { $0.userId == user }) else { throw ChatwootRows.notFound }
        return answer
    }

    private struct AccountUserRow: Codable {
        var accountId: Int
        var userId: Int
        var role: String
        var inviterId: Int?
        var createdAt: Int64

        var answer: ChatwootAccountUser {
            let time = ChatwootRows.iso(self.createdAt)
            return ChatwootAccountUser(
                accountId: self.accountId, userId: self.userId, role: self.role, inviterId: self.inviterId, createdAt: time, updatedAt: time)
        }
    }

    /// Which of `ids` are members of the account (inbox and team members must be).
    func memberIDs(account: Int, among ids: [Int]) async throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        let rows = try await self.database.readStatement { sql in
            try await sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account)
                .where("user_id", .in, ids).all(IDRow.self)
        }
        return Set(rows.map { Int($0.id) })
    }

    // MARK: Helpers

    /// The agent answer. Chatwoot's `availability_status` is presence (who is connected to the dashboard now): until a
    /// user connects it is `offline`, whatever availability they chose.
    static func agent(_ row: AgentRow) -> ChatwootAgent {
        ChatwootAgent(
            id: row.id, accountId: row.accountId, availabilityStatus: "offline", autoOffline: row.autoOffline, email: row.email, name: row.name,
            displayName: row.displayName, role: row.role)
    }

    private static let columns = [
        "id", "name", "display_name", "email", "message_signature", "avatar_url", "pubsub_token", "custom_attributes", "ui_settings",
    ]

    private func id(email: String) async throws -> Int? {
        try await self.database.readStatement { sql in
            try await sql.select().column("id").from("users").where("email", .equal, email).where("deleted_at", .is, SQLLiteral.null)
                .first(IDRow.self)
        }.map { Int($0.id) }
    }

    private func insert(_ tx: Tx, name: String, displayName: String?, email: String, passwordHash: String?, at now: Int64) async throws -> Int {
        let row = try await tx.sql.insert(into: "users")
            .columns("name", "display_name", "email", "password_hash", "pubsub_token", "created_at", "updated_at")
            .values(name, displayName, email, passwordHash, AccessTokenSQLRepository.newToken(), now, now).returning("id").first(IDRow.self)
        let id = Int(row?.id ?? 0)
        try await self.tokens.issue(tx, owner: "User", id, at: now)
        return id
    }

    private static func permitted(_ tx: Tx, app: Int, user: Int) async throws -> Bool {
        try await tx.sql.select().column("permissible_id", as: "id").from("platform_app_permissibles").where("platform_app_id", .equal, app)
            .where("permissible_type", .equal, "User").where("permissible_id", .equal, user).first(IDRow.self) != nil
    }

    private static func validate(_ changes: Changes) throws {
        if let email = changes.email, !ChatwootRows.isEmail(email) {
            throw ServiceError(.unprocessableContent, message: "Email is invalid", field: "email")
        }
        if let password = changes.password {
            let classes = [
                password.contains { $0.isUppercase }, password.contains { $0.isLowercase }, password.contains { $0.isNumber },
                password.contains { !$0.isLetter && !$0.isNumber },
            ]
            guard password.count >= 6, !classes.contains(false) else {
                throw ServiceError(
                    .unprocessableContent, message: "Password must contain uppercase, lowercase letters, number and a special character",
                    field: "password")
            }
        }
        _ = try ChatwootRows.object(changes.customAttributes, field: "custom_attributes")
    }

    static func validate(role: String?, availability: String?) throws {
        if let role, !Self.roles.contains(role) {
            throw ServiceError(.unprocessableContent, message: "'\(role)' is not a valid role", field: "role")
        }
        if let availability, !Self.availabilities.contains(availability) {
            throw ServiceError(.unprocessableContent, message: "'\(availability)' is not a valid availability", field: "availability")
        }
    }
}

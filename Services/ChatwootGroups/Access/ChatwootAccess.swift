import Hummingbird
import SQLKit
import ServiceKit

/// The caller of an account route (`/api/v1/accounts/{account_id}/...`): a user with their role there, or an agent bot.
struct ChatwootCaller: Sendable, Equatable {
    /// Who holds the token.
    enum Principal: Sendable, Equatable {
        case user(Int)
        case agentBot(Int)
    }

    let principal: Principal
    let accountID: Int
    /// `administrator` or `agent` for a user; nil for a bot.
    let role: String?

    /// The user's id; nil for a bot.
    var userID: Int? {
        if case .user(let id) = self.principal { id } else { nil }
    }

    var isAdministrator: Bool { self.role == "administrator" }
}

/// Chatwoot's access rules, shared by every controller: account membership, administrator-only actions, inbox
/// membership, agent-bot endpoints and platform-app ownership. Each answers the real Chatwoot's status and body.
struct ChatwootAccess: Sendable {
    let database: Database
    let tokens: AccessTokenSQLRepository

    static let notAuthorized = "You are not authorized to do this action"

    /// The caller in the account the path names (`{account_id}`, or `{id}` for `/accounts/{id}`). An unknown account
    /// is a 404; an account the user does not belong to a 401 (Chatwoot's `account_accessible_for_user?`). Bot tokens
    /// pass only where `bots` (the six operations the swagger gives `agentBotApiKey`) and only in accounts with an
    /// inbox the bot is connected to; elsewhere a bot token is a 401, as Chatwoot's `validate_bot_access_token!`.
    func member(_ context: AuthenticatedContext, parameter: String = "account_id", bots: Bool = false) async throws -> ChatwootCaller {
        let accountID = try Self.id(context, parameter)
        let principalID = Int(context.identity.principalID) ?? 0
        switch context.identity.kind {
        case .user:
            if let role = try await self.tokens.memberships(userID: principalID)[accountID] {
                return ChatwootCaller(principal: .user(principalID), accountID: accountID, role: role)
            }
            try await self.requireAccount(accountID)
            throw ServiceError(.unauthorized, message: "You are not authorized to access this account")
        case .agentBot:
            guard bots else { throw ServiceError(.unauthorized, message: "Access to this endpoint is not authorized for bots") }
            try await self.requireAccount(accountID)
            let connected = try await self.database.readStatement { sql in
                try await sql.select().column("id").from("inboxes").where("account_id", .equal, accountID)
                    .where("agent_bot_id", .equal, principalID).limit(1).first(IDRow.self)
            }
            guard connected != nil else { throw ServiceError(.unauthorized, message: "You are not authorized to access this account") }
            return ChatwootCaller(principal: .agentBot(principalID), accountID: accountID, role: nil)
        default:
            throw ServiceError(.unauthorized, message: "Invalid Access Token")
        }
    }

    /// ``member(_:parameter:bots:)`` who must be the account's administrator (Chatwoot's policies: a 401).
    func administrator(_ context: AuthenticatedContext, parameter: String = "account_id") async throws -> ChatwootCaller {
        let caller = try await self.member(context, parameter: parameter)
        guard caller.isAdministrator else { throw ServiceError(.unauthorized, message: Self.notAuthorized) }
        return caller
    }

    /// The ids of the inboxes the caller may see: every inbox of the account for an administrator, the inboxes the
    /// agent is a member of otherwise, those it is connected to for a bot.
    func inboxIDs(_ caller: ChatwootCaller) async throws -> [Int] {
        try await self.database.readStatement { sql in
            let query = sql.select().column("id").from("inboxes").where("account_id", .equal, caller.accountID)
            switch caller.principal {
            case .user(let userID) where !caller.isAdministrator:
                query.where(
                    "id", .in, SQLSubquery.select { $0.column("inbox_id").from("inbox_members").where("user_id", .equal, userID) })
            case .agentBot(let botID): query.where("agent_bot_id", .equal, botID)
            case .user: break
            }
            return try await query.orderBy("id").all(IDRow.self).map { Int($0.id) }
        }
    }

    /// An inbox of the caller's account that the caller may act in: another account's (or no) inbox is a 404, an
    /// inbox the agent is not a member of a 401 (Chatwoot's `InboxPolicy`/`ConversationPolicy`).
    func requireInbox(_ caller: ChatwootCaller, _ inboxID: Int) async throws {
        let row = try await self.database.readStatement { sql in
            try await sql.select().column("id").column("agent_bot_id").from("inboxes").where("id", .equal, inboxID)
                .where("account_id", .equal, caller.accountID).first(InboxAccessRow.self)
        }
        guard let row else { throw ServiceError(.notFound, message: "Resource could not be found") }
        switch caller.principal {
        case .user where caller.isAdministrator: return
        case .user(let userID):
            let member = try await self.database.readStatement { sql in
                try await sql.select().column("inbox_id", as: "id").from("inbox_members").where("inbox_id", .equal, inboxID)
                    .where("user_id", .equal, userID).first(IDRow.self)
            }
            guard member != nil else { throw ServiceError(.unauthorized, message: Self.notAuthorized) }
        case .agentBot(let botID):
            guard row.agentBotId == Int64(botID) else { throw ServiceError(.unauthorized, message: Self.notAuthorized) }
        }
    }

    private struct InboxAccessRow: Codable {
        var id: Int64
        var agentBotId: Int64?
    }

    // MARK: Platform apps

    /// The platform app whose token reached a `/platform/api/v1` route (only platform tokens verify there).
    func platformApp(_ context: AuthenticatedContext) throws -> Int {
        guard context.identity.kind == .platformApp, let id = Int(context.identity.principalID) else {
            throw ServiceError(.unauthorized, message: "Invalid Access Token")
        }
        return id
    }

    /// What a platform app may reach: an object it created. Another app's object is Chatwoot's 401
    /// `Non permissible resource`; call after the object was found (an unknown one is a 404).
    func requirePermissible(app: Int, _ type: PermissibleType, _ id: Int) async throws {
        let found = try await self.database.readStatement { sql in
            try await sql.select().column("permissible_id", as: "id").from("platform_app_permissibles").where("platform_app_id", .equal, app)
                .where("permissible_type", .equal, type.rawValue).where("permissible_id", .equal, id).first(IDRow.self)
        }
        guard found != nil else { throw ServiceError(.unauthorized, message: "Non permissible resource") }
    }

    /// Records that `app` created the object, inside the transaction that creates it.
    static func permit(_ tx: Tx, app: Int, _ type: PermissibleType, _ id: Int, at now: Int64) async throws {
        try await tx.sql.insert(into: "platform_app_permissibles").columns("platform_app_id", "permissible_type", "permissible_id", "created_at")
            .values(app, type.rawValue, id, now).run()
    }

    /// Chatwoot's polymorphic `permissible_type`.
    enum PermissibleType: String, Sendable {
        case account = "Account"
        case user = "User"
        case agentBot = "AgentBot"
    }

    // MARK: Helpers

    /// A numeric path parameter; anything else names no object (404, as Rails' `find`).
    static func id(_ context: some RequestContext, _ name: String) throws -> Int {
        guard let id = context.parameters.get(name, as: Int.self) else {
            throw ServiceError(.notFound, message: "Resource could not be found")
        }
        return id
    }

    private func requireAccount(_ accountID: Int) async throws {
        let found = try await self.database.readStatement { sql in
            try await sql.select().column("id").from("accounts").where("id", .equal, accountID).where("deleted_at", .is, SQLLiteral.null)
                .first(IDRow.self)
        }
        guard found != nil else { throw ServiceError(.notFound, message: "Resource could not be found") }
    }
}

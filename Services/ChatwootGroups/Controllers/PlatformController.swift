import Hummingbird
import ServiceKit
import WireModels

extension ChatwootPlatformAccount: ResponseEncodable {}
extension ChatwootAccountUser: ResponseEncodable {}
extension ChatwootAgentBot: ResponseEncodable {}
extension ChatwootPlatformUser: ResponseEncodable {}
extension ChatwootLoginLink: ResponseEncodable {}

/// The Platform API (`/platform/api/v1`): accounts, their users, agent bots and users, each reachable only by the
/// platform app that created it (Chatwoot's `platform_app_permissibles`).
struct PlatformController {
    let access: ChatwootAccess
    let accounts: AccountSQLRepository
    let users: UserSQLRepository
    let bots: AgentBotSQLRepository

    /// `account_create_update_payload`.
    struct AccountInput: Codable, Sendable {
        var name: String?
        var locale: String?
        var domain: String?
        var supportEmail: String?
        var status: String?
        var limits: JSONValue?
        var customAttributes: JSONValue?
        var features: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case name, locale, domain, status, limits, features
            case supportEmail = "support_email"
            case customAttributes = "custom_attributes"
        }

        var changes: AccountSQLRepository.Changes {
            AccountSQLRepository.Changes(
                name: self.name, locale: self.locale, domain: self.domain, supportEmail: self.supportEmail, status: self.status,
                limits: self.limits, customAttributes: self.customAttributes,
                features: self.features?.mapValues { value in
                    switch value {
                    case .null, .bool(false): false
                    case .string(let text): !text.isEmpty && text != "false"
                    default: true
                    }
                })
        }
    }

    /// `account_user_create_update_payload`.
    struct AccountUserInput: Codable, Sendable {
        var userId: Int
        var role: String?

        enum CodingKeys: String, CodingKey {
            case role
            case userId = "user_id"
        }
    }

    /// `platform_agent_bot_create_update_payload`.
    struct AgentBotInput: Codable, Sendable {
        var name: String?
        var description: String?
        var outgoingUrl: String?
        var accountId: Int?
        var avatarUrl: String?
        var botConfig: JSONValue?

        enum CodingKeys: String, CodingKey {
            case name, description
            case outgoingUrl = "outgoing_url"
            case accountId = "account_id"
            case avatarUrl = "avatar_url"
            case botConfig = "bot_config"
        }
    }

    /// `user_create_update_payload`.
    struct UserInput: Codable, Sendable {
        var name: String?
        var displayName: String?
        var email: String?
        var password: String?
        var customAttributes: JSONValue?

        enum CodingKeys: String, CodingKey {
            case name, email, password
            case displayName = "display_name"
            case customAttributes = "custom_attributes"
        }

        var changes: UserSQLRepository.Changes {
            .init(name: self.name, displayName: self.displayName, email: self.email, password: self.password, customAttributes: self.customAttributes)
        }
    }

    func addRoutes(to platform: Endpoints<AuthenticatedContext>) {
        platform.tagged("Accounts")
            .post("/accounts", "Create an Account", body: AccountInput.self, returns: ChatwootPlatformAccount.self, use: self.createAccount)
            .get("/accounts/{account_id}", "Get an account details", returns: ChatwootPlatformAccount.self, use: self.getAccount)
            .patch(
                "/accounts/{account_id}", "Update an account", body: AccountInput.self, returns: ChatwootPlatformAccount.self, use: self.updateAccount
            )
            .delete("/accounts/{account_id}", "Delete an Account", returns: EmptyBody.self, use: self.deleteAccount)
        platform.tagged("Account Users")
            .get("/accounts/{account_id}/account_users", "List all Account Users", returns: [ChatwootAccountUser].self, use: self.listAccountUsers)
            .post(
                "/accounts/{account_id}/account_users", "Create an Account User", body: AccountUserInput.self, returns: ChatwootAccountUser.self,
                use: self.createAccountUser
            )
            .raw(
                .delete, "/accounts/{account_id}/account_users", "Delete an Account User", body: AccountUserInput.self,
                responses: [200: "Deleted", 401: "Unauthorized", 404: "Not found"], use: self.deleteAccountUser)
        platform.tagged("AgentBots")
            .get("/agent_bots", "List all AgentBots", returns: [ChatwootAgentBot].self, use: self.listBots)
            .post("/agent_bots", "Create an Agent Bot", body: AgentBotInput.self, returns: ChatwootAgentBot.self, use: self.createBot)
            .get("/agent_bots/{id}", "Get an agent bot details", returns: ChatwootAgentBot.self, use: self.getBot)
            .patch("/agent_bots/{id}", "Update an agent bot", body: AgentBotInput.self, returns: ChatwootAgentBot.self, use: self.updateBot)
            .delete("/agent_bots/{id}", "Delete an AgentBot", returns: EmptyBody.self, use: self.deleteBot)
        platform.tagged("Users")
            .post("/users", "Create a User", body: UserInput.self, returns: ChatwootPlatformUser.self, use: self.createUser)
            .get("/users/{id}", "Get an user details", returns: ChatwootPlatformUser.self, use: self.getUser)
            .patch("/users/{id}", "Update a user", body: UserInput.self, returns: ChatwootPlatformUser.self, use: self.updateUser)
            .delete("/users/{id}", "Delete a User", returns: EmptyBody.self, use: self.deleteUser)
            .get("/users/{id}/login", "Get User SSO Link", returns: ChatwootLoginLink.self, use: self.login)
    }

    // MARK: Accounts

    /// Creates an account the app then owns.
    @Sendable func createAccount(_ request: Request, context: AuthenticatedContext, input: AccountInput) async throws -> ChatwootPlatformAccount {
        let app = try self.access.platformApp(context)
        return self.accounts.platform(try await self.accounts.create(input.changes, app: app))
    }

    /// One of the app's accounts.
    @Sendable func getAccount(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootPlatformAccount {
        self.accounts.platform(try await self.ownedAccount(context))
    }

    /// Changes one of the app's accounts.
    @Sendable func updateAccount(_ request: Request, context: AuthenticatedContext, input: AccountInput) async throws -> ChatwootPlatformAccount {
        let account = try await self.ownedAccount(context)
        return self.accounts.platform(try await self.accounts.update(account.id, input.changes))
    }

    /// Deletes one of the app's accounts.
    @Sendable func deleteAccount(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try await self.accounts.delete(try await self.ownedAccount(context).id)
        return EmptyBody()
    }

    // MARK: Account users

    /// The memberships of one of the app's accounts.
    @Sendable func listAccountUsers(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootAccountUser] {
        let account = try await self.ownedAccount(context)
        return try await self.users.memberships(account: account.id)
    }

    /// Adds a user to one of the app's accounts, or changes their role there (Chatwoot's `find_or_initialize_by`).
    @Sendable func createAccountUser(_ request: Request, context: AuthenticatedContext, input: AccountUserInput) async throws -> ChatwootAccountUser {
        let account = try await self.ownedAccount(context)
        return try await self.users.setMembership(account: account.id, user: input.userId, role: input.role ?? "agent")
    }

    /// Removes a user from one of the app's accounts; a user who is not a member is no error (Chatwoot's `&.destroy`).
    @Sendable func deleteAccountUser(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let account = try await self.ownedAccount(context)
        let input = try await request.decode(as: AccountUserInput.self, context: context)
        if try await !self.users.memberIDs(account: account.id, among: [input.userId]).isEmpty {
            try await self.users.removeAgent(account: account.id, user: input.userId)
        }
        return Response(status: .ok)
    }

    // MARK: Agent bots

    /// The bots the app created.
    @Sendable func listBots(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootAgentBot] {
        try await self.bots.list(account: nil, app: try self.access.platformApp(context))
    }

    /// Creates a bot the app then owns; with `account_id`, an account bot of one of the app's accounts.
    @Sendable func createBot(_ request: Request, context: AuthenticatedContext, input: AgentBotInput) async throws -> ChatwootAgentBot {
        let app = try self.access.platformApp(context)
        if let account = input.accountId {
            _ = try await self.accounts.find(account)
            try await self.access.requirePermissible(app: app, .account, account)
        }
        return try await self.bots.create(Self.changes(input), account: nil, app: app)
    }

    /// One of the app's bots.
    @Sendable func getBot(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootAgentBot {
        try await self.bots.get(try await self.ownedBot(context), account: nil)
    }

    /// Changes one of the app's bots.
    @Sendable func updateBot(_ request: Request, context: AuthenticatedContext, input: AgentBotInput) async throws -> ChatwootAgentBot {
        let id = try await self.ownedBot(context)
        if let account = input.accountId {
            _ = try await self.accounts.find(account)
            try await self.access.requirePermissible(app: try self.access.platformApp(context), .account, account)
        }
        return try await self.bots.update(id, account: nil, Self.changes(input))
    }

    /// Deletes one of the app's bots.
    @Sendable func deleteBot(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try await self.bots.delete(try await self.ownedBot(context), account: nil)
        return EmptyBody()
    }

    // MARK: Users

    /// Creates a user (or takes the one with that e-mail) that the app then reaches.
    @Sendable func createUser(_ request: Request, context: AuthenticatedContext, input: UserInput) async throws -> ChatwootPlatformUser {
        let id = try await self.users.create(input.changes, app: try self.access.platformApp(context))
        return try await self.users.platformUser(id)
    }

    /// One of the app's users, with their token.
    @Sendable func getUser(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootPlatformUser {
        try await self.users.platformUser(try await self.ownedUser(context))
    }

    /// Changes one of the app's users.
    @Sendable func updateUser(_ request: Request, context: AuthenticatedContext, input: UserInput) async throws -> ChatwootPlatformUser {
        let id = try await self.ownedUser(context)
        try await self.users.update(id, input.changes)
        return try await self.users.platformUser(id)
    }

    /// Deletes one of the app's users.
    @Sendable func deleteUser(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try await self.users.delete(try await self.ownedUser(context))
        return EmptyBody()
    }

    /// A sign-in link for one of the app's users.
    @Sendable func login(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootLoginLink {
        let id = try await self.ownedUser(context)
        let base = request.head.authority.map { "http://\($0)" } ?? ""
        return try await self.users.loginLink(id, base: base)
    }

    // MARK: Ownership

    /// The account the path names: unknown is a 404, another app's a 401 (Chatwoot's `validate_platform_app_permissible`).
    private func ownedAccount(_ context: AuthenticatedContext) async throws -> AccountSQLRepository.Row {
        let app = try self.access.platformApp(context)
        let account = try await self.accounts.find(try ChatwootAccess.id(context, "account_id"))
        try await self.access.requirePermissible(app: app, .account, account.id)
        return account
    }

    private func ownedBot(_ context: AuthenticatedContext) async throws -> Int {
        let app = try self.access.platformApp(context)
        let bot = try await self.bots.row(try ChatwootAccess.id(context, "id"), account: nil)
        try await self.access.requirePermissible(app: app, .agentBot, bot.id)
        return bot.id
    }

    private func ownedUser(_ context: AuthenticatedContext) async throws -> Int {
        let app = try self.access.platformApp(context)
        let user = try await self.users.find(try ChatwootAccess.id(context, "id"))
        try await self.access.requirePermissible(app: app, .user, user.id)
        return user.id
    }

    private static func changes(_ input: AgentBotInput) -> AgentBotSQLRepository.Changes {
        .init(
            name: input.name, description: input.description, outgoingUrl: input.outgoingUrl, avatarUrl: input.avatarUrl, botConfig: input.botConfig,
            accountID: input.accountId)
    }
}

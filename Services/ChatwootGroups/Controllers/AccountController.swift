import Hummingbird
import ServiceKit
import WireModels

extension ChatwootAccountDetail: ResponseEncodable {}

/// `/api/v1/accounts/{id}`, its agents and its agent bots: members read, administrators change.
struct AccountController {
    let access: ChatwootAccess
    let accounts: AccountSQLRepository
    let users: UserSQLRepository
    let bots: AgentBotSQLRepository

    /// `account_update_payload`.
    struct AccountInput: Codable, Sendable {
        var name: String?
        var locale: String?
        var domain: String?
        var supportEmail: String?
        var autoResolveAfter: Int?
        var autoResolveMessage: String?
        var autoResolveIgnoreWaiting: Bool?
        var industry: String?
        var companySize: String?
        var timezone: String?

        enum CodingKeys: String, CodingKey {
            case name, locale, domain, industry, timezone
            case supportEmail = "support_email"
            case autoResolveAfter = "auto_resolve_after"
            case autoResolveMessage = "auto_resolve_message"
            case autoResolveIgnoreWaiting = "auto_resolve_ignore_waiting"
            case companySize = "company_size"
        }
    }

    /// `agent_create_payload`; Chatwoot's own clients send `availability` (online, busy, offline).
    struct AgentInput: Codable, Sendable {
        var name: String?
        var email: String?
        var role: String?
        var availability: String?
        var availabilityStatus: String?
        var autoOffline: Bool?

        enum CodingKeys: String, CodingKey {
            case name, email, role, availability
            case availabilityStatus = "availability_status"
            case autoOffline = "auto_offline"
        }

        /// The stored availability: `availability`, or the swagger's `availability_status` (`available` is online).
        var chosenAvailability: String? {
            self.availability ?? self.availabilityStatus.map { $0 == "available" ? "online" : $0 }
        }
    }

    /// `agent_bot_create_update_payload`.
    struct AgentBotInput: Codable, Sendable {
        var name: String?
        var description: String?
        var outgoingUrl: String?
        var avatarUrl: String?
        var botType: Int?
        var botConfig: JSONValue?

        enum CodingKeys: String, CodingKey {
            case name, description
            case outgoingUrl = "outgoing_url"
            case avatarUrl = "avatar_url"
            case botType = "bot_type"
            case botConfig = "bot_config"
        }

        var changes: AgentBotSQLRepository.Changes {
            .init(
                name: self.name, description: self.description, outgoingUrl: self.outgoingUrl, avatarUrl: self.avatarUrl, botConfig: self.botConfig,
                accountID: nil)
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Account")
            .get("/{account_id}", "Get account details", returns: ChatwootAccountDetail.self, use: self.get)
            .patch("/{account_id}", "Update account", body: AccountInput.self, returns: ChatwootAccountDetail.self, use: self.update)
        accounts.tagged("Agents")
            .get("/{account_id}/agents", "List Agents in Account", returns: [ChatwootAgent].self, use: self.listAgents)
            .post("/{account_id}/agents", "Add a New Agent", body: AgentInput.self, returns: ChatwootAgent.self, use: self.createAgent)
            .patch("/{account_id}/agents/{id}", "Update Agent in Account", body: AgentInput.self, returns: ChatwootAgent.self, use: self.updateAgent)
            .delete("/{account_id}/agents/{id}", "Remove an Agent from Account", returns: EmptyBody.self, use: self.deleteAgent)
        accounts.tagged("Account AgentBots")
            .get("/{account_id}/agent_bots", "List all AgentBots", returns: [ChatwootAgentBot].self, use: self.listBots)
            .post("/{account_id}/agent_bots", "Create an Agent Bot", body: AgentBotInput.self, returns: ChatwootAgentBot.self, use: self.createBot)
            .get("/{account_id}/agent_bots/{id}", "Get an agent bot details", returns: ChatwootAgentBot.self, use: self.getBot)
            .patch(
                "/{account_id}/agent_bots/{id}", "Update an agent bot", body: AgentBotInput.self, returns: ChatwootAgentBot.self, use: self.updateBot
            )
            .delete("/{account_id}/agent_bots/{id}", "Delete an AgentBot", returns: EmptyBody.self, use: self.deleteBot)
    }

    // MARK: Account

    /// The account, for any member.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootAccountDetail {
        let caller = try await self.access.member(context)
        var detail = self.accounts.detail(try await self.accounts.find(caller.accountID))
        detail.latestChatwootVersion = "4.0.0"
        detail.subscribedFeatures = []
        return detail
    }

    /// Changes the account (administrators); auto-resolve settings within Chatwoot's bounds.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AccountInput) async throws -> ChatwootAccountDetail {
        let caller = try await self.access.administrator(context)
        if let minutes = input.autoResolveAfter, !(10...1_439_856).contains(minutes) {
            throw ServiceError(.unprocessableContent, message: "Auto resolve after must be between 10 and 1439856", field: "auto_resolve_after")
        }
        var settings: [String: JSONValue] = [:]
        if let minutes = input.autoResolveAfter { settings["auto_resolve_after"] = .number(Double(minutes)) }
        if let message = input.autoResolveMessage { settings["auto_resolve_message"] = .string(message) }
        if let ignore = input.autoResolveIgnoreWaiting { settings["auto_resolve_ignore_waiting"] = .bool(ignore) }
        var attributes: [String: JSONValue] = [:]
        if let industry = input.industry { attributes["industry"] = .string(industry) }
        if let size = input.companySize { attributes["company_size"] = .string(size) }
        if let timezone = input.timezone { attributes["timezone"] = .string(timezone) }
        let changes = AccountSQLRepository.Changes(
            name: input.name, locale: input.locale, domain: input.domain, supportEmail: input.supportEmail,
            customAttributes: attributes.isEmpty ? nil : .object(attributes), settings: settings.isEmpty ? nil : .object(settings))
        return self.accounts.detail(try await self.accounts.update(caller.accountID, changes))
    }

    // MARK: Agents

    /// The account's agents, for any member.
    @Sendable func listAgents(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootAgent] {
        let caller = try await self.access.member(context)
        return try await self.users.agents(account: caller.accountID)
    }

    /// Adds an agent (administrators): the user with that e-mail, or a new one.
    @Sendable func createAgent(_ request: Request, context: AuthenticatedContext, input: AgentInput) async throws -> ChatwootAgent {
        let caller = try await self.access.administrator(context)
        guard let name = input.name else { throw ChatwootRows.blank("name") }
        guard let email = input.email else { throw ChatwootRows.blank("email") }
        guard let role = input.role else { throw ChatwootRows.blank("role") }
        return try await self.users.addAgent(
            account: caller.accountID, name: name, email: email, role: role, availability: input.chosenAvailability, autoOffline: input.autoOffline,
            inviter: caller.userID)
    }

    /// Changes an agent's role, availability or auto-offline (administrators).
    @Sendable func updateAgent(_ request: Request, context: AuthenticatedContext, input: AgentInput) async throws -> ChatwootAgent {
        let caller = try await self.access.administrator(context)
        return try await self.users.updateAgent(
            account: caller.accountID, user: try ChatwootAccess.id(context, "id"), role: input.role, availability: input.chosenAvailability,
            autoOffline: input.autoOffline)
    }

    /// Removes an agent from the account (administrators).
    @Sendable func deleteAgent(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.administrator(context)
        try await self.users.removeAgent(account: caller.accountID, user: try ChatwootAccess.id(context, "id"))
        return EmptyBody()
    }

    // MARK: Agent bots

    /// The account's bots and the global ones (whose tokens it does not see), for any member.
    @Sendable func listBots(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootAgentBot] {
        let caller = try await self.access.member(context)
        let own = try await self.bots.list(account: caller.accountID)
        let global = try await self.bots.globalBots().map(Self.withoutToken)
        return own + global
    }

    /// Creates an account bot (administrators).
    @Sendable func createBot(_ request: Request, context: AuthenticatedContext, input: AgentBotInput) async throws -> ChatwootAgentBot {
        let caller = try await self.access.administrator(context)
        return try await self.bots.create(input.changes, account: caller.accountID, app: nil)
    }

    /// One of the account's bots, or a global one (without its token).
    @Sendable func getBot(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootAgentBot {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        let row = try await self.bots.row(id, account: nil)
        guard row.accountId == nil || row.accountId == caller.accountID else { throw ChatwootRows.notFound }
        let bot = try await self.bots.get(id, account: nil)
        return row.accountId == nil ? Self.withoutToken(bot) : bot
    }

    /// Changes one of the account's bots (administrators; global bots are not the account's to change).
    @Sendable func updateBot(_ request: Request, context: AuthenticatedContext, input: AgentBotInput) async throws -> ChatwootAgentBot {
        let caller = try await self.access.administrator(context)
        return try await self.bots.update(try ChatwootAccess.id(context, "id"), account: caller.accountID, input.changes)
    }

    /// Deletes one of the account's bots (administrators).
    @Sendable func deleteBot(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.administrator(context)
        try await self.bots.delete(try ChatwootAccess.id(context, "id"), account: caller.accountID)
        return EmptyBody()
    }

    private static func withoutToken(_ bot: ChatwootAgentBot) -> ChatwootAgentBot {
        var bot = bot
        bot.accessToken = nil
        return bot
    }
}

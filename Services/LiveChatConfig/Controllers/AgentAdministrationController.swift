import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// `/admin/agents`: Switchboard's extension for managing agents (the seed only reads them): create, list,
/// update, disable, and set permissions, API key and password. Administrators only; agents stay in the
/// caller's site. Departments, status and limits are set through `PUT /agents/{id}`.
struct AgentAdministrationController {
    let agents: AgentCredentialSQLRepository
    let liveChatAgents: LiveChatAgentSQLRepository

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Agent administration (extension)", isExtension: true)
        api.post(
            "/admin/agents", "Create an agent with permissions, API key and password", body: NewAgent.self, returns: VerifiedAgent.self,
            errors: [400: "Invalid agent", 403: "Not an administrator", 409: "Email taken"], use: self.create
        )
        api.get("/admin/agents", "List the site's agents", returns: [AdministeredAgent].self, errors: [403: "Not an administrator"]) { _, context in
            try Self.requireAdministrator(context)
            return try await self.liveChatAgents.agents(siteId: context.identity.tenant).map(AdministeredAgent.init)
        }
        api.put(
            "/admin/agents/{id}", "Update or disable an agent; set its permissions, API key or password", body: AgentAdministrationChange.self,
            returns: AdministeredAgent.self, errors: [400: "Invalid change", 403: "Not an administrator", 404: "Not found"], use: self.update
        )
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, agent: NewAgent) async throws -> VerifiedAgent {
        try Self.requireAdministrator(context)
        try agent.validate()
        guard let created = try await self.agents.createAgent(agent, siteId: context.identity.tenant) else {
            throw ServiceError(.conflict, code: 409000, message: "Agent with email \(agent.email) already exists.")
        }
        return VerifiedAgent(created)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, change: AgentAdministrationChange) async throws -> AdministeredAgent {
        try Self.requireAdministrator(context)
        let id = try context.objectID("Agent")
        let siteId = context.identity.tenant
        guard try await self.liveChatAgents.agent(id: id, siteId: siteId) != nil else { throw ServiceError.notFound("Agent") }
        if let name = change.displayName, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ServiceError.missing("displayName") }
        try Validation.length(change.displayName, atMost: 200, "displayName")
        try Self.checkSecrets(apiKey: change.apiKey, password: change.password)
        if String(id) == context.identity.principalID, change.isActive == false || change.isAdministrator == false {
            throw ServiceError.invalid("isActive", "An administrator cannot disable or demote themself.")
        }
        return try await self.liveChatAgents.database.write(site: siteId) { _ in
            try await self.liveChatAgents.updateAdministration(change, id: id, siteId: siteId)
            guard let agent = try await self.liveChatAgents.agent(id: id, siteId: siteId) else { throw ServiceError.notFound("Agent") }
            return AdministeredAgent(agent)
        }
    }

    static func requireAdministrator(_ context: AuthenticatedContext) throws {
        guard context.identity.isAdministrator else { throw ServiceError.forbidden("Only an administrator may manage agents.") }
    }

    /// Secrets long enough to resist guessing.
    static func checkSecrets(apiKey: String?, password: String?) throws {
        if let apiKey, apiKey.count < 16 { throw ServiceError.invalid("apiKey", "Parameter 'apiKey' must be at least 16 characters.") }
        if let password, password.count < 8 { throw ServiceError.invalid("password", "Parameter 'password' must be at least 8 characters.") }
    }
}

/// An agent as the administration extension lists it (never its secrets).
struct AdministeredAgent: Codable, ResponseEncodable, Sendable {
    var id: Int
    var email: String
    var displayName: String
    var isActive: Bool
    var status: String
    var departments: [Int]

    init(_ agent: LiveChatAgentRecord) {
        self.id = agent.id
        self.email = agent.email
        self.displayName = agent.displayName
        self.isActive = agent.isActive
        self.status = agent.status
        self.departments = agent.departments
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/admin/agents`: Switchboard's extension for managing agents (the seed only reads them): create, list,
/// update, disable, and set permissions, API key and password. Administrators only; agents stay in the
/// caller's site. Departments, status and limits are set through `PUT /agents/{id}`.
struct AgentAdministrationController {
    let agents: any AgentCredentialRepository
    let liveChatAgents: any LiveChatAgentRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.post("/admin/agents", use: self.create)
        group.get("/admin/agents", use: self.list)
        group.put("/admin/agents/:id", use: self.update)
        let tag = "Agent administration (extension)"
        let security = ["basicAuth", "bearerAuth"]
        document.describe(
            .post, "/api/v1/livechat/admin/agents",
            .init("Create an agent with permissions, API key and password", tag: tag, security: security, isExtension: true, responses: [200: "The agent", 400: "Invalid agent", 403: "Not an administrator", 409: "Email taken"])
        )
        document.describe(.get, "/api/v1/livechat/admin/agents", .init("List the site's agents", tag: tag, security: security, isExtension: true, responses: [200: "AdministeredAgent[]", 403: "Not an administrator"]))
        document.describe(
            .put, "/api/v1/livechat/admin/agents/{id}",
            .init("Update or disable an agent; set its permissions, API key or password", tag: tag, security: security, isExtension: true, responses: [200: "The agent", 400: "Invalid change", 403: "Not an administrator", 404: "Not found"])
        )
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> VerifiedAgent {
        try Self.requireAdministrator(context)
        let agent = try await request.decode(as: NewAgent.self, context: context)
        guard Validation.isEmail(agent.email), agent.email.count <= 320 else { throw ServiceError.invalid("email", "Parameter 'email' must be an email address.") }
        guard !agent.displayName.isEmpty else { throw ServiceError.missing("displayName") }
        try Validation.length(agent.displayName, atMost: 200, "displayName")
        guard agent.apiKey != nil || agent.password != nil else { throw ServiceError.missing("apiKey") }
        try Self.checkSecrets(apiKey: agent.apiKey, password: agent.password)
        guard let created = try await self.agents.createAgent(agent, siteId: context.identity.tenant) else {
            throw ServiceError(.conflict, code: 409000, message: "Agent with email \(agent.email) already exists.")
        }
        return VerifiedAgent(created)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [AdministeredAgent] {
        try Self.requireAdministrator(context)
        return try await self.liveChatAgents.agents(siteId: context.identity.tenant).map(AdministeredAgent.init)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> AdministeredAgent {
        try Self.requireAdministrator(context)
        let id = try context.objectID("Agent")
        let siteId = context.identity.tenant
        guard try await self.liveChatAgents.agent(id: id, siteId: siteId) != nil else { throw ServiceError.notFound("Agent") }
        let change = try await request.decode(as: AgentAdministrationChange.self, context: context)
        if let name = change.displayName, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ServiceError.missing("displayName") }
        try Validation.length(change.displayName, atMost: 200, "displayName")
        try Self.checkSecrets(apiKey: change.apiKey, password: change.password)
        if String(id) == context.identity.principalID, change.isActive == false || change.isAdministrator == false {
            throw ServiceError.invalid("isActive", "An administrator cannot disable or demote themself.")
        }
        try await self.liveChatAgents.updateAdministration(change, id: id, siteId: siteId)
        guard let agent = try await self.liveChatAgents.agent(id: id, siteId: siteId) else { throw ServiceError.notFound("Agent") }
        return AdministeredAgent(agent)
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
struct AdministeredAgent: ResponseEncodable, Sendable {
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

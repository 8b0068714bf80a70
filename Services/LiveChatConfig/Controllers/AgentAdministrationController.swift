import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `POST /api/v1/livechat/admin/agents`: Switchboard's extension for creating agents with their permissions and
/// credentials (the seed only reads agents). Administrators only; the agent joins the caller's site.
struct AgentAdministrationController {
    let agents: any AgentCredentialRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.post("/admin/agents", use: self.create)
        document.describe(
            .post, "/api/v1/livechat/admin/agents",
            .init("Create an agent with permissions, API key and password", tag: "Agent administration (extension)", security: ["basicAuth", "bearerAuth"], isExtension: true, responses: [200: "The agent", 400: "Invalid agent", 403: "Not an administrator", 409: "Email taken"])
        )
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> VerifiedAgent {
        guard context.identity.isAdministrator else { throw ServiceError.forbidden("Only an administrator may create agents.") }
        let agent = try await request.decode(as: NewAgent.self, context: context)
        guard agent.email.contains("@"), agent.email.count <= 320 else { throw ServiceError.invalid("email", "Parameter 'email' must be an email address.") }
        guard !agent.displayName.isEmpty else { throw ServiceError.missing("displayName") }
        guard agent.apiKey != nil || agent.password != nil else { throw ServiceError.missing("apiKey") }
        guard let created = try await self.agents.createAgent(agent, siteId: context.identity.tenant) else {
            throw ServiceError(.conflict, code: 409000, message: "Agent with email \(agent.email) already exists.")
        }
        return VerifiedAgent(created)
    }
}

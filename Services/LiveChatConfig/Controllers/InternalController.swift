import Hummingbird
import ServiceKit
import WireModels

extension CredentialVerificationRequest: ResponseEncodable {}
extension VerifiedAgent: ResponseEncodable {}
extension DirectoryAgent: ResponseEncodable {}

/// `/internal/...` (internal token): what other Comm100 services and whoever operates the deployment ask of this one.
struct InternalController {
    let verifier: any CredentialVerifier
    let credentials: AgentCredentialSQLRepository
    let agents: LiveChatAgentSQLRepository
    let store: ConfigurationSQLRepository

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.post(
            "/auth/verify", "Verify a Comm100 credential for another service", body: CredentialVerificationRequest.self, returns: VerifiedAgent.self,
            errors: [404: "Not a valid credential"], use: self.verify
        )
        api.post(
            "/sites", "Create a site with its administrator", body: NewSite.self, returns: VerifiedAgent.self,
            errors: [400: "Invalid site", 409: "Site id taken"], use: self.createSite
        )
        api.get("/sites/{siteId}/agents", "A site's agents, for another service", returns: [DirectoryAgent].self, use: self.siteAgents)
        api.get(
            "/sites/{siteId}/departments", "A site's departments with their members, for another service", returns: [LiveChatDepartment].self,
            use: self.siteDepartments)
    }

    /// `POST /internal/auth/verify`: the agent a credential belongs to, or 404, for other Comm100 services verifying their
    /// callers' credentials.
    @Sendable func verify(_ request: Request, context: AppRequestContext, body: CredentialVerificationRequest) async throws -> VerifiedAgent {
        let credential: PresentedCredential
        switch body.scheme {
        case "basic": credential = .basic(username: body.email ?? "", password: body.secret)
        case "bearer": credential = .bearer(body.secret)
        default: throw ServiceError.invalid("scheme", "scheme must be basic or bearer.")
        }
        guard let identity = try await self.verifier.verify(credential, scope: body.siteId) else {
            throw ServiceError.notFound("Credential")
        }
        return VerifiedAgent(identity)
    }

    struct NewSite: Decodable {
        var id: String
        var name: String
        var administrator: NewAgent
    }

    /// `POST /internal/sites`: creates a site (tenant) with its first administrator, for whoever operates the
    /// deployment. The public API has no way to create sites, as Comm100's has none.
    @Sendable func createSite(_ request: Request, context: AppRequestContext, site: NewSite) async throws -> VerifiedAgent {
        guard !site.id.isEmpty, site.id.count <= 32, site.id.allSatisfy(\.isNumber) else {
            throw ServiceError.invalid("id", "Parameter 'id' must be a site number.")
        }
        try Validation.length(site.name, atMost: 200, "name")
        try site.administrator.validate("administrator.")
        guard let administrator = try await self.credentials.createSite(id: site.id, name: site.name, administrator: site.administrator) else {
            throw ServiceError(.conflict, code: 409000, message: "Site \(site.id) already exists.")
        }
        return VerifiedAgent(administrator)
    }

    /// `GET /internal/sites/{siteId}/agents` and `/departments`: the site's agents and departments as the Live Chat API
    /// shows them, for conversation's `include=` and its routing and allocation (ARCHITECTURE §3).
    @Sendable func siteAgents(_ request: Request, context: AppRequestContext) async throws -> [DirectoryAgent] {
        try await self.agents.agents(siteId: try Self.siteId(context)).map(\.directory)
    }

    @Sendable func siteDepartments(_ request: Request, context: AppRequestContext) async throws -> [LiveChatDepartment] {
        let siteId = try Self.siteId(context)
        var departments: [LiveChatDepartment] = []
        for var department in try await self.store.items(LiveChatDepartment.self, in: ConfigurationScope(siteId: siteId, kind: DepartmentRules.kind))
        {
            department.agents = try await self.agents.members(departmentId: department.id ?? 0, siteId: siteId)
            departments.append(department)
        }
        return departments
    }

    /// Site ids are numbers; anything else names no site.
    static func siteId(_ context: AppRequestContext) throws -> String {
        let siteId = try context.parameters.require("siteId")
        guard Int(siteId) != nil else { throw ServiceError.invalid("siteId", "Parameter 'siteId' must be a number.") }
        return siteId
    }
}

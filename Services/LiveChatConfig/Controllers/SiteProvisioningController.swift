import Hummingbird
import ServiceKit
import WireModels

/// `POST /internal/sites`: creates a site (tenant) with its first administrator, for whoever operates the
/// deployment (internal token). The public API has no way to create sites, as Comm100's has none.
struct SiteProvisioningController {
    let agents: AgentCredentialSQLRepository

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.post(
            "/sites", "Create a site with its administrator", body: NewSite.self, returns: VerifiedAgent.self,
            errors: [400: "Invalid site", 409: "Site id taken"],
            use: self.create
        )
    }

    struct NewSite: Decodable {
        var id: String
        var name: String
        var administrator: NewAgent
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, site: NewSite) async throws -> VerifiedAgent {
        guard !site.id.isEmpty, site.id.count <= 32, site.id.allSatisfy(\.isNumber) else {
            throw ServiceError.invalid("id", "Parameter 'id' must be a site number.")
        }
        try Validation.length(site.name, atMost: 200, "name")
        try site.administrator.validate("administrator.")
        guard let administrator = try await self.agents.createSite(id: site.id, name: site.name, administrator: site.administrator) else {
            throw ServiceError(.conflict, code: 409000, message: "Site \(site.id) already exists.")
        }
        return VerifiedAgent(administrator)
    }
}

import Hummingbird
import ServiceKit
import WireModels

/// `GET /internal/sites/{siteId}/agents` and `/departments`: the site's agents and departments as the Live
/// Chat API shows them, for conversation's `include=` and its routing and allocation (ARCHITECTURE §3).
struct InternalDirectoryController {
    let agents: LiveChatAgentSQLRepository
    let store: ConfigurationSQLRepository

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        api.get("/sites/{siteId}/agents", "A site's agents, for another service", returns: [LiveChatAgent].self, use: self.siteAgents)
        api.get(
            "/sites/{siteId}/departments", "A site's departments with their members, for another service", returns: [LiveChatDepartment].self,
            use: self.siteDepartments)
    }

    @Sendable func siteAgents(_ request: Request, context: AppRequestContext) async throws -> [LiveChatAgent] {
        try await self.agents.agents(siteId: try Self.siteId(context)).map(\.wire)
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

import Hummingbird
import ServiceKit
import WireModels

extension LiveChatAgent: ResponseEncodable {}

/// `/agents/{id}`: an agent's live chat state and allocation settings. Agents read and change their own;
/// anybody else's needs `Manage Settings` (the seed names no permission; spec note §2.2).
struct AgentController {
    let agents: LiveChatAgentSQLRepository
    let store: ConfigurationSQLRepository
    let statuses: CustomAwayStatusSQLRepository
    let configs: SettingReader<SiteConfigRules>
    static let permission = "Manage Settings"

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Agents")
        let errors: [Int: String] = [403: "Missing permission Manage Settings", 404: "Not found"]
        api.get("/agents/{id}", "Get an agent's live chat settings", returns: LiveChatAgent.self, errors: errors) { _, context in
            try await self.agent(context).wire
        }
        api.put(
            "/agents/{id}", "Update an agent's status, maximum chats, allocation and departments", body: AgentAdministrationChange.self,
            returns: LiveChatAgent.self,
            errors: errors.merging([400: "Invalid agent"]) { own, _ in own }, use: self.update
        )
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, change: AgentAdministrationChange) async throws -> LiveChatAgent {
        let siteId = context.identity.tenant
        return try await self.agents.database.write(site: siteId) { _ in
            var agent = try await self.agent(context)
            if let status = change.status { agent.status = try await self.checkedStatus(status, site: context.site) }
            if let maximum = change.maxChatsCount {
                try Validation.atLeast(maximum, 0, "maxChatsCount")
                agent.maxChatsCount = maximum
            }
            agent.isAcceptAllocation = change.isAcceptAllocation ?? agent.isAcceptAllocation
            if let departments = change.departments {
                for department in departments
                where try await !self.store.contains(id: department, in: ConfigurationScope(siteId: siteId, kind: DepartmentRules.kind)) {
                    throw Validation.invalid("departments", "Department \(department) does not exist.")
                }
                agent.departments = Array(Set(departments)).sorted()
            }
            try await self.agents.update(agent, siteId: siteId)
            return try await self.agents.agent(id: agent.id, siteId: siteId)?.wire ?? agent.wire
        }
    }

    /// `online`, `away`, `offline`, or a visible custom away status while the site has them switched on.
    func checkedStatus(_ status: String, site: Site) async throws -> String {
        if CustomAwayStatusController.builtIn.contains(status.lowercased()) { return status.lowercased() }
        guard try await self.configs.config(site: site).isEnableCustomAwayStatus == true else {
            throw ServiceError.invalid("status", "Parameter 'status' must be online, away or offline: custom away statuses are switched off.")
        }
        guard
            let custom = try await self.statuses.statuses(siteId: site.id).first(where: {
                $0.name.lowercased() == status.lowercased() && $0.isVisible != false
            })
        else {
            throw ServiceError.invalid("status", "Parameter 'status' must be online, away, offline or a visible custom away status.")
        }
        return custom.name
    }

    /// The agent the path names, in the caller's site; another agent needs the permission.
    func agent(_ context: AuthenticatedContext) async throws -> LiveChatAgentRecord {
        let id = try context.objectID("Agent")
        if String(id) != context.identity.principalID { try context.require(permission: Self.permission) }
        guard let agent = try await self.agents.agent(id: id, siteId: context.identity.tenant) else { throw ServiceError.notFound("Agent") }
        return agent
    }
}

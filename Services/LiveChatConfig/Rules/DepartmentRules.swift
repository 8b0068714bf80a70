import HTTPTypes
import ServiceKit
import WireModels

extension LiveChatDepartment: LiveChatObject {}

/// `/departments` (permission `Manage Settings`): names unique per site; `agents` is the same membership
/// as each agent's `departments`; a department routing still points at cannot be deleted.
struct DepartmentRules: ItemRules, UniquelyNamed {
    static let kind = "department"
    let title = "Department"
    let permission: String? = "Manage Settings"
    let store: ConfigurationSQLRepository
    let agents: LiveChatAgentSQLRepository

    func validated(_ item: LiveChatDepartment, previous: LiveChatDepartment?, in request: ConfigurationRequest) async throws -> LiveChatDepartment {
        var department = item
        department.name = try Validation.name(department.name)
        department.description = department.description ?? ""
        department.groups = department.groups ?? []
        department.allocationRule = department.allocationRule ?? .loadBalancing
        department.isLastChattedPreferred = department.isLastChattedPreferred ?? false
        department.backupDepartmentId = department.backupDepartmentId ?? 0
        department.offlineMessageTo = department.offlineMessageTo ?? .allAgents
        department.emailAddresses = department.emailAddresses ?? ""
        if department.offlineMessageTo == .emailAddresses { try Validation.emailList(department.emailAddresses ?? "", "emailAddresses") }
        if let backup = department.backupDepartmentId, backup != 0 {
            guard backup != department.id else { throw Validation.invalid("backupDepartmentId", "A department cannot be its own backup.") }
            guard try await self.store.contains(id: backup, in: request.scope(Self.kind)) else {
                throw Validation.invalid("backupDepartmentId", "Department \(backup) does not exist.")
            }
        }
        if let members = department.agents {
            let known = Set(try await self.agents.agents(siteId: request.siteId).map(\.id))
            if let unknown = members.first(where: { !known.contains($0) }) { throw Validation.invalid("agents", "Agent \(unknown) does not exist.") }
        }
        return department
    }

    /// Membership is stored once, in `department_agents`; the document keeps no copy.
    func didSave(_ item: LiveChatDepartment, in request: ConfigurationRequest) async throws {
        if let members = item.agents { try await self.agents.setMembers(members, departmentId: item.id ?? 0, siteId: request.siteId) }
    }

    func presented(_ item: LiveChatDepartment, in request: ConfigurationRequest) async throws -> LiveChatDepartment {
        var department = item
        department.agents = try await self.agents.members(departmentId: item.id ?? 0, siteId: request.siteId)
        return department
    }

    func willDelete(_ item: LiveChatDepartment, in request: ConfigurationRequest) async throws {
        let id = item.id ?? 0
        for campaign in try await self.store.campaignIDs(siteId: request.siteId) {
            let scope = ConfigurationRequest(site: request.site, campaignId: campaign)
            if let routing = try await self.store.setting(LiveChatRoutingRule.self, in: scope.scope(RoutingRules.kind)),
                (routing.simpleRouteToObject == .department && routing.simpleRouteToId == id)
                    || (routing.fail?.routeTobject == .department && routing.fail?.routeToId == id)
            {
                throw ServiceError(.conflict, message: "Department \(id) is a routing target of campaign \(campaign); change the routing first.")
            }
            for rule in try await CustomRuleRules.ordered(in: scope, store: self.store)
            where rule.routeToObject == .department && rule.routeToId == id {
                throw ServiceError(
                    .conflict,
                    message: "Department \(id) is the target of custom rule \(rule.id ?? 0) of campaign \(campaign); change the rule first.")
            }
        }
        try await self.agents.setMembers([], departmentId: id, siteId: request.siteId)
        // Other departments falling back on this one fall back on none.
        for var other in try await self.store.items(LiveChatDepartment.self, in: request.scope(Self.kind))
        where other.id != id && other.backupDepartmentId == id {
            other.backupDepartmentId = 0
            _ = try await self.store.update(other, nameKey: other.name?.lowercased(), in: request.scope(Self.kind))
        }
    }
}

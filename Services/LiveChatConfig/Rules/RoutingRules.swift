import ServiceKit
import WireModels

/// `/campaigns/{id}/routingRules`: simple or rule-based routing with a fail branch. `rules` is read-only here;
/// custom rules are managed under `/routingRules/customRules`.
struct RoutingRules: CampaignSettingRules {
    static let kind = "routingRules"
    let title = "Routing rule"
    let store: ConfigurationSQLRepository
    let targets: RouteTargets

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatRoutingRule {
        Self.pinned(
            """
            {"isEnable": false, "type": "simple", "simpleRouteToObject": "department", "simpleRouteToId": 0, "simpleRoutePriority": "normal",
             "failType": "route", "fail": {"routeTobject": "department", "routeToId": 0, "routePriority": "normal", "offlineMessageEmails": ""}}
            """)
    }

    /// `fail.routeToObject` is read as the seed's `fail.routeTobject`.
    func normalized(_ body: JSONValue) -> JSONValue {
        body.renaming("routeToObject", to: "routeTobject", at: ["fail"]).removing("rules")
    }

    func validated(_ setting: LiveChatRoutingRule, in request: ConfigurationRequest) async throws -> LiveChatRoutingRule {
        var routing = setting
        routing.rules = nil
        let enabled = try Validation.required(routing.isEnable, "isEnable")
        if enabled, routing.type == .simple, (routing.simpleRouteToId ?? 0) == 0 {
            throw ServiceError.invalid("simpleRouteToId", "Parameter 'simpleRouteToId' is required when simple routing is on.")
        }
        try await self.targets.check(routing.simpleRouteToObject, routing.simpleRouteToId, field: "simpleRouteToId", in: request)
        if routing.failType == .offlineMessage {
            try Validation.emailList(
                try Validation.required(routing.fail?.offlineMessageEmails, "fail.offlineMessageEmails"), "fail.offlineMessageEmails")
        }
        try await self.targets.check(routing.fail?.routeTobject, routing.fail?.routeToId, field: "fail.routeToId", in: request)
        return routing
    }

    func presented(_ setting: LiveChatRoutingRule, in request: ConfigurationRequest) async throws -> LiveChatRoutingRule {
        var routing = setting
        routing.rules = try await CustomRuleRules.ordered(in: request, store: self.store)
        return routing
    }
}

/// Checks a routing target: departments only while the site has them switched on, and the department or
/// agent must exist in the site. Id 0 means none.
struct RouteTargets: Sendable {
    let store: ConfigurationSQLRepository
    let agents: LiveChatAgentSQLRepository
    let configs: SettingReader<SiteConfigRules>

    func check(_ object: LiveChatRouteTarget?, _ id: Int?, field: String, in request: ConfigurationRequest) async throws {
        // No target (id 0, the pinned defaults') routes nowhere, so the department switch does not matter (LC-2).
        guard let id, id != 0 else { return }
        if object ?? .department == .department, try await self.configs.config(site: request.site).isEnableDepartment != true {
            throw Validation.invalid(field, "Routing to a department needs departments switched on (configs.isEnableDepartment).")
        }
        switch object ?? .department {
        case .department:
            guard try await self.store.contains(id: id, in: request.siteScope(DepartmentRules.kind)) else {
                throw Validation.invalid(field, "Department \(id) does not exist.")
            }
        case .agent:
            guard try await self.agents.agent(id: id, siteId: request.siteId) != nil else {
                throw Validation.invalid(field, "Agent \(id) does not exist.")
            }
        }
    }
}

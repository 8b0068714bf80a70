import ServiceKit
import WireModels

/// `/campaigns/{id}/routingRules`: simple or rule-based routing with a fail branch. `rules` is read-only here;
/// custom rules are managed under `/routingRules/customRules`.
struct RoutingRuleRules: CampaignSettingRules {
    static let kind = "routingRules"
    var kind: String { Self.kind }
    let title = "Routing rule"
    let store: any ConfigurationRepository
    let targets: RouteTargets

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatRoutingRule {
        Self.pinned("""
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
            try Validation.emailList(try Validation.required(routing.fail?.offlineMessageEmails, "fail.offlineMessageEmails"), "fail.offlineMessageEmails")
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
    let store: any ConfigurationRepository
    let agents: any LiveChatAgentRepository
    let configs: SettingReader<SiteConfigRules>

    func check(_ object: LiveChatRouteTarget?, _ id: Int?, field: String, in request: ConfigurationRequest) async throws {
        if object == .department, try await self.configs.config(siteId: request.siteId, identity: request.identity).isEnableDepartment != true {
            throw Validation.invalid(field, "Routing to a department needs departments switched on (configs.isEnableDepartment).")
        }
        guard let id, id != 0 else { return }
        switch object ?? .department {
        case .department:
            guard try await self.store.item(id: id, in: ConfigurationScope(siteId: request.siteId, kind: DepartmentRules.kind)) != nil else {
                throw Validation.invalid(field, "Department \(id) does not exist.")
            }
        case .agent:
            guard try await self.agents.agent(id: id, siteId: request.siteId) != nil else { throw Validation.invalid(field, "Agent \(id) does not exist.") }
        }
    }
}

extension LiveChatCustomRule: LiveChatObject {}

/// `/campaigns/{id}/routingRules/customRules`: the rules of rule-based routing, tried by `order` then id.
struct CustomRuleRules: ItemRules {
    static let kind = "customRule"
    var kind: String { Self.kind }
    let title = "Custom rule"
    let permission: String? = "Manage Campaigns"
    let store: any ConfigurationRepository
    let targets: RouteTargets

    func validated(_ item: LiveChatCustomRule, previous: LiveChatCustomRule?, in request: ConfigurationRequest) async throws -> LiveChatCustomRule {
        var rule = item
        rule.name = try Validation.name(rule.name)
        _ = try Validation.required(rule.isEnable, "isEnable")
        _ = try Validation.required(rule.routeToObject, "routeToObject")
        let target = try Validation.required(rule.routeToId, "routeToId")
        guard target != 0 else { throw ServiceError.invalid("routeToId", "Parameter 'routeToId' must name a department or an agent.") }
        try await self.targets.check(rule.routeToObject, target, field: "routeToId", in: request)
        rule.routePriority = rule.routePriority ?? .normal
        _ = try VisitorConditions.compiled(rule.conditions)
        rule.conditions = VisitorConditions.normalized(rule.conditions)
        if rule.order == nil {
            // Appended after the last rule.
            rule.order = (try await Self.ordered(in: request, store: self.store).compactMap(\.order).max() ?? 0) + 1
        }
        return rule
    }

    /// The campaign's rules in the order routing tries them.
    static func ordered(in request: ConfigurationRequest, store: any ConfigurationRepository) async throws -> [LiveChatCustomRule] {
        try await store.items(in: request.scope(Self.kind), visibleTo: nil).map { try $0.object(as: LiveChatCustomRule.self) }.sorted { ($0.order ?? 0, $0.id ?? 0) < ($1.order ?? 0, $1.id ?? 0) }
    }
}

extension LiveChatAutoInvitation: LiveChatObject {}

/// `/campaigns/{id}/invitation/autoInvitations`: invitations shown when their conditions match.
struct AutoInvitationRules: ItemRules {
    static let kind = "autoInvitation"
    var kind: String { Self.kind }
    let title = "Auto invitation"
    let permission: String? = "Manage Campaigns"

    func validated(_ item: LiveChatAutoInvitation, previous: LiveChatAutoInvitation?, in request: ConfigurationRequest) async throws -> LiveChatAutoInvitation {
        var invitation = item
        invitation.name = try Validation.name(invitation.name)
        invitation.isEnable = invitation.isEnable ?? true
        invitation.isPopupOnlyOneTime = invitation.isPopupOnlyOneTime ?? false
        invitation.invitationWindow = invitation.invitationWindow ?? ManualInvitationRules.defaultWindow
        _ = try VisitorConditions.compiled(invitation.conditions)
        invitation.conditions = VisitorConditions.normalized(invitation.conditions)
        return invitation
    }
}

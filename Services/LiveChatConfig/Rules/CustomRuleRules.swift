import ServiceKit
import WireModels

extension LiveChatCustomRule: LiveChatObject {}

/// `/campaigns/{id}/routingRules/customRules`: the rules of rule-based routing, tried by `order` then id.
struct CustomRuleRules: ItemRules {
    static let kind = "customRule"
    let title = "Custom rule"
    let permission: String? = "Manage Campaigns"
    let store: ConfigurationSQLRepository
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
    static func ordered(in request: ConfigurationRequest, store: ConfigurationSQLRepository) async throws -> [LiveChatCustomRule] {
        try await store.items(LiveChatCustomRule.self, in: request.scope(Self.kind)).sorted {
            ($0.order ?? 0, $0.id ?? 0) < ($1.order ?? 0, $1.id ?? 0)
        }
    }
}

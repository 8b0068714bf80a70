import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeRouting: ResponseEncodable {}
extension AnytimeRoutingRule: ResponseEncodable {}

/// `/api/v3/anytime/routing` (seed 000 L800–L903; spec §3.9, §5.14, §5.24, §6 R1–R9; decisions 264–266): the site's
/// routing, a singleton, and its custom rules in `orderNum` order. Targets must exist in livechat-config's directory as
/// the kind stated (checked before the write; livechat-config down is a 503 naming it).
struct RoutingController {
    let store: ConversationStore

    /// Longest rule name.
    static let maxName = 256

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Routing")
        let errors = [400: "Invalid routing", 404: "Not found", 503: "livechat-config unavailable"]
        api.get("/routing", "The site's routing with its custom rules by orderNum", returns: AnytimeRouting.self, errors: errors) { _, context in
            let site = context.site
            return try await self.store.read { tx in try await Self.routing(site: site, tx: tx) }
        }
        api.put(
            "/routing/enable", "Turn routing on or off", body: AnytimeIsEnabledInput.self, returns: EmptyBody.self, status: .noContent,
            errors: errors, use: self.enable)
        api.put(
            "/routing/{id}", "Update routing (the singleton: any id; members left out keep their value; custom rules change on their own)",
            body: AnytimeRoutingInput.self, returns: AnytimeRouting.self, errors: errors, use: self.update)
        // The same without the id the singleton does not have (spec §6 R1).
        api.tagged("Routing", isExtension: true).put(
            "/routing", "Update routing (as PUT /routing/{id})", body: AnytimeRoutingInput.self, returns: AnytimeRouting.self, errors: errors,
            use: self.update)
        api.put(
            "/routing/customRules/{id}/enable", "Turn a custom rule on or off", body: AnytimeIsEnabledInput.self, returns: AnytimeRoutingRule.self,
            errors: errors, use: self.enableRule)
        api.post(
            "/routing/customRules", "Create a custom rule (last in order)", body: AnytimeRoutingRuleInput.self, returns: AnytimeRoutingRule.self,
            status: .created, errors: errors, use: self.createRule)
        api.get("/routing/customRules/{id}", "Get a custom rule", returns: AnytimeRoutingRule.self, errors: errors) { _, context in
            let (site, id) = (context.site, try context.parameters.require("id"))
            return try await self.store.read { tx in
                let row = try await Self.rule(id, site: site, tx: tx)
                return row.wire(conditions: try await tx.routing.conditions(of: [row.id])[row.id] ?? [])
            }
        }
        api.put(
            "/routing/customRules/{id}", "Update a custom rule (members left out keep their value; conditions given replace the stored ones)",
            body: AnytimeRoutingRuleInput.self, returns: AnytimeRoutingRule.self, errors: errors, use: self.updateRule)
        api.delete(
            "/routing/customRules/{id}", "Delete a custom rule; the rest are numbered 1, 2, … again", returns: EmptyBody.self, status: .noContent,
            errors: errors, use: self.deleteRule)
        api.put(
            "/routing/customRules/{id}/sort", "Move a custom rule up or down one place", body: AnytimeSLASortInput.self, returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.sortRule)
    }

    // MARK: Checks

    static func routing(site: String, tx: Tx) async throws -> AnytimeRouting {
        let routing = try await tx.routing.routing(site: site) ?? .initial(site: site)
        let rules = try await tx.routing.rules(site: site)
        let conditions = try await tx.routing.conditions(of: rules.map(\.id))
        return routing.wire(rules: rules.map { $0.wire(conditions: conditions[$0.id] ?? []) })
    }

    static func rule(_ id: String, site: String, tx: Tx) async throws -> RoutingRuleRow {
        guard id.count <= AnytimeLimits.id, let row = try await tx.routing.rule(id: id, site: site) else {
            throw ServiceError.notFound("Custom rule")
        }
        return row
    }

    /// A priority by name (any case) or by the "priority enum number" 0–3, urgent first (spec §6 R6); `""` clears it.
    /// `.none`: not given.
    static func priority(_ value: AnytimePriorityValue?, _ member: String) throws -> String?? {
        guard let text = value?.text.trimmingCharacters(in: .whitespaces) else { return .none }
        if text.isEmpty { return .some(nil) }
        if let number = Int(text), (0..<4).contains(number) { return .some([AnytimePriority.urgent, .high, .normal, .low][number].rawValue) }
        guard let priority = AnytimePriority.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw ServiceError.invalid(
                member, "Field '\(member)' must be urgent, high, normal or low (or 0 to 3), not '\(AnytimeLimits.shortened(text))'.")
        }
        return .some(priority.rawValue)
    }

    /// An id member: `.none` not given, `.some(nil)` cleared by `""`.
    static func id(_ text: String?, _ member: String) throws -> String?? {
        guard let text else { return .none }
        return .some(try AnytimeLimits.id(text, member))
    }

    /// Checks that `id` names an agent or a department of the site, as `type` says (spec §5.14; R7).
    func check(_ type: AnytimeRouteType?, _ id: String?, typeMember: String, idMember: String, site: String) async throws {
        guard let id else { return }
        guard let type else { throw ServiceError.invalid(typeMember, "Field '\(typeMember)' is required with '\(idMember)'.") }
        let exists: Bool
        switch type {
        case .agent: exists = try await self.store.directory.liveChat.agents(siteId: site).contains { String($0.id) == id }
        case .department: exists = try await self.store.directory.liveChat.departments(siteId: site).contains { $0.id.map(String.init) == id }
        }
        guard exists else {
            throw ServiceError.invalid(idMember, "Field '\(idMember)' names no \(type.rawValue) of this site: '\(AnytimeLimits.shortened(id))'.")
        }
    }

    // MARK: Routing

    /// The input's changes to routing, checked.
    struct RoutingChange: Sendable {
        var isEnabled: Bool?
        var type: AnytimeRoutingType?
        var simpleRouteType: AnytimeRouteType?
        var simpleRouteToId: String??
        var simpleRouteWithPriority: String??
        var matchFailedType: AnytimeRouteType?
        var matchFailedRouteToId: String??
        var matchFailedWithPriority: String??

        init(_ input: AnytimeRoutingInput) throws {
            (self.isEnabled, self.type, self.simpleRouteType, self.matchFailedType) =
                (input.isEnabled, input.type, input.simpleRouteType, input.matchFailedType)
            self.simpleRouteToId = try RoutingController.id(input.simpleRouteToId, "simpleRouteToId")
            let named = try RoutingController.id(input.matchFailedrouteToId, "matchFailedrouteToId")
            let documented = try RoutingController.id(input.matchFailedToId, "matchFailedToId")
            if case .some(let one) = named, case .some(let other) = documented, one != other {
                throw ServiceError.invalid("matchFailedToId", "Field 'matchFailedToId' disagrees with 'matchFailedrouteToId'.")
            }
            self.matchFailedRouteToId = named ?? documented
            self.simpleRouteWithPriority = try RoutingController.priority(input.simpleRouteWithPriority, "simpleRouteWithPriority")
            self.matchFailedWithPriority = try RoutingController.priority(input.matchFailedWithPriority, "matchFailedWithPriority")
        }

        func apply(to row: inout RoutingRow) {
            if let isEnabled { row.isEnabled = isEnabled }
            if let type { row.type = type.rawValue }
            if let simpleRouteType { row.simpleRouteType = simpleRouteType.rawValue }
            if case .some(let id) = self.simpleRouteToId { row.simpleRouteToId = id }
            if case .some(let priority) = self.simpleRouteWithPriority { row.simpleRouteWithPriority = priority }
            if let matchFailedType { row.matchFailedType = matchFailedType.rawValue }
            if case .some(let id) = self.matchFailedRouteToId { row.matchFailedRouteToId = id }
            if case .some(let priority) = self.matchFailedWithPriority { row.matchFailedWithPriority = priority }
        }
    }

    @Sendable func enable(_ request: Request, context: AuthenticatedContext, input: AnytimeIsEnabledInput) async throws -> EmptyBody {
        guard let isEnabled = input.isEnabled else { throw ServiceError.missing("isEnabled") }
        let site = context.site
        try await self.store.write(site: site, scope: "routing") { tx in
            var row = try await tx.routing.routing(site: site) ?? .initial(site: site)
            row.isEnabled = isEnabled
            try await tx.routing.save(row)
        }
        return EmptyBody()
    }

    /// Any `{id}`, or none, names the site's routing (spec §6 R1); `orderNum` is ignored (R4).
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeRoutingInput) async throws -> AnytimeRouting {
        let site = context.site
        let change = try RoutingChange(input)
        // The targets as they will be, checked against the directory before the write.
        var merged = try await self.store.read { tx in try await tx.routing.routing(site: site) } ?? .initial(site: site)
        change.apply(to: &merged)
        if input.simpleRouteType != nil || change.simpleRouteToId != nil {
            try await self.check(
                merged.simpleRouteType.flatMap(AnytimeRouteType.init(rawValue:)), merged.simpleRouteToId, typeMember: "simpleRouteType",
                idMember: "simpleRouteToId", site: site)
        }
        if input.matchFailedType != nil || change.matchFailedRouteToId != nil {
            try await self.check(
                merged.matchFailedType.flatMap(AnytimeRouteType.init(rawValue:)), merged.matchFailedRouteToId, typeMember: "matchFailedType",
                idMember: "matchFailedrouteToId", site: site)
        }
        return try await self.store.write(site: site, scope: "routing") { tx in
            var row = try await tx.routing.routing(site: site) ?? .initial(site: site)
            change.apply(to: &row)
            try await tx.routing.save(row)
            return try await Self.routing(site: site, tx: tx)
        }
    }

    // MARK: Custom rules

    /// The input's changes to a custom rule, checked; `creating` requires name, routeType and routeToId.
    struct RuleChange: Sendable {
        var name: String?
        var isEnabled: Bool?
        var routeType: AnytimeRouteType?
        var routeToId: String?
        var routeWithPriority: String??

        init(_ input: AnytimeRoutingRuleInput, creating: Bool) throws {
            if let text = input.name {
                let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !name.isEmpty else { throw ServiceError.invalid("name", "Field 'name' cannot be empty.") }
                self.name = try AnytimeLimits.bounded(name, "name", limit: RoutingController.maxName)
            } else if creating {
                throw ServiceError.missing("name")
            }
            (self.isEnabled, self.routeType) = (input.isEnabled, input.routeType)
            if let text = input.routeToId {
                guard let id = try AnytimeLimits.id(text, "routeToId") else {
                    throw ServiceError.invalid("routeToId", "Field 'routeToId' cannot be empty.")
                }
                self.routeToId = id
            }
            if creating, self.routeType == nil { throw ServiceError.missing("routeType") }
            if creating, self.routeToId == nil { throw ServiceError.missing("routeToId") }
            self.routeWithPriority = try RoutingController.priority(input.routeWithPriority, "routeWithPriority")
        }
    }

    /// The input's conditions checked by the conversation conditions' rules (custom fields among them).
    static func conditions(_ input: AnytimeRoutingRuleInput, site: String, tx: Tx) async throws -> ViewDefinition.ConditionList? {
        guard let given = input.conditions else { return nil }
        let custom =
            ConversationConditions.needsCustomFields((given.list ?? []).compactMap(\.fieldId)) ? try await FieldCatalog.all(site: site, tx: tx) : []
        return try ViewDefinition.conditions(given, custom: custom)
    }

    static func rows(_ conditions: [ConversationConditions.Checked], rule: RoutingRuleRow) -> [RoutingConditionRow] {
        conditions.map {
            RoutingConditionRow(
                id: UUID().uuidString.lowercased(), siteId: rule.siteId, ruleId: rule.id, fieldId: $0.fieldId, matchType: $0.matchType.rawValue,
                matchValue: $0.value, orderNum: $0.orderNum)
        }
    }

    @Sendable func createRule(_ request: Request, context: AuthenticatedContext, input: AnytimeRoutingRuleInput) async throws -> AnytimeRoutingRule {
        let (site, now) = (context.site, self.store.now)
        let change = try RuleChange(input, creating: true)
        try await self.check(change.routeType, change.routeToId, typeMember: "routeType", idMember: "routeToId", site: site)
        let stored = RoutingRuleRow(
            id: UUID().uuidString.lowercased(), siteId: site, orderNum: 0, isEnabled: change.isEnabled ?? true, name: change.name ?? "",
            combination: AnytimeConditionsWhen.all.rawValue, logicExpression: nil, routeType: change.routeType?.rawValue ?? "",
            routeToId: change.routeToId ?? "", routeWithPriority: change.routeWithPriority ?? nil, createdTime: now)
        return try await self.store.write(site: site, scope: "routing") { tx in
            var row = stored
            let conditions = try await Self.conditions(input, site: site, tx: tx)
            if let conditions { (row.combination, row.logicExpression) = (conditions.when.rawValue, conditions.logicExpression) }
            let rows = Self.rows(conditions?.list ?? [], rule: row)
            row = try await tx.routing.insert(row)
            try await tx.routing.setConditions(rows, of: row.id)
            return row.wire(conditions: rows)
        }
    }

    @Sendable func updateRule(_ request: Request, context: AuthenticatedContext, input: AnytimeRoutingRuleInput) async throws -> AnytimeRoutingRule {
        let (site, id) = (context.site, try context.parameters.require("id"))
        let change = try RuleChange(input, creating: false)
        if change.routeType != nil || change.routeToId != nil {
            let current = try await self.store.read { tx in try await Self.rule(id, site: site, tx: tx) }
            try await self.check(
                change.routeType ?? AnytimeRouteType(rawValue: current.routeType), change.routeToId ?? current.routeToId, typeMember: "routeType",
                idMember: "routeToId", site: site)
        }
        return try await self.store.write(site: site, scope: "routing") { tx in
            var row = try await Self.rule(id, site: site, tx: tx)
            let conditions = try await Self.conditions(input, site: site, tx: tx)
            if let name = change.name { row.name = name }
            if let isEnabled = change.isEnabled { row.isEnabled = isEnabled }
            if let routeType = change.routeType { row.routeType = routeType.rawValue }
            if let routeToId = change.routeToId { row.routeToId = routeToId }
            if case .some(let priority) = change.routeWithPriority { row.routeWithPriority = priority }
            var stored = try await tx.routing.conditions(of: [row.id])[row.id] ?? []
            if let conditions {
                (row.combination, row.logicExpression) = (conditions.when.rawValue, conditions.logicExpression)
                stored = Self.rows(conditions.list, rule: row)
                try await tx.routing.setConditions(stored, of: row.id)
            }
            try await tx.routing.update(row)
            return row.wire(conditions: stored)
        }
    }

    /// Answers the rule (spec §6 R9: enabling a rule returns it, enabling routing does not).
    @Sendable func enableRule(_ request: Request, context: AuthenticatedContext, input: AnytimeIsEnabledInput) async throws -> AnytimeRoutingRule {
        let (site, id) = (context.site, try context.parameters.require("id"))
        guard let isEnabled = input.isEnabled else { throw ServiceError.missing("isEnabled") }
        return try await self.store.write(site: site, scope: "routing") { tx in
            var row = try await Self.rule(id, site: site, tx: tx)
            row.isEnabled = isEnabled
            try await tx.routing.update(row)
            return row.wire(conditions: try await tx.routing.conditions(of: [row.id])[row.id] ?? [])
        }
    }

    /// `DELETE`, though the seed writes `PUT` (spec §6 R5); the rest are numbered 1, 2, … again.
    @Sendable func deleteRule(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.parameters.require("id"))
        try await self.store.write(site: site, scope: "routing") { tx in
            let row = try await Self.rule(id, site: site, tx: tx)
            try await tx.routing.delete(id: row.id, site: site)
            try await tx.routing.renumber(try await tx.routing.rules(site: site).map(\.id), site: site)
        }
        return EmptyBody()
    }

    /// Swaps the rule with its neighbour; the first moved up or the last moved down stays (spec §5.14).
    @Sendable func sortRule(_ request: Request, context: AuthenticatedContext, input: AnytimeSLASortInput) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.parameters.require("id"))
        guard let text = input.type?.trimmingCharacters(in: .whitespaces) else { throw ServiceError.missing("type") }
        guard let up = ["up": true, "down": false][text.lowercased()] else {
            throw ServiceError.invalid("type", "Field 'type' must be up or down, not '\(AnytimeLimits.shortened(text))'.")
        }
        try await self.store.write(site: site, scope: "routing") { tx in
            let row = try await Self.rule(id, site: site, tx: tx)
            var ids = try await tx.routing.rules(site: site).map(\.id)
            guard let index = ids.firstIndex(of: row.id) else { return }
            let other = up ? index - 1 : index + 1
            if ids.indices.contains(other) { ids.swapAt(index, other) }
            try await tx.routing.renumber(ids, site: site)
        }
        return EmptyBody()
    }
}

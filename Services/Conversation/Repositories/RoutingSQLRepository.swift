import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The site's routing, its custom rules and their conditions (spec §3.9, §5.14, §5.24).
struct RoutingSQLRepository {
    let sql: any SQLDatabase

    /// The site's routing; nil when it has never set one (routing is off).
    func routing(site: String) async throws -> RoutingRow? {
        try await self.sql.select().column("*").from("conversation_routing").where("site_id", .equal, site).first(RoutingRow.self)
    }

    func save(_ routing: RoutingRow) async throws {
        try await self.sql.delete(from: "conversation_routing").where("site_id", .equal, routing.siteId).run()
        try await self.sql.insert(into: "conversation_routing").row(routing).run()
    }

    /// The site's rules by `orderNum`.
    func rules(site: String) async throws -> [RoutingRuleRow] {
        try await self.sql.select().column("*").from("conversation_routing_rules").where("site_id", .equal, site).orderBy("order_num")
            .orderBy("id").all(RoutingRuleRow.self)
    }

    func rule(id: String, site: String) async throws -> RoutingRuleRow? {
        try await self.sql.select().column("*").from("conversation_routing_rules").where("id", .equal, id).where("site_id", .equal, site)
            .first(RoutingRuleRow.self)
    }

    /// The conditions of `rules` by rule, each by `orderNum`.
    func conditions(of rules: [String]) async throws -> [String: [RoutingConditionRow]] {
        guard !rules.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("*").from("conversation_routing_conditions").where("rule_id", .in, rules)
            .orderBy("order_num").all(RoutingConditionRow.self)
        return Dictionary(grouping: rows, by: \.ruleId)
    }

    /// Stores a new rule last of the site's.
    func insert(_ rule: RoutingRuleRow) async throws -> RoutingRuleRow {
        var rule = rule
        let last =
            try await self.sql.select()
            .column(SQLFunction("COALESCE", args: SQLFunction("MAX", args: SQLColumn("order_num")), SQLLiteral.numeric("0")), as: "count")
            .from("conversation_routing_rules").where("site_id", .equal, rule.siteId).first(CountRow.self)?.count ?? 0
        rule.orderNum = Int(last) + 1
        try await self.sql.insert(into: "conversation_routing_rules").row(rule).run()
        return rule
    }

    func update(_ rule: RoutingRuleRow) async throws {
        try await self.sql.update("conversation_routing_rules").set(row: rule).where("id", .equal, rule.id).where("site_id", .equal, rule.siteId)
            .run()
    }

    /// Replaces the rule's conditions.
    func setConditions(_ conditions: [RoutingConditionRow], of ruleId: String) async throws {
        try await self.sql.delete(from: "conversation_routing_conditions").where("rule_id", .equal, ruleId).run()
        guard !conditions.isEmpty else { return }
        try await self.sql.insert(into: "conversation_routing_conditions").rows(conditions).run()
    }

    func delete(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_routing_conditions").where("rule_id", .equal, id).where("site_id", .equal, site).run()
        try await self.sql.delete(from: "conversation_routing_rules").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// Numbers the site's rules 1, 2, … in the order given.
    func renumber(_ ids: [String], site: String) async throws {
        for (index, id) in ids.enumerated() {
            try await self.sql.update("conversation_routing_rules").set("order_num", to: index + 1).where("id", .equal, id)
                .where("site_id", .equal, site).run()
        }
    }
}

/// Auto allocation's settings and durable state (spec §3.10, §5.15).
struct AllocationSQLRepository {
    let sql: any SQLDatabase

    /// The site's settings; nil when it has never set them (allocation is off).
    func settings(site: String) async throws -> AllocationSettingsRow? {
        try await self.sql.select().column("*").from("conversation_allocation_settings").where("site_id", .equal, site)
            .first(AllocationSettingsRow.self)
    }

    func save(_ settings: AllocationSettingsRow) async throws {
        try await self.sql.delete(from: "conversation_allocation_settings").where("site_id", .equal, settings.siteId).run()
        try await self.sql.insert(into: "conversation_allocation_settings").row(settings).run()
    }

    /// The departments' own rules in the order they were given.
    func departmentRules(site: String) async throws -> [DepartmentRuleRow] {
        try await self.sql.select().column("*").from("conversation_allocation_department_rules").where("site_id", .equal, site)
            .orderBy("position").all(DepartmentRuleRow.self)
    }

    func setDepartmentRules(_ rules: [DepartmentRuleRow], site: String) async throws {
        try await self.sql.delete(from: "conversation_allocation_department_rules").where("site_id", .equal, site).run()
        guard !rules.isEmpty else { return }
        try await self.sql.insert(into: "conversation_allocation_department_rules").rows(rules).run()
    }

    /// The agents' preferences in the order they were given.
    func preferences(site: String) async throws -> [AgentPreferenceRow] {
        try await self.sql.select().column("*").from("conversation_allocation_agent_preferences").where("site_id", .equal, site)
            .orderBy("position").all(AgentPreferenceRow.self)
    }

    func setPreferences(_ preferences: [AgentPreferenceRow], site: String) async throws {
        try await self.sql.delete(from: "conversation_allocation_agent_preferences").where("site_id", .equal, site).run()
        guard !preferences.isEmpty else { return }
        try await self.sql.insert(into: "conversation_allocation_agent_preferences").rows(preferences).run()
    }

    /// Each of `agents`' load (spec §5.15 step 2): its conversations in use that are not closed, nor pending external or
    /// on hold when those are left out. Agents with none are absent.
    func loads(of agents: [String], site: String, excluding statuses: [AnytimeStatus]) async throws -> [String: Int] {
        guard !agents.isEmpty else { return [:] }
        let rows = try await self.sql.select().column("assigned_agent_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from("conversations").where("site_id", .equal, site).where("assigned_agent_id", .in, agents).where("is_deleted", .equal, false)
            .where("status", .notIn, ([.closed] + statuses).map(\.rawValue)).groupBy("assigned_agent_id").all(LoadRow.self)
        return Dictionary(rows.map { ($0.assignedAgentId, Int($0.count)) }, uniquingKeysWith: +)
    }

    /// When each of the site's agents was last given a conversation.
    func lastAllocations(site: String) async throws -> [String: Int64] {
        let rows = try await self.sql.select().column("*").from("conversation_allocation_agents").where("site_id", .equal, site)
            .all(AgentAllocationRow.self)
        return Dictionary(rows.map { ($0.agentId, $0.lastAllocatedTime) }, uniquingKeysWith: max)
    }

    /// The agent the pool's last conversation went to (`pool`: a department id, or `""` for all agents).
    func pointer(site: String, pool: String) async throws -> String? {
        try await self.sql.select().column("*").from("conversation_allocation_pointers").where("site_id", .equal, site)
            .where("pool", .equal, pool).first(PointerRow.self)?.lastAgentId
    }

    /// Records that `agent` was given the pool's conversation at `time`. The caller holds the site's allocation lock.
    func allocated(_ agent: String, pool: String, site: String, time: Int64) async throws {
        try await self.sql.delete(from: "conversation_allocation_pointers").where("site_id", .equal, site).where("pool", .equal, pool).run()
        try await self.sql.insert(into: "conversation_allocation_pointers").row(PointerRow(siteId: site, pool: pool, lastAgentId: agent)).run()
        try await self.sql.delete(from: "conversation_allocation_agents").where("site_id", .equal, site).where("agent_id", .equal, agent).run()
        try await self.sql.insert(into: "conversation_allocation_agents")
            .row(AgentAllocationRow(siteId: site, agentId: agent, lastAllocatedTime: time)).run()
    }

    /// The agent of the contact's or visitor's most recent other conversation that had one (spec §5.15 step 5).
    func lastAssignee(relatedType: String, relatedId: String, except id: Int64, site: String) async throws -> String? {
        try await self.sql.select().column("assigned_agent_id").from("conversations").where("site_id", .equal, site)
            .where("related_type", .equal, relatedType).where("related_id", .equal, relatedId).where("is_deleted", .equal, false)
            .where("id", .notEqual, id).where("assigned_agent_id", .isNot, SQLLiteral.null).orderBy("created_time", .descending)
            .orderBy("id", .descending).limit(1).first(AssigneeRow.self)?.assignedAgentId
    }
}

extension Tx {
    var routing: RoutingSQLRepository { RoutingSQLRepository(sql: self.sql) }
    var allocation: AllocationSQLRepository { AllocationSQLRepository(sql: self.sql) }
}

/// A `conversation_routing` row: the site's routing.
struct RoutingRow: Codable, Sendable {
    var siteId: String
    var isEnabled: Bool
    var type: String
    var simpleRouteType, simpleRouteToId, simpleRouteWithPriority: String?
    var matchFailedType, matchFailedRouteToId, matchFailedWithPriority: String?

    /// Off, simple, nowhere: what a site that has set nothing has.
    static func initial(site: String) -> RoutingRow {
        RoutingRow(
            siteId: site, isEnabled: false, type: AnytimeRoutingType.simple.rawValue, simpleRouteType: nil, simpleRouteToId: nil,
            simpleRouteWithPriority: nil, matchFailedType: nil, matchFailedRouteToId: nil, matchFailedWithPriority: nil)
    }

    var typeValue: AnytimeRoutingType { AnytimeRoutingType(rawValue: self.type) ?? .simple }

    func wire(rules: [AnytimeRoutingRule]) -> AnytimeRouting {
        AnytimeRouting(
            isEnabled: self.isEnabled, type: self.typeValue, simpleRouteType: self.simpleRouteType.flatMap(AnytimeRouteType.init(rawValue:)),
            simpleRouteToId: self.simpleRouteToId, simpleRouteWithPriority: self.simpleRouteWithPriority.flatMap(AnytimePriority.init(rawValue:)),
            customRules: rules, matchFailedType: self.matchFailedType.flatMap(AnytimeRouteType.init(rawValue:)),
            matchFailedrouteToId: self.matchFailedRouteToId,
            matchFailedWithPriority: self.matchFailedWithPriority.flatMap(AnytimePriority.init(rawValue:)))
    }
}

/// A `conversation_routing_rules` row; `combination` is the conditions' `when`.
struct RoutingRuleRow: Codable, Sendable {
    var id, siteId: String
    var orderNum: Int
    var isEnabled: Bool
    var name, combination: String
    var logicExpression: String?
    var routeType, routeToId: String
    var routeWithPriority: String?
    var createdTime: Int64

    var when: AnytimeConditionsWhen { AnytimeConditionsWhen(rawValue: self.combination) ?? .all }

    func wire(conditions rows: [RoutingConditionRow]) -> AnytimeRoutingRule {
        AnytimeRoutingRule(
            id: self.id, routingId: self.siteId, orderNum: self.orderNum, isEnabled: self.isEnabled, name: self.name,
            conditions: AnytimeConditions(
                when: self.when, logicExpression: self.logicExpression,
                list: rows.map {
                    AnytimeCondition(
                        id: $0.id, type: .routingRule, fieldId: $0.fieldId, matchType: AnytimeMatchType(rawValue: $0.matchType) ?? .is,
                        value: $0.matchValue, orderNum: $0.orderNum)
                }),
            routeType: AnytimeRouteType(rawValue: self.routeType) ?? .agent, routeToId: self.routeToId,
            routeWithPriority: self.routeWithPriority.flatMap(AnytimePriority.init(rawValue:)))
    }
}

/// A `conversation_routing_conditions` row.
struct RoutingConditionRow: Codable, Sendable {
    var id, siteId, ruleId, fieldId, matchType, matchValue: String
    var orderNum: Int

    /// The stored condition for the engine; `custom` holds the site's fields when it names a custom one.
    func checked(custom: [FieldDefinition]) -> ConversationConditions.Checked {
        ConversationConditions.Checked(
            fieldId: self.fieldId, kind: ConversationConditions.field(self.fieldId, custom: custom)?.kind ?? .gone,
            matchType: AnytimeMatchType(rawValue: self.matchType) ?? .is, value: self.matchValue, orderNum: self.orderNum)
    }
}

/// A `conversation_allocation_settings` row.
struct AllocationSettingsRow: Codable, Sendable {
    var siteId: String
    var isEnabled: Bool
    var defaultRule: String
    var defaultPreferLastAssignee: Bool
    var limitEachAgent: Bool
    var limitForAllAgents: Int
    var excludePendingExternal, excludeOnHold: Bool

    /// Off, load balancing, no limits: what a site that has set nothing has.
    static func initial(site: String) -> AllocationSettingsRow {
        AllocationSettingsRow(
            siteId: site, isEnabled: false, defaultRule: AnytimeAllocationRuleType.loadBalancing.rawValue, defaultPreferLastAssignee: false,
            limitEachAgent: false, limitForAllAgents: 0, excludePendingExternal: false, excludeOnHold: false)
    }
}

/// A `conversation_allocation_department_rules` row.
struct DepartmentRuleRow: Codable, Sendable {
    var siteId, departmentId: String
    var position: Int
    var rule: String
    var preferLastAssignee: Bool
}

/// A `conversation_allocation_agent_preferences` row.
struct AgentPreferenceRow: Codable, Sendable {
    var siteId, agentId: String
    var position: Int
    var maxConcurrentCount: Int?
    var isAcceptAllocation: Bool
}

/// A `conversation_allocation_pointers` row.
struct PointerRow: Codable, Sendable {
    var siteId, pool, lastAgentId: String
}

/// A `conversation_allocation_agents` row.
struct AgentAllocationRow: Codable, Sendable {
    var siteId, agentId: String
    var lastAllocatedTime: Int64
}

/// An agent's load.
struct LoadRow: Codable, Sendable {
    var assignedAgentId: String
    var count: Int64
}

/// A row that is one `assigned_agent_id` column.
struct AssigneeRow: Codable, Sendable {
    var assignedAgentId: String?
}

import Allocation
import Foundation
import Logging
import ServiceKit
import WireModels

/// What routing and auto allocation know of the site's agents (their departments and online status, from
/// livechat-config), fetched before the write transaction so no network call is made inside it (decision 268).
struct RoutingStaff: Sendable {
    /// The site's agents; nil when they were not asked for (routing and allocation are off) or could not be had.
    var agents: [DirectoryAgent]?
    /// Why the agents could not be had (livechat-config down), for the event log.
    var failure: String?

    /// Routing and allocation are off: nobody was asked.
    static let notAsked = RoutingStaff(agents: nil, failure: nil)
}

extension ConversationStore {
    /// The staff the pipeline's routing and allocation steps need for `site`: asked of livechat-config (through the
    /// directory's short cache) only when either step is on. livechat-config down is not an error here: the conversation
    /// is still created, and allocation logs that it was skipped (decision 268).
    func staff(site: String) async throws -> RoutingStaff {
        let needed = try await self.read { tx in
            if try await tx.routing.routing(site: site)?.isEnabled == true { return true }
            return try await tx.allocation.settings(site: site)?.isEnabled == true
        }
        guard needed else { return .notAsked }
        do {
            return RoutingStaff(agents: try await self.directory.liveChat.agents(siteId: site), failure: nil)
        } catch {
            return RoutingStaff(agents: nil, failure: (error as? ServiceError)?.message ?? "livechat-config could not be reached.")
        }
    }
}

/// Routing (spec §5.14, §5.25 step 4; decisions 264–266): a new conversation nobody was assigned to goes to the simple
/// target, or to the first enabled custom rule by `orderNum` whose conditions it meets (the conditions engine's SQL
/// predicate, as views and SLA policies use), or else to the match-failed target; with that target's priority.
enum ConversationRouting {
    /// Where a conversation is routed.
    struct Target {
        var type: AnytimeRouteType
        var id: String
        var priority: AnytimePriority?
        /// What chose it, for the event log.
        var reason: String
    }

    /// Routes `row` (stored, not yet assigned) and logs where it went; the caller stores `row`.
    static func route(_ row: inout ConversationRow, staff: RoutingStaff, now: Int64, tx: Tx) async throws {
        guard row.assignedAgentId == nil, row.assignedDepartmentId == nil, let routing = try await tx.routing.routing(site: row.siteId),
            routing.isEnabled, let target = try await Self.target(of: row, routing: routing, tx: tx)
        else { return }
        switch target.type {
        case .agent:
            row.assignedAgentId = target.id
            // The agent's department too, when it has exactly one (spec §5.14).
            if let agent = staff.agents?.first(where: { String($0.id) == target.id }), agent.departments.count == 1 {
                row.assignedDepartmentId = String(agent.departments[0])
            }
        case .department:
            row.assignedDepartmentId = target.id
        }
        if let priority = target.priority { row.set(priority: priority) }
        let priority = target.priority.map { " with priority \($0.rawValue)" } ?? ""
        try await tx.conversations.log(
            "routing", "Routed to \(target.type.rawValue) '\(target.id)'\(priority) by \(target.reason).", conversation: row.id, site: row.siteId,
            time: now)
    }

    /// The target routing chooses for `row`; nil when it chooses none (no simple target, no match and no fallback).
    static func target(of row: ConversationRow, routing: RoutingRow, tx: Tx) async throws -> Target? {
        func target(_ type: String?, _ id: String?, _ priority: String?, _ reason: String) -> Target? {
            guard let type = type.flatMap(AnytimeRouteType.init(rawValue:)), let id else { return nil }
            return Target(type: type, id: id, priority: priority.flatMap(AnytimePriority.init(rawValue:)), reason: reason)
        }
        switch routing.typeValue {
        case .simple:
            return target(routing.simpleRouteType, routing.simpleRouteToId, routing.simpleRouteWithPriority, "simple routing")
        case .customRules:
            let rules = try await tx.routing.rules(site: row.siteId).filter(\.isEnabled)
            let conditions = try await tx.routing.conditions(of: rules.map(\.id))
            let fieldIds = conditions.values.flatMap { $0.map(\.fieldId) }
            let custom = ConversationConditions.needsCustomFields(fieldIds) ? try await FieldCatalog.all(site: row.siteId, tx: tx) : []
            for rule in rules {
                let checked = (conditions[rule.id] ?? []).map { $0.checked(custom: custom) }
                let combination = try ConversationConditions.combination(
                    rule.when, expression: rule.logicExpression, conditions: checked, member: "conditions.logicExpression")
                let predicate = try ConversationConditions.predicate(checked, combination: combination)
                if try await tx.slaPolicies.matches(conversation: row.id, site: row.siteId, predicate: predicate) {
                    return target(rule.routeType, rule.routeToId, rule.routeWithPriority, "custom rule '\(rule.name)'")
                }
            }
            return target(routing.matchFailedType, routing.matchFailedRouteToId, routing.matchFailedWithPriority, "the match-failed fallback")
        }
    }
}

/// Auto allocation (spec §5.15, §5.25 step 5; decisions 267–270): a conversation in use, not closed and without an agent
/// goes to an agent of its department's pool (or of every agent) by the shared ``AgentAllocator``: online agents who
/// accept allocation and are below their limit, the contact's last assignee first when preferred, then load balancing
/// (load counted in SQL) or round robin (a durable pointer per pool).
enum ConversationAllocation {
    /// A directory agent as an allocation candidate, with its load, limit and preference from conversation's own tables.
    struct Candidate: AllocationCandidate {
        var id: Int
        var load: Int
        var limit: Int?
        var acceptsAllocation: Bool
        var isOnline: Bool
        var lastAllocatedTime: Int64?
    }

    /// Allocates `row` when the settings say so and logs the outcome; the caller stores `row`. Holds the site's
    /// allocation lock to the end of the transaction, so two conversations created at once see each other's loads.
    static func allocate(_ row: inout ConversationRow, staff: RoutingStaff, now: Int64, tx: Tx) async throws {
        guard row.assignedAgentId == nil, !row.isDeleted, row.statusValue != .closed,
            let settings = try await tx.allocation.settings(site: row.siteId),
            settings.isEnabled
        else { return }
        let site = row.siteId
        guard let agents = staff.agents else {
            let why = staff.failure ?? "livechat-config was not asked."
            try await tx.conversations.log(
                "allocation", "Auto allocation skipped, the conversation stays unassigned: \(why)", conversation: row.id, site: site, time: now)
            return
        }
        try await tx.lock(ConversationStore.lockKey("allocation:\(site)"))
        let pool = row.assignedDepartmentId ?? ""
        let members = agents.filter { $0.isActive && (pool.isEmpty || $0.departments.map(String.init).contains(pool)) }
        let departmentRule = pool.isEmpty ? nil : try await tx.allocation.departmentRules(site: site).first { $0.departmentId == pool }
        let rule = AnytimeAllocationRuleType(rawValue: departmentRule?.rule ?? settings.defaultRule) ?? .loadBalancing
        let preferLast = departmentRule?.preferLastAssignee ?? settings.defaultPreferLastAssignee
        let preferences = Dictionary(try await tx.allocation.preferences(site: site).map { ($0.agentId, $0) }, uniquingKeysWith: { a, _ in a })
        var excluded: [AnytimeStatus] = []
        if settings.excludePendingExternal { excluded.append(.pendingExternal) }
        if settings.excludeOnHold { excluded.append(.onHold) }
        let ids = members.map { String($0.id) }
        let loads = try await tx.allocation.loads(of: ids, site: site, excluding: excluded)
        let lastTimes = try await tx.allocation.lastAllocations(site: site)
        let candidates = members.map { agent in
            let id = String(agent.id)
            let preference = preferences[id]
            return Candidate(
                id: agent.id, load: loads[id] ?? 0,
                limit: settings.limitEachAgent ? (preference?.maxConcurrentCount ?? settings.limitForAllAgents) : nil,
                acceptsAllocation: preference?.isAcceptAllocation ?? true, isOnline: agent.status == "online", lastAllocatedTime: lastTimes[id])
        }
        var preferred: Int?
        if preferLast, let type = row.relatedType, let related = row.relatedId {
            preferred = try await tx.allocation.lastAssignee(relatedType: type, relatedId: related, except: row.id, site: site).flatMap { Int($0) }
        }
        let pointer = try await tx.allocation.pointer(site: site, pool: pool).flatMap { Int($0) }
        let poolName = pool.isEmpty ? "all agents" : "department '\(pool)'"
        guard
            let chosen = AgentAllocator.choose(
                from: candidates, rule: rule == .roundRobin ? .roundRobin : .loadBalancing, lastAllocated: pointer, preferred: preferred)
        else {
            try await tx.conversations.log(
                "allocation", "Auto allocation found no online agent with capacity in \(poolName); the conversation stays unassigned.",
                conversation: row.id, site: site, time: now)
            return
        }
        let agent = String(chosen.id)
        row.assignedAgentId = agent
        try await tx.allocation.allocated(agent, pool: pool, site: site, time: now)
        let how = chosen.id == preferred ? "the contact's last assignee" : rule.rawValue
        try await tx.conversations.log(
            "allocation", "Auto allocated to agent '\(agent)' from \(poolName) by \(how).", conversation: row.id, site: site, time: now)
    }
}

extension ConversationAllocation {
    /// A PUT that took the agent off a conversation allocates it again (spec §5.15 step 8), in the department it now
    /// has; the SLA policy is matched again when someone got it. Stores `row` when it changed.
    static func unassigned(_ row: inout ConversationRow, wasAssigned: Bool, staff: RoutingStaff, now: Int64, tx: Tx) async throws {
        guard wasAssigned, row.assignedAgentId == nil else { return }
        try await Self.allocate(&row, staff: staff, now: now, tx: tx)
        guard row.assignedAgentId != nil else { return }
        try await SLAClock.changed(&row, now: now, tx: tx)
        try await tx.conversations.update(row)
    }
}

extension ConversationChanges {
    /// Whether the change clears the assigned agent (`assignedAgentId: ""`), after which allocation runs again.
    var unassignsAgent: Bool {
        if case .some(.none) = self.agent { return true }
        return false
    }
}

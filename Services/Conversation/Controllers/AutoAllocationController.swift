import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeAutoAllocation: ResponseEncodable {}

/// `/api/v3/anytime/autoAllocation` (seed 000 L905–L961; spec §3.10, §5.15, §6 AA1–AA4; decisions 267–270): the site's
/// auto allocation settings. Departments and agents named must exist in livechat-config's directory, which also gives
/// `departmentName` (livechat-config down is a 503 naming it).
struct AutoAllocationController {
    let store: ConversationStore

    /// The largest limit: more open conversations than an agent could hold.
    static let maxLimit = 100_000
    /// The most department rules or agent preferences one PUT may hold.
    static let maxEntries = 1000

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Auto allocation")
        let errors = [400: "Invalid auto allocation settings", 503: "livechat-config unavailable"]
        api.get("/autoAllocation", "The site's auto allocation settings", returns: AnytimeAutoAllocation.self, errors: errors) { _, context in
            try await self.settings(site: context.site)
        }
        api.put(
            "/autoAllocation/enable", "Turn auto allocation on or off", body: AnytimeIsEnabledInput.self, returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.enable)
        api.put(
            "/autoAllocation", "Update the settings (members left out keep their value; a list given replaces the stored one)",
            body: AnytimeAutoAllocationInput.self, returns: AnytimeAutoAllocation.self, errors: errors, use: self.update)
    }

    /// The settings as stored, with each department rule's name from the directory.
    func settings(site: String) async throws -> AnytimeAutoAllocation {
        let (settings, rules, preferences) = try await self.store.read { tx in
            (
                try await tx.allocation.settings(site: site) ?? .initial(site: site), try await tx.allocation.departmentRules(site: site),
                try await tx.allocation.preferences(site: site)
            )
        }
        var names: [String: String] = [:]
        if !rules.isEmpty {
            for department in try await self.store.directory.liveChat.departments(siteId: site) {
                if let id = department.id { names[String(id)] = department.name ?? "" }
            }
        }
        return AnytimeAutoAllocation(
            isEnabled: settings.isEnabled,
            departmentAllocationRule: rules.map {
                AnytimeAllocationRule(
                    departmentId: $0.departmentId, departmentName: names[$0.departmentId] ?? "",
                    allocationRule: AnytimeAllocationRuleType(rawValue: $0.rule) ?? .loadBalancing, preferLastAssignee: $0.preferLastAssignee)
            },
            defaultRule: AnytimeAllocationRuleType(rawValue: settings.defaultRule) ?? .loadBalancing,
            defaultPreferLastAssignee: settings.defaultPreferLastAssignee, ifEnableConversationLimitForEachAgent: settings.limitEachAgent,
            conversationLimitForAllAgents: settings.limitForAllAgents,
            agentPreferences: preferences.map {
                AnytimeAgentPreference(agentId: $0.agentId, maxConcurrentCount: $0.maxConcurrentCount, isAcceptAllocation: $0.isAcceptAllocation)
            },
            excludePendingExternal: settings.excludePendingExternal, excludeOnHold: settings.excludeOnHold)
    }

    @Sendable func enable(_ request: Request, context: AuthenticatedContext, input: AnytimeIsEnabledInput) async throws -> EmptyBody {
        guard let isEnabled = input.isEnabled else { throw ServiceError.missing("isEnabled") }
        let site = context.site
        try await self.store.write(site: site, scope: "autoAllocation") { tx in
            var row = try await tx.allocation.settings(site: site) ?? .initial(site: site)
            row.isEnabled = isEnabled
            try await tx.allocation.save(row)
        }
        return EmptyBody()
    }

    /// One member under either of its names (spec §6 AA1); both given must agree.
    static func either<T: Equatable>(_ named: T?, _ documented: T?, _ member: String, _ other: String) throws -> T? {
        if let named, let documented, named != documented {
            throw ServiceError.invalid(other, "Field '\(other)' disagrees with '\(member)'; give one of them.")
        }
        return named ?? documented
    }

    static func limit(_ value: Int?, _ member: String) throws -> Int? {
        guard let value else { return nil }
        guard (0...Self.maxLimit).contains(value) else {
            throw ServiceError.invalid(member, "Field '\(member)' must be a number of conversations from 0 to \(Self.maxLimit).")
        }
        return value
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeAutoAllocationInput) async throws -> AnytimeAutoAllocation
    {
        let site = context.site
        let ruleMember = input.departmentAllocationRule != nil ? "departmentAllocationRule" : "allocationRuleSettings"
        let preferenceMember = input.agentPreferences != nil ? "agentPreferences" : "allocationAgentPreferences"
        let givenRules = try Self.either(
            input.departmentAllocationRule, input.allocationRuleSettings, "departmentAllocationRule", "allocationRuleSettings")
        let givenPreferences = try Self.either(
            input.agentPreferences, input.allocationAgentPreferences, "agentPreferences", "allocationAgentPreferences")
        let excludePendingExternal = try Self.either(
            input.excludePendingExternal, input.ifExcludePendingExternal, "excludePendingExternal", "ifExcludePendingExternal")
        let excludeOnHold = try Self.either(input.excludeOnHold, input.ifExcludeOnHold, "excludeOnHold", "ifExcludeOnHold")
        let limitForAll = try Self.limit(input.conversationLimitForAllAgents, "conversationLimitForAllAgents")

        // The lists, checked in shape, then against the directory (before the write).
        var rules: [DepartmentRuleRow]?
        if let givenRules {
            guard givenRules.count <= Self.maxEntries else {
                throw ServiceError.invalid(ruleMember, "Field '\(ruleMember)' may hold at most \(Self.maxEntries) departments.")
            }
            var seen = Set<String>()
            rules = try givenRules.enumerated().map { index, rule in
                let member = "\(ruleMember)[\(index)].departmentId"
                guard let id = try AnytimeLimits.id(rule.departmentId, member) else { throw ServiceError.missing(member) }
                guard seen.insert(id).inserted else { throw ServiceError.invalid(member, "Field '\(member)' names department '\(id)' twice.") }
                _ = try rule.departmentName.map {
                    try AnytimeLimits.bounded($0, "\(ruleMember)[\(index)].departmentName", limit: RoutingController.maxName)
                }
                return DepartmentRuleRow(
                    siteId: site, departmentId: id, position: index, rule: (rule.allocationRule ?? .loadBalancing).rawValue,
                    preferLastAssignee: rule.preferLastAssignee ?? false)
            }
        }
        var preferences: [AgentPreferenceRow]?
        if let givenPreferences {
            guard givenPreferences.count <= Self.maxEntries else {
                throw ServiceError.invalid(preferenceMember, "Field '\(preferenceMember)' may hold at most \(Self.maxEntries) agents.")
            }
            var seen = Set<String>()
            preferences = try givenPreferences.enumerated().map { index, preference in
                let member = "\(preferenceMember)[\(index)].agentId"
                guard let id = try AnytimeLimits.id(preference.agentId, member) else { throw ServiceError.missing(member) }
                guard seen.insert(id).inserted else { throw ServiceError.invalid(member, "Field '\(member)' names agent '\(id)' twice.") }
                return AgentPreferenceRow(
                    siteId: site, agentId: id, position: index,
                    maxConcurrentCount: try Self.limit(preference.maxConcurrentCount, "\(preferenceMember)[\(index)].maxConcurrentCount"),
                    isAcceptAllocation: preference.isAcceptAllocation ?? true)
            }
        }
        if let rules, !rules.isEmpty {
            let known = Set(try await self.store.directory.liveChat.departments(siteId: site).compactMap { $0.id.map(String.init) })
            if let index = rules.firstIndex(where: { !known.contains($0.departmentId) }) {
                let member = "\(ruleMember)[\(index)].departmentId"
                throw ServiceError.invalid(member, "Field '\(member)' names no department of this site: '\(rules[index].departmentId)'.")
            }
        }
        if let preferences, !preferences.isEmpty {
            let known = Set(try await self.store.directory.liveChat.agents(siteId: site).map { String($0.id) })
            if let index = preferences.firstIndex(where: { !known.contains($0.agentId) }) {
                let member = "\(preferenceMember)[\(index)].agentId"
                throw ServiceError.invalid(member, "Field '\(member)' names no agent of this site: '\(preferences[index].agentId)'.")
            }
        }
        let (storedRules, storedPreferences) = (rules, preferences)
        try await self.store.write(site: site, scope: "autoAllocation") { tx in
            var row = try await tx.allocation.settings(site: site) ?? .initial(site: site)
            if let isEnabled = input.isEnabled { row.isEnabled = isEnabled }
            if let rule = input.defaultRule { row.defaultRule = rule.rawValue }
            if let prefer = input.defaultPreferLastAssignee { row.defaultPreferLastAssignee = prefer }
            if let limitEach = input.ifEnableConversationLimitForEachAgent { row.limitEachAgent = limitEach }
            if let limitForAll { row.limitForAllAgents = limitForAll }
            if let excludePendingExternal { row.excludePendingExternal = excludePendingExternal }
            if let excludeOnHold { row.excludeOnHold = excludeOnHold }
            // Turned on with no limit ever set, every agent without a preference would be capped at 0 (decision 271).
            if row.limitEachAgent, row.limitForAllAgents == 0, limitForAll == nil {
                throw ServiceError.invalid(
                    "conversationLimitForAllAgents",
                    "Field 'conversationLimitForAllAgents' must be given with ifEnableConversationLimitForEachAgent: no limit is set yet.")
            }
            try await tx.allocation.save(row)
            if let storedRules { try await tx.allocation.setDepartmentRules(storedRules, site: site) }
            if let storedPreferences { try await tx.allocation.setPreferences(storedPreferences, site: site) }
        }
        return try await self.settings(site: site)
    }
}

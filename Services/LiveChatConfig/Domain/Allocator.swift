import WireModels

/// Picks the agent a new chat goes to (spec note §5.9): among online agents who accept allocation and are
/// below their limit, the visitor's last agent first when preferred, then by the allocation rule.
enum Allocator {
    /// The site's or department's allocation policy.
    struct Policy: Sendable {
        var rule: LiveChatAllocationRule
        var isLastChattedPreferred: Bool
        /// Overrides every agent's own maximum when set (`maxChatForAllAgents`).
        var maxChatsForAll: Int?
    }

    static func eligible(_ candidates: [LiveChatAgentRecord], policy: Policy) -> [LiveChatAgentRecord] {
        candidates.filter { agent in
            agent.status == "online" && agent.isAcceptAllocation && agent.ongoingChats < (policy.maxChatsForAll ?? agent.maxChatsCount)
        }
    }

    /// The chosen agent, or nil when nobody can take the chat.
    ///
    /// - Parameters:
    ///   - lastAllocated: the agent round robin gave the previous chat in this scope.
    ///   - lastChatted: the agent this visitor chatted with most recently.
    static func choose(from candidates: [LiveChatAgentRecord], policy: Policy, lastAllocated: Int?, lastChatted: Int?) -> LiveChatAgentRecord? {
        let eligible = Self.eligible(candidates, policy: policy).sorted { $0.id < $1.id }
        guard !eligible.isEmpty else { return nil }
        if policy.isLastChattedPreferred, let last = eligible.first(where: { $0.id == lastChatted }) { return last }
        switch policy.rule {
        case .loadBalancing:
            // Fewest chats; ties go to the lowest id so the choice is repeatable.
            return eligible.min { ($0.ongoingChats, $0.id) < ($1.ongoingChats, $1.id) }
        case .roundRobin:
            // The next id after the last one given a chat, wrapping around.
            guard let lastAllocated else { return eligible[0] }
            return eligible.first { $0.id > lastAllocated } ?? eligible[0]
        case .capabilityWeighted:
            // Load relative to what each agent can take, so bigger limits get proportionally more chats.
            func share(_ agent: LiveChatAgentRecord) -> Double {
                Double(agent.ongoingChats) / Double(max(policy.maxChatsForAll ?? agent.maxChatsCount, 1))
            }
            return eligible.min { (share($0), -($0.maxChatsCount), $0.id) < (share($1), -($1.maxChatsCount), $1.id) }
        }
    }
}

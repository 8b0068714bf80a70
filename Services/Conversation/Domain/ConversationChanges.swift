import Foundation
import ServiceKit
import WireModels

/// A checked partial update of a conversation (spec §2.3, §5.2, decision 200): members left out keep their value,
/// `""` clears an id; each change is one event log, property changes move `lastActivityTime`, status changes
/// `lastStatusChangeTime`, and `isRead` moves neither.
struct ConversationChanges: Sendable {
    var subject: String?
    var status: AnytimeStatus?
    var priority: AnytimePriority?
    /// `.some(nil)`: cleared.
    var agent: String??
    var department: String??
    var relatedType: AnytimeRelatedType?
    var relatedId: String??
    var tags: [String]?
    var isRead: Bool?

    init(_ input: AnytimeConversationUpdate) throws {
        self.subject = try input.subject.map { text -> String in
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw ServiceError.invalid("subject", "Field 'subject' cannot be empty.") }
            return try AnytimeLimits.bounded(trimmed, "subject", limit: AnytimeLimits.subject)
        }
        if input.relatedType == .agent { throw ServiceError.invalid("relatedType", "Field 'relatedType' must be contact or visitor.") }
        func idChange(_ text: String?, _ member: String) throws -> String?? {
            guard let text else { return .none }
            return .some(try AnytimeLimits.id(text, member))
        }
        (self.status, self.priority, self.relatedType, self.isRead) = (input.status, input.priority, input.relatedType, input.isRead)
        self.agent = try idChange(input.assignedAgentId, "assignedAgentId")
        self.department = try idChange(input.assignedDepartmentId, "assignedDepartmentId")
        self.relatedId = try idChange(input.relatedId, "relatedId")
        self.tags = try input.tagIds.map { try TagRules.tags($0) }
    }

    /// Applies the changes to `row`, stores it and logs each change. A trigger's changes raise no events (spec §6 T6), and
    /// in the new-conversation pipeline leave SLA to its own step.
    func apply(
        to row: inout ConversationRow, agent caller: String, now: Int64, raisesEvents: Bool = true, matchesSLA: Bool = true, tx: Tx
    ) async throws {
        let before = row
        var logs: [(String, String)] = []
        let statusBefore = row.status
        func describe(_ value: String?) -> String { value.map { "'\($0)'" } ?? "nobody" }
        if let subject, subject != row.subject {
            logs.append(("subject", "Subject changed from '\(row.subject)' to '\(subject)'."))
            row.subject = subject
        }
        if let status, status != row.statusValue {
            logs.append(("status", "Status changed from \(row.status) to \(status.rawValue)."))
            row.set(status: status)
            row.lastStatusChangeTime = now
        }
        if let priority, priority != row.priorityValue {
            logs.append(("priority", "Priority changed from \(row.priority) to \(priority.rawValue)."))
            row.set(priority: priority)
        }
        if case .some(let assigned) = self.agent, assigned != row.assignedAgentId {
            logs.append(("assignee", "Assigned agent changed from \(describe(row.assignedAgentId)) to \(describe(assigned))."))
            row.assignedAgentId = assigned
        }
        if case .some(let department) = self.department, department != row.assignedDepartmentId {
            logs.append(("assignee", "Assigned department changed from \(describe(row.assignedDepartmentId)) to \(describe(department))."))
            row.assignedDepartmentId = department
        }
        let relatedType = self.relatedType?.rawValue ?? row.relatedType
        let relatedId = self.relatedId ?? row.relatedId
        if relatedType != row.relatedType || relatedId != row.relatedId {
            guard relatedId == nil || relatedType != nil else {
                throw ServiceError.invalid("relatedType", "Field 'relatedType' is required with 'relatedId'.")
            }
            logs.append(("related", "Related \(relatedType ?? "contact") changed from \(describe(row.relatedId)) to \(describe(relatedId))."))
            (row.relatedType, row.relatedId) = (relatedId == nil ? nil : relatedType, relatedId)
        }
        if let tags, tags != (try await tx.conversations.tags(of: [row.id])[row.id] ?? []) {
            try await tx.conversations.setTags(tags, of: row.id, site: row.siteId)
            logs.append(("tags", "Tags changed to \(tags.isEmpty ? "none" : tags.joined(separator: ", "))."))
        }
        if !logs.isEmpty { row.lastActivityTime = now }
        if let isRead { try await ConversationController.mark(&row, read: isRead, agent: caller, tx: tx) }
        // The SLA policy is matched again, or closing stops its targets (spec §5.17).
        if !logs.isEmpty, matchesSLA { try await SLAClock.changed(&row, now: now, tx: tx) }
        try await tx.conversations.update(row)
        try await StatusHistory.record(row, from: statusBefore, time: now, tx: tx)
        for (kind, text) in logs { try await tx.conversations.log(kind, text, conversation: row.id, site: row.siteId, time: now) }
        // Status and assignment changes raise their triggers' events (spec §5.16).
        try await TriggerEngine.changed(&row, from: before, raisesEvents: raisesEvents, now: now, tx: tx)
    }
}

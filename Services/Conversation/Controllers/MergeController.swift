import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `POST /api/v3/anytime/conversations/{id}/merge` (seed 000 L530–L536; spec §3.1 #8, §5.4; decision 223): the
/// conversation `sourceId` is merged into `{id}`, in one transaction holding both conversations' locks.
struct MergeController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        api.tagged("Conversations").post(
            "/conversations/{id}/merge", "Merge the conversation sourceId into this one: its messages, logs and tags move, and it goes to the trash",
            body: AnytimeMergeInput.self, returns: AnytimeConversation.self, errors: [400: "Invalid merge", 404: "Not found"], use: self.merge)
    }

    /// The source's messages (interleaved by time), event logs, tags and the custom field values the target lacks join
    /// the target; its draft is discarded; it is closed and moved to the trash. The target's last reply is the later of
    /// the two, its activity now, and it is unread when a moved message is. Each side logs the merge.
    @Sendable func merge(_ request: Request, context: AuthenticatedContext, input: AnytimeMergeInput) async throws -> AnytimeConversation {
        let (site, target, agent, now) = (context.site, try context.conversationId(), context.agentId, self.store.now)
        guard let given = input.sourceId else { throw ServiceError.missing("sourceId") }
        guard given > 0 else { throw ServiceError.invalid("sourceId", "Field 'sourceId' must be a conversation id (a positive integer).") }
        let source = Int64(given)
        guard source != target else {
            throw ServiceError.invalid("sourceId", "Field 'sourceId' must name another conversation: one cannot be merged into itself.")
        }
        return try await self.store.write(locking: [target, source]) { tx in
            guard var row = try await tx.conversations.conversation(id: target, site: site, deleted: false) else {
                throw ServiceError.notFound("Conversation")
            }
            guard var merged = try await tx.conversations.conversation(id: source, site: site, deleted: false) else {
                throw ServiceError(.notFound, message: "Conversation \(source) (sourceId) not found.", field: "sourceId")
            }
            let unreadMoved = try await tx.conversations.unreadMessages(of: source) > 0
            try await tx.conversations.moveHistory(from: source, to: target, site: site)
            try await tx.conversations.mergeCustomValues(from: source, to: target, site: site)
            let tags = try await tx.conversations.tags(of: [target, source])
            let union = (tags[target] ?? []) + (tags[source] ?? []).filter { !(tags[target] ?? []).contains($0) }
            if union != tags[target] ?? [] { try await tx.conversations.setTags(union, of: target, site: site) }
            try await tx.drafts.delete(of: source)

            if merged.lastRepliedTime > row.lastRepliedTime {
                (row.lastRepliedTime, row.lastRepliedById, row.lastRepliedByType) = (
                    merged.lastRepliedTime, merged.lastRepliedById, merged.lastRepliedByType
                )
            }
            row.lastActivityTime = now
            if unreadMoved { row.isRead = false }
            try await tx.conversations.update(row)
            try await tx.conversations.log(
                "merged", "Conversation #\(source) merged into this conversation by agent \(agent).", conversation: target, site: site, time: now)

            if merged.statusValue != .closed {
                merged.set(status: .closed)
                merged.lastStatusChangeTime = now
            }
            merged.lastActivityTime = now
            try await tx.conversations.update(merged)
            try await tx.conversations.setDeleted(true, ids: [source], site: site, now: now)
            try await tx.conversations.log(
                "merged", "Merged into conversation #\(target) by agent \(agent).", conversation: source, site: site, time: now)
            return try await ConversationStore.wire(row, include: ConversationInclude(nil, single: true), tx: tx)
        }
    }
}

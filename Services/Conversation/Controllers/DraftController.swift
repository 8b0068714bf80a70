import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeDraft: ResponseEncodable {}

/// `/api/v3/anytime/conversations/{id}/draft` (seed 000 L172–L185, L502–L528; spec §3.4, §5.7): one draft a
/// conversation in use. Every agent of the site sees it; only the agent who started it changes or deletes it
/// (decision 222). Saving a draft does not move the conversation's `lastActivityTime`.
struct DraftController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Conversation drafts")
        let errors = [400: "Invalid draft or parameter", 403: "The draft is another agent's", 404: "Not found", 409: "The conversation has a draft"]
        api.get("/conversations/{id}/draft", "Get a conversation's draft", returns: AnytimeDraft.self, errors: errors, use: self.get)
        api.post(
            "/conversations/{id}/draft", "Start a conversation's draft", body: AnytimeDraftInput.self, returns: AnytimeDraft.self, status: .created,
            errors: errors, use: self.create)
        api.put(
            "/conversations/{id}/draft", "Save a conversation's draft (members left out keep their value)", body: AnytimeDraftInput.self,
            returns: AnytimeDraft.self, errors: errors, use: self.update)
        api.delete(
            "/conversations/{id}/draft", "Discard a conversation's draft", returns: EmptyBody.self, status: .noContent, errors: errors,
            use: self.delete)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeDraft {
        let (site, id) = (context.site, try context.conversationId())
        return try await self.store.read { tx in
            guard try await tx.conversations.conversation(id: id, site: site, deleted: false) != nil else {
                throw ServiceError.notFound("Conversation")
            }
            guard let draft = try await tx.drafts.draft(of: id) else { throw ServiceError.notFound("Draft") }
            return draft.wire
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeDraftInput) async throws -> AnytimeDraft {
        let (site, id, agent, now) = (context.site, try context.conversationId(), context.agentId, self.store.now)
        let changes = try DraftChanges(input)
        return try await self.withConversation(id, site: site) { tx in
            if try await tx.drafts.draft(of: id) != nil {
                throw ServiceError(.conflict, message: "The conversation has a draft already: save it with PUT.")
            }
            let draft = changes.draft(conversation: id, site: site, sender: agent, now: now)
            try await Self.checkParent(draft, tx: tx)
            try await tx.drafts.insert(draft)
            return draft.wire
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeDraftInput) async throws -> AnytimeDraft {
        let (site, id, agent, now) = (context.site, try context.conversationId(), context.agentId, self.store.now)
        let changes = try DraftChanges(input)
        return try await self.withConversation(id, site: site) { tx in
            var draft = try await Self.ownDraft(of: id, agent: agent, tx: tx)
            changes.apply(to: &draft, now: now)
            try await Self.checkParent(draft, tx: tx)
            try await tx.drafts.update(draft)
            return draft.wire
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id, agent) = (context.site, try context.conversationId(), context.agentId)
        try await self.withConversation(id, site: site) { tx in
            _ = try await Self.ownDraft(of: id, agent: agent, tx: tx)
            try await tx.drafts.delete(of: id)
        }
        return EmptyBody()
    }

    /// A write under the lock of the site's conversation `id` in use (404 otherwise).
    func withConversation<T: Sendable>(_ id: Int64, site: String, _ body: @escaping @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.store.write(locking: [id]) { tx in
            guard try await tx.conversations.conversation(id: id, site: site, deleted: false) != nil else {
                throw ServiceError.notFound("Conversation")
            }
            return try await body(tx)
        }
    }

    /// The conversation's draft if `agent` started it: 404 without one, 403 for another agent's.
    static func ownDraft(of id: Int64, agent: String, tx: Tx) async throws -> DraftRow {
        guard let draft = try await tx.drafts.draft(of: id) else { throw ServiceError.notFound("Draft") }
        guard draft.senderId == agent else { throw ServiceError.forbidden("The draft is agent \(draft.senderId)'s: only they may change it.") }
        return draft
    }

    /// `parentId` must name a message of the draft's conversation, as a reply's must (spec §5.9).
    static func checkParent(_ draft: DraftRow, tx: Tx) async throws {
        if let parentId = draft.parentId, try await !tx.conversations.hasMessage(parentId, in: draft.conversationId) {
            throw ServiceError.invalid("parentId", "Field 'parentId' must name a message of this conversation.")
        }
    }
}

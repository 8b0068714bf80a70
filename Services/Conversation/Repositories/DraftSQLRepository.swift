import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Conversations' draft replies (spec §3.4, §5.7).
struct DraftSQLRepository {
    let sql: any SQLDatabase

    /// The conversation's draft, if it has one.
    func draft(of conversation: Int64) async throws -> DraftRow? {
        try await self.sql.select().column("*").from("conversation_drafts").where("conversation_id", .equal, conversation).first(DraftRow.self)
    }

    /// Which of `ids` have a draft (`hasDraft`).
    func withDrafts(_ ids: [Int64]) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await self.sql.select().column("conversation_id", as: "id").from("conversation_drafts").where("conversation_id", .in, ids)
            .all(IDRow.self)
        return Set(rows.map(\.id))
    }

    func insert(_ draft: DraftRow) async throws {
        try await self.sql.insert(into: "conversation_drafts").row(draft).run()
    }

    func update(_ draft: DraftRow) async throws {
        try await self.sql.update("conversation_drafts").set(row: draft).where("id", .equal, draft.id).run()
    }

    /// Removes the conversation's draft (only `sender`'s, when given).
    func delete(of conversation: Int64, sender: String? = nil) async throws {
        let delete = self.sql.delete(from: "conversation_drafts").where("conversation_id", .equal, conversation)
        if let sender { delete.where("sender_id", .equal, sender) }
        try await delete.run()
    }
}

extension Tx {
    var drafts: DraftSQLRepository { DraftSQLRepository(sql: self.sql) }
}

/// A `conversation_drafts` row.
struct DraftRow: Codable, Sendable {
    var id, siteId: String
    var conversationId: Int64
    var channelAccountId, contactIdentityId, parentId, subject, cc: String?
    var contents: JSONText<[AnytimeContent]>
    var mentionedAgentIds: JSONText<[String]>
    var senderId: String
    var time: Int64

    var wire: AnytimeDraft {
        AnytimeDraft(
            id: self.id, conversationId: Int(self.conversationId), channelAccountId: self.channelAccountId, contactIdentityId: self.contactIdentityId,
            parentId: self.parentId, subject: self.subject, cc: self.cc, contents: self.contents.value,
            mentionedAgentIds: self.mentionedAgentIds.value, senderId: self.senderId, time: AnytimeTime.format(self.time))
    }
}

import Foundation
import SQLKit
import ServiceKit

extension ConversationSQLRepository {
    /// Moves the messages (with their contents and mentions) and the event logs of conversation `source` to `target`.
    func moveHistory(from source: Int64, to target: Int64, site: String) async throws {
        for table in ["conversation_messages", "conversation_message_contents", "conversation_mentions", "conversation_event_logs"] {
            try await self.sql.update(table).set("conversation_id", to: target).where("conversation_id", .equal, source)
                .where("site_id", .equal, site).run()
        }
    }
}

extension ConversationSQLRepository {
    /// Gives `target` the custom field values `source` holds for fields it has no value of; its own values win.
    func mergeCustomValues(from source: Int64, to target: Int64, site: String) async throws {
        let rows = try await self.sql.select().column("*").from("conversation_custom_values").where("conversation_id", .in, [source, target])
            .where("site_id", .equal, site).all(MergedValueRow.self)
        let held = Set(rows.filter { $0.conversationId == target }.map(\.fieldId))
        let moving = rows.filter { $0.conversationId == source && !held.contains($0.fieldId) }.map {
            MergedValueRow(conversationId: target, siteId: $0.siteId, fieldId: $0.fieldId, value: $0.value)
        }
        guard !moving.isEmpty else { return }
        try await self.sql.insert(into: "conversation_custom_values").rows(moving).run()
    }
}

/// A `conversation_custom_values` row as a merge copies it.
struct MergedValueRow: Codable, Sendable {
    var conversationId: Int64
    var siteId, fieldId, value: String
}

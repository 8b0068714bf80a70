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

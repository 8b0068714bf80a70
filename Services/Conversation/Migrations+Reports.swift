import SQLKit
import ServiceKit

/// The reports' history (spec §5.22; decision 280): every status change of a conversation with its time and the
/// assignee at that moment, written where the change happens; the statements of migration conversation-080 of
/// ``ConversationMigrations/all``. Creation times, messages and SLA outcomes already carry their times, so they need
/// no copy here. Nothing is backfilled: changes made before this migration are not in it.
extension ConversationMigrations {
    /// conversation-080: one row a status change; the reports read it by site and time.
    static func statusChanges(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        let autoID = ServiceKitMigrations.autoIncrementID(engine)
        try await sql.raw(
            """
            CREATE TABLE conversation_status_changes (
                \(unsafeRaw: autoID), site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL, from_status VARCHAR(32) NOT NULL,
                to_status VARCHAR(32) NOT NULL, agent_id VARCHAR(64), department_id VARCHAR(64), time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_status_changes_site ON conversation_status_changes (site_id, time)").run()
        try await sql.raw("CREATE INDEX conversation_status_changes_conversation ON conversation_status_changes (conversation_id, time)").run()
        // The reports count agent replies and contact messages of a site by time.
        try await sql.raw("CREATE INDEX conversation_messages_site_time ON conversation_messages (site_id, time)").run()
        try await sql.raw("CREATE INDEX conversations_site_created ON conversations (site_id, created_time)").run()
    }
}

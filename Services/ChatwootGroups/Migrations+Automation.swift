import SQLKit
import ServiceKit

/// Automation rules and scheduled messages (lane A's range, chatwoot-090 to chatwoot-099).
extension ChatwootMigrations {
    static let automation: [Migration] = [
        Migration("chatwoot-090-automation-rules") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            // Conditions and actions are JSON arrays kept as text, as Chatwoot's jsonb columns.
            try await database.raw(
                """
                CREATE TABLE automation_rules (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), name VARCHAR(255) NOT NULL, description TEXT,
                    event_name VARCHAR(64) NOT NULL, conditions TEXT NOT NULL, actions TEXT NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            // Every event asks whether its account has an active rule for it.
            try await database.raw("CREATE INDEX automation_rules_event ON automation_rules (account_id, event_name, active)").run()
        },
        Migration("chatwoot-091-scheduled-messages") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE scheduled_messages (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), inbox_id BIGINT NOT NULL,
                    conversation_id BIGINT NOT NULL REFERENCES conversations(id), author_type VARCHAR(32), author_id BIGINT, content TEXT,
                    scheduled_at BIGINT, status VARCHAR(16) NOT NULL DEFAULT 'draft', template_params TEXT, message_id BIGINT, job_id BIGINT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX scheduled_messages_conversation ON scheduled_messages (conversation_id, scheduled_at)").run()
        },
    ]
}

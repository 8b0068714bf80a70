import SQLKit
import ServiceKit

/// Reporting events and the account's labels by id (helper R's range, chatwoot-100 to chatwoot-109).
extension ChatwootMigrations {
    static let reports: [Migration] = [
        Migration("chatwoot-100-reporting-events-labels") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            // Chatwoot's `reporting_events`: one row per thing that happened (first response, reply, resolution, bot
            // handoff), written in the transaction of the change; values in seconds (decision 315).
            try await database.raw(
                """
                CREATE TABLE reporting_events (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), inbox_id BIGINT, user_id BIGINT,
                    conversation_id BIGINT, name VARCHAR(64) NOT NULL, value DOUBLE PRECISION NOT NULL,
                    value_in_business_hours DOUBLE PRECISION NOT NULL, event_start_time BIGINT NOT NULL, event_end_time BIGINT NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            // Reports read an account's events of one name over a time range; the conversation's list reads its own.
            try await database.raw("CREATE INDEX reporting_events_report ON reporting_events (account_id, name, created_at)").run()
            try await database.raw("CREATE INDEX reporting_events_conversation ON reporting_events (conversation_id, id)").run()
            // The account's labels with ids (Chatwoot's `labels`), which the label reports name: a title gets its id the
            // first time a conversation carries it (decision 317).
            try await database.raw(
                """
                CREATE TABLE labels (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), title VARCHAR(255) NOT NULL,
                    created_at BIGINT NOT NULL, UNIQUE (account_id, title)
                )
                """
            ).run()
            try await database.raw(
                """
                INSERT INTO labels (account_id, title, created_at)
                SELECT c.account_id, l.label, MIN(l.created_at) FROM conversation_labels l JOIN conversations c ON c.id = l.conversation_id
                GROUP BY c.account_id, l.label
                """
            ).run()
            // Reports count an account's conversations and messages by creation time.
            try await database.raw("CREATE INDEX conversations_created ON conversations (account_id, created_at)").run()
            try await database.raw("CREATE INDEX messages_report ON messages (account_id, created_at)").run()
        }
    ]
}

import SQLKit
import ServiceKit

/// Conversations, their labels, messages and message files (helper G's range, chatwoot-050 to chatwoot-069).
extension ChatwootMigrations {
    static let conversations: [Migration] = [
        Migration("chatwoot-050-conversations-messages") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            let binary = engine == .postgres ? "BYTEA" : "BLOB"
            // Contacts are helper F's tables; a conversation needs one, so the columns conversations read are made
            // here when F's migration has not made them first (decision 331).
            try await database.raw(
                """
                CREATE TABLE IF NOT EXISTS contacts (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL, name VARCHAR(255), email VARCHAR(320), phone_number VARCHAR(64),
                    identifier VARCHAR(255), additional_attributes TEXT NOT NULL DEFAULT '{}', custom_attributes TEXT NOT NULL DEFAULT '{}',
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw(
                """
                CREATE TABLE IF NOT EXISTS contact_inboxes (
                    \(unsafeRaw: id), contact_id BIGINT NOT NULL, inbox_id BIGINT NOT NULL, source_id VARCHAR(255) NOT NULL,
                    hmac_verified BOOLEAN NOT NULL DEFAULT FALSE, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            // The last display id of each account: conversations are numbered per account (Chatwoot's `display_id`).
            try await database.raw(
                "CREATE TABLE conversation_display_ids (account_id BIGINT PRIMARY KEY REFERENCES accounts(id), last_display_id BIGINT NOT NULL)"
            ).run()
            try await database.raw(
                """
                CREATE TABLE conversations (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), inbox_id BIGINT NOT NULL REFERENCES inboxes(id),
                    display_id BIGINT NOT NULL, uuid VARCHAR(36) NOT NULL UNIQUE, contact_id BIGINT NOT NULL, contact_inbox_id BIGINT,
                    status VARCHAR(16) NOT NULL DEFAULT 'open', priority VARCHAR(16), assignee_id BIGINT, team_id BIGINT, snoozed_until BIGINT,
                    snooze_job_id BIGINT, muted BOOLEAN NOT NULL DEFAULT FALSE, custom_attributes TEXT NOT NULL DEFAULT '{}',
                    additional_attributes TEXT NOT NULL DEFAULT '{}', agent_last_seen_at BIGINT, assignee_last_seen_at BIGINT,
                    contact_last_seen_at BIGINT, first_reply_created_at BIGINT, waiting_since BIGINT, last_activity_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (account_id, display_id)
                )
                """
            ).run()
            // The list: an account's conversations of a status, newest activity first.
            try await database.raw("CREATE INDEX conversations_list ON conversations (account_id, status, last_activity_at, id)").run()
            try await database.raw("CREATE INDEX conversations_inbox ON conversations (inbox_id, status)").run()
            try await database.raw(
                """
                CREATE TABLE conversation_labels (
                    conversation_id BIGINT NOT NULL REFERENCES conversations(id), label VARCHAR(255) NOT NULL, created_at BIGINT NOT NULL,
                    PRIMARY KEY (conversation_id, label)
                )
                """
            ).run()
            try await database.raw("CREATE INDEX conversation_labels_label ON conversation_labels (label, conversation_id)").run()
            try await database.raw(
                """
                CREATE TABLE messages (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL, inbox_id BIGINT NOT NULL, conversation_id BIGINT NOT NULL REFERENCES conversations(id),
                    message_type INTEGER NOT NULL, content TEXT, content_type VARCHAR(32) NOT NULL DEFAULT 'text',
                    content_attributes TEXT NOT NULL DEFAULT '{}', additional_attributes TEXT NOT NULL DEFAULT '{}', private BOOLEAN NOT NULL DEFAULT FALSE,
                    status VARCHAR(16) NOT NULL DEFAULT 'sent', source_id VARCHAR(255), sender_type VARCHAR(32), sender_id BIGINT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX messages_conversation ON messages (conversation_id, id)").run()
            // Files are kept in the database so every instance serves them (as conversation's attachments).
            try await database.raw(
                """
                CREATE TABLE message_attachments (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL, message_id BIGINT NOT NULL REFERENCES messages(id), file_type VARCHAR(16) NOT NULL,
                    file_name TEXT NOT NULL, content_type VARCHAR(255) NOT NULL, byte_size BIGINT NOT NULL, data \(unsafeRaw: binary) NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX message_attachments_message ON message_attachments (message_id)").run()
        },
        Migration("chatwoot-051-conversation-tab-counts") { database, engine in
            try await ChatwootMigrations.tabCounts(database, engine)
            // The filter endpoint's and the "mine" tab's conversations of one assignee, counted from the index alone.
            try await database.raw("CREATE INDEX conversations_assignee ON conversations (account_id, assignee_id, status, last_activity_at, id)")
                .run()
        },
        // Where each inbox's round robin stands: the member the last auto-assigned conversation went to (decision 360).
        Migration("chatwoot-052-inbox-round-robin") { database, _ in
            try await database.raw("CREATE TABLE inbox_round_robin (inbox_id BIGINT PRIMARY KEY, last_user_id BIGINT NOT NULL)").run()
        },
        // One assignee's conversations again, with the inbox at the end: an agent's or an administrator's inboxes are
        // checked from the index alone, so the filter endpoint's counts read no conversation (docs/benchmarks.md).
        Migration("chatwoot-053-assignee-index-with-inbox") { database, _ in
            try await database.raw("DROP INDEX conversations_assignee").run()
            try await database.raw(
                "CREATE INDEX conversations_assignee ON conversations (account_id, assignee_id, status, last_activity_at, id, inbox_id)"
            ).run()
        },
    ]
}

import SQLKit
import ServiceKit

/// Contacts, their inboxes (source ids) and labels (helper F's range, chatwoot-040 to chatwoot-049).
extension ChatwootMigrations {
    static let contacts: [Migration] = [
        Migration("chatwoot-040-contacts") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            // The columns conversations' migration (chatwoot-050) also makes when it runs first: either order leaves
            // the same tables (decision 320).
            try await database.raw(
                """
                CREATE TABLE IF NOT EXISTS contacts (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL, name VARCHAR(255), email VARCHAR(320), phone_number VARCHAR(64),
                    identifier VARCHAR(255), additional_attributes TEXT NOT NULL DEFAULT '{}', custom_attributes TEXT NOT NULL DEFAULT '{}',
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            for column in [
                "blocked BOOLEAN NOT NULL DEFAULT FALSE", "avatar_url TEXT", "last_activity_at BIGINT",
                "contact_type VARCHAR(16) NOT NULL DEFAULT 'visitor'",
            ] {
                try await database.raw("ALTER TABLE contacts ADD COLUMN \(unsafeRaw: column)").run()
            }
            // Unique per account, as Chatwoot's validations and indexes (emails kept lowercased; NULLs never clash).
            try await database.raw("CREATE UNIQUE INDEX contacts_email ON contacts (account_id, email)").run()
            try await database.raw("CREATE UNIQUE INDEX contacts_phone_number ON contacts (account_id, phone_number)").run()
            try await database.raw("CREATE UNIQUE INDEX contacts_identifier ON contacts (account_id, identifier)").run()
            try await database.raw("CREATE INDEX contacts_activity ON contacts (account_id, last_activity_at, id)").run()
            try await database.raw(
                """
                CREATE TABLE IF NOT EXISTS contact_inboxes (
                    \(unsafeRaw: id), contact_id BIGINT NOT NULL, inbox_id BIGINT NOT NULL, source_id VARCHAR(255) NOT NULL,
                    hmac_verified BOOLEAN NOT NULL DEFAULT FALSE, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            // The widget's and the Client API's websocket token (Chatwoot's `contact_inboxes.pubsub_token`).
            try await database.raw("ALTER TABLE contact_inboxes ADD COLUMN pubsub_token VARCHAR(64)").run()
            try await database.raw("CREATE UNIQUE INDEX contact_inboxes_source ON contact_inboxes (inbox_id, source_id)").run()
            try await database.raw("CREATE UNIQUE INDEX contact_inboxes_pubsub ON contact_inboxes (pubsub_token)").run()
            try await database.raw("CREATE INDEX contact_inboxes_contact ON contact_inboxes (contact_id, inbox_id)").run()
            // Labels (Chatwoot's taggings on a Contact): names as given.
            try await database.raw(
                """
                CREATE TABLE contact_labels (
                    contact_id BIGINT NOT NULL, label VARCHAR(255) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (contact_id, label)
                )
                """
            ).run()
            try await database.raw("CREATE INDEX contact_labels_label ON contact_labels (label, contact_id)").run()
        }
    ]
}

import SQLKit
import ServiceKit

/// The events' and the small account resources' tables (helper H's range, chatwoot-070 to chatwoot-089).
extension ChatwootMigrations {
    static let events: [Migration] = [
        // Webhook subscriptions (Chatwoot's `webhooks`): one URL per account, the events as a JSON array of names, the
        // secret that signs deliveries.
        Migration("chatwoot-070-webhooks") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE webhooks (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), inbox_id BIGINT REFERENCES inboxes(id),
                    name VARCHAR(255), url VARCHAR(2048) NOT NULL, subscriptions TEXT NOT NULL,
                    webhook_type VARCHAR(16) NOT NULL DEFAULT 'account_type', secret VARCHAR(128) NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (account_id, url)
                )
                """
            ).run()
        },
        // Canned responses: short codes unique per account.
        Migration("chatwoot-071-canned-responses") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE canned_responses (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), short_code VARCHAR(255) NOT NULL,
                    content TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (account_id, short_code)
                )
                """
            ).run()
        },
        // Custom attribute definitions: keys unique per account and model; the list's options as a JSON array.
        Migration("chatwoot-072-custom-attribute-definitions") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE custom_attribute_definitions (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), attribute_key VARCHAR(255) NOT NULL,
                    attribute_model VARCHAR(32) NOT NULL, attribute_display_name VARCHAR(255) NOT NULL,
                    attribute_display_type VARCHAR(16) NOT NULL, attribute_description TEXT, regex_pattern TEXT, regex_cue TEXT,
                    attribute_values TEXT NOT NULL DEFAULT '[]', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    UNIQUE (account_id, attribute_model, attribute_key)
                )
                """
            ).run()
        },
        // Custom filters: each user's saved queries (JSON) by type.
        Migration("chatwoot-073-custom-filters") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE custom_filters (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), user_id BIGINT NOT NULL REFERENCES users(id),
                    name VARCHAR(255) NOT NULL, filter_type VARCHAR(16) NOT NULL, query TEXT NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX custom_filters_owner ON custom_filters (account_id, user_id, filter_type, id)").run()
        },
        // The audit trail: one row per audited change, newest listed first.
        Migration("chatwoot-074-audit-logs") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE audit_logs (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), auditable_type VARCHAR(64) NOT NULL,
                    auditable_id BIGINT NOT NULL, action VARCHAR(16) NOT NULL, audited_changes TEXT NOT NULL, version INTEGER NOT NULL,
                    user_id BIGINT, username VARCHAR(320), request_uuid VARCHAR(64) NOT NULL, remote_address VARCHAR(64),
                    created_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX audit_logs_account ON audit_logs (account_id, id)").run()
            try await database.raw("CREATE INDEX audit_logs_auditable ON audit_logs (auditable_type, auditable_id, version)").run()
        },
    ]
}

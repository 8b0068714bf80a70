import SQLKit
import ServiceKit

/// The configuration tables of the Anytime API beyond conversations (decisions 229–238): channel accounts, fields
/// with their options and the values conversations hold, blocked senders and junk; the statements of migrations
/// conversation-020 to -022 of ``ConversationMigrations/all``. Ids are server-made GUIDs, every row scoped by `site_id`.
extension ConversationMigrations {
    /// conversation-020.
    static func channelAccounts(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_channel_accounts (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, channel_id VARCHAR(32) NOT NULL, name VARCHAR(256) NOT NULL,
                name_key VARCHAR(256) NOT NULL, created_time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            "CREATE UNIQUE INDEX conversation_channel_accounts_name ON conversation_channel_accounts (site_id, channel_id, name_key)"
        ).run()
    }

    /// conversation-021.
    static func fields(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_fields (
                id VARCHAR(64) NOT NULL, site_id VARCHAR(64) NOT NULL, type VARCHAR(16) NOT NULL, name VARCHAR(256) NOT NULL,
                name_key VARCHAR(256) NOT NULL, is_system_field BOOLEAN NOT NULL, is_required BOOLEAN NOT NULL, default_value TEXT,
                help_text TEXT, max_length INTEGER, chat_field_mapping VARCHAR(64), offline_message_field_mapping VARCHAR(64),
                created_time BIGINT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (site_id, id)
            )
            """
        ).run()
        try await sql.raw("CREATE UNIQUE INDEX conversation_fields_name ON conversation_fields (site_id, name_key)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_field_options (
                id VARCHAR(36) NOT NULL, site_id VARCHAR(64) NOT NULL, field_id VARCHAR(64) NOT NULL, name VARCHAR(256) NOT NULL,
                value VARCHAR(256) NOT NULL, order_num INTEGER NOT NULL, PRIMARY KEY (site_id, id)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_field_options_field ON conversation_field_options (site_id, field_id, order_num)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_custom_values (
                conversation_id BIGINT NOT NULL, site_id VARCHAR(64) NOT NULL, field_id VARCHAR(64) NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (conversation_id, field_id)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_custom_values_field ON conversation_custom_values (site_id, field_id)").run()
    }

    /// conversation-022.
    static func blockedSendersAndJunks(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_blocked_senders (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, value VARCHAR(320) NOT NULL, value_key VARCHAR(320) NOT NULL,
                block_type VARCHAR(32) NOT NULL, created_time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE UNIQUE INDEX conversation_blocked_senders_value ON conversation_blocked_senders (site_id, value_key)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_junks (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, channel_account VARCHAR(64), contact_identity_id VARCHAR(64),
                sender_address VARCHAR(320) NOT NULL, source VARCHAR(32) NOT NULL, original_message_id TEXT, original_message_url TEXT,
                parent_id VARCHAR(64), subject TEXT, cc TEXT, is_read BOOLEAN NOT NULL, sender_id VARCHAR(64), sender_type VARCHAR(16) NOT NULL,
                time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_junks_site_time ON conversation_junks (site_id, time)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_junk_contents (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, junk_id VARCHAR(36) NOT NULL, position INTEGER NOT NULL,
                type VARCHAR(16) NOT NULL, text TEXT, html_text TEXT, name TEXT, url TEXT, title TEXT, latitude VARCHAR(64),
                longitude VARCHAR(64), scale VARCHAR(64), desc_text TEXT
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_junk_contents_junk ON conversation_junk_contents (junk_id, position)").run()
    }
}

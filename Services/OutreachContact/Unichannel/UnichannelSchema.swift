import SQLKit
import ServiceKit

/// The Outbound Unichannel's tables. `outbound_messages` is also the dispatcher's work table: a `queued` row whose
/// `due_at` has come is claimed with a lease (`lease_owner`, `lease_until`), and `attempt_count` counts the carrier's
/// "try later" answers. Credentials are a JSON column, read and written whole, never filtered, and sealed (decision 239).
enum UnichannelSchema {
    static let migration = Migration(
        "outreach-unichannel-001",
        statements: [
            """
            CREATE TABLE channel_accounts (
                id CHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, name TEXT NOT NULL, channel VARCHAR(16) NOT NULL,
                carrier VARCHAR(16) NOT NULL, from_address TEXT NOT NULL, credentials TEXT NOT NULL, callback_secret TEXT NOT NULL,
                create_time BIGINT NOT NULL, last_updated_time BIGINT NOT NULL
            )
            """,
            "CREATE INDEX channel_accounts_site ON channel_accounts (site_id, create_time)",
            """
            CREATE TABLE outbound_messages (
                id CHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, channel_account_id CHAR(36) NOT NULL, carrier VARCHAR(16) NOT NULL,
                contact_id CHAR(36), to_address TEXT NOT NULL, message TEXT NOT NULL, attachments TEXT NOT NULL, callback_url TEXT,
                outreach_message_id CHAR(36), status VARCHAR(16) NOT NULL, failed_reason TEXT NOT NULL, origin_message_id TEXT NOT NULL,
                sent_time BIGINT, create_time BIGINT NOT NULL, last_updated_time BIGINT NOT NULL,
                attempt_count INTEGER NOT NULL, due_at BIGINT NOT NULL, lease_owner VARCHAR(64), lease_until BIGINT
            )
            """,
            "CREATE INDEX outbound_messages_due ON outbound_messages (status, due_at)",
            "CREATE INDEX outbound_messages_site ON outbound_messages (site_id, create_time)",
        ])

    /// Ids as VARCHAR on PostgreSQL, where a `CHAR(36)` column compared with a text bind is cast to text and its index
    /// left unused (decision 212; the contact tables' migration 002 did the same). SQLite only has type affinity.
    static let varcharIDs = Migration("outreach-unichannel-002-varchar-ids") { sql, engine in
        guard engine == .postgres else { return }
        let ids = [("channel_accounts", ["id"]), ("outbound_messages", ["id", "channel_account_id", "contact_id", "outreach_message_id"])]
        for (table, columns) in ids {
            let changes = columns.map { SQLQueryString("ALTER COLUMN \(ident: $0) TYPE VARCHAR(36)") }
            try await sql.raw("ALTER TABLE \(ident: table) \(SQLList(changes))").run()
        }
    }

    /// Soft-deleted channel accounts (`deleted_time`: their keys still check the reports of messages already sent,
    /// decision 217), the callback secret copied onto each message at enqueue (its callbacks stay signed whatever
    /// becomes of the account), and `claim_count`, the dispatcher's claims of a message (decision 218).
    static let accountsKept = Migration(
        "outreach-unichannel-003-accounts-kept",
        statements: [
            "ALTER TABLE channel_accounts ADD COLUMN deleted_time BIGINT",
            "ALTER TABLE outbound_messages ADD COLUMN callback_secret TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE outbound_messages ADD COLUMN claim_count INTEGER NOT NULL DEFAULT 0",
            """
            UPDATE outbound_messages SET callback_secret = COALESCE(
                (SELECT a.callback_secret FROM channel_accounts a WHERE a.id = outbound_messages.channel_account_id), '')
            """,
        ])

    /// The claim's order (`due_at`, then `id`) read from the index: a campaign's messages are queued with one `due_at`,
    /// and on `(status, due_at)` alone each claim sorted every queued message by id to take the first few (decision 249).
    static let claimOrder = Migration(
        "outreach-unichannel-004-claim-order",
        statements: [
            "DROP INDEX outbound_messages_due",
            "CREATE INDEX outbound_messages_due ON outbound_messages (status, due_at, id)",
        ])
}

import SQLKit
import ServiceKit

/// outreach-contact's schema: a table per object, a column for whatever is filtered, sorted, unique or tenant-scoping
/// (decision 92). Client text is `TEXT` (PostgreSQL counts a `VARCHAR`'s length in code points, Swift in characters); what
/// is indexed is bounded in bytes where it is checked. A contact's custom field values are rows of `contact_values` (one per field set), with the number and
/// the day conditions compare beside the text.
enum OutreachMigrations {
    static let all: [Migration] = [
        Migration(
            "outreach-001-contacts",
            statements: [
                """
                CREATE TABLE contact_fields (
                    id CHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL,
                    is_system BOOLEAN NOT NULL, is_identity BOOLEAN NOT NULL, identity_type VARCHAR(32), is_required BOOLEAN NOT NULL,
                    is_visible BOOLEAN NOT NULL, is_read_only BOOLEAN NOT NULL, type VARCHAR(32) NOT NULL, length INTEGER NOT NULL,
                    help_text TEXT NOT NULL, default_value TEXT NOT NULL, sort_order INTEGER NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX contact_fields_name ON contact_fields (site_id, name_key)",
                """
                CREATE TABLE contact_field_options (
                    id CHAR(36) PRIMARY KEY, field_id CHAR(36) NOT NULL, site_id VARCHAR(64) NOT NULL, value TEXT NOT NULL,
                    display_text TEXT NOT NULL, sort_order INTEGER NOT NULL
                )
                """,
                "CREATE INDEX contact_field_options_site ON contact_field_options (site_id, field_id)",
                """
                CREATE TABLE contacts (
                    id CHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL,
                    create_time BIGINT NOT NULL, create_day BIGINT NOT NULL, last_updated_time BIGINT NOT NULL, last_updated_day BIGINT NOT NULL,
                    merge_to_contact_id CHAR(36)
                )
                """,
                "CREATE INDEX contacts_site_created ON contacts (site_id, create_time)",
                "CREATE INDEX contacts_site_updated ON contacts (site_id, last_updated_time)",
                "CREATE INDEX contacts_site_name ON contacts (site_id, name_key)",
                """
                CREATE TABLE contact_identities (
                    id CHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, contact_id CHAR(36) NOT NULL, identity_type VARCHAR(32) NOT NULL,
                    value TEXT NOT NULL, value_key TEXT NOT NULL, name TEXT NOT NULL, avatar_url TEXT NOT NULL,
                    info_url TEXT NOT NULL, screen_name TEXT NOT NULL, original_contact_page_url TEXT NOT NULL, sort_order INTEGER NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX contact_identities_value ON contact_identities (site_id, identity_type, value_key)",
                "CREATE INDEX contact_identities_contact ON contact_identities (contact_id)",
                """
                CREATE TABLE contact_values (
                    contact_id CHAR(36) NOT NULL, field_id CHAR(36) NOT NULL, site_id VARCHAR(64) NOT NULL, text_value TEXT NOT NULL,
                    number_value DOUBLE PRECISION, day_value BIGINT, PRIMARY KEY (contact_id, field_id)
                )
                """,
                "CREATE INDEX contact_values_field ON contact_values (field_id, number_value)",
            ]),
        UnichannelSchema.migration,
        OutreachSchema.migration,
        // Contacts at scale (decisions 184 and 186): ids as VARCHAR on PostgreSQL, where a `CHAR(36)` column compared
        // with a text bind is cast to text and its index left unused; then the indexes `contacts:query` finds a field
        // value's or an identity's holders by.
        Migration("outreach-contact-002-contacts-at-scale") { sql, engine in
            if engine == .postgres {
                let ids = [
                    ("contact_fields", ["id"]), ("contact_field_options", ["id", "field_id"]), ("contacts", ["id", "merge_to_contact_id"]),
                    ("contact_identities", ["id", "contact_id"]), ("contact_values", ["contact_id", "field_id"]),
                ]
                for (table, columns) in ids {
                    let changes = columns.map { SQLQueryString("ALTER COLUMN \(ident: $0) TYPE VARCHAR(36)") }
                    try await sql.raw("ALTER TABLE \(ident: table) \(SQLList(changes))").run()
                }
            }
            try await sql.raw("CREATE INDEX contact_values_text ON contact_values (field_id, LOWER(text_value))").run()
            try await sql.raw("CREATE INDEX contact_identities_type_value ON contact_identities (identity_type, value_key)").run()
        },
        UnichannelSchema.varcharIDs,
        UnichannelSchema.accountsKept,
        UnichannelSchema.claimOrder,
    ]
}

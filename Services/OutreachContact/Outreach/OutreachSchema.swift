import ServiceKit

/// The Outreach API's tables: campaigns with their conditions, one row per `:send` (with the campaign as it was, as
/// JSON: it is only ever read whole), and messages with a column for each list filter and sort (decision 92).
/// Times are epoch milliseconds; `attached_to_ticket_id` is the ticket id as text (spec §6 #27). Ids are `VARCHAR(36)`:
/// PostgreSQL compares a `CHAR` column with a text bind as text and leaves its index unused.
enum OutreachSchema {
    static let migration = Migration(
        "outreach-003-campaigns-messages",
        statements: [
            """
            CREATE TABLE outreach_campaigns (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, description TEXT NOT NULL,
                channel VARCHAR(16) NOT NULL, channel_account_id VARCHAR(36) NOT NULL, message TEXT NOT NULL, is_auto_attached BOOLEAN NOT NULL,
                preferred_ticket VARCHAR(32) NOT NULL, attach_time VARCHAR(32) NOT NULL, met_type VARCHAR(32) NOT NULL,
                logical_expression TEXT NOT NULL, scheduled_start_time BIGINT, scheduled_job_id BIGINT, create_time BIGINT NOT NULL
            )
            """,
            "CREATE INDEX outreach_campaigns_site_name ON outreach_campaigns (site_id, name_key)",
            "CREATE INDEX outreach_campaigns_site_account ON outreach_campaigns (site_id, channel_account_id)",
            """
            CREATE TABLE outreach_campaign_conditions (
                id VARCHAR(36) PRIMARY KEY, campaign_id VARCHAR(36) NOT NULL, site_id VARCHAR(64) NOT NULL, field_name TEXT NOT NULL,
                operator VARCHAR(32) NOT NULL, value TEXT NOT NULL, condition_order INTEGER NOT NULL
            )
            """,
            "CREATE INDEX outreach_campaign_conditions_campaign ON outreach_campaign_conditions (campaign_id)",
            """
            CREATE TABLE outreach_campaign_records (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, campaign_id VARCHAR(36) NOT NULL, sent_time BIGINT NOT NULL,
                campaign TEXT NOT NULL
            )
            """,
            "CREATE INDEX outreach_campaign_records_campaign ON outreach_campaign_records (site_id, campaign_id, sent_time)",
            """
            CREATE TABLE outreach_messages (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, sent_time BIGINT NOT NULL, channel VARCHAR(16) NOT NULL,
                channel_account_id VARCHAR(36) NOT NULL, contact_id VARCHAR(36) NOT NULL, message TEXT NOT NULL, from_address TEXT NOT NULL,
                to_address TEXT NOT NULL, from_key TEXT NOT NULL, to_key TEXT NOT NULL, status VARCHAR(16) NOT NULL, failed_reason TEXT NOT NULL,
                campaign_id VARCHAR(36), campaign_record_id VARCHAR(36), campaign_sent_time BIGINT, is_auto_attached BOOLEAN NOT NULL,
                preferred_ticket VARCHAR(32) NOT NULL, attach_time VARCHAR(32) NOT NULL, attached_to_ticket_id TEXT, callback_url TEXT,
                outbound_message_id VARCHAR(36)
            )
            """,
            "CREATE INDEX outreach_messages_site_sent ON outreach_messages (site_id, sent_time)",
            "CREATE INDEX outreach_messages_record ON outreach_messages (site_id, campaign_record_id)",
            "CREATE INDEX outreach_messages_campaign ON outreach_messages (site_id, campaign_id)",
            "CREATE INDEX outreach_messages_contact ON outreach_messages (site_id, contact_id, sent_time)",
        ])
}

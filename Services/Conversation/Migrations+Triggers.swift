import SQLKit
import ServiceKit

/// The trigger tables (decisions 272–279): triggers with their conditions and the fields they set, the time-based
/// firings (one a trigger, conversation and status episode), and the emails they send; the statements of migrations
/// conversation-070 to -072 of ``ConversationMigrations/all``. Every row is scoped by `site_id`.
extension ConversationMigrations {
    /// conversation-070: triggers in `order_num` order (1, 2, … within a site); `combination` is the conditions' `when`;
    /// `recipient_agent_ids` is a JSON array, `attachments` one of {id, fileName, url}; `job_id`/`job_due` are the time-based sweep armed for a
    /// `conversationStatusLastForCertainTime` trigger.
    static func triggers(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_triggers (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, description TEXT NOT NULL, is_enabled BOOLEAN NOT NULL,
                event VARCHAR(64) NOT NULL, combination VARCHAR(32) NOT NULL, logic_expression TEXT, if_set_value BOOLEAN NOT NULL,
                if_send_email BOOLEAN NOT NULL, if_send_to_contacts BOOLEAN NOT NULL, if_send_to_agents BOOLEAN NOT NULL,
                recipient_agent_ids TEXT NOT NULL, subject TEXT NOT NULL, html_text TEXT NOT NULL, plain_text TEXT NOT NULL,
                attachments TEXT NOT NULL, if_show_in_correspondences BOOLEAN NOT NULL, order_num INTEGER NOT NULL,
                created_time BIGINT NOT NULL, job_id BIGINT, job_due BIGINT
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_triggers_site ON conversation_triggers (site_id, event, order_num)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_trigger_conditions (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, trigger_id VARCHAR(36) NOT NULL, field_id VARCHAR(64) NOT NULL,
                match_type VARCHAR(16) NOT NULL, match_value TEXT NOT NULL, order_num INTEGER NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_trigger_conditions_trigger ON conversation_trigger_conditions (trigger_id, order_num)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_trigger_updates (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, trigger_id VARCHAR(36) NOT NULL, field_id VARCHAR(64) NOT NULL,
                value TEXT NOT NULL, position INTEGER NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_trigger_updates_trigger ON conversation_trigger_updates (trigger_id, position)").run()
    }

    /// conversation-071: a time-based trigger fired for a conversation's status episode (the episode is the
    /// conversation's `last_status_change_time` when it began), so it fires once an episode.
    static func triggerFirings(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_trigger_firings (
                trigger_id VARCHAR(36) NOT NULL, conversation_id BIGINT NOT NULL, episode BIGINT NOT NULL, site_id VARCHAR(64) NOT NULL,
                time BIGINT NOT NULL, PRIMARY KEY (trigger_id, conversation_id, episode)
            )
            """
        ).run()
    }

    /// conversation-072: the emails triggers send, written in the transaction of the event that fired them; delivery (a
    /// job of the scheduler) resolves the recipients' addresses and records the outcome here.
    static func triggerEmails(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_trigger_emails (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL, trigger_id VARCHAR(36) NOT NULL,
                description TEXT NOT NULL, audience VARCHAR(16) NOT NULL, recipient_ids TEXT NOT NULL, addresses TEXT, subject TEXT NOT NULL,
                html_text TEXT NOT NULL, plain_text TEXT NOT NULL, attachment_ids TEXT NOT NULL, status VARCHAR(16) NOT NULL,
                attempts INTEGER NOT NULL, last_error TEXT, message_id TEXT, created_time BIGINT NOT NULL, sent_time BIGINT
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_trigger_emails_conversation ON conversation_trigger_emails (conversation_id, created_time)")
            .run()
    }
}

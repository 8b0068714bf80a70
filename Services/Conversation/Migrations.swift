import SQLKit
import ServiceKit

/// conversation's schema: a table per object, a column for whatever is filtered, sorted or tenant-scoping (decision
/// 92). Times are epoch milliseconds; conversation ids are integers from the database (spec §2.10), shared by every
/// site (other sites' ids answer 404). Status and priority keep their sort rank beside the name (spec §2.7).
enum ConversationMigrations {
    static let all: [Migration] = [
        Migration("conversation-001-conversations") { sql, engine in
            let autoID = ServiceKitMigrations.autoIncrementID(engine)
            try await sql.raw(
                """
                CREATE TABLE conversations (
                    \(unsafeRaw: autoID), guid VARCHAR(36) NOT NULL, site_id VARCHAR(64) NOT NULL, subject TEXT NOT NULL,
                    status VARCHAR(32) NOT NULL, status_rank INTEGER NOT NULL, priority VARCHAR(16) NOT NULL, priority_rank INTEGER NOT NULL,
                    assigned_agent_id VARCHAR(64), assigned_department_id VARCHAR(64), related_type VARCHAR(16), related_id VARCHAR(64),
                    original_id TEXT, channel_id VARCHAR(32) NOT NULL, is_read BOOLEAN NOT NULL, is_read_by_contact BOOLEAN NOT NULL,
                    is_deleted BOOLEAN NOT NULL, created_by_id VARCHAR(64), created_by_type VARCHAR(16) NOT NULL, created_time BIGINT NOT NULL,
                    last_activity_time BIGINT NOT NULL, last_status_change_time BIGINT NOT NULL, last_replied_time BIGINT NOT NULL,
                    last_replied_by_id VARCHAR(64), last_replied_by_type VARCHAR(16), sla_policy_id VARCHAR(64),
                    first_respond_breach_at BIGINT, next_respond_breach_at BIGINT, resolve_breach_at BIGINT, next_sla_breach BIGINT
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversations_site_replied ON conversations (site_id, is_deleted, last_replied_time)").run()
            try await sql.raw("CREATE INDEX conversations_site_activity ON conversations (site_id, is_deleted, last_activity_time)").run()
            try await sql.raw(
                """
                CREATE TABLE conversation_tags (
                    conversation_id BIGINT NOT NULL, site_id VARCHAR(64) NOT NULL, tag_id VARCHAR(64) NOT NULL, position INTEGER NOT NULL,
                    PRIMARY KEY (conversation_id, tag_id)
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversation_tags_tag ON conversation_tags (site_id, tag_id)").run()
            try await sql.raw(
                """
                CREATE TABLE conversation_messages (
                    id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL, position INTEGER NOT NULL,
                    channel_id VARCHAR(32) NOT NULL, type VARCHAR(16) NOT NULL, direct_type VARCHAR(16) NOT NULL, channel_account_id VARCHAR(64),
                    contact_identity_id VARCHAR(64), original_message_id TEXT, original_message_url TEXT, parent_id VARCHAR(64), subject TEXT,
                    cc TEXT, is_read BOOLEAN NOT NULL, send_status VARCHAR(16) NOT NULL, delivery_status VARCHAR(16), fail_reason TEXT,
                    sender_id VARCHAR(64), sender_type VARCHAR(16) NOT NULL, time BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversation_messages_conversation ON conversation_messages (conversation_id, position)").run()
            try await sql.raw(
                """
                CREATE TABLE conversation_message_contents (
                    id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL, message_id VARCHAR(36) NOT NULL,
                    position INTEGER NOT NULL, type VARCHAR(16) NOT NULL, text TEXT, html_text TEXT, name TEXT, url TEXT, title TEXT,
                    latitude VARCHAR(64), longitude VARCHAR(64), scale VARCHAR(64), desc_text TEXT
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversation_message_contents_message ON conversation_message_contents (message_id, position)").run()
            try await sql.raw("CREATE INDEX conversation_message_contents_conversation ON conversation_message_contents (conversation_id)").run()
            try await sql.raw(
                """
                CREATE TABLE conversation_mentions (
                    conversation_id BIGINT NOT NULL, site_id VARCHAR(64) NOT NULL, agent_id VARCHAR(64) NOT NULL, message_id VARCHAR(36) NOT NULL,
                    is_read BOOLEAN NOT NULL, PRIMARY KEY (conversation_id, message_id, agent_id)
                )
                """
            ).run()
            try await sql.raw(
                """
                CREATE TABLE conversation_event_logs (
                    \(unsafeRaw: autoID), guid VARCHAR(36) NOT NULL, site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL,
                    kind VARCHAR(32) NOT NULL, text TEXT NOT NULL, time BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversation_event_logs_conversation ON conversation_event_logs (conversation_id, id)").run()
        },
        // Outreach's auto-attach finds a message's ticket by its original id and a contact's latest open ticket.
        Migration("conversation-030-contact-tickets") { sql, _ in
            try await sql.raw("CREATE INDEX conversation_messages_original ON conversation_messages (site_id, original_message_id)").run()
            try await sql.raw("CREATE INDEX conversations_site_related ON conversations (site_id, related_type, related_id, is_deleted)").run()
        },
        Migration("conversation-020-channel-accounts") { sql, engine in try await Self.channelAccounts(sql, engine) },
        Migration("conversation-021-fields") { sql, engine in try await Self.fields(sql, engine) },
        Migration("conversation-022-blocked-senders-junks") { sql, engine in try await Self.blockedSendersAndJunks(sql, engine) },
        Migration("conversation-040-working-time") { sql, engine in try await Self.workingTime(sql, engine) },
        Migration("conversation-041-sla-policies") { sql, engine in try await Self.slaPolicies(sql, engine) },
        Migration("conversation-042-sla-clocks") { sql, engine in try await Self.slaClocks(sql, engine) },
        // Views and their conditions (spec §3.8, §5.10; decision 219); `combination` is the conditions' `when`.
        Migration("conversation-002-views") { sql, _ in
            try await sql.raw(
                """
                CREATE TABLE conversation_views (
                    id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, name TEXT NOT NULL, is_private BOOLEAN NOT NULL,
                    created_by_id VARCHAR(64) NOT NULL, combination VARCHAR(32) NOT NULL, logic_expression TEXT, created_time BIGINT NOT NULL,
                    position BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversation_views_site ON conversation_views (site_id, position)").run()
            try await sql.raw(
                """
                CREATE TABLE conversation_view_conditions (
                    id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, view_id VARCHAR(36) NOT NULL, field_id VARCHAR(64) NOT NULL,
                    match_type VARCHAR(16) NOT NULL, match_value TEXT NOT NULL, order_num INTEGER NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE INDEX conversation_view_conditions_view ON conversation_view_conditions (view_id, order_num)").run()
        },
        // A conversation's draft reply (spec §3.4, §5.7; decision 222): at most one a conversation; contents and mentions are
        // read and written whole, so they are JSON text.
        Migration("conversation-003-drafts") { sql, _ in
            try await sql.raw(
                """
                CREATE TABLE conversation_drafts (
                    id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL, channel_account_id VARCHAR(64),
                    contact_identity_id VARCHAR(64), parent_id VARCHAR(64), subject TEXT, cc TEXT, contents TEXT NOT NULL,
                    mentioned_agent_ids TEXT NOT NULL, sender_id VARCHAR(64) NOT NULL, time BIGINT NOT NULL
                )
                """
            ).run()
            try await sql.raw("CREATE UNIQUE INDEX conversation_drafts_conversation ON conversation_drafts (conversation_id)").run()
        },
        // The agents who have a conversation open in their work area (spec §5.8; decision 226), in the order they opened it.
        Migration("conversation-004-active-agents") { sql, _ in
            try await sql.raw(
                """
                CREATE TABLE conversation_active_agents (
                    conversation_id BIGINT NOT NULL, site_id VARCHAR(64) NOT NULL, agent_id VARCHAR(64) NOT NULL, since BIGINT NOT NULL,
                    PRIMARY KEY (conversation_id, agent_id)
                )
                """
            ).run()
        },
        // Uploaded files, kept in the database so every instance serves them (decision 262).
        Migration("conversation-050-attachments") { sql, engine in
            let binary = engine == .postgres ? "BYTEA" : "BLOB"
            try await sql.raw(
                """
                CREATE TABLE conversation_attachments (
                    id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, file_name TEXT NOT NULL, content_type VARCHAR(255) NOT NULL,
                    size BIGINT NOT NULL, is_available BOOLEAN NOT NULL, created_time BIGINT NOT NULL, data \(unsafeRaw: binary) NOT NULL
                )
                """
            ).run()
        },
        Migration("conversation-090-day-counts") { sql, engine in try await Self.dayCounts(sql, engine) },
        Migration("conversation-091-condition-indexes") { sql, engine in try await Self.conditionIndexes(sql, engine) },
        Migration("conversation-092-covering-condition-indexes") { sql, engine in try await Self.coveringConditionIndexes(sql, engine) },
        Migration("conversation-093-ordered-condition-indexes") { sql, engine in try await Self.orderedConditionIndexes(sql, engine) },
        Migration("conversation-060-routing") { sql, engine in try await Self.routing(sql, engine) },
        Migration("conversation-061-auto-allocation") { sql, engine in try await Self.autoAllocation(sql, engine) },
        Migration("conversation-070-triggers") { sql, engine in try await Self.triggers(sql, engine) },
        Migration("conversation-071-trigger-firings") { sql, engine in try await Self.triggerFirings(sql, engine) },
        Migration("conversation-072-trigger-emails") { sql, engine in try await Self.triggerEmails(sql, engine) },
        Migration("conversation-080-status-changes") { sql, engine in try await Self.statusChanges(sql, engine) },
        Migration("conversation-094-unread-counts") { sql, engine in try await Self.unreadCounts(sql, engine) },
    ]
}

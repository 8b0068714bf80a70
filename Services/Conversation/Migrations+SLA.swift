import SQLKit
import ServiceKit

/// The SLA tables (decisions 252–261): business hours and holidays, policies with their conditions, and each
/// conversation's SLA clock with the outcomes of its targets; the statements of migrations conversation-040 to -042 of
/// ``ConversationMigrations/all``. Every row is scoped by `site_id`.
extension ConversationMigrations {
    /// conversation-040: a row a weekday a site has set (the rest keep the default hours); holidays one a date.
    static func workingTime(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_working_times (
                site_id VARCHAR(64) NOT NULL, day_of_week INTEGER NOT NULL, is_business_day BOOLEAN NOT NULL, start_minute INTEGER NOT NULL,
                end_minute INTEGER NOT NULL, PRIMARY KEY (site_id, day_of_week)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE conversation_holidays (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, title VARCHAR(256) NOT NULL, day BIGINT NOT NULL,
                created_time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE UNIQUE INDEX conversation_holidays_day ON conversation_holidays (site_id, day)").run()
    }

    /// conversation-041: policies in `order_num` order (1, 2, … within a site); `combination` is the conditions' `when`.
    static func slaPolicies(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_sla_policies (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, is_enabled BOOLEAN NOT NULL, first_respond_within INTEGER NOT NULL,
                next_respond_within INTEGER NOT NULL, resolve_respond_within INTEGER NOT NULL, is_business_hours BOOLEAN NOT NULL,
                combination VARCHAR(32) NOT NULL, logic_expression TEXT, order_num INTEGER NOT NULL, created_time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_sla_policies_site ON conversation_sla_policies (site_id, order_num)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_sla_conditions (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, policy_id VARCHAR(36) NOT NULL, field_id VARCHAR(64) NOT NULL,
                match_type VARCHAR(16) NOT NULL, match_value TEXT NOT NULL, order_num INTEGER NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_sla_conditions_policy ON conversation_sla_conditions (policy_id, order_num)").run()
    }

    /// conversation-042: a conversation's clock (whether an agent has replied, the contact message the next-response
    /// target counts from, whether closing stopped it, the breach job armed) and each target's outcome.
    static func slaClocks(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_sla_clocks (
                conversation_id BIGINT PRIMARY KEY, site_id VARCHAR(64) NOT NULL, agent_replied BOOLEAN NOT NULL, next_anchor BIGINT,
                is_stopped BOOLEAN NOT NULL, job_id BIGINT, job_due BIGINT
            )
            """
        ).run()
        let autoID = ServiceKitMigrations.autoIncrementID(engine)
        try await sql.raw(
            """
            CREATE TABLE conversation_sla_outcomes (
                \(unsafeRaw: autoID), site_id VARCHAR(64) NOT NULL, conversation_id BIGINT NOT NULL, policy_id VARCHAR(36) NOT NULL,
                target VARCHAR(16) NOT NULL, due_at BIGINT NOT NULL, outcome VARCHAR(16) NOT NULL, time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            "CREATE UNIQUE INDEX conversation_sla_outcomes_target ON conversation_sla_outcomes (conversation_id, target, due_at)"
        ).run()
        try await sql.raw("CREATE INDEX conversation_sla_outcomes_site ON conversation_sla_outcomes (site_id, time)").run()
    }
}

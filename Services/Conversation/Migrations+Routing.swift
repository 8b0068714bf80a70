import SQLKit
import ServiceKit

/// The routing and auto allocation tables (spec §3.9, §3.10, §5.14, §5.15; decisions 264–271): the site's routing and
/// its custom rules with their conditions, the allocation settings with department rules and agent preferences, and
/// allocation's durable state (each pool's round-robin pointer, each agent's last allocation); the statements of
/// migrations conversation-060 and -061 of ``ConversationMigrations/all``. Every row is scoped by `site_id`.
extension ConversationMigrations {
    /// conversation-060: a routing row a site that has set one (the rest have routing off); rules in `order_num` order
    /// (1, 2, … within a site), `combination` being the conditions' `when`.
    static func routing(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_routing (
                site_id VARCHAR(64) PRIMARY KEY, is_enabled BOOLEAN NOT NULL, type VARCHAR(16) NOT NULL, simple_route_type VARCHAR(16),
                simple_route_to_id VARCHAR(64), simple_route_with_priority VARCHAR(16), match_failed_type VARCHAR(16),
                match_failed_route_to_id VARCHAR(64), match_failed_with_priority VARCHAR(16)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE conversation_routing_rules (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, order_num INTEGER NOT NULL, is_enabled BOOLEAN NOT NULL,
                name VARCHAR(256) NOT NULL, combination VARCHAR(32) NOT NULL, logic_expression TEXT, route_type VARCHAR(16) NOT NULL,
                route_to_id VARCHAR(64) NOT NULL, route_with_priority VARCHAR(16), created_time BIGINT NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_routing_rules_site ON conversation_routing_rules (site_id, order_num)").run()
        try await sql.raw(
            """
            CREATE TABLE conversation_routing_conditions (
                id VARCHAR(36) PRIMARY KEY, site_id VARCHAR(64) NOT NULL, rule_id VARCHAR(36) NOT NULL, field_id VARCHAR(64) NOT NULL,
                match_type VARCHAR(16) NOT NULL, match_value TEXT NOT NULL, order_num INTEGER NOT NULL
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversation_routing_conditions_rule ON conversation_routing_conditions (rule_id, order_num)").run()
    }

    /// conversation-061: the settings (a row a site that has set them), department rules and agent preferences in the
    /// order given; each pool's round-robin pointer (`pool` is the department id, `''` for all agents) and each agent's
    /// last allocation; and the index the load of a pool's agents is counted on.
    static func autoAllocation(_ sql: any SQLDatabase, _ engine: Database.Engine) async throws {
        try await sql.raw(
            """
            CREATE TABLE conversation_allocation_settings (
                site_id VARCHAR(64) PRIMARY KEY, is_enabled BOOLEAN NOT NULL, default_rule VARCHAR(16) NOT NULL,
                default_prefer_last_assignee BOOLEAN NOT NULL, limit_each_agent BOOLEAN NOT NULL, limit_for_all_agents INTEGER NOT NULL,
                exclude_pending_external BOOLEAN NOT NULL, exclude_on_hold BOOLEAN NOT NULL
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE conversation_allocation_department_rules (
                site_id VARCHAR(64) NOT NULL, department_id VARCHAR(64) NOT NULL, position INTEGER NOT NULL, rule VARCHAR(16) NOT NULL,
                prefer_last_assignee BOOLEAN NOT NULL, PRIMARY KEY (site_id, department_id)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE conversation_allocation_agent_preferences (
                site_id VARCHAR(64) NOT NULL, agent_id VARCHAR(64) NOT NULL, position INTEGER NOT NULL, max_concurrent_count INTEGER,
                is_accept_allocation BOOLEAN NOT NULL, PRIMARY KEY (site_id, agent_id)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE conversation_allocation_pointers (
                site_id VARCHAR(64) NOT NULL, pool VARCHAR(64) NOT NULL, last_agent_id VARCHAR(64) NOT NULL, PRIMARY KEY (site_id, pool)
            )
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE conversation_allocation_agents (
                site_id VARCHAR(64) NOT NULL, agent_id VARCHAR(64) NOT NULL, last_allocated_time BIGINT NOT NULL, PRIMARY KEY (site_id, agent_id)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX conversations_site_assignee ON conversations (site_id, assigned_agent_id, is_deleted, status)").run()
    }
}

import Foundation
import SQLKit
import ServiceKit

/// livechat-config's schema: sites, agents with their hashed credentials, OAuth tokens, the configuration
/// documents of sites and campaigns, department membership, and the chats, offline messages and agent chats
/// of the runtime.
enum LiveChatMigrations {
    /// A migration of fixed DDL statements run in order; `{id}` stands for the engine's auto-increment primary key.
    static func sql(_ id: String, _ statements: String...) -> Migration {
        Migration(id) { database, engine in
            for statement in statements {
                try await database.raw(SQLQueryString(statement.replacingOccurrences(of: "{id}", with: ServiceKitMigrations.autoIncrementID(engine))))
                    .run()
            }
        }
    }

    static let all: [Migration] = [
        Self.sql(
            "livechat-001-sites-agents-tokens",
            "CREATE TABLE sites (id VARCHAR(32) PRIMARY KEY, name VARCHAR(200) NOT NULL, created_at BIGINT NOT NULL)",
            """
            CREATE TABLE agents (
                {id},
                site_id VARCHAR(32) NOT NULL REFERENCES sites(id),
                email VARCHAR(320) NOT NULL,
                display_name VARCHAR(200) NOT NULL,
                is_administrator BOOLEAN NOT NULL,
                is_active BOOLEAN NOT NULL,
                permissions TEXT NOT NULL,
                api_key_hash VARCHAR(64),
                password_hash TEXT,
                created_at BIGINT NOT NULL,
                UNIQUE (site_id, email)
            )
            """,
            """
            CREATE TABLE oauth_tokens (
                token_hash VARCHAR(64) PRIMARY KEY,
                kind VARCHAR(16) NOT NULL,
                site_id VARCHAR(32) NOT NULL,
                agent_id BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """
        ),
        Self.sql(
            "livechat-002-bans",
            """
            CREATE TABLE bans (
                {id}, site_id VARCHAR(32) NOT NULL, type VARCHAR(16) NOT NULL,
                visitor_id VARCHAR(200), ip_address VARCHAR(100), comment TEXT
            )
            """,
            "CREATE INDEX bans_site ON bans (site_id)"
        ),
        Self.sql(
            "livechat-003-custom-away-statuses",
            """
            CREATE TABLE custom_away_statuses (
                {id}, site_id VARCHAR(32) NOT NULL, name VARCHAR(128) NOT NULL,
                name_key VARCHAR(128) NOT NULL, is_visible BOOLEAN NOT NULL, UNIQUE (site_id, name_key)
            )
            """
        ),
        Self.sql(
            "livechat-004-configuration-documents",
            // Configuration objects are read and written whole, so each is one JSON document; the columns are
            // what lookups filter on. campaign_id 0 is the site itself.
            """
            CREATE TABLE config_items (
                {id}, site_id VARCHAR(32) NOT NULL, campaign_id BIGINT NOT NULL,
                kind VARCHAR(32) NOT NULL, name_key VARCHAR(256), owner_id BIGINT, body TEXT NOT NULL,
                UNIQUE (site_id, campaign_id, kind, name_key)
            )
            """,
            "CREATE INDEX config_items_scope ON config_items (site_id, campaign_id, kind)",
            """
            CREATE TABLE config_singletons (
                site_id VARCHAR(32) NOT NULL, campaign_id BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, body TEXT NOT NULL,
                PRIMARY KEY (site_id, campaign_id, kind)
            )
            """,
            """
            CREATE TABLE department_agents (
                site_id VARCHAR(32) NOT NULL, department_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, PRIMARY KEY (department_id, agent_id)
            )
            """,
            "CREATE INDEX department_agents_agent ON department_agents (agent_id)",
            "ALTER TABLE agents ADD COLUMN status VARCHAR(128) NOT NULL DEFAULT 'offline'",
            "ALTER TABLE agents ADD COLUMN max_chats_count INTEGER NOT NULL DEFAULT 5",
            "ALTER TABLE agents ADD COLUMN is_accept_allocation BOOLEAN NOT NULL DEFAULT TRUE"
        ),
        Self.sql(
            "livechat-005-chat-runtime",
            // status: queued (waiting for an agent), active, ended (answered), missed, refused.
            """
            CREATE TABLE chats (
                {id}, site_id VARCHAR(32) NOT NULL, campaign_id BIGINT NOT NULL, visitor_id VARCHAR(200) NOT NULL,
                visitor_ip VARCHAR(64), sso_user_id VARCHAR(200), name VARCHAR(256), email VARCHAR(320), department_id BIGINT NOT NULL,
                agent_id BIGINT NOT NULL, status VARCHAR(16) NOT NULL, priority VARCHAR(16) NOT NULL, segment_id BIGINT NOT NULL,
                request_time BIGINT NOT NULL, accept_time BIGINT, end_time BIGINT, prechat TEXT NOT NULL, custom_variables TEXT NOT NULL,
                postchat TEXT, wrapup TEXT, wrapup_category_id BIGINT NOT NULL DEFAULT 0, attachments TEXT NOT NULL, visitor_token_hash VARCHAR(64) NOT NULL
            )
            """,
            "CREATE INDEX chats_site_time ON chats (site_id, request_time)",
            "CREATE INDEX chats_agent_status ON chats (agent_id, status)",
            "CREATE INDEX chats_visitor ON chats (site_id, visitor_id)",
            "CREATE TABLE chat_agents (chat_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, PRIMARY KEY (chat_id, agent_id))",
            """
            CREATE TABLE chat_messages (
                {id}, chat_id BIGINT NOT NULL, time BIGINT NOT NULL, sender VARCHAR(256) NOT NULL, type VARCHAR(16) NOT NULL, content TEXT NOT NULL
            )
            """,
            "CREATE INDEX chat_messages_chat ON chat_messages (chat_id, id)",
            """
            CREATE TABLE offline_messages (
                {id}, site_id VARCHAR(32) NOT NULL, campaign_id BIGINT NOT NULL, visitor_id VARCHAR(200) NOT NULL,
                time BIGINT NOT NULL, sso_user_id VARCHAR(200), name VARCHAR(256), email VARCHAR(320), department_id BIGINT NOT NULL,
                agent_id BIGINT NOT NULL, segment_id BIGINT NOT NULL, content TEXT NOT NULL, fields TEXT NOT NULL, custom_variables TEXT NOT NULL,
                attachment TEXT
            )
            """,
            "CREATE INDEX offline_messages_site_time ON offline_messages (site_id, time)",
            "CREATE TABLE agent_chats ({id}, site_id VARCHAR(32) NOT NULL, started_at BIGINT NOT NULL)",
            "CREATE TABLE agent_chat_members (agent_chat_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, PRIMARY KEY (agent_chat_id, agent_id))",
            """
            CREATE TABLE agent_chat_messages (
                {id}, agent_chat_id BIGINT NOT NULL, time BIGINT NOT NULL, agent_id BIGINT NOT NULL, content TEXT NOT NULL
            )
            """,
            // Where round robin stands, per site and department (0: the whole site).
            """
            CREATE TABLE allocation_cursors (site_id VARCHAR(32) NOT NULL, department_id BIGINT NOT NULL, last_agent_id BIGINT NOT NULL, PRIMARY KEY (site_id, department_id))
            """
        ),
        ChatCounts.migration,
        // An agent's load (active chats per agent of a site, read for every allocation and history page) from an index
        // range, not a scan of the site's chats.
        Migration("livechat-007-chat-load-index", statements: ["CREATE INDEX chats_site_status_agent ON chats (site_id, status, agent_id)"]),
    ]
}

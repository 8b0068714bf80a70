import SQLKit
import ServiceKit

/// livechat-config's schema: sites, agents with their hashed credentials, OAuth tokens, the configuration
/// documents of sites and campaigns, and department membership.
enum LiveChatMigrations {
    static let all: [Migration] = [
        Migration("livechat-001-sites-agents-tokens") { database, engine in
            try await database.raw("CREATE TABLE sites (id VARCHAR(32) PRIMARY KEY, name VARCHAR(200) NOT NULL, created_at BIGINT NOT NULL)").run()
            try await database.raw("""
                CREATE TABLE agents (
                    \(unsafeRaw: ServiceKitMigrations.autoIncrementID(engine)),
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
                """).run()
            try await database.raw("""
                CREATE TABLE oauth_tokens (
                    token_hash VARCHAR(64) PRIMARY KEY,
                    kind VARCHAR(16) NOT NULL,
                    site_id VARCHAR(32) NOT NULL,
                    agent_id BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """).run()
        },
        Migration("livechat-002-bans") { database, engine in
            try await database.raw("""
                CREATE TABLE bans (
                    \(unsafeRaw: ServiceKitMigrations.autoIncrementID(engine)), site_id VARCHAR(32) NOT NULL, type VARCHAR(16) NOT NULL,
                    visitor_id VARCHAR(200), ip_address VARCHAR(100), comment TEXT
                )
                """).run()
            try await database.raw("CREATE INDEX bans_site ON bans (site_id)").run()
        },
        Migration("livechat-003-custom-away-statuses") { database, engine in
            try await database.raw("""
                CREATE TABLE custom_away_statuses (
                    \(unsafeRaw: ServiceKitMigrations.autoIncrementID(engine)), site_id VARCHAR(32) NOT NULL, name VARCHAR(128) NOT NULL,
                    name_key VARCHAR(128) NOT NULL, is_visible BOOLEAN NOT NULL, UNIQUE (site_id, name_key)
                )
                """).run()
        },
        Migration("livechat-004-configuration-documents") { database, engine in
            // Configuration objects are read and written whole, so each is one JSON document; the columns are
            // what lookups filter on. campaign_id 0 is the site itself.
            try await database.raw("""
                CREATE TABLE config_items (
                    \(unsafeRaw: ServiceKitMigrations.autoIncrementID(engine)), site_id VARCHAR(32) NOT NULL, campaign_id BIGINT NOT NULL,
                    kind VARCHAR(32) NOT NULL, name_key VARCHAR(256), owner_id BIGINT, body TEXT NOT NULL,
                    UNIQUE (site_id, campaign_id, kind, name_key)
                )
                """).run()
            try await database.raw("CREATE INDEX config_items_scope ON config_items (site_id, campaign_id, kind)").run()
            try await database.raw("""
                CREATE TABLE config_singletons (
                    site_id VARCHAR(32) NOT NULL, campaign_id BIGINT NOT NULL, kind VARCHAR(32) NOT NULL, body TEXT NOT NULL,
                    PRIMARY KEY (site_id, campaign_id, kind)
                )
                """).run()
            try await database.raw("""
                CREATE TABLE department_agents (
                    site_id VARCHAR(32) NOT NULL, department_id BIGINT NOT NULL, agent_id BIGINT NOT NULL, PRIMARY KEY (department_id, agent_id)
                )
                """).run()
            try await database.raw("CREATE INDEX department_agents_agent ON department_agents (agent_id)").run()
            try await database.raw("ALTER TABLE agents ADD COLUMN status VARCHAR(128) NOT NULL DEFAULT 'offline'").run()
            try await database.raw("ALTER TABLE agents ADD COLUMN max_chats_count INTEGER NOT NULL DEFAULT 5").run()
            try await database.raw("ALTER TABLE agents ADD COLUMN is_accept_allocation BOOLEAN NOT NULL DEFAULT TRUE").run()
        },
    ]
}

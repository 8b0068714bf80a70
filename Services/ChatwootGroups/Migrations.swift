import SQLKit
import ServiceKit

/// chatwoot-groups' schema: accounts, users and their memberships, platform apps, agent bots, inboxes, teams, tokens.
enum ChatwootMigrations {
    static let all: [Migration] =
        [
            Migration("chatwoot-001-accounts-users-tokens") { database, engine in
                let id = ServiceKitMigrations.autoIncrementID(engine)
                try await database.raw("CREATE TABLE accounts (\(unsafeRaw: id), name VARCHAR(255) NOT NULL, created_at BIGINT NOT NULL)").run()
                try await database.raw(
                    """
                    CREATE TABLE users (
                        \(unsafeRaw: id), name VARCHAR(255) NOT NULL, display_name VARCHAR(255), email VARCHAR(320) NOT NULL UNIQUE,
                        user_type VARCHAR(32), message_signature TEXT, created_at BIGINT NOT NULL
                    )
                    """
                ).run()
                try await database.raw(
                    """
                    CREATE TABLE account_users (
                        account_id BIGINT NOT NULL REFERENCES accounts(id), user_id BIGINT NOT NULL REFERENCES users(id),
                        role VARCHAR(32) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (account_id, user_id)
                    )
                    """
                ).run()
                try await database.raw("CREATE TABLE platform_apps (\(unsafeRaw: id), name VARCHAR(255) NOT NULL, created_at BIGINT NOT NULL)").run()
                try await database.raw(
                    """
                    CREATE TABLE access_tokens (
                        \(unsafeRaw: id), owner_type VARCHAR(32) NOT NULL, owner_id BIGINT NOT NULL, token_hash VARCHAR(64) NOT NULL,
                        created_at BIGINT NOT NULL, UNIQUE (token_hash, owner_type)
                    )
                    """
                ).run()
            },
            Migration("chatwoot-010-people-bots-inboxes-teams") { database, engine in
                let id = ServiceKitMigrations.autoIncrementID(engine)
                // Accounts: what `account_detail` shows; JSON objects as text.
                for column in [
                    "locale VARCHAR(16) NOT NULL DEFAULT 'en'", "domain VARCHAR(255)", "support_email VARCHAR(320)",
                    "status VARCHAR(16) NOT NULL DEFAULT 'active'", "custom_attributes TEXT NOT NULL DEFAULT '{}'",
                    "settings TEXT NOT NULL DEFAULT '{}'", "features TEXT NOT NULL DEFAULT '[]'", "limits TEXT NOT NULL DEFAULT '{}'",
                    "auto_resolve_duration INTEGER", "updated_at BIGINT NOT NULL DEFAULT 0",
                ] {
                    try await database.raw("ALTER TABLE accounts ADD COLUMN \(unsafeRaw: column)").run()
                }
                for column in [
                    "avatar_url TEXT", "pubsub_token VARCHAR(64)", "custom_attributes TEXT NOT NULL DEFAULT '{}'",
                    "ui_settings TEXT NOT NULL DEFAULT '{}'", "password_hash VARCHAR(255)", "updated_at BIGINT NOT NULL DEFAULT 0",
                ] {
                    try await database.raw("ALTER TABLE users ADD COLUMN \(unsafeRaw: column)").run()
                }
                try await database.raw("CREATE UNIQUE INDEX users_pubsub_token ON users (pubsub_token)").run()
                for column in [
                    "inviter_id BIGINT", "availability VARCHAR(16) NOT NULL DEFAULT 'online'", "auto_offline BOOLEAN NOT NULL DEFAULT TRUE",
                    "active_at BIGINT",
                ] {
                    try await database.raw("ALTER TABLE account_users ADD COLUMN \(unsafeRaw: column)").run()
                }
                try await database.raw("CREATE INDEX account_users_user ON account_users (user_id, account_id)").run()
                // The token itself, sealed (the hash finds it; the sealed copy is what bots, users and the profile show).
                try await database.raw("ALTER TABLE access_tokens ADD COLUMN sealed_token TEXT").run()
                try await database.raw("CREATE INDEX access_tokens_owner ON access_tokens (owner_type, owner_id)").run()
                // What each platform app created: it reaches only these (`permissible_type` Account, User or AgentBot).
                try await database.raw(
                    """
                    CREATE TABLE platform_app_permissibles (
                        platform_app_id BIGINT NOT NULL REFERENCES platform_apps(id), permissible_type VARCHAR(32) NOT NULL,
                        permissible_id BIGINT NOT NULL, created_at BIGINT NOT NULL,
                        PRIMARY KEY (platform_app_id, permissible_type, permissible_id)
                    )
                    """
                ).run()
                // Agent bots: account_id NULL is a global bot (made by a platform app or the system).
                try await database.raw(
                    """
                    CREATE TABLE agent_bots (
                        \(unsafeRaw: id), account_id BIGINT REFERENCES accounts(id), name VARCHAR(255) NOT NULL, description TEXT,
                        outgoing_url TEXT, bot_type VARCHAR(32) NOT NULL DEFAULT 'webhook', bot_config TEXT NOT NULL DEFAULT '{}',
                        avatar_url TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                    )
                    """
                ).run()
                try await database.raw("CREATE INDEX agent_bots_account ON agent_bots (account_id, id)").run()
                // Inboxes: the channel's own fields and the inbox's options in `settings` (JSON); the public identifiers
                // (API inbox `identifier`, website `website_token`) unique, as the Client API finds inboxes by them.
                try await database.raw(
                    """
                    CREATE TABLE inboxes (
                        \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), name VARCHAR(255) NOT NULL,
                        channel_type VARCHAR(64) NOT NULL, channel_id BIGINT NOT NULL, identifier VARCHAR(64) UNIQUE,
                        website_token VARCHAR(64) UNIQUE, hmac_token VARCHAR(64), agent_bot_id BIGINT REFERENCES agent_bots(id),
                        settings TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                    )
                    """
                ).run()
                try await database.raw("CREATE INDEX inboxes_account ON inboxes (account_id, id)").run()
                try await database.raw(
                    """
                    CREATE TABLE inbox_members (
                        inbox_id BIGINT NOT NULL REFERENCES inboxes(id), user_id BIGINT NOT NULL REFERENCES users(id),
                        created_at BIGINT NOT NULL, PRIMARY KEY (inbox_id, user_id)
                    )
                    """
                ).run()
                try await database.raw("CREATE INDEX inbox_members_user ON inbox_members (user_id, inbox_id)").run()
                try await database.raw(
                    """
                    CREATE TABLE teams (
                        \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), name VARCHAR(255) NOT NULL,
                        description TEXT, allow_auto_assign BOOLEAN NOT NULL DEFAULT TRUE, created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL, UNIQUE (account_id, name)
                    )
                    """
                ).run()
                try await database.raw(
                    """
                    CREATE TABLE team_members (
                        team_id BIGINT NOT NULL REFERENCES teams(id), user_id BIGINT NOT NULL REFERENCES users(id),
                        created_at BIGINT NOT NULL, PRIMARY KEY (team_id, user_id)
                    )
                    """
                ).run()
                try await database.raw("CREATE INDEX team_members_user ON team_members (user_id, team_id)").run()
            },
            Migration("chatwoot-011-deleted-accounts-users") { database, _ in
                // Deleted accounts and users keep their rows (conversations and messages point at them) but are found no more.
                try await database.raw("ALTER TABLE accounts ADD COLUMN deleted_at BIGINT").run()
                try await database.raw("ALTER TABLE users ADD COLUMN deleted_at BIGINT").run()
            },
        ] + contacts + conversations + events + automation + clientAPI + reports + helpCenter + realtime + gaps
}

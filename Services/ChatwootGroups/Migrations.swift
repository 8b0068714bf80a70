import SQLKit
import ServiceKit

/// chatwoot-groups' schema so far: accounts, users and their memberships, platform apps, access tokens.
enum ChatwootMigrations {
    static let all: [Migration] = [
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
        }
    ]
}

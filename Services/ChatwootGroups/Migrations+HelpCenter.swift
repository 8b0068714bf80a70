import SQLKit
import ServiceKit

/// Help center (portals, categories, articles) and integration hooks (lane M's range, chatwoot-120 to chatwoot-129).
extension ChatwootMigrations {
    static let helpCenter: [Migration] = [
        Migration("chatwoot-120-help-center") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            // Slugs and custom domains are unique across accounts: the public help center is found by them (decision 342).
            try await database.raw(
                """
                CREATE TABLE portals (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), name VARCHAR(255) NOT NULL,
                    slug VARCHAR(255) NOT NULL UNIQUE, custom_domain VARCHAR(255) UNIQUE, color VARCHAR(16), header_text TEXT,
                    homepage_link TEXT, page_title VARCHAR(255), archived BOOLEAN NOT NULL DEFAULT FALSE,
                    config TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX portals_account ON portals (account_id, id)").run()
            try await database.raw(
                """
                CREATE TABLE portal_categories (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL, portal_id BIGINT NOT NULL REFERENCES portals(id),
                    name VARCHAR(255) NOT NULL, slug VARCHAR(255) NOT NULL, locale VARCHAR(16) NOT NULL, description TEXT, position INTEGER,
                    icon VARCHAR(64), parent_category_id BIGINT, associated_category_id BIGINT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (portal_id, slug, locale)
                )
                """
            ).run()
            // status: Chatwoot's enum values (0 draft, 1 published, 2 archived).
            try await database.raw(
                """
                CREATE TABLE portal_articles (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL, portal_id BIGINT NOT NULL REFERENCES portals(id), category_id BIGINT,
                    author_id BIGINT NOT NULL REFERENCES users(id), associated_article_id BIGINT, title VARCHAR(255) NOT NULL,
                    slug VARCHAR(255) NOT NULL UNIQUE, content TEXT, description TEXT, status INTEGER NOT NULL DEFAULT 0, position INTEGER,
                    locale VARCHAR(16) NOT NULL, meta TEXT NOT NULL DEFAULT '{}', views INTEGER NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX portal_articles_portal ON portal_articles (portal_id, status)").run()
        },
        Migration("chatwoot-121-integration-hooks") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            // hook_type and status as Chatwoot's enums name them ('account'/'inbox', 'enabled'/'disabled').
            try await database.raw(
                """
                CREATE TABLE integration_hooks (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), app_id VARCHAR(64) NOT NULL, inbox_id BIGINT,
                    hook_type VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, settings TEXT NOT NULL DEFAULT '{}',
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
                )
                """
            ).run()
            try await database.raw("CREATE INDEX integration_hooks_account ON integration_hooks (account_id, app_id)").run()
        },
    ]
}

import SQLKit
import ServiceKit

/// The events' and the small account resources' tables (helper H's range, chatwoot-070 to chatwoot-089).
extension ChatwootMigrations {
    static let events: [Migration] = [
        // Webhook subscriptions (Chatwoot's `webhooks`): one URL per account, the events as a JSON array of names, the
        // secret that signs deliveries.
        Migration("chatwoot-070-webhooks") { database, engine in
            let id = ServiceKitMigrations.autoIncrementID(engine)
            try await database.raw(
                """
                CREATE TABLE webhooks (
                    \(unsafeRaw: id), account_id BIGINT NOT NULL REFERENCES accounts(id), inbox_id BIGINT REFERENCES inboxes(id),
                    name VARCHAR(255), url VARCHAR(2048) NOT NULL, subscriptions TEXT NOT NULL,
                    webhook_type VARCHAR(16) NOT NULL DEFAULT 'account_type', secret VARCHAR(128) NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (account_id, url)
                )
                """
            ).run()
        }
    ]
}

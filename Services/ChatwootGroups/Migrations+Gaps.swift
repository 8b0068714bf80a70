import SQLKit
import ServiceKit

/// Issue 12's known gaps (lane G, chatwoot-140 and up).
extension ChatwootMigrations {
    static let gaps: [Migration] = [
        // Keys the service signs with (the attachment links' HMAC key), sealed under the secrets key (decision 367).
        Migration(
            "chatwoot-140-signing-keys",
            statements: [
                "CREATE TABLE chatwoot_signing_keys (name VARCHAR(64) PRIMARY KEY, sealed_key TEXT NOT NULL, created_at BIGINT NOT NULL)"
            ])
    ]
}

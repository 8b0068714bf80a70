import SQLKit
import ServiceKit

/// Realtime across instances (lane N, chatwoot-130): who was last seen on `/cable` on any instance (decision 362).
extension ChatwootMigrations {
    static let realtime: [Migration] = [
        // One row a user or contact per account, written at most every few seconds while it is on the cable of some
        // instance; PostgreSQL's instances read it (SQLite's one process keeps presence in memory).
        Migration(
            "chatwoot-130-cable-presence",
            statements: [
                """
                CREATE TABLE cable_presence (
                    account_id BIGINT NOT NULL,
                    kind VARCHAR(8) NOT NULL,
                    subject_id BIGINT NOT NULL,
                    seen_at BIGINT NOT NULL,
                    PRIMARY KEY (account_id, kind, subject_id)
                )
                """
            ])
    ]
}

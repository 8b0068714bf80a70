import SQLKit

/// The tables ServiceKit itself owns in every service's database: the outbox, the scheduler, idempotency keys.
public enum ServiceKitMigrations {
    /// A portable auto-increment primary key column.
    public static func autoIncrementID(_ engine: Database.Engine) -> String {
        engine == .postgres ? "id BIGSERIAL PRIMARY KEY" : "id INTEGER PRIMARY KEY AUTOINCREMENT"
    }

    public static let all: [Migration] = [
        Migration("servicekit-001-outbox") { database, engine in
            try await database.raw(
                SQLQueryString(
                    """
                    CREATE TABLE outbox_events (
                        \(autoIncrementID(engine)),
                        event_id VARCHAR(64) NOT NULL UNIQUE,
                        tenant VARCHAR(100) NOT NULL,
                        event_type VARCHAR(200) NOT NULL,
                        target_url TEXT NOT NULL,
                        secret TEXT,
                        payload TEXT NOT NULL,
                        headers TEXT NOT NULL,
                        status VARCHAR(16) NOT NULL,
                        attempt_count INTEGER NOT NULL DEFAULT 0,
                        due_at BIGINT NOT NULL,
                        lease_owner VARCHAR(64),
                        lease_until BIGINT,
                        created_at BIGINT NOT NULL,
                        delivered_at BIGINT,
                        last_error TEXT
                    )
                    """)
            ).run()
            try await database.raw("CREATE INDEX outbox_events_due ON outbox_events (status, due_at)").run()
            try await database.raw(
                SQLQueryString(
                    """
                    CREATE TABLE outbox_attempts (
                        \(autoIncrementID(engine)),
                        event_id VARCHAR(64) NOT NULL,
                        attempt INTEGER NOT NULL,
                        started_at BIGINT NOT NULL,
                        duration_ms BIGINT NOT NULL,
                        status_code INTEGER,
                        error TEXT
                    )
                    """)
            ).run()
            try await database.raw("CREATE INDEX outbox_attempts_event ON outbox_attempts (event_id)").run()
        },
        Migration("servicekit-002-scheduled-jobs") { database, engine in
            try await database.raw(
                SQLQueryString(
                    """
                    CREATE TABLE scheduled_jobs (
                        \(autoIncrementID(engine)),
                        kind VARCHAR(100) NOT NULL,
                        payload TEXT NOT NULL,
                        status VARCHAR(16) NOT NULL,
                        attempt_count INTEGER NOT NULL DEFAULT 0,
                        due_at BIGINT NOT NULL,
                        lease_owner VARCHAR(64),
                        lease_until BIGINT,
                        created_at BIGINT NOT NULL,
                        finished_at BIGINT,
                        last_error TEXT
                    )
                    """)
            ).run()
            try await database.raw("CREATE INDEX scheduled_jobs_due ON scheduled_jobs (status, due_at)").run()
        },
        Migration(
            "servicekit-003-idempotency-keys",
            statements: [
                """
                CREATE TABLE idempotency_keys (
                    scope VARCHAR(100) NOT NULL,
                    idempotency_key VARCHAR(255) NOT NULL,
                    request_hash VARCHAR(64) NOT NULL,
                    status_code INTEGER NOT NULL,
                    response_headers TEXT,
                    response_body TEXT,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (scope, idempotency_key)
                )
                """,
                "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
            ]),
        // An attempt is recorded when it starts and completed with its outcome; `finished_at` NULL is one still under
        // way or one whose worker stopped first. Earlier attempts were recorded only once finished.
        Migration(
            "servicekit-004-attempt-finished",
            statements: [
                "ALTER TABLE outbox_attempts ADD COLUMN finished_at BIGINT",
                "UPDATE outbox_attempts SET finished_at = started_at + duration_ms",
            ]),
        // Published notes too long for a PostgreSQL notification wait here for the instances' listeners, which sweep
        // them after ten minutes (``Tx/publish(_:on:)``). SQLite keeps its notes in the process and leaves it empty.
        Migration("servicekit-005-published-notes") { database, engine in
            try await database.raw(
                SQLQueryString(
                    """
                    CREATE TABLE servicekit_notes (
                        \(autoIncrementID(engine)),
                        channel VARCHAR(100) NOT NULL,
                        payload TEXT NOT NULL,
                        created_at BIGINT NOT NULL
                    )
                    """)
            ).run()
            try await database.raw("CREATE INDEX servicekit_notes_created ON servicekit_notes (created_at)").run()
        },
    ]
}

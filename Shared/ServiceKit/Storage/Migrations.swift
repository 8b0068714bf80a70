import Foundation
import Logging
import SQLKit

/// One schema change, applied once and recorded in `_migrations`.
public struct Migration: Sendable {
    public let id: String
    let apply: @Sendable (any SQLDatabase, Database.Engine) async throws -> Void

    /// A migration written as SQL statements; `engine` lets a statement differ where the dialects do.
    public init(_ id: String, apply: @escaping @Sendable (any SQLDatabase, Database.Engine) async throws -> Void) {
        self.id = id
        self.apply = apply
    }

    /// A migration of plain SQL statements that both engines accept.
    public init(_ id: String, statements: [String]) {
        self.init(id) { database, _ in
            for statement in statements {
                try await database.raw(SQLQueryString(statement)).run()
            }
        }
    }
}

extension Database {
    /// Applies, in order and each in its own transaction, the migrations not yet recorded.
    ///
    /// Safe when several instances start at once on PostgreSQL: an advisory lock serialises them.
    public func migrate(_ migrations: [Migration], logger: Logger) async throws {
        try await self.prepare()
        try await self.withConnection { database in
            try await database.raw(
                "CREATE TABLE IF NOT EXISTS _migrations (id VARCHAR(200) PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
        }
        for migration in migrations {
            let engine = self.engine
            try await self.withTransaction { database in
                if engine == .postgres {
                    try await database.raw("SELECT pg_advisory_xact_lock(7345001)").run()
                }
                let applied = try await database.raw("SELECT id FROM _migrations WHERE id = \(bind: migration.id)").all()
                guard applied.isEmpty else { return }
                try await migration.apply(database, engine)
                try await database.raw(
                    "INSERT INTO _migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: WallClock.epochMilliseconds()))"
                ).run()
                logger.info("Applied migration", metadata: ["migration": .string(migration.id)])
            }
        }
    }
}

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
    /// Applies, in order and each in its own transaction, the migrations not yet recorded, then runs `seed` (the
    /// service's bootstrap rows).
    ///
    /// Safe when any number of instances start at once on PostgreSQL: all of it, from creating the schema and
    /// `_migrations` to seeding, runs under the start-up lock (``withStartupLock(_:)``), so one instance migrates
    /// and seeds while the others wait, then find nothing left to do. `CREATE ... IF NOT EXISTS` alone is not
    /// enough: two sessions creating the same schema or table at once both pass the check, and one fails on
    /// PostgreSQL's catalog unique index.
    public func migrate(_ migrations: [Migration], logger: Logger, then seed: @Sendable () async throws -> Void = {}) async throws {
        try await self.withStartupLock {
            try await self.prepare()
            try await self.transaction { tx in
                try await tx.sql.create(table: "_migrations").ifNotExists()
                    .column("id", type: .custom(SQLRaw("VARCHAR(200)")), .primaryKey(autoIncrement: false))
                    .column("applied_at", type: .bigint, .notNull)
                    .run()
            }
            for migration in migrations {
                try await self.transaction { tx in
                    // What releases before this one relied on; kept so they still wait for this one.
                    try await tx.lock(7_345_001)
                    let applied = try await tx.sql.select().column("id").from("_migrations").where("id", .equal, migration.id).first()
                    guard applied == nil else { return }
                    try await migration.apply(tx.sql, tx.engine)
                    try await tx.sql.insert(into: "_migrations").columns("id", "applied_at")
                        .values(SQLBind(migration.id), SQLBind(WallClock.epochMilliseconds())).run()
                    logger.info("Applied migration", metadata: ["migration": .string(migration.id)])
                }
            }
            try await seed()
        }
    }
}

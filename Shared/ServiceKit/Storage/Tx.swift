import Foundation
import SQLKit
import Synchronization

/// One transaction: its connection, and the outbox and scheduler writing on it, so a change, the events it
/// causes and the work it schedules commit or roll back together. Repositories are structs over `tx.sql`.
public struct Tx: Sendable {
    /// The transaction's connection: run builders on it (`tx.sql.select()…`).
    public let sql: any SQLDatabase
    public let engine: Database.Engine
    let clock: WallClock
    /// Seals and opens the secrets stored on this transaction (a carrier's credentials), under the service's key.
    public let secrets: SecretBox
    /// Mixed into every advisory lock key: the schema's hash, so services (and test suites) sharing one PostgreSQL
    /// database in separate schemas never wait for each other's locks, which PostgreSQL keys database-wide.
    var lockSalt: Int64 = 0
    /// What the transaction announces for after its commit; nil outside ``Database/transaction(_:)`` and ``Database/read(_:)``.
    var notes: CommitNotes? = nil

    /// Events written in this transaction, delivered after it commits.
    public var outbox: OutboxWriter { OutboxWriter(outbox: Outbox(clock: self.clock), sql: self.sql) }

    /// Jobs scheduled in this transaction.
    public var scheduler: JobWriter { JobWriter(scheduler: JobScheduler(clock: self.clock), sql: self.sql) }

    /// Holds an advisory lock on `key` until the transaction ends (PostgreSQL `pg_advisory_xact_lock`), so
    /// instances sharing a database do one thing one at a time. SQLite needs none: its writer is one connection.
    public func lock(_ key: Int64) async throws {
        guard self.engine == .postgres else { return }
        try await self.sql.select().column(SQLFunction("pg_advisory_xact_lock", args: SQLBind(key ^ self.lockSalt))).run()
    }
}

/// The outbox on a transaction.
public struct OutboxWriter: Sendable {
    let outbox: Outbox
    let sql: any SQLDatabase

    /// Stores `message`; it exists exactly when the transaction commits. Returns the event id (`webhook-id`).
    @discardableResult
    public func enqueue(_ message: OutboxMessage) async throws -> String {
        try await self.outbox.enqueue(message, on: self.sql)
    }
}

/// The scheduler on a transaction.
public struct JobWriter: Sendable {
    let scheduler: JobScheduler
    let sql: any SQLDatabase

    /// Schedules a job that exists exactly when the transaction commits; returns its id.
    @discardableResult
    public func schedule(kind: String, payload: String, at due: Date) async throws -> Int64 {
        try await self.scheduler.schedule(kind: kind, payload: payload, at: due, on: self.sql)
    }

    /// Cancels a job that has not run; returns whether there was one.
    @discardableResult
    public func cancel(id: Int64) async throws -> Bool {
        try await self.scheduler.cancel(id: id, on: self.sql)
    }
}

extension SQLDatabase {
    /// Ends the connection's transaction (`COMMIT` or `ROLLBACK`) even when the task is cancelled: sqlite-nio skips a
    /// statement whose task is cancelled, which left the connection inside its transaction, and every later `BEGIN` on
    /// it failed ("cannot start a transaction within a transaction"). A task of its own is out of the caller's reach.
    func endTransaction(_ statement: String) async throws {
        try await Task { try await self.raw(SQLQueryString(statement)).run() }.value
    }
}

/// The notes one SQLite transaction published (``Tx/publish(_:on:)``), kept until it commits.
final class CommitNotes: Sendable {
    private let notes = Mutex<[PublishedNote]>([])

    func append(_ note: PublishedNote) {
        self.notes.withLock { $0.append(note) }
    }

    func take() -> [PublishedNote] {
        self.notes.withLock { notes in
            defer { notes = [] }
            return notes
        }
    }
}

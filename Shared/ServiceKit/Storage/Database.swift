import Foundation
import HTTPTypes
import Logging
import NIOCore
import PostgresKit
import SQLKit
import SQLiteKit
import ServiceLifecycle
import Synchronization

/// A service's database: SQLite (embedded, the default) or PostgreSQL, behind SQLKit.
///
/// Work goes through ``transaction(_:)`` (writes, on one connection, committed together) and ``read(_:)``
/// (one consistent snapshot). SQLite has one writer connection, so transactions run one at a time, and
/// `db.readers` read-only connections on the WAL file, so reads never wait for writes. PostgreSQL goes through
/// postgres-nio's `PostgresClient`. The database is a lifecycle `Service`: the application runs it (PostgreSQL's
/// client needs its `run()`), and tools and tests use ``withRunning(_:)``.
public final class Database: Sendable, Service {
    public enum Engine: String, Sendable {
        case sqlite
        case postgres
    }

    enum Backend: Sendable {
        case sqlite(SQLiteStore)
        case postgres(PostgresStore)
    }

    /// The transaction the current task is inside, so a nested `transaction`, `read` or `sql` joins it instead of
    /// waiting for a connection the task itself holds (SQLite has only the one writer).
    struct Joined: Sendable {
        let owner: ObjectIdentifier
        let sql: any SQLDatabase
        let notes: CommitNotes
    }

    @TaskLocal static var joined: Joined?

    public let engine: Engine
    let backend: Backend
    let schema: String?
    let logger: Logger
    let clock: WallClock
    /// Seals the secrets the service stores (`tx.secrets`).
    public let secrets: SecretBox
    private let stopped = ShutdownSignal()
    /// Who hears the notes published on each channel (``Tx/publish(_:on:)``, ``listen(to:_:)``).
    let noteListeners = NoteListeners()

    /// Prepares (without connecting: connections open on first use) the database `settings` name.
    ///
    /// - `db.url` unset: `<data.dir>/<name>.sqlite` in WAL mode, with `db.readers` readers.
    /// - `sqlite::memory:`: a private in-memory SQLite database (tests); reads use the writer.
    /// - `postgres://` or `postgresql://`: PostgreSQL through a `PostgresClient` of `db.poolSize` connections a core.
    ///
    /// Secrets are sealed under `secrets.key`, else a key file `<data.dir>/<name>.key` made on first use, else (for
    /// `sqlite::memory:`) a key of the process. A `secrets.key` that is not base64 of 32 bytes fails here.
    public init(settings: DatabaseSettings, logger: Logger, clock: WallClock = .system) throws {
        self.logger = logger
        self.clock = clock
        let url = settings.url ?? ""
        self.secrets = try SecretBox(
            configured: settings.secretsKey, keyFile: url == "sqlite::memory:" ? nil : "\(settings.dataDirectory)/\(settings.name).key",
            logger: logger)
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            if let schema = settings.schema {
                guard !schema.isEmpty, schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw ServiceError(.badRequest, message: "db.schema may hold only letters, digits and underscores")
                }
            }
            self.schema = settings.schema
            self.engine = .postgres
            let connections = max(1, settings.poolSize) * System.coreCount
            self.backend = .postgres(try PostgresStore(url: url, schema: settings.schema, maxConnections: connections, logger: logger))
        } else if url.isEmpty || url.hasPrefix("sqlite:") {
            let location: SQLiteStore.Location
            if url.isEmpty {
                try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
                location = .file("\(settings.dataDirectory)/\(settings.name).sqlite")
            } else if url == "sqlite::memory:" {
                location = .memory
            } else {
                location = .file(String(url.dropFirst("sqlite:".count)))
            }
            self.schema = nil
            self.engine = .sqlite
            self.backend = .sqlite(
                SQLiteStore(location: location, readers: settings.readers, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds, logger: logger)
            )
        } else {
            throw ServiceError(.badRequest, message: "db.url must start with postgres://, postgresql:// or sqlite:")
        }
    }

    /// The database of `settings`' keys, with the defaults for readers and busy timeout.
    public convenience init(settings: ServiceSettings, logger: Logger) throws {
        try self.init(settings: DatabaseSettings(settings), logger: logger)
    }

    // MARK: Transactions

    /// Runs `body` in a transaction: commits if it returns, rolls back if it throws (and rethrows its error as it
    /// was). On SQLite transactions run one at a time on the writer. Inside another transaction of this database,
    /// joins it.
    public func transaction<T: Sendable>(_ body: @Sendable (Tx) async throws -> T) async throws -> T {
        if let joined = self.currentTransaction { return try await body(self.tx(joined.sql, notes: joined.notes)) }
        // A transaction PostgreSQL runs again starts with no notes: only the attempt that commits announces.
        let outcome: (result: T, notes: CommitNotes)
        switch self.backend {
        case .sqlite(let store):
            outcome = try await store.write { sql in
                try await self.joining(sql) { notes in (try await body(self.tx(sql, notes: notes)), notes) }
            }
        case .postgres(let store):
            outcome = try await store.write { sql in
                try await self.joining(sql) { notes in (try await body(self.tx(sql, notes: notes)), notes) }
            }
        }
        self.announce(outcome.notes)
        return outcome.result
    }

    /// Runs `body` in a read-only transaction that sees one snapshot: a SQLite reader (the writer for `:memory:`),
    /// or a PostgreSQL `REPEATABLE READ, READ ONLY` transaction. Inside a transaction, reads on it (and sees its writes).
    public func read<T: Sendable>(_ body: @Sendable (Tx) async throws -> T) async throws -> T {
        if let joined = self.currentTransaction { return try await body(self.tx(joined.sql, notes: joined.notes)) }
        let outcome: (result: T, notes: CommitNotes)
        switch self.backend {
        case .sqlite(let store):
            outcome = try await store.read { sql in
                try await self.joining(sql) { notes in (try await body(self.tx(sql, notes: notes)), notes) }
            }
        case .postgres(let store):
            outcome = try await store.read { sql in
                try await self.joining(sql) { notes in (try await body(self.tx(sql, notes: notes)), notes) }
            }
        }
        self.announce(outcome.notes)
        return outcome.result
    }

    /// Hands what a committed SQLite transaction published to this process's listeners, in order (PostgreSQL's notes
    /// went through the server).
    private func announce(_ notes: CommitNotes) {
        for published in notes.take() { self.noteListeners.deliver(published.note, on: published.channel) }
    }

    /// Runs `body`, which issues one statement, on a reader (SQLite's writer for `:memory:`) outside a transaction:
    /// a single statement reads one snapshot by itself, and the `BEGIN` and `COMMIT` of ``read(_:)`` would cost two
    /// more round trips (to SQLite's reader thread, or to the PostgreSQL server). Inside a transaction, runs on it.
    public func readStatement<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let joined = self.currentTransaction { return try await body(joined.sql) }
        switch self.backend {
        case .sqlite(let store): return try await store.readStatement(body)
        case .postgres(let store): return try await store.withConnection(body)
        }
    }

    var currentTransaction: Joined? {
        guard let joined = Self.joined, joined.owner == ObjectIdentifier(self) else { return nil }
        return joined
    }

    func tx(_ sql: any SQLDatabase, notes: CommitNotes? = nil) -> Tx {
        Tx(sql: sql, engine: self.engine, clock: self.clock, secrets: self.secrets, lockSalt: Int64(self.startupLockKey), notes: notes)
    }

    private func joining<T>(_ sql: any SQLDatabase, _ body: (CommitNotes) async throws -> T) async throws -> T {
        let notes = CommitNotes()
        return try await Self.$joined.withValue(Joined(owner: ObjectIdentifier(self), sql: sql, notes: notes)) { try await body(notes) }
    }

    // MARK: Health and start-up

    /// Answers whether the database is up (a reader on SQLite, so a long write does not make it look down).
    public func ping() async throws {
        try await self.read { tx in try await tx.sql.raw("SELECT 1").run() }
    }

    /// Creates the PostgreSQL schema when one is set (SQLite's WAL mode is set when its writer opens).
    func prepare() async throws {
        guard case .postgres(let store) = self.backend, let schema else { return }
        try await store.withConnection { sql in try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run() }
    }

    /// Runs `body` while this process holds the database's start-up lock, so instances that start together run
    /// their migrations and seeding one after another.
    ///
    /// On PostgreSQL the lock is a transaction-scoped advisory lock keyed by the schema, taken on a connection of its
    /// own that stays in its transaction while `body` runs on others: another instance waits for it, and a process
    /// killed while holding it loses it with its connection. SQLite needs none: one process owns the file.
    func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard case .postgres(let store) = self.backend else { return try await body() }
        let (lockClass, key) = (Self.startupLockClass, self.startupLockKey)
        return try await store.write { sql in
            try await sql.select().column(SQLFunction("pg_advisory_xact_lock", args: SQLBind(lockClass), SQLBind(key))).run()
            return try await body()
        }
    }

    /// The first half of the start-up lock's key, the same for every Switchboard service.
    static let startupLockClass: Int32 = 7_345_001

    /// The second half: the schema's name hashed (FNV-1a), so services sharing one database in separate schemas
    /// do not wait for each other.
    var startupLockKey: Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in (self.schema ?? "public").utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return Int32(bitPattern: hash)
    }

    // MARK: Lifecycle

    /// Runs until graceful shutdown or ``shutdown()``: PostgreSQL's client works only while this runs, and so does the
    /// connection listening for published notes (``listen(to:_:)``). Then closes every connection.
    public func run() async throws {
        switch self.backend {
        case .postgres(let store):
            let channels = Dictionary(
                uniqueKeysWithValues: self.noteListeners.start().map { (PublishedNote.serverChannel($0, salt: Int64(self.startupLockKey)), $0) })
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await store.client.run() }
                group.addTask { await self.waitForStop() }
                if !channels.isEmpty {
                    let listeners = self.noteListeners
                    group.addTask { await store.listen(channels) { note, channel in listeners.deliver(note, on: channel) } }
                }
                await group.next()
                group.cancelAll()
            }
        case .sqlite(let store):
            await self.waitForStop()
            await store.close()
        }
    }

    private func waitForStop() async {
        await withGracefulShutdownHandler {
            await self.stopped.wait()
        } onGracefulShutdown: {
            self.stopped.fire()
        }
    }

    /// Closes every connection (ends ``run()``); later use fails.
    public func shutdown() async throws {
        self.stopped.fire()
        if case .sqlite(let store) = self.backend { await store.close() }
    }

    /// Runs the database around `body` and shuts it down afterwards, whether `body` returns or throws: for tools
    /// and tests that use a database outside an application.
    public func withRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { try await self.run() }
            do {
                let result = try await body()
                try await self.shutdown()
                try await group.waitForAll()
                return result
            } catch {
                try? await self.shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

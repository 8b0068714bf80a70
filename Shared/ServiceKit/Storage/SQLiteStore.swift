import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// SQLite's connections: one writer, held by one transaction at a time, and `readers` read-only connections on
/// the same WAL file, so reports and lists read a snapshot while writes go on (WAL readers and the writer never
/// block each other). A `:memory:` database cannot be opened twice, so there every read uses the writer.
final class SQLiteStore: Sendable {
    /// Where the database lives.
    enum Location: Sendable, Equatable {
        case memory
        case file(String)
    }

    /// The open connections; nil until first use.
    private struct Connections: Sendable {
        let writer: SQLiteConnection
        let readers: [SQLiteConnection]
        let lender: Lender<SQLiteConnection>?
        /// The readers' own threads: the default pool is the process's shared one, which the writer uses.
        let readerThreads: NIOThreadPool?
    }

    private enum State: Sendable {
        case unopened
        case open(Connections)
        case closed
    }

    let location: Location
    let readerCount: Int
    let busyTimeoutMilliseconds: Int
    let logger: Logger
    /// Serialises transactions and single statements on the writer.
    let writerLock = AsyncLock()
    private let opening = AsyncLock()
    private let state = Mutex(State.unopened)

    init(location: Location, readers: Int, busyTimeoutMilliseconds: Int, logger: Logger) {
        self.location = location
        // `:memory:` is private to its connection: readers would each see an empty database of their own.
        self.readerCount = location == .memory ? 0 : max(0, readers)
        self.busyTimeoutMilliseconds = max(0, busyTimeoutMilliseconds)
        self.logger = logger
    }

    /// Runs `body` inside a write transaction on the writer. `BEGIN IMMEDIATE` takes SQLite's write lock up front,
    /// so another process's transaction cannot make this one fail half-way upgrading from a read.
    func write<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let writer = try await self.connections().writer.sql()
        return try await self.writerLock.withLock {
            try await Self.transaction(on: writer, begin: "BEGIN IMMEDIATE", body)
        }
    }

    /// Runs `body` in one read transaction (one snapshot) on a free reader, or on the writer without readers.
    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connections = try await self.connections()
        guard let lender = connections.lender else {
            return try await self.writerLock.withLock { try await Self.transaction(on: connections.writer.sql(), begin: "BEGIN", body) }
        }
        return try await lender.withItem { reader in try await Self.transaction(on: reader.sql(), begin: "BEGIN", body) }
    }

    /// Runs `body`, one statement, on a free reader (the writer without readers) outside a transaction.
    func readStatement<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connections = try await self.connections()
        guard let lender = connections.lender else { return try await self.writerLock.withLock { try await body(connections.writer.sql()) } }
        return try await lender.withItem { reader in try await body(reader.sql()) }
    }

    static func transaction<T>(on database: any SQLDatabase, begin: String, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(database)
            try await database.endTransaction("COMMIT")
            return result
        } catch {
            try? await database.endTransaction("ROLLBACK")
            throw error
        }
    }

    /// Opens the writer (WAL, foreign keys, busy timeout) and then the readers, once.
    private func connections() async throws -> Connections {
        if let open = self.current() { return open }
        return try await self.opening.withLock {
            if let open = self.current() { return open }
            if case .closed = self.state.withLock({ $0 }) { throw StorageClosedError() }
            let storage: SQLiteConnection.Storage
            switch self.location {
            case .memory: storage = .memory
            case .file(let path): storage = .file(path: path)
            }
            let loop = MultiThreadedEventLoopGroup.singleton.any()
            let writer = try await SQLiteConnection.open(storage: storage, threadPool: .singleton, logger: self.logger, on: loop)
            // sqlite-nio's own busy handler retries at once, for ever: a spin. `busy_timeout` sleeps and gives up.
            for pragma in [
                "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                "PRAGMA busy_timeout=\(self.busyTimeoutMilliseconds)",
                // Statistics for tables never analyzed or grown tenfold since (SQLite's advice for long-lived connections; at
                // most a few hundred rows read per index): without them the planner takes `site_id = ?` to narrow a table
                // to ten rows and scans a million-contact site instead of probing an indexed `IN` (decision 185). The
                // readers, opened next, load them. Sampling 1,000 rows an index, the first start of a million-contact store
                // without statistics took 0.4 s more (a full ANALYZE, 1.4 s); later starts nothing.
                "PRAGMA analysis_limit=1000", "PRAGMA optimize=0x10002",
            ] {
                try await writer.sql().raw(SQLQueryString(pragma)).run()
            }
            var readers: [SQLiteConnection] = []
            var threads: NIOThreadPool?
            if self.readerCount > 0 {
                let pool = NIOThreadPool(numberOfThreads: self.readerCount)
                pool.start()
                threads = pool
                for _ in 0..<self.readerCount {
                    let reader = try await SQLiteConnection.open(storage: storage, threadPool: pool, logger: self.logger, on: loop)
                    // Read-only by setting, so a write through a reader fails instead of taking the write lock.
                    for pragma in ["PRAGMA busy_timeout=\(self.busyTimeoutMilliseconds)", "PRAGMA query_only=ON"] {
                        try await reader.sql().raw(SQLQueryString(pragma)).run()
                    }
                    readers.append(reader)
                }
            }
            let open = Connections(writer: writer, readers: readers, lender: readers.isEmpty ? nil : Lender(readers), readerThreads: threads)
            self.state.withLock { $0 = .open(open) }
            return open
        }
    }

    private func current() -> Connections? {
        self.state.withLock { state in
            if case .open(let connections) = state { return connections }
            return nil
        }
    }

    /// Closes every connection; later use throws.
    func close() async {
        let closing = self.state.withLock { state -> Connections? in
            defer { state = .closed }
            if case .open(let connections) = state { return connections }
            return nil
        }
        guard let closing else { return }
        // Closed in a task of its own: a shutdown that comes with the caller's cancellation (a service group torn
        // down) must still close every connection rather than stop halfway.
        await Task.detached { await self.close(closing) }.value
    }

    private func close(_ closing: Connections) async {
        // Only once no statement runs: a connection closed under a running statement stays open (its close fails),
        // and sqlite-nio asserts on deinitialising an open connection, which took a whole test process down. New
        // work already fails (the state is closed); what is under way holds a reader or the writer until it ends.
        if let lender = closing.lender { for _ in closing.readers { _ = await lender.borrow() } }
        await self.writerLock.lock()
        for connection in closing.readers + [closing.writer] {
            do {
                try await connection.close()
            } catch {
                // Kept for the life of the process: deinitialising it open would assert and take the process down.
                Self.unclosed.withLock { $0.append(connection) }
            }
        }
        self.writerLock.unlock()
        try? await closing.readerThreads?.shutdownGracefully()
    }

    /// Connections whose close failed.
    private static let unclosed = Mutex<[SQLiteConnection]>([])
}

/// The database was shut down.
struct StorageClosedError: Error, CustomStringConvertible {
    var description: String { "the database has been shut down" }
}

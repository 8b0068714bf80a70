@preconcurrency import AsyncKit
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import ServiceLifecycle

/// A service's database: SQLite (embedded, the default) or PostgreSQL, behind SQLKit.
///
/// SQLite runs on one connection on one event loop: SQLite allows one writer at a time anyway, and a
/// single connection makes transactions and `:memory:` databases behave the same as PostgreSQL's.
public final class Database: Sendable {
    public enum Engine: String, Sendable {
        case sqlite
        case postgres
    }

    /// The pools lock internally; AsyncKit predates Sendable annotations.
    private enum Pool: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<SQLiteConnectionSource>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    public let engine: Engine
    private let pool: Pool
    private let schema: String?
    private let logger: Logger
    /// Opens the PostgreSQL connection that holds the start-up lock, apart from the pool (nil on SQLite).
    private let lockConfiguration: SQLPostgresConfiguration?

    /// Opens (lazily: the pools connect on first use) the database that `settings` name.
    ///
    /// - `db.url` unset: `<data.dir>/<name>.sqlite` in WAL mode.
    /// - `sqlite::memory:`: a private in-memory SQLite database (tests).
    /// - `postgres://` or `postgresql://`: PostgreSQL with `db.poolSize` connections per event loop.
    public init(settings: ServiceSettings, logger: Logger) throws {
        self.logger = logger
        let url = settings.databaseURL ?? ""
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema = settings.databaseSchema {
                guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw ServiceError(.badRequest, message: "db.schema may hold only letters, digits and underscores")
                }
                configuration.searchPath = [schema]
            }
            self.schema = settings.databaseSchema
            self.engine = .postgres
            self.lockConfiguration = configuration
            self.pool = .postgres(
                EventLoopGroupConnectionPool(
                    source: PostgresConnectionSource(sqlConfiguration: configuration),
                    maxConnectionsPerEventLoop: max(1, settings.databasePoolSize),
                    logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton
                )
            )
        } else if url.isEmpty || url.hasPrefix("sqlite:") {
            let storage: SQLiteConfiguration.Storage
            if url.isEmpty {
                try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
                storage = .file(path: "\(settings.dataDirectory)/\(settings.name).sqlite")
            } else if url == "sqlite::memory:" {
                storage = .memory
            } else {
                storage = .file(path: String(url.dropFirst("sqlite:".count)))
            }
            self.schema = nil
            self.engine = .sqlite
            self.lockConfiguration = nil
            self.pool = .sqlite(
                EventLoopGroupConnectionPool(
                    source: SQLiteConnectionSource(configuration: .init(storage: storage, enableForeignKeys: true)),
                    maxConnectionsPerEventLoop: 1,
                    requestTimeout: .seconds(30),
                    logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.next()
                )
            )
        } else {
            throw ServiceError(.badRequest, message: "db.url must start with postgres://, postgresql:// or sqlite:")
        }
    }

    /// The pooled database for single statements.
    public var sql: any SQLDatabase {
        switch self.pool {
        case .sqlite(let pool): PooledSQLiteDatabase(pool: pool, logger: self.logger)
        case .postgres(let pool): pool.database(logger: self.logger).sql()
        }
    }

    /// Runs `body` on one connection inside a transaction; commits if it returns, rolls back if it throws.
    public func withTransaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await self.withConnection { database in
            // IMMEDIATE takes SQLite's write lock up front, so two transactions never deadlock upgrading.
            try await database.raw(self.engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body` with one connection held for its whole duration.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch self.pool {
        case .sqlite(let pool):
            let connection = try await pool.requestConnection(logger: self.logger).get()
            defer { pool.releaseConnection(connection, logger: self.logger) }
            return try await body(connection.sql())
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: self.logger).get()
            defer { pool.releaseConnection(connection, logger: self.logger) }
            return try await body(connection.sql())
        }
    }

    /// Prepares the connection settings that persist in the file (WAL) and answers whether the database is up.
    public func ping() async throws {
        try await self.sql.raw("SELECT 1").run()
    }

    /// Sets SQLite's journal to WAL (it persists in the file); creates the PostgreSQL schema when one is set.
    func prepare() async throws {
        switch self.engine {
        case .sqlite:
            try await self.sql.raw("PRAGMA journal_mode=WAL").run()
        case .postgres:
            if let schema { try await self.sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run() }
        }
    }

    /// Runs `body` while this process holds the database's start-up lock, so instances that start together run
    /// their migrations and seeding one after another.
    ///
    /// On PostgreSQL the lock is a session advisory lock keyed by the schema, held on a connection of its own
    /// (not the pool's, so `body` can use every pooled connection): another instance waits for it, and a process
    /// killed while holding it loses it with its connection. SQLite needs none: one process owns the file.
    func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard let lockConfiguration else { return try await body() }
        let connection = try await PostgresConnectionSource(sqlConfiguration: lockConfiguration)
            .makeConnection(logger: self.logger, on: MultiThreadedEventLoopGroup.singleton.next()).get()
        do {
            try await connection.sql().raw("SELECT pg_advisory_lock(\(bind: Self.startupLockClass), \(bind: self.startupLockKey))").run()
            let result = try await body()
            // Closing the session releases the lock.
            try? await connection.close().get()
            return result
        } catch {
            try? await connection.close().get()
            throw error
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

    /// Closes every pooled connection.
    public func shutdown() async throws {
        switch self.pool {
        case .sqlite(let pool): try await pool.shutdownAsync()
        case .postgres(let pool): try await pool.shutdownAsync()
        }
    }
}

/// Keeps the database open for the life of the application and closes it on shutdown.
public struct DatabaseService: Service {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await self.database.shutdown()
    }
}

/// SQLiteKit has no pooled `SQLDatabase`; this one borrows the pool's connection for each statement.
private struct PooledSQLiteDatabase: SQLDatabase {
    let pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>
    let logger: Logger

    var eventLoop: any EventLoop { self.pool.eventLoopGroup.any() }
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        self.pool.withConnection(logger: self.logger) { connection in
            connection.sql().execute(sql: query, onRow)
        }
    }
}

import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresKit
import SQLKit

/// PostgreSQL through postgres-nio's `PostgresClient`, which pools its connections and runs as a lifecycle
/// service (``Database/run()``). postgres-kit gives `sql()` only to a single connection, so every transaction, read
/// and single statement leases one.
struct PostgresStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The client's settings, for the connection that listens for published notes (``listen(_:deliver:)``).
    private let endpoint: (host: String, port: Int, username: String, password: String?, database: String?, tls: TLSMode, schema: String?)

    enum TLSMode: Sendable {
        case disable, prefer, require
    }

    /// Reads `url` (`postgres://user:password@host:port/database?tlsmode=disable|prefer|require`); `schema`
    /// becomes every connection's `search_path`.
    init(url: String, schema: String?, maxConnections: Int, logger: Logger) throws {
        // postgres-kit's reading of the URL checks it and finds host, port, user, password and database.
        let parsed = try SQLPostgresConfiguration(url: url).coreConfiguration
        guard let host = parsed.host else { throw DatabaseConfigurationError("db.url: only TCP PostgreSQL URLs are supported") }
        let mode =
            URLComponents(string: url)?.queryItems?.last { ["tlsmode", "sslmode", "ssl", "tls"].contains($0.name.lowercased()) }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        let tlsMode: TLSMode
        switch mode {
        case "disable", "false": (tls, tlsMode) = (.disable, .disable)
        case "require", "verify-ca", "verify-full": (tls, tlsMode) = (.require(.makeClientConfiguration()), .require)
        default: (tls, tlsMode) = (.prefer(.makeClientConfiguration()), .prefer)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: parsed.port ?? 5432, username: parsed.username, password: parsed.password, database: parsed.database, tls: tls
        )
        self.endpoint = (host, parsed.port ?? 5432, parsed.username, parsed.password, parsed.database, tlsMode, schema)
        configuration.options.maximumConnections = max(2, maxConnections)
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// A single connection's configuration with the client's server, credentials, TLS mode and `search_path`.
    func listeningConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch self.endpoint.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: self.endpoint.host, port: self.endpoint.port, username: self.endpoint.username, password: self.endpoint.password,
            database: self.endpoint.database, tls: tls)
        if let schema = self.endpoint.schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        return configuration
    }

    /// How often a transaction PostgreSQL aborted to break a deadlock or a serialization conflict runs in all.
    static let attempts = 4

    /// Runs `body` in a transaction on one leased connection. The client wraps whatever the body throws in
    /// `PostgresTransactionError`; the body's own error is unwrapped so a domain error (a 404) keeps its type.
    ///
    /// When PostgreSQL aborts the transaction to break a deadlock (40P01) or a serialization conflict (40001), nothing
    /// of it was kept, so `body` runs again after a short random pause (two writers locking rows in different orders,
    /// such as a batch update and the day counts' triggers, both finish instead of one answering 500).
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await self.writeOnce(body)
            } catch let error as PSQLError where attempt < Self.attempts && Self.isRetryable(error) {
                self.logger.info(
                    "Transaction aborted by PostgreSQL; running it again",
                    metadata: ["attempt": "\(attempt)", "sqlState": "\(error.serverInfo?[.sqlState] ?? "")"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...40) * attempt))
                attempt += 1
            }
        }
    }

    /// Deadlock detected or serialization failure: the server rolled the transaction back, so running it again is safe.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["40P01", "40001"].contains(error.serverInfo?[.sqlState])
    }

    private func writeOnce<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await self.client.withTransaction(logger: self.logger) { connection in
                try await body(connection.sql())
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    /// Runs `body` in one read-only, repeatable-read transaction: every statement sees the same snapshot.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await self.client.withConnection { connection in
            let sql = connection.sql()
            try await sql.raw("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            do {
                let result = try await body(sql)
                try await sql.endTransaction("COMMIT")
                return result
            } catch {
                try? await sql.endTransaction("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on one leased connection, outside a transaction.
    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await self.client.withConnection { connection in try await body(connection.sql()) }
    }
}

/// A database setting that cannot work, named.
struct DatabaseConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import Configuration
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceKit

/// Configuration for tests: SQLite in memory, or PostgreSQL in a fresh schema when `TEST_DB_URL` is set,
/// so every suite runs unchanged on both engines.
public enum TestConfiguration {
    public static let bootstrapKey = "test-bootstrap-key"
    public static let internalToken = "test-internal-token"

    /// The engine the suite runs on.
    public static var databaseURL: String {
        ProcessInfo.processInfo.environment["TEST_DB_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite::memory:"
    }

    /// Values every test service gets, overridden by `values`.
    public static func values(_ values: [AbsoluteConfigKey: ConfigValue] = [:]) -> [AbsoluteConfigKey: ConfigValue] {
        var defaults: [AbsoluteConfigKey: ConfigValue] = [
            "http.port": 0,
            "db.url": .init(.string(databaseURL), isSecret: true),
            "db.schema": .init(.string(uniqueSchema()), isSecret: false),
            "db.poolSize": 2,
            "bootstrap.apiKey": .init(.string(bootstrapKey), isSecret: true),
            "internal.token": .init(.string(internalToken), isSecret: true),
            // A loaded test machine answers slowly; a test that wants the deadline to pass sets its own.
            "internal.timeout": 20,
            "log.requests": false,
            "log.level": "warning",
            "webhooks.allowPrivateNetworks": true,
            "webhooks.pollInterval": 0.05,
            "scheduler.pollInterval": 0.05,
            // Every JSON answer of a declared endpoint is checked against its documented schema.
            "openapi.checkResponses": true,
        ]
        // Nothing a test does by default may reach the well-known ports (8080-8085): a system running on the same
        // machine would answer. Peers and upstreams point at a closed port unless the test names them.
        let nowhere = "http://127.0.0.1:\(refusingPort)"
        for peer in ["conversation", "livechatConfig", "outreachContact"] {
            defaults[AbsoluteConfigKey(["peers", peer, "url"])] = .init(.string(nowhere), isSecret: false)
        }
        for upstream in ["conversation", "livechatConfig", "outreachContact", "chatwootGroups", "sinchCmi"] {
            defaults[AbsoluteConfigKey(["upstream", upstream, "urls"])] = .init(.stringArray([nowhere]), isSecret: false)
        }
        // Nor the carriers' real APIs (outreach-contact's defaults are Twilio's and Telnyx's production roots).
        for carrier in ["twilio", "telnyx"] {
            defaults[AbsoluteConfigKey(["carriers", carrier, "url"])] = .init(.string(nowhere), isSecret: false)
        }
        defaults.merge(values) { _, new in new }
        return defaults
    }

    public static func reader(_ values: [AbsoluteConfigKey: ConfigValue] = [:]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: self.values(values)))
    }

    /// A fresh database of the suite's engine, not yet running or migrated (see ``withTestDatabase(migrations:_:)``).
    public static func database(_ values: [AbsoluteConfigKey: ConfigValue] = [:]) throws -> Database {
        try Database(settings: DatabaseSettings(reader: reader(values), name: "test"), logger: logger)
    }

    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    static func uniqueSchema() -> String {
        "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// A port nothing ever listens on: connections to it are refused at once. Port 1 (tcpmux) is served by nothing
    /// and lies outside the ephemeral range the tests' own servers draw from, so, unlike a port bound once and
    /// released (``closedPort()``), no other suite's server can take it meanwhile and answer.
    public static let refusingPort = 1

    /// A port free now, to start something on later: bound once, then released. (Through NIO rather than `sockaddr_in` fields, whose
    /// owning C module depends on the build order.)
    public static func closedPort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        return port
    }
}

/// Runs `body` with a fresh database of the suite's engine, running and migrated with ServiceKit's own tables plus
/// `migrations`, and always shuts it down, even when the body throws.
public func withTestDatabase<T: Sendable>(
    migrations: [Migration] = [], _ values: [AbsoluteConfigKey: ConfigValue] = [:], _ body: (Database) async throws -> T
) async throws -> T {
    let database = try TestConfiguration.database(values)
    return try await database.withRunning {
        try await database.migrate(ServiceKitMigrations.all + migrations, logger: TestConfiguration.logger)
        return try await body(database)
    }
}

import Configuration
import Foundation
import Logging
import SQLKit
import ServiceKit
import TestSupport
import Testing

@Suite("Storage")
struct StorageTests {
    static let widgets = Migration("test-widgets", statements: ["CREATE TABLE widgets (name VARCHAR(50) PRIMARY KEY)"])

    @Test("Migrations are recorded and applied once")
    func migrationsApplyOnce() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            try await database.migrate(ServiceKitMigrations.all + [Self.widgets], logger: TestConfiguration.logger)
            let recorded = try await database.sql.raw("SELECT id FROM _migrations WHERE id = 'test-widgets'").all()
            #expect(recorded.count == 1)
        }
    }

    /// The bootstrap pattern of the services: count, and insert when the store is empty.
    static let seeds = Migration("test-seeds", statements: ["CREATE TABLE seeds (name VARCHAR(50) NOT NULL)"])

    @Test(
        "Instances starting together on an empty schema all migrate, and seed once",
        .enabled(if: TestConfiguration.databaseURL.hasPrefix("postgres"), "several processes share a database only on PostgreSQL (TEST_DB_URL)")
    )
    func concurrentStartsMigrateOnce() async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let reader = TestConfiguration.reader(["db.schema": .init(.string(schema), isSecret: false)])
        let instances = try (0..<6).map { _ in
            try Database(settings: DatabaseSettings(reader: reader, name: "test"), logger: TestConfiguration.logger)
        }
        let failures = await withTaskGroup(of: String?.self) { group in
            for database in instances {
                group.addTask {
                    do {
                        try await database.withRunning {
                            try await database.migrate(ServiceKitMigrations.all + [Self.widgets, Self.seeds], logger: TestConfiguration.logger) {
                                let count =
                                    try await database.sql.raw("SELECT COUNT(*) AS n FROM seeds").first()?.decode(column: "n", as: Int.self) ?? 0
                                if count == 0 { try await database.sql.raw("INSERT INTO seeds (name) VALUES ('admin')").run() }
                            }
                        }
                        return nil
                    } catch {
                        return String(reflecting: error)
                    }
                }
            }
            return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
        }
        #expect(failures.isEmpty, "\(failures)")
        let checker = try Database(settings: DatabaseSettings(reader: reader, name: "test"), logger: TestConfiguration.logger)
        try await checker.withRunning {
            let seeded = try await checker.sql.raw("SELECT COUNT(*) AS n FROM seeds").first()?.decode(column: "n", as: Int.self)
            #expect(seeded == 1)
            let recorded = try await checker.sql.raw("SELECT COUNT(*) AS n FROM _migrations").first()?.decode(column: "n", as: Int.self)
            #expect(recorded == ServiceKitMigrations.all.count + 2)
            try await checker.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
    }

    @Test("A transaction commits when its body returns")
    func transactionCommits() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            try await database.withTransaction { try await $0.raw("INSERT INTO widgets (name) VALUES ('kept')").run() }
            let rows = try await database.sql.raw("SELECT name FROM widgets").all()
            let names = try rows.map { try $0.decode(column: "name", as: String.self) }
            #expect(names == ["kept"])
        }
    }

    @Test("A transaction rolls back when its body throws")
    func transactionRollsBack() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.withTransaction { database in
                    try await database.raw("INSERT INTO widgets (name) VALUES ('lost')").run()
                    throw Boom()
                }
            }
            let rows = try await database.sql.raw("SELECT name FROM widgets").all()
            #expect(rows.isEmpty)
        }
    }
}

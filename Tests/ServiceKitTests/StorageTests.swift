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
            let recorded = try await database.read { tx in
                try await tx.sql.select().column("id").from("_migrations").where("id", .equal, "test-widgets").all()
            }
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
                                try await database.transaction { tx in
                                    if try await Self.count("seeds", on: tx) == 0 {
                                        try await tx.sql.insert(into: "seeds").columns("name").values("admin").run()
                                    }
                                }
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
            let (seeded, recorded) = try await checker.read { tx in
                (try await Self.count("seeds", on: tx), try await Self.count("_migrations", on: tx))
            }
            #expect(seeded == 1)
            #expect(recorded == ServiceKitMigrations.all.count + 2)
            try await checker.transaction { tx in try await tx.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        }
    }

    /// How many rows `table` has.
    static func count(_ table: String, on tx: Tx) async throws -> Int64 {
        try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from(table).first(CountRow.self)?.count ?? 0
    }

    /// The widgets' names, in order.
    static func names(in database: Database) async throws -> [String] {
        struct Name: Decodable { var name: String }
        return try await database.read { tx in try await tx.sql.select().column("name").from("widgets").orderBy("name").all(Name.self).map(\.name) }
    }

    @Test("A transaction commits when its body returns")
    func transactionCommits() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            try await database.transaction { tx in try await tx.sql.insert(into: "widgets").columns("name").values("kept").run() }
            let names = try await Self.names(in: database)
            #expect(names == ["kept"])
        }
    }

    @Test("A transaction rolls back when its body throws")
    func transactionRollsBack() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await database.transaction { tx in
                    try await tx.sql.insert(into: "widgets").columns("name").values("lost").run()
                    throw Boom()
                }
            }
            let names = try await Self.names(in: database)
            #expect(names.isEmpty)
        }
    }
}

import Logging
import SQLKit
import ServiceKit
import Testing
import TestSupport

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

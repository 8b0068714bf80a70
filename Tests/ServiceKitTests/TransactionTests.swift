import Configuration
import Foundation
import SQLKit
import ServiceKit
import TestSupport
import Testing

@Suite("Transactions and reads")
struct TransactionTests {
    static let widgets = Migration("test-widgets", statements: ["CREATE TABLE widgets (name VARCHAR(50) PRIMARY KEY, size_in_cm INTEGER)"])

    /// A storage row: `sizeInCm` is the column `size_in_cm` (acronyms spelt as words: SQLKit lowers only their first letter).
    struct Widget: Codable, Sendable, Equatable {
        var name: String
        var sizeInCm: Int?
    }

    @Test("A domain error thrown in a transaction comes out with its own type, and the transaction rolls back")
    func domainErrorKeepsItsType() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            await #expect(throws: ServiceError.self) {
                try await database.transaction { tx in
                    try await tx.sql.insert(into: "widgets").row(Widget(name: "lost", sizeInCm: 1)).run()
                    throw ServiceError.notFound("Widget")
                }
            }
            let rows = try await database.read { tx in try await tx.sql.select().columns("name", "size_in_cm").from("widgets").all(Widget.self) }
            #expect(rows.isEmpty)
        }
    }

    @Test("Rows go in and come out as Codable structs with snake_case columns")
    func codableRows() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            try await database.transaction { tx in
                try await tx.sql.insert(into: "widgets").rows([Widget(name: "a", sizeInCm: 3), Widget(name: "b", sizeInCm: nil)]).run()
                try await tx.sql.update("widgets").set(row: Widget(name: "b", sizeInCm: 7)).where("name", .equal, "b").run()
            }
            let rows = try await database.read { tx in
                try await tx.sql.select().columns("name", "size_in_cm").from("widgets").orderBy("name").all(Widget.self)
            }
            #expect(rows == [Widget(name: "a", sizeInCm: 3), Widget(name: "b", sizeInCm: 7)])
        }
    }

    @Test("A transaction, read or statement inside a transaction joins it and sees its writes")
    func nestedWorkJoins() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            let seen = try await database.transaction { tx in
                try await tx.sql.insert(into: "widgets").row(Widget(name: "outer")).run()
                try await database.transaction { inner in try await inner.sql.insert(into: "widgets").row(Widget(name: "inner")).run() }
                let viaRead = try await database.read { read in try await read.sql.select().column("name").from("widgets").all(Widget.self).count }
                let viaStatement = try await database.readStatement { sql in try await sql.select().column("name").from("widgets").all().count }
                return [viaRead, viaStatement]
            }
            #expect(seen == [2, 2])
        }
    }

    @Test("Two PostgreSQL transactions that deadlock both finish: the one the server aborts runs again")
    func deadlockRunsAgain() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            guard database.engine == .postgres else { return }
            let runs = Counter()
            let firstLocks = Rendezvous()
            // Each takes its first lock, waits (on its first run) until the other holds its own, then asks for the other's.
            @Sendable func take(_ first: Int64, then second: Int64, name: String) async throws {
                try await database.transaction { tx in
                    let run = await runs.increment()
                    try await tx.lock(first)
                    if run <= 2 { await firstLocks.arrive() }
                    try await tx.lock(second)
                    try await tx.sql.insert(into: "widgets").row(Widget(name: name)).run()
                }
            }
            async let one: Void = take(1_001, then: 1_002, name: "one")
            async let two: Void = take(1_002, then: 1_001, name: "two")
            _ = try await (one, two)
            let names = try await database.read { tx in try await tx.sql.select().column("name").from("widgets").orderBy("name").all(Widget.self) }
            #expect(names.map(\.name) == ["one", "two"])
            #expect(await runs.value == 3, "the aborted transaction ran once more")
        }
    }

    actor Counter {
        var value = 0
        func increment() -> Int {
            self.value += 1
            return self.value
        }
    }

    /// Lets two tasks go on only once both have arrived.
    actor Rendezvous {
        var arrived = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        func arrive() async {
            self.arrived += 1
            if self.arrived >= 2 {
                for continuation in self.waiting { continuation.resume() }
                self.waiting = []
            } else {
                await withCheckedContinuation { self.waiting.append($0) }
            }
        }
    }

    @Test("An event enqueued in a transaction that rolls back never exists")
    func outboxFollowsTheTransaction() async throws {
        try await withTestDatabase { database in
            struct Boom: Error {}
            let message = OutboxMessage(tenant: "10000", eventType: "test", targetURL: "http://example.com/hook", payload: Data("{}".utf8))
            _ = try? await database.transaction { tx in
                try await tx.outbox.enqueue(message)
                throw Boom()
            }
            let kept = try await database.transaction { tx in try await tx.outbox.enqueue(message) }
            let events = try await database.read { tx in try await Outbox().events(tenant: "10000", on: tx.sql) }
            #expect(events.map(\.eventID) == [kept])
        }
    }

    @Test(
        "SQLite readers read a snapshot beside an open write transaction, see it once committed, and refuse writes",
        .enabled(if: !TestConfiguration.databaseURL.hasPrefix("postgres"), "SQLite's readers")
    )
    func sqliteReadersDoNotWaitForTheWriter() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await withTestDatabase(migrations: [Self.widgets], ["db.url": .init(.string("sqlite:\(path)"), isSecret: false)]) { database in
            try await database.transaction { tx in try await tx.sql.insert(into: "widgets").row(Widget(name: "first")).run() }
            let (entered, enter) = AsyncStream.makeStream(of: Void.self)
            let (release, releasing) = AsyncStream.makeStream(of: Void.self)
            async let writing: Void = database.transaction { tx in
                try await tx.sql.insert(into: "widgets").row(Widget(name: "second")).run()
                enter.yield()
                for await _ in release { break }
            }
            for await _ in entered { break }
            // The writer holds an open transaction; a reader still answers, from the last commit.
            let during = try await database.read { tx in try await tx.sql.select().column("name").from("widgets").all(Widget.self).count }
            #expect(during == 1)
            releasing.yield()
            try await writing
            let after = try await database.read { tx in try await tx.sql.select().column("name").from("widgets").all(Widget.self).count }
            #expect(after == 2)
            await #expect(throws: (any Error).self) {
                try await database.read { tx in try await tx.sql.insert(into: "widgets").row(Widget(name: "sneaky")).run() }
            }
        }
    }

    @Test(
        "A SQLite database shut down while reads and writes run waits for them, closes every connection, then refuses work",
        .enabled(if: !TestConfiguration.databaseURL.hasPrefix("postgres"), "SQLite's connections")
    )
    func sqliteShutdownUnderLoad() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shutdown-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TestConfiguration.database(["db.url": .init(.string("sqlite:\(path)"), isSecret: false)])
        try await database.withRunning {
            try await database.migrate(ServiceKitMigrations.all + [Self.widgets], logger: TestConfiguration.logger)
            // Closing under running statements left connections open, and sqlite-nio's deinit assertion ended the process.
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        for round in 0..<20 {
                            _ = try? await database.transaction { tx in
                                try await tx.sql.insert(into: "widgets").row(Widget(name: "w\(index)-\(round)")).run()
                            }
                            _ = try? await database.read { tx in try await tx.sql.select().column("name").from("widgets").all(Widget.self) }
                        }
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(20))
                    try? await database.shutdown()
                }
                await group.waitForAll()
            }
            await #expect(throws: (any Error).self) {
                try await database.read { tx in try await tx.sql.select().column("name").from("widgets").run() }
            }
        }
    }

    @Test("A transaction whose task is cancelled still ends, so the next one on the connection begins")
    func cancelledTaskEndsItsTransaction() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            let cancelled = Task {
                try await database.transaction { tx in
                    try await tx.sql.insert(into: "widgets").row(Widget(name: "cancelled")).run()
                    withUnsafeCurrentTask { $0?.cancel() }  // as a shutdown or a dropped request would, before COMMIT
                }
            }
            _ = await cancelled.result
            try await database.transaction { tx in try await tx.sql.insert(into: "widgets").row(Widget(name: "next")).run() }
            let names = try await database.read { tx in try await tx.sql.select().column("name").from("widgets").all(Widget.self) }
            // The body had finished: its work commits. Before, the COMMIT and ROLLBACK were skipped and the second BEGIN failed.
            #expect(Set(names.map(\.name)) == ["cancelled", "next"])
        }
    }

    @Test("Transactions of many tasks at once all commit, one after another")
    func concurrentTransactionsSerialise() async throws {
        try await withTestDatabase(migrations: [Self.widgets]) { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await database.transaction { tx in
                            let count = try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("widgets")
                                .first(CountRow.self)
                            try await tx.sql.insert(into: "widgets").row(Widget(name: "w\(index)", sizeInCm: Int(count?.count ?? 0))).run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let sizes = try await database.read { tx in try await tx.sql.select().columns("name", "size_in_cm").from("widgets").all(Widget.self) }
            #expect(sizes.count == 20)
        }
    }
}

import Foundation
import SQLKit
import ServiceKit
import Synchronization
import TestSupport
import Testing

@Suite("Published notes reach every instance's listeners after the commit, in order, never after a rollback")
struct PublishedNotesTests {
    /// What a listener heard, to wait for.
    final class Heard: Sendable {
        private let notes = Mutex<[String]>([])

        func append(_ note: String) { self.notes.withLock { $0.append(note) } }
        var all: [String] { self.notes.withLock { $0 } }

        /// Waits (up to 10 s) until `note` was heard.
        func wait(for note: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                if self.all.contains(note) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("not heard: \(note.prefix(40)); heard \(self.all.map { $0.prefix(40) })", sourceLocation: sourceLocation)
            throw CancellationError()
        }
    }

    /// A channel of its own, so a test's listener hears no other test's notes.
    static func channel() -> String { "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased() }

    static let names = Migration("test-notes", statements: ["CREATE TABLE notes (name VARCHAR(50) PRIMARY KEY)"])

    @Test(
        "Committed notes arrive in order, equal ones each, nested ones with their outer transaction, a long one whole; a rolled-back one never"
    )
    func publishAndListen() async throws {
        let database = try TestConfiguration.database()
        let channel = Self.channel()
        let heard = Heard()
        database.listen(to: channel) { heard.append($0) }
        try await database.withRunning {
            try await database.migrate(ServiceKitMigrations.all + [Self.names], logger: TestConfiguration.logger)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await database.transaction { tx in
                    try await tx.sql.insert(into: "notes").columns("name").values("rolled back").run()
                    try await tx.publish("rolled back", on: channel)
                    throw Refused()
                }
            }
            let long = String(repeating: "é", count: 6_000)  // 12,000 bytes: more than a notification carries
            try await database.transaction { tx in
                try await tx.sql.insert(into: "notes").columns("name").values("first").run()
                try await tx.publish("first", on: channel)
                try await tx.publish("twice", on: channel)
                try await tx.publish("twice", on: channel)
                // A transaction begun inside joins this one: its note waits for the outer commit too.
                try await database.transaction { inner in try await inner.publish("nested", on: channel) }
                try await Task.sleep(for: .milliseconds(50))
                #expect(heard.all.isEmpty, "heard before the commit")
            }
            try await database.transaction { tx in try await tx.publish(long, on: channel) }
            try await database.transaction { tx in try await tx.publish("last", on: channel) }
            try await heard.wait(for: "last")
            #expect(heard.all == ["first", "twice", "twice", "nested", long, "last"])
            let names = try await database.read { tx in try await tx.sql.select().column("name").from("notes").all(Name.self) }
            #expect(names.map(\.name) == ["first"])
        }
    }

    struct Name: Decodable {
        var name: String
    }

    @Test(
        "Two databases on one schema hear each other's notes; the listening connection, killed, comes back",
        .enabled(if: TestConfiguration.databaseURL.hasPrefix("postgres"), "needs PostgreSQL (TEST_DB_URL)"))
    func acrossInstancesAndReconnect() async throws {
        let values = TestConfiguration.values()
        let first = try TestConfiguration.database(values)
        let second = try TestConfiguration.database(values)
        let channel = Self.channel()
        let heard = Heard()
        second.listen(to: channel) { heard.append($0) }
        try await first.withRunning {
            try await second.withRunning {
                try await first.migrate(ServiceKitMigrations.all, logger: TestConfiguration.logger)
                // The second one may still be starting to listen: publish until it hears.
                try await Self.publishUntilHeard("from the first", on: channel, by: first, heard: heard)

                // The server ends the listening connection (as a restart would); notes published once it is back arrive.
                let ended = try await first.readStatement { sql in
                    try await sql.select().column(SQLFunction("pg_terminate_backend", args: SQLColumn("pid"))).from("pg_stat_activity")
                        .where("query", .like, SQLBind("LISTEN %\(channel)%")).all()
                }
                #expect(ended.count == 1)
                try await Self.publishUntilHeard("after the restart", on: channel, by: first, heard: heard)
            }
        }
    }

    /// Publishes `note` every 200 ms until `heard` has it (10 s at most).
    static func publishUntilHeard(_ note: String, on channel: String, by database: Database, heard: Heard) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !heard.all.contains(note) {
            try await database.transaction { tx in try await tx.publish(note, on: channel) }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await heard.wait(for: note)
    }
}

import Atomics
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresKit
import SQLKit
import SQLiteKit
import TestSupport
import Testing

@testable import ServiceKit

@Suite("Durable scheduler")
struct SchedulerTests {
    static func settings() -> SchedulerSettings {
        var settings = SchedulerSettings(reader: TestConfiguration.reader())
        settings.leaseSeconds = 60
        return settings
    }

    static func status(_ id: Int64, in database: Database) async throws -> String? {
        try await database.read { tx in try await JobScheduler().status(id: id, on: tx.sql) }
    }

    @Test("A due job runs exactly once when two instances poll at the same time")
    func dueJobRunsOnce() async throws {
        try await withTestDatabase { database in
            let runs = ManagedAtomic(0)
            let handlers: [String: JobHandler] = ["ping": { _ in runs.wrappingIncrement(ordering: .relaxed) }]
            _ = try await database.transaction { tx in try await tx.scheduler.schedule(kind: "ping", payload: "{}", at: Date()) }
            let first = SchedulerService(database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger)
            let second = SchedulerService(database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger)
            async let a = first.runDue()
            async let b = second.runDue()
            let ran = try await a + b
            #expect(ran == 1)
            #expect(runs.load(ordering: .relaxed) == 1)
        }
    }

    @Test("A job not yet due waits, survives a restart, then runs")
    func futureJobSurvivesRestart() async throws {
        try await withTestDatabase { database in
            let runs = ManagedAtomic(0)
            let handlers: [String: JobHandler] = [
                "later": { job in
                    #expect(job.payload == #"{"n":1}"#)
                    runs.wrappingIncrement(ordering: .relaxed)
                }
            ]
            let id = try await database.transaction { tx in
                // Far enough ahead that a loaded machine (the other suites run beside this one) cannot reach it first.
                try await tx.scheduler.schedule(kind: "later", payload: #"{"n":1}"#, at: Date().addingTimeInterval(2))
            }
            let ranEarly = try await SchedulerService(
                database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger
            ).runDue()
            #expect(ranEarly == 0)
            try await Task.sleep(for: .milliseconds(2200))
            // A new service instance stands for the restarted process.
            let ranWhenDue = try await SchedulerService(
                database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger
            ).runDue()
            #expect(ranWhenDue == 1)
            #expect(runs.load(ordering: .relaxed) == 1)
            let status = try await Self.status(id, in: database)
            #expect(status == "done")
        }
    }

    @Test("A failing job is rescheduled with a backoff, and a cancelled one never runs")
    func failureAndCancel() async throws {
        try await withTestDatabase { database in
            struct Flaky: Error {}
            let handlers: [String: JobHandler] = ["flaky": { _ in throw Flaky() }, "never": { _ in Issue.record("cancelled job ran") }]
            let (flaky, never) = try await database.transaction { tx in
                (
                    try await tx.scheduler.schedule(kind: "flaky", payload: "{}", at: Date()),
                    try await tx.scheduler.schedule(kind: "never", payload: "{}", at: Date())
                )
            }
            let cancelled = try await database.transaction { tx in try await tx.scheduler.cancel(id: never) }
            #expect(cancelled)
            let service = SchedulerService(database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger)
            let ranFirst = try await service.runDue()
            #expect(ranFirst == 1)
            let flakyStatus = try await Self.status(flaky, in: database)
            #expect(flakyStatus == "pending")
            let ranAgain = try await service.runDue()
            #expect(ranAgain == 0)
            let neverStatus = try await Self.status(never, in: database)
            #expect(neverStatus == "cancelled")
        }
    }

    /// Keeps the SQL it is given instead of running it.
    struct RecordingDatabase: SQLDatabase {
        let dialect: any SQLDialect
        let logger = Logger(label: "recording")
        let statements = NIOLockedValueBox<[String]>([])
        var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
            var serializer = SQLSerializer(database: self)
            query.serialize(to: &serializer)
            self.statements.withLockedValue { $0.append(serializer.sql) }
            return self.eventLoop.makeSucceededVoidFuture()
        }
    }

    @Test("A claim is one statement; on PostgreSQL it passes over rows another worker is claiming (FOR UPDATE SKIP LOCKED)")
    func claimSkipsLockedRows() async throws {
        let claim = LeaseClaim(table: "scheduled_jobs", columns: ["id", "kind"])
        let postgres = RecordingDatabase(dialect: PostgresDialect())
        _ = try await claim.claim(IDRow.self, on: postgres, owner: "w", now: 5, leaseMilliseconds: 10, limit: 4)
        #expect(
            postgres.statements.withLockedValue { $0 } == [
                #"UPDATE "scheduled_jobs" SET "lease_owner" = $1, "lease_until" = $2 WHERE "id" IN (SELECT "id" FROM "scheduled_jobs" "#
                    + #"WHERE "status" = $3 AND "due_at" <= $4 AND ("lease_until" IS NULL OR "lease_until" < $5) "#
                    + #"ORDER BY "due_at" ASC, "id" ASC LIMIT 4 FOR UPDATE SKIP LOCKED) RETURNING "id", "kind""#
            ])
        let sqlite = RecordingDatabase(dialect: SQLiteDialect())
        _ = try await claim.claim(IDRow.self, on: sqlite, owner: "w", now: 5, leaseMilliseconds: 10, limit: 4)
        let statement = try #require(sqlite.statements.withLockedValue { $0 }.first)
        #expect(statement.hasSuffix(#"LIMIT 4) RETURNING "id", "kind""#))
    }
}

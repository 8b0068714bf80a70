import Atomics
import Foundation
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

    @Test("A due job runs exactly once when two instances poll at the same time")
    func dueJobRunsOnce() async throws {
        try await withTestDatabase { database in
            let runs = ManagedAtomic(0)
            let handlers: [String: JobHandler] = ["ping": { _ in runs.wrappingIncrement(ordering: .relaxed) }]
            try await database.withTransaction { try await JobScheduler().schedule(kind: "ping", payload: "{}", at: Date(), on: $0) }
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
            let id = try await JobScheduler().schedule(kind: "later", payload: #"{"n":1}"#, at: Date().addingTimeInterval(0.3), on: database.sql)
            let ranEarly = try await SchedulerService(
                database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger
            ).runDue()
            #expect(ranEarly == 0)
            try await Task.sleep(for: .milliseconds(400))
            // A new service instance stands for the restarted process.
            let ranWhenDue = try await SchedulerService(
                database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger
            ).runDue()
            #expect(ranWhenDue == 1)
            #expect(runs.load(ordering: .relaxed) == 1)
            let status = try await JobScheduler().status(id: id, on: database.sql)
            #expect(status == "done")
        }
    }

    @Test("A failing job is rescheduled with a backoff, and a cancelled one never runs")
    func failureAndCancel() async throws {
        try await withTestDatabase { database in
            struct Flaky: Error {}
            let handlers: [String: JobHandler] = ["flaky": { _ in throw Flaky() }, "never": { _ in Issue.record("cancelled job ran") }]
            let flaky = try await JobScheduler().schedule(kind: "flaky", payload: "{}", at: Date(), on: database.sql)
            let never = try await JobScheduler().schedule(kind: "never", payload: "{}", at: Date(), on: database.sql)
            let cancelled = try await JobScheduler().cancel(id: never, on: database.sql)
            #expect(cancelled)
            let service = SchedulerService(database: database, handlers: handlers, settings: Self.settings(), logger: TestConfiguration.logger)
            let ranFirst = try await service.runDue()
            #expect(ranFirst == 1)
            let flakyStatus = try await JobScheduler().status(id: flaky, on: database.sql)
            #expect(flakyStatus == "pending")
            let ranAgain = try await service.runDue()
            #expect(ranAgain == 0)
            let neverStatus = try await JobScheduler().status(id: never, on: database.sql)
            #expect(neverStatus == "cancelled")
        }
    }
}

import Configuration
import Foundation
import HTTPTypes
import Logging
import SQLKit
import ServiceLifecycle

/// A job that has come due.
public struct ScheduledJob: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let payload: String
    /// How many times it has run and failed before.
    public let attemptCount: Int
}

/// Runs one kind of job; throwing reschedules it with a backoff.
public typealias JobHandler = @Sendable (ScheduledJob) async throws -> Void

/// Puts time-based work (due time, kind, payload) into the service's database.
public struct JobScheduler: Sendable {
    let clock: WallClock

    public init(clock: WallClock = .system) {
        self.clock = clock
    }

    /// Schedules a job on `database` (the caller's transaction, `tx.sql`, so it exists exactly when the change commits).
    @discardableResult
    public func schedule(kind: String, payload: String, at due: Date, on database: any SQLDatabase) async throws -> Int64 {
        let row = NewJobRow(
            kind: kind, payload: payload, status: "pending", attemptCount: 0, dueAt: Int64(due.timeIntervalSince1970 * 1000),
            createdAt: self.clock.milliseconds()
        )
        return try await database.insert(into: "scheduled_jobs").row(row).returning("id").first(IDRow.self)?.id ?? 0
    }

    /// Cancels a job that has not run; returns whether there was one.
    @discardableResult
    public func cancel(id: Int64, on database: any SQLDatabase) async throws -> Bool {
        let cancelled = try await database.update("scheduled_jobs").set("status", to: "cancelled")
            .where("id", .equal, id).where("status", .equal, "pending")
            .returning("id")
            .first(IDRow.self)
        return cancelled != nil
    }

    /// The status of a job (`pending`, `done`, `failed`, `cancelled`), or nil.
    public func status(id: Int64, on database: any SQLDatabase) async throws -> String? {
        try await database.select().column("status").from("scheduled_jobs").where("id", .equal, id).first(StatusRow.self)?.status
    }

    /// A `scheduled_jobs` row as ``schedule(kind:payload:at:on:)`` writes it.
    struct NewJobRow: Encodable {
        var kind: String
        var payload: String
        var status: String
        var attemptCount: Int
        var dueAt: Int64
        var createdAt: Int64
    }

    /// A row that is one `status` column.
    struct StatusRow: Decodable {
        var status: String
    }
}

/// How the scheduler worker behaves.
public struct SchedulerSettings: Sendable {
    public var pollInterval: Double
    public var leaseSeconds: Double
    public var maxAttempts: Int

    /// Reads `scheduler.pollInterval` (double, seconds, default 1), `scheduler.leaseSeconds` (double, default 300),
    /// `scheduler.maxAttempts` (int, default 10).
    public init(reader: ConfigReader) {
        self.pollInterval = reader.double(forKey: "scheduler.pollInterval", default: 1)
        self.leaseSeconds = reader.double(forKey: "scheduler.leaseSeconds", default: 300)
        self.maxAttempts = reader.int(forKey: "scheduler.maxAttempts", default: 10)
    }
}

/// Runs due jobs. Each is leased to one worker, so with several instances on one PostgreSQL a job runs once;
/// a worker that dies mid-job leaves it to be run again when its lease ends.
public struct SchedulerService: Service {
    let database: Database
    let handlers: [String: JobHandler]
    let settings: SchedulerSettings
    let logger: Logger
    let clock: WallClock
    let startGate: StartupGate?
    let workerID = UUID().uuidString

    public init(
        database: Database, handlers: [String: JobHandler], settings: SchedulerSettings, logger: Logger, clock: WallClock = .system,
        startGate: StartupGate? = nil
    ) {
        self.startGate = startGate
        self.database = database
        self.handlers = handlers
        self.settings = settings
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.startGate?.wait()
            while !Task.isCancelled {
                let ran = (try? await self.runDue()) ?? 0
                if ran == 0 { try? await Task.sleep(for: .seconds(self.settings.pollInterval)) }
            }
        }
    }

    /// Claims and runs one batch of due jobs; returns how many ran.
    @discardableResult
    public func runDue(limit: Int = 16) async throws -> Int {
        let claim = LeaseClaim(table: "scheduled_jobs", columns: ["id", "kind", "payload", "attempt_count"])
        let (owner, now, lease) = (self.workerID, self.clock.milliseconds(), Int64(self.settings.leaseSeconds * 1000))
        let jobs = try await self.database.transaction { tx in
            try await claim.claim(JobRow.self, on: tx.sql, owner: owner, now: now, leaseMilliseconds: lease, limit: limit)
        }.map(\.job)
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.execute(job) }
            }
        }
        return jobs.count
    }

    /// A claimed `scheduled_jobs` row.
    struct JobRow: Decodable {
        var id: Int64
        var kind: String
        var payload: String
        var attemptCount: Int

        var job: ScheduledJob { ScheduledJob(id: self.id, kind: self.kind, payload: self.payload, attemptCount: self.attemptCount) }
    }

    func execute(_ job: ScheduledJob) async {
        let now = { self.clock.milliseconds() }
        do {
            guard let handler = self.handlers[job.kind] else {
                throw ServiceError(.internalServerError, message: "no handler for job kind \(job.kind)")
            }
            try await handler(job)
            let finished = now()
            try await self.database.transaction { tx in
                try await tx.sql.update("scheduled_jobs")
                    .set("status", to: "done").set("finished_at", to: finished)
                    .set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                    .where("id", .equal, job.id).where("status", .equal, "pending")
                    .run()
            }
        } catch {
            let attempts = job.attemptCount + 1
            let failed = attempts >= self.settings.maxAttempts
            // Backoff doubles from 5 s up to an hour.
            let due = now() + Int64(min(3600, 5 * pow(2, Double(attempts - 1))) * 1000)
            let reason = String(describing: error)
            self.logger.warning(
                "Scheduled job failed", metadata: ["job": .stringConvertible(job.id), "kind": .string(job.kind), "error": .string(reason)])
            try? await self.database.transaction { tx in
                try await tx.sql.update("scheduled_jobs")
                    .set("attempt_count", to: attempts).set("status", to: failed ? "failed" : "pending").set("due_at", to: due)
                    .set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null).set("last_error", to: reason)
                    .where("id", .equal, job.id).where("status", .equal, "pending")
                    .run()
            }
        }
    }
}

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

    /// Schedules a job on `database` (the caller's transaction, so it exists exactly when the change commits).
    @discardableResult
    public func schedule(kind: String, payload: String, at due: Date, on database: any SQLDatabase) async throws -> Int64 {
        let row = try await database.raw(
            """
            INSERT INTO scheduled_jobs (kind, payload, status, attempt_count, due_at, created_at)
            VALUES (\(bind: kind), \(bind: payload), 'pending', 0, \(bind: Int64(due.timeIntervalSince1970 * 1000)), \(bind: self.clock.milliseconds()))
            RETURNING id
            """
        ).first()
        return try row?.decode(column: "id", as: Int64.self) ?? 0
    }

    /// Cancels a job that has not run; returns whether there was one.
    @discardableResult
    public func cancel(id: Int64, on database: any SQLDatabase) async throws -> Bool {
        let rows = try await database.raw(
            """
            UPDATE scheduled_jobs SET status = 'cancelled' WHERE id = \(bind: id) AND status = 'pending' RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// The status of a job (`pending`, `done`, `failed`, `cancelled`), or nil.
    public func status(id: Int64, on database: any SQLDatabase) async throws -> String? {
        try await database.raw("SELECT status FROM scheduled_jobs WHERE id = \(bind: id)").first()?.decode(column: "status", as: String.self)
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
        let rows = try await LeaseClaim(table: "scheduled_jobs", columns: ["id", "kind", "payload", "attempt_count"]).claim(
            on: self.database.sql,
            engine: self.database.engine,
            owner: self.workerID,
            now: self.clock.milliseconds(),
            leaseMilliseconds: Int64(self.settings.leaseSeconds * 1000),
            limit: limit
        )
        let jobs = try rows.map { row in
            ScheduledJob(
                id: try row.decode(column: "id", as: Int64.self),
                kind: try row.decode(column: "kind", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                attemptCount: try row.decode(column: "attempt_count", as: Int.self)
            )
        }
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.execute(job) }
            }
        }
        return jobs.count
    }

    func execute(_ job: ScheduledJob) async {
        let now = { self.clock.milliseconds() }
        do {
            guard let handler = self.handlers[job.kind] else {
                throw ServiceError(.internalServerError, message: "no handler for job kind \(job.kind)")
            }
            try await handler(job)
            try await self.database.sql.raw(
                """
                UPDATE scheduled_jobs SET status = 'done', finished_at = \(bind: now()), lease_owner = NULL, lease_until = NULL
                WHERE id = \(bind: job.id) AND status = 'pending'
                """
            ).run()
        } catch {
            let attempts = job.attemptCount + 1
            let failed = attempts >= self.settings.maxAttempts
            // Backoff doubles from 5 s up to an hour.
            let delay = Int64(min(3600, 5 * pow(2, Double(attempts - 1))) * 1000)
            self.logger.warning(
                "Scheduled job failed",
                metadata: ["job": .stringConvertible(job.id), "kind": .string(job.kind), "error": .string(String(describing: error))])
            try? await self.database.sql.raw(
                """
                UPDATE scheduled_jobs SET attempt_count = \(bind: attempts), status = \(bind: failed ? "failed" : "pending"),
                due_at = \(bind: now() + delay), lease_owner = NULL, lease_until = NULL, last_error = \(bind: String(describing: error))
                WHERE id = \(bind: job.id) AND status = 'pending'
                """
            ).run()
        }
    }
}

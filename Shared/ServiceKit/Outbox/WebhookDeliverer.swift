import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SQLKit
import ServiceLifecycle

/// Delivers outbox events at least once: claims due events with a lease, POSTs them signed, records every
/// attempt (when it starts, then its outcome), and reschedules failures on the retry schedule (or later, if the receiver sent `Retry-After`).
public struct WebhookDeliverer: Service {
    let database: Database
    let httpClient: HTTPClient
    let settings: WebhookSettings
    let logger: Logger
    let clock: WallClock
    let startGate: StartupGate?
    let workerID: String
    let targetGuard: TargetGuard

    static let columns = ["id", "event_id", "event_type", "target_url", "secret", "payload", "headers"]

    public init(
        database: Database, httpClient: HTTPClient, settings: WebhookSettings, logger: Logger, clock: WallClock = .system,
        startGate: StartupGate? = nil
    ) {
        self.startGate = startGate
        self.database = database
        self.httpClient = httpClient
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.workerID = UUID().uuidString
        self.targetGuard = TargetGuard(allowPrivateNetworks: settings.allowPrivateNetworks)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.startGate?.wait()
            while !Task.isCancelled {
                let delivered: Int
                do {
                    delivered = try await self.deliverDue()
                } catch {
                    self.logger.error("Webhook delivery round failed", metadata: ["error": .string(String(describing: error))])
                    delivered = 0
                }
                if delivered == 0 {
                    try? await Task.sleep(for: .seconds(self.settings.pollInterval))
                }
            }
        }
    }

    /// Claims and delivers one batch; returns how many events it attempted.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let rows = try await LeaseClaim(table: "outbox_events", columns: Self.columns).claim(
            on: self.database.sql,
            engine: self.database.engine,
            owner: self.workerID,
            now: self.clock.milliseconds(),
            leaseMilliseconds: Int64(self.settings.leaseSeconds * 1000),
            limit: self.settings.concurrency
        )
        let claimed = try rows.map(ClaimedEvent.init)
        await withTaskGroup(of: Void.self) { group in
            for event in claimed {
                group.addTask { await self.deliver(event) }
            }
        }
        return claimed.count
    }

    struct ClaimedEvent: Sendable {
        let id: Int64
        let eventID: String
        let eventType: String
        let targetURL: String
        let secret: String?
        let payload: String
        let headers: [String: String]

        init(_ row: any SQLRow) throws {
            self.id = try row.decode(column: "id", as: Int64.self)
            self.eventID = try row.decode(column: "event_id", as: String.self)
            self.eventType = try row.decode(column: "event_type", as: String.self)
            self.targetURL = try row.decode(column: "target_url", as: String.self)
            self.secret = try row.decode(column: "secret", as: String?.self)
            self.payload = try row.decode(column: "payload", as: String.self)
            let headers = try row.decode(column: "headers", as: String.self)
            self.headers = (try? JSONDecoder().decode([String: String].self, from: Data(headers.utf8))) ?? [:]
        }
    }

    /// What one attempt produced.
    struct Outcome {
        var statusCode: Int?
        var error: String?
        var retryAfter: Double?
        /// True when retrying cannot help (the target is refused).
        var permanent = false
        var succeeded: Bool { self.statusCode.map { (200..<300).contains($0) } ?? false }
    }

    func deliver(_ event: ClaimedEvent) async {
        guard let attempt = await self.start(event) else { return }
        let outcome = await self.attempt(event)
        let finished = self.clock.milliseconds()
        do {
            try await self.database.withTransaction { database in
                try await database.raw(
                    """
                    UPDATE outbox_attempts SET duration_ms = \(bind: finished - attempt.startedAt), finished_at = \(bind: finished),
                    status_code = \(bind: outcome.statusCode), error = \(bind: outcome.error) WHERE id = \(bind: attempt.id)
                    """
                ).run()
                if outcome.succeeded {
                    try await database.raw(
                        """
                        UPDATE outbox_events SET status = 'delivered', delivered_at = \(bind: finished),
                        lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = \(bind: event.id)
                        """
                    ).run()
                } else if let delay = self.nextDelay(afterAttempt: attempt.number, outcome: outcome) {
                    // A failure reschedules only while the lease is still this worker's: another may have taken it over.
                    try await database.raw(
                        """
                        UPDATE outbox_events SET due_at = \(bind: finished + Int64(delay * 1000)),
                        lease_owner = NULL, lease_until = NULL, last_error = \(bind: outcome.error)
                        WHERE id = \(bind: event.id) AND lease_owner = \(bind: self.workerID)
                        """
                    ).run()
                } else {
                    try await database.raw(
                        """
                        UPDATE outbox_events SET status = 'failed',
                        lease_owner = NULL, lease_until = NULL, last_error = \(bind: outcome.error)
                        WHERE id = \(bind: event.id) AND lease_owner = \(bind: self.workerID)
                        """
                    ).run()
                    self.logger.warning("Webhook given up", metadata: ["event_id": .string(event.eventID), "error": .string(outcome.error ?? "")])
                }
            }
        } catch {
            // The lease runs out and the event is tried again: at least once, never lost. The attempt stays recorded
            // without an outcome.
            self.logger.error(
                "Could not record webhook attempt", metadata: ["event_id": .string(event.eventID), "error": .string(String(describing: error))])
        }
    }

    /// An attempt recorded as started.
    struct StartedAttempt {
        let id: Int64
        let number: Int
        let startedAt: Int64
    }

    /// Records the attempt before the request goes out, so one made by a worker that dies before it can record the
    /// outcome still counts. Nil when the attempt should not be made: this worker's lease was taken over, or the
    /// database did not answer (the lease runs out and the event is tried again).
    func start(_ event: ClaimedEvent) async -> StartedAttempt? {
        let started = self.clock.milliseconds()
        do {
            return try await self.database.withTransaction { database -> StartedAttempt? in
                let row = try await database.raw(
                    """
                    UPDATE outbox_events SET attempt_count = attempt_count + 1
                    WHERE id = \(bind: event.id) AND lease_owner = \(bind: self.workerID) AND status = 'pending'
                    RETURNING attempt_count
                    """
                ).first()
                guard let number = try row?.decode(column: "attempt_count", as: Int.self) else { return nil }
                let attempt = try await database.raw(
                    """
                    INSERT INTO outbox_attempts (event_id, attempt, started_at, duration_ms)
                    VALUES (\(bind: event.eventID), \(bind: number), \(bind: started), 0)
                    RETURNING id
                    """
                ).first()
                guard let id = try attempt?.decode(column: "id", as: Int64.self) else {
                    throw ServiceError(.internalServerError, message: "the attempt was not recorded")
                }
                return StartedAttempt(id: id, number: number, startedAt: started)
            }
        } catch {
            self.logger.error(
                "Could not record the start of a webhook attempt",
                metadata: ["event_id": .string(event.eventID), "error": .string(String(describing: error))])
            return nil
        }
    }

    /// The delay before the next attempt, or nil when the schedule is exhausted.
    func nextDelay(afterAttempt attempt: Int, outcome: Outcome) -> Double? {
        guard !outcome.permanent, attempt < self.settings.retrySchedule.count else { return nil }
        let scheduled = self.settings.retrySchedule[attempt]
        // Honour the receiver's Retry-After, within a day.
        return max(scheduled, min(outcome.retryAfter ?? 0, 86_400))
    }

    func attempt(_ event: ClaimedEvent) async -> Outcome {
        do {
            try await self.targetGuard.check(event.targetURL)
        } catch {
            return Outcome(error: String(describing: error), permanent: true)
        }
        let body = Data(event.payload.utf8)
        let timestamp = Int64(self.clock.date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: event.targetURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Switchboard-Webhooks/1.0")
        request.headers.add(name: "webhook-id", value: event.eventID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if let secret = event.secret, !secret.isEmpty {
            request.headers.add(
                name: "webhook-signature", value: WebhookSignature.sign(id: event.eventID, timestamp: timestamp, body: body, secret: secret))
        }
        for (name, value) in event.headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: body))
        do {
            let response = try await self.httpClient.execute(request, timeout: .milliseconds(Int64(self.settings.timeout * 1000)))
            // Read (and bound) the body so the connection can be reused; its content does not matter.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            var outcome = Outcome(statusCode: code)
            if !(200..<300).contains(code) {
                outcome.error = "HTTP \(code)"
                outcome.retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
            }
            return outcome
        } catch {
            return Outcome(error: String(describing: error))
        }
    }

    /// `Retry-After` as seconds or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Double? {
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }
}

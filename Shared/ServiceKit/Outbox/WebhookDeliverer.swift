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
///
/// Each attempt connects to an address the ``TargetGuard`` vetted, through a client of its own that never
/// resolves the name again and never follows redirects; `httpClient` lends it its event loops.
public struct WebhookDeliverer: Service {
    let database: Database
    let httpClient: HTTPClient
    let settings: WebhookSettings
    let logger: Logger
    let clock: WallClock
    let startGate: StartupGate?
    let workerID: String
    let targetGuard: TargetGuard

    public init(
        database: Database, httpClient: HTTPClient, settings: WebhookSettings, logger: Logger, clock: WallClock = .system,
        startGate: StartupGate? = nil
    ) {
        self.init(
            database: database, httpClient: httpClient, settings: settings, logger: logger, clock: clock, startGate: startGate,
            targetGuard: TargetGuard(allowPrivateNetworks: settings.allowPrivateNetworks)
        )
    }

    /// A deliverer whose guard is `targetGuard` (tests give it a resolver of their own).
    init(
        database: Database, httpClient: HTTPClient, settings: WebhookSettings, logger: Logger, clock: WallClock = .system,
        startGate: StartupGate? = nil, targetGuard: TargetGuard
    ) {
        self.startGate = startGate
        self.database = database
        self.httpClient = httpClient
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.workerID = UUID().uuidString
        self.targetGuard = targetGuard
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
        let claim = LeaseClaim(table: "outbox_events", columns: ClaimedEvent.columns)
        let (owner, now) = (self.workerID, self.clock.milliseconds())
        let (lease, limit) = (Int64(self.settings.leaseSeconds * 1000), self.settings.concurrency)
        let claimed = try await self.database.transaction { tx in
            try await claim.claim(ClaimedEvent.self, on: tx.sql, owner: owner, now: now, leaseMilliseconds: lease, limit: limit)
        }
        await withTaskGroup(of: Void.self) { group in
            for event in claimed {
                group.addTask { await self.deliver(event) }
            }
        }
        return claimed.count
    }

    /// An event as claimed: what its delivery needs.
    struct ClaimedEvent: Decodable, Sendable {
        static let columns = ["id", "event_id", "event_type", "target_url", "secret", "payload", "headers"]

        let id: Int64
        let eventId: String
        let eventType: String
        let targetUrl: String
        let secret: String?
        let payload: String
        /// The vendor's headers as stored (a JSON object of strings).
        let headers: String

        var vendorHeaders: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(self.headers.utf8))) ?? [:] }
    }

    /// What one attempt produced.
    struct Outcome: Sendable {
        var statusCode: Int?
        var error: String?
        var retryAfter: Double?
        /// True when retrying cannot help (the target is refused).
        var permanent = false
        var succeeded: Bool { self.statusCode.map { (200..<300).contains($0) } ?? false }
    }

    func deliver(_ event: ClaimedEvent) async {
        guard let attempt = await self.start(event) else { return }
        let outcome = await self.attempt(event, number: attempt.number)
        let finished = self.clock.milliseconds()
        let delay = outcome.succeeded ? nil : self.nextDelay(afterAttempt: attempt.number, outcome: outcome)
        do {
            try await self.database.transaction { tx in
                try await tx.sql.update("outbox_attempts")
                    .set("duration_ms", to: finished - attempt.startedAt)
                    .set("finished_at", to: finished)
                    .set("status_code", to: outcome.statusCode)
                    .set("error", to: outcome.error)
                    .where("id", .equal, attempt.id)
                    .run()
                let events = tx.sql.update("outbox_events").set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                if outcome.succeeded {
                    try await events.set("status", to: "delivered").set("delivered_at", to: finished).set("last_error", to: SQLLiteral.null)
                        .where("id", .equal, event.id)
                        .run()
                    return
                }
                // A failure reschedules (or gives up) only while the lease is still this worker's: another may have taken it over.
                if let delay {
                    events.set("due_at", to: finished + Int64(delay * 1000))
                } else {
                    events.set("status", to: "failed")
                }
                try await events.set("last_error", to: outcome.error).where("id", .equal, event.id).where("lease_owner", .equal, self.workerID).run()
            }
            if !outcome.succeeded && delay == nil {
                self.logger.warning("Webhook given up", metadata: ["event_id": .string(event.eventId), "error": .string(outcome.error ?? "")])
            }
        } catch {
            // The lease runs out and the event is tried again: at least once, never lost. The attempt stays recorded
            // without an outcome.
            self.logger.error(
                "Could not record webhook attempt", metadata: ["event_id": .string(event.eventId), "error": .string(String(describing: error))])
        }
    }

    /// An attempt recorded as started.
    struct StartedAttempt: Sendable {
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
            return try await self.database.transaction { tx -> StartedAttempt? in
                let counted = try await tx.sql.update("outbox_events")
                    .set("attempt_count", to: SQLBinaryExpression(SQLColumn("attempt_count"), .add, SQLLiteral.numeric("1")))
                    .where("id", .equal, event.id).where("lease_owner", .equal, self.workerID).where("status", .equal, "pending")
                    .returning("attempt_count")
                    .first(AttemptCountRow.self)
                guard let number = counted?.attemptCount else { return nil }
                let recorded = try await tx.sql.insert(into: "outbox_attempts")
                    .row(NewAttemptRow(eventId: event.eventId, attempt: number, startedAt: started, durationMs: 0))
                    .returning("id")
                    .first(IDRow.self)
                guard let id = recorded?.id else {
                    throw ServiceError(.internalServerError, message: "the attempt was not recorded")
                }
                return StartedAttempt(id: id, number: number, startedAt: started)
            }
        } catch {
            self.logger.error(
                "Could not record the start of a webhook attempt",
                metadata: ["event_id": .string(event.eventId), "error": .string(String(describing: error))])
            return nil
        }
    }

    /// What `RETURNING attempt_count` gives back.
    struct AttemptCountRow: Decodable {
        var attemptCount: Int
    }

    /// An `outbox_attempts` row as it starts.
    struct NewAttemptRow: Encodable {
        var eventId: String
        var attempt: Int
        var startedAt: Int64
        var durationMs: Int64
    }

    /// The delay before the next attempt, or nil when the schedule is exhausted.
    func nextDelay(afterAttempt attempt: Int, outcome: Outcome) -> Double? {
        guard !outcome.permanent, attempt < self.settings.retrySchedule.count else { return nil }
        let scheduled = self.settings.retrySchedule[attempt]
        // Honour the receiver's Retry-After, within a day.
        return max(scheduled, min(outcome.retryAfter ?? 0, 86_400))
    }

    /// Makes attempt `number` (from 1): vets the target, then sends to a vetted address.
    func attempt(_ event: ClaimedEvent, number: Int) async -> Outcome {
        let target: VettedTarget
        do {
            target = try await self.targetGuard.vet(event.targetUrl)
        } catch let refused as TargetRefused {
            return Outcome(error: String(describing: refused), permanent: true)
        } catch {
            return Outcome(error: String(describing: error))
        }
        let body = Data(event.payload.utf8)
        let timestamp = Int64(self.clock.date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: event.targetUrl)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Switchboard-Webhooks/1.0")
        request.headers.add(name: "webhook-id", value: event.eventId)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if let secret = event.secret, !secret.isEmpty {
            request.headers.add(
                name: "webhook-signature", value: WebhookSignature.sign(id: event.eventId, timestamp: timestamp, body: body, secret: secret))
        }
        for (name, value) in event.vendorHeaders { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: body))
        let timeout = TimeAmount.milliseconds(Int64(self.settings.timeout * 1000))
        do {
            let configuration = Self.clientConfiguration(pinning: target, to: target.address(forAttempt: number), timeout: timeout)
            return try await HTTPClient.withHTTPClient(eventLoopGroup: self.httpClient.eventLoopGroup, configuration: configuration) { client in
                let response = try await client.execute(request, timeout: timeout)
                // Read (and bound) the body before the client closes; its content does not matter.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                let code = Int(response.status.code)
                var outcome = Outcome(statusCode: code)
                if !(200..<300).contains(code) {
                    outcome.error = "HTTP \(code)"
                    outcome.retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
                }
                return outcome
            }
        } catch {
            return Outcome(error: String(describing: error))
        }
    }

    /// The client of one attempt: a name connects to `address` (AsyncHTTPClient's `dnsOverride`, which keeps the name
    /// in `Host`, in TLS SNI and in certificate verification) instead of being looked up again; no redirects (a
    /// redirect could name any address); one connection try (the retry schedule retries).
    static func clientConfiguration(pinning target: VettedTarget, to address: String, timeout: TimeAmount) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: timeout, read: timeout)
        configuration.connectionPool.retryConnectionEstablishment = false
        if !target.isLiteral { configuration.dnsOverride = [target.host: address] }
        return configuration
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

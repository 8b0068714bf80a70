import Foundation
import SQLKit

/// One outbound notification, before delivery.
public struct OutboxMessage: Sendable, Equatable {
    public var tenant: String
    public var eventType: String
    public var targetURL: String
    public var payload: Data
    /// The subscription's signing secret (`whsec_<base64>` or raw text); nil sends unsigned.
    public var secret: String?
    /// The vendor's own headers, sent beside the Standard Webhooks ones.
    public var headers: [String: String]

    public init(tenant: String, eventType: String, targetURL: String, payload: Data, secret: String? = nil, headers: [String: String] = [:]) {
        self.tenant = tenant
        self.eventType = eventType
        self.targetURL = targetURL
        self.payload = payload
        self.secret = secret
        self.headers = headers
    }
}

/// A stored event and where its delivery stands.
public struct OutboxEvent: Sendable, Equatable, Codable {
    public var eventID: String
    public var tenant: String
    public var eventType: String
    public var targetURL: String
    public var status: String
    public var attemptCount: Int
    public var dueAt: Int64
    public var createdAt: Int64
    public var deliveredAt: Int64?
    public var lastError: String?
}

/// One delivery attempt, as recorded: when it starts, before the request goes out, then with its outcome.
public struct DeliveryAttempt: Sendable, Equatable, Codable {
    public var eventID: String
    public var attempt: Int
    public var startedAt: Int64
    /// Zero until the outcome is recorded.
    public var durationMilliseconds: Int64
    public var statusCode: Int?
    public var error: String?
    /// When the outcome was recorded; nil while the attempt is under way, or for ever when its worker stopped first.
    public var finishedAt: Int64?
    /// True when the attempt has no outcome and never will: the worker making it stopped (a crash, a kill, a lost
    /// database) before recording one. The receiver may have got the request.
    public var abandoned: Bool
}

/// Writes events in the caller's transaction and answers what happened to them.
public struct Outbox: Sendable {
    let clock: WallClock

    public init(clock: WallClock = .system) {
        self.clock = clock
    }

    /// Stores `message` on `database`, which should be the caller's transaction (`tx.sql`), so the event exists
    /// exactly when the change that caused it commits. Returns the event id (`webhook-id`).
    @discardableResult
    public func enqueue(_ message: OutboxMessage, on database: any SQLDatabase) async throws -> String {
        let eventID = "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let now = self.clock.milliseconds()
        let row = NewEventRow(
            eventId: eventID, tenant: message.tenant, eventType: message.eventType, targetUrl: message.targetURL, secret: message.secret,
            payload: String(decoding: message.payload, as: UTF8.self),
            headers: String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self),
            status: "pending", attemptCount: 0, dueAt: now, createdAt: now
        )
        try await database.insert(into: "outbox_events").row(row).run()
        return eventID
    }

    /// A tenant's events, newest first: all of them, or those with `status` (pending, delivered, failed) and of
    /// `eventType`.
    public func events(
        tenant: String, status: String? = nil, eventType: String? = nil, limit: Int = 100, on database: any SQLDatabase
    ) async throws -> [OutboxEvent] {
        let query = database.select().columns(EventRow.columns).from("outbox_events").where("tenant", .equal, tenant)
        if let status { query.where("status", .equal, status) }
        if let eventType { query.where("event_type", .equal, eventType) }
        return try await query.orderBy("id", .descending).limit(max(0, limit)).all(EventRow.self).map(\.event)
    }

    /// One event, or nil; with `tenant`, only that tenant's (another tenant's is nil too).
    public func event(id: String, tenant: String? = nil, on database: any SQLDatabase) async throws -> OutboxEvent? {
        let query = database.select().columns(EventRow.columns).from("outbox_events").where("event_id", .equal, id)
        if let tenant { query.where("tenant", .equal, tenant) }
        return try await query.first(EventRow.self)?.event
    }

    /// Every attempt to deliver an event, oldest first, including those whose worker stopped before their outcome.
    public func attempts(eventID: String, on database: any SQLDatabase) async throws -> [DeliveryAttempt] {
        let attempt = { SQLColumn($0, table: "outbox_attempts") }
        let event = { SQLColumn($0, table: "outbox_events") }
        let rows = try await database.select()
            .columns(["event_id", "attempt", "started_at", "duration_ms", "status_code", "error", "finished_at"].map(attempt))
            .column(event("status"), as: "event_status")
            .column(event("attempt_count"), as: "event_attempts")
            .column(event("lease_until"))
            .from("outbox_attempts")
            .join("outbox_events", on: event("event_id"), .equal, attempt("event_id"))
            .where(attempt("event_id"), .equal, SQLBind(eventID))
            .orderBy(attempt("id"))
            .all(AttemptRow.self)
        let now = self.clock.milliseconds()
        return rows.map { row in
            // Only the latest attempt of a pending event whose lease still runs can be under way.
            let underWay = row.eventStatus == "pending" && row.attempt >= row.eventAttempts && (row.leaseUntil ?? 0) >= now
            return DeliveryAttempt(
                eventID: row.eventId, attempt: row.attempt, startedAt: row.startedAt, durationMilliseconds: row.durationMs,
                statusCode: row.statusCode, error: row.error, finishedAt: row.finishedAt, abandoned: row.finishedAt == nil && !underWay
            )
        }
    }
}

/// An `outbox_events` row as ``Outbox/enqueue(_:on:)`` writes it.
struct NewEventRow: Encodable {
    var eventId: String
    var tenant: String
    var eventType: String
    var targetUrl: String
    var secret: String?
    var payload: String
    var headers: String
    var status: String
    var attemptCount: Int
    var dueAt: Int64
    var createdAt: Int64
}

/// What an ``OutboxEvent`` is read from.
struct EventRow: Decodable {
    static let columns = [
        "event_id", "tenant", "event_type", "target_url", "status", "attempt_count", "due_at", "created_at", "delivered_at", "last_error",
    ]

    var eventId: String
    var tenant: String
    var eventType: String
    var targetUrl: String
    var status: String
    var attemptCount: Int
    var dueAt: Int64
    var createdAt: Int64
    var deliveredAt: Int64?
    var lastError: String?

    var event: OutboxEvent {
        OutboxEvent(
            eventID: self.eventId, tenant: self.tenant, eventType: self.eventType, targetURL: self.targetUrl, status: self.status,
            attemptCount: self.attemptCount, dueAt: self.dueAt, createdAt: self.createdAt, deliveredAt: self.deliveredAt, lastError: self.lastError
        )
    }
}

/// An `outbox_attempts` row with where its event stands.
struct AttemptRow: Decodable {
    var eventId: String
    var attempt: Int
    var startedAt: Int64
    var durationMs: Int64
    var statusCode: Int?
    var error: String?
    var finishedAt: Int64?
    var eventStatus: String
    var eventAttempts: Int
    var leaseUntil: Int64?
}

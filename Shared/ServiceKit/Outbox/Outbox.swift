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

    /// Stores `message` on `database`, which should be the caller's transaction, so the event exists
    /// exactly when the change that caused it commits. Returns the event id (`webhook-id`).
    @discardableResult
    public func enqueue(_ message: OutboxMessage, on database: any SQLDatabase) async throws -> String {
        let eventID = "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let headers = String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self)
        let now = self.clock.milliseconds()
        try await database.raw(
            """
            INSERT INTO outbox_events (event_id, tenant, event_type, target_url, secret, payload, headers, status, attempt_count, due_at, created_at)
            VALUES (\(bind: eventID), \(bind: message.tenant), \(bind: message.eventType), \(bind: message.targetURL), \(bind: message.secret),
                    \(bind: String(decoding: message.payload, as: UTF8.self)), \(bind: headers), 'pending', 0, \(bind: now), \(bind: now))
            """
        ).run()
        return eventID
    }

    /// A tenant's events, newest first: all of them, or those with `status` (pending, delivered, failed) and of
    /// `eventType`.
    public func events(
        tenant: String, status: String? = nil, eventType: String? = nil, limit: Int = 100, on database: any SQLDatabase
    ) async throws -> [OutboxEvent] {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.eventColumns) FROM outbox_events WHERE tenant = \(bind: tenant)
            """
        if let status { query += " AND status = \(bind: status)" }
        if let eventType { query += " AND event_type = \(bind: eventType)" }
        query += " ORDER BY id DESC LIMIT \(literal: max(0, limit))"
        return try await database.raw(query).all().map(Self.event)
    }

    /// One event, or nil; with `tenant`, only that tenant's (another tenant's is nil too).
    public func event(id: String, tenant: String? = nil, on database: any SQLDatabase) async throws -> OutboxEvent? {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.eventColumns) FROM outbox_events WHERE event_id = \(bind: id)
            """
        if let tenant { query += " AND tenant = \(bind: tenant)" }
        return try await database.raw(query).first().map(Self.event)
    }

    /// Every attempt to deliver an event, oldest first, including those whose worker stopped before their outcome.
    public func attempts(eventID: String, on database: any SQLDatabase) async throws -> [DeliveryAttempt] {
        let rows = try await database.raw(
            """
            SELECT a.event_id, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error, a.finished_at,
                   e.status AS event_status, e.attempt_count AS event_attempts, e.lease_until
            FROM outbox_attempts a JOIN outbox_events e ON e.event_id = a.event_id
            WHERE a.event_id = \(bind: eventID) ORDER BY a.id
            """
        ).all()
        let now = self.clock.milliseconds()
        return try rows.map { row in
            let attempt = try row.decode(column: "attempt", as: Int.self)
            let finishedAt = try row.decode(column: "finished_at", as: Int64?.self)
            let eventStatus = try row.decode(column: "event_status", as: String.self)
            let eventAttempts = try row.decode(column: "event_attempts", as: Int.self)
            let leaseUntil = try row.decode(column: "lease_until", as: Int64?.self)
            // Only the latest attempt of a pending event whose lease still runs can be under way.
            let underWay = eventStatus == "pending" && attempt >= eventAttempts && (leaseUntil ?? 0) >= now
            return DeliveryAttempt(
                eventID: try row.decode(column: "event_id", as: String.self),
                attempt: attempt,
                startedAt: try row.decode(column: "started_at", as: Int64.self),
                durationMilliseconds: try row.decode(column: "duration_ms", as: Int64.self),
                statusCode: try row.decode(column: "status_code", as: Int?.self),
                error: try row.decode(column: "error", as: String?.self),
                finishedAt: finishedAt,
                abandoned: finishedAt == nil && !underWay
            )
        }
    }

    /// What ``event(_:)`` reads.
    static let eventColumns = "event_id, tenant, event_type, target_url, status, attempt_count, due_at, created_at, delivered_at, last_error"

    static func event(_ row: any SQLRow) throws -> OutboxEvent {
        OutboxEvent(
            eventID: try row.decode(column: "event_id", as: String.self),
            tenant: try row.decode(column: "tenant", as: String.self),
            eventType: try row.decode(column: "event_type", as: String.self),
            targetURL: try row.decode(column: "target_url", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            attemptCount: try row.decode(column: "attempt_count", as: Int.self),
            dueAt: try row.decode(column: "due_at", as: Int64.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self),
            lastError: try row.decode(column: "last_error", as: String?.self)
        )
    }
}

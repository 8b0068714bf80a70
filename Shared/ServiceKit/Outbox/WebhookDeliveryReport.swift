import Foundation

/// What a tenant sees of one event's delivery: where it went, where it stands, and (in the detail) every
/// attempt. Services serve it in their own API (livechat-config: `/api/v1/livechat/webhookDeliveries`), so
/// a subscriber can tell a lost webhook from one its own server refused.
public struct WebhookDeliveryReport: Codable, Sendable, Equatable {
    public struct Attempt: Codable, Sendable, Equatable {
        public var attempt: Int
        /// When it started (before the request went out).
        public var time: String
        /// When its outcome was recorded; nil while it is under way, or when its worker stopped first.
        public var finishedTime: String?
        /// Zero until the outcome is recorded.
        public var durationMs: Int64
        /// The receiver's status code; nil when no response came (the error says why) or none is known yet.
        public var statusCode: Int?
        public var error: String?
    }

    /// The error shown for an attempt whose worker stopped before recording its outcome.
    public static let abandonedError = "no outcome: the worker stopped before recording one; the receiver may have got it"

    /// The `webhook-id` the receiver saw.
    public var id: String
    public var event: String
    public var targetUrl: String
    /// `pending` (waiting for its next attempt), `delivered` or `failed` (the retry schedule ran out).
    public var status: String
    public var attemptCount: Int
    public var createdTime: String
    /// When a pending event is next tried.
    public var nextAttemptTime: String?
    public var deliveredTime: String?
    public var lastError: String?
    /// Every attempt, oldest first: in the detail of one event, not in lists.
    public var attempts: [Attempt]?

    public init(_ event: OutboxEvent, attempts: [DeliveryAttempt]? = nil) {
        self.id = event.eventID
        self.event = event.eventType
        self.targetUrl = event.targetURL
        self.status = event.status
        self.attemptCount = event.attemptCount
        self.createdTime = Self.time(event.createdAt)
        self.nextAttemptTime = event.status == "pending" ? Self.time(event.dueAt) : nil
        self.deliveredTime = event.deliveredAt.map(Self.time)
        self.lastError = event.lastError
        self.attempts = attempts?.map {
            Attempt(
                attempt: $0.attempt, time: Self.time($0.startedAt), finishedTime: $0.finishedAt.map(Self.time), durationMs: $0.durationMilliseconds,
                statusCode: $0.statusCode, error: $0.abandoned ? Self.abandonedError : $0.error
            )
        }
    }

    /// Milliseconds since 1970 as ISO 8601 in UTC.
    static func time(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
    }

    /// The statuses an event can have, for validating filters.
    public static let statuses: Set<String> = ["pending", "delivered", "failed"]
}

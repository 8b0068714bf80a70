import Foundation

/// The carriers a channel account can send through.
public enum CarrierKind: String, Codable, Sendable, CaseIterable {
    /// Twilio Programmable Messaging (REST API 2010-04-01: form-encoded create, form-encoded signed status callbacks).
    case twilio
    /// Telnyx Messaging API v2 (JSON create, Ed25519-signed JSON webhooks).
    case telnyxsms

    /// The production API root; configuration (`carriers.twilio.url`, `carriers.telnyx.url`) points elsewhere.
    public var defaultBaseURL: String {
        switch self {
        case .twilio: "https://api.twilio.com"
        case .telnyxsms: "https://api.telnyx.com"
        }
    }

    /// The carrier's own name, for reasons and logs.
    public var displayName: String {
        switch self {
        case .twilio: "Twilio"
        case .telnyxsms: "Telnyx"
        }
    }
}

/// A carrier's status mapped onto the seed's six (Twilio's own names; Telnyx's `sending_failed`/`delivery_failed`/... mapped).
public enum CarrierMessageStatus: String, Codable, Sendable {
    case queued, sending, sent, delivered, undelivered, failed

    /// Twilio's `MessageStatus` / `status`; nil for statuses an outbound message never has (`receiving`, `received`).
    public init?(twilio status: String) {
        switch status {
        case "queued", "accepted", "scheduled": self = .queued
        case "sending": self = .sending
        case "sent": self = .sent
        // `read` (WhatsApp, RCS) comes after delivery; `partially_delivered` is a delivered multi-part message.
        case "delivered", "read", "partially_delivered": self = .delivered
        case "undelivered": self = .undelivered
        // A scheduled message that was cancelled never leaves: as final as a failure.
        case "failed", "canceled": self = .failed
        default: return nil
        }
    }

    /// Telnyx's per-recipient `to[].status` (decision 141): what never left Telnyx is `failed`, what the destination
    /// network refused or let expire is `undelivered`, and a send without a delivery receipt stays `sent`.
    public init?(telnyx status: String) {
        switch status {
        case "queued": self = .queued
        case "sending": self = .sending
        case "sent", "delivery_unconfirmed": self = .sent
        case "delivered": self = .delivered
        case "sending_failed": self = .failed
        case "delivery_failed", "expired": self = .undelivered
        default: return nil
        }
    }
}

/// What a channel account stores for its carrier. Twilio: accountSID + authToken. Telnyx: apiKey, optional
/// messagingProfileID, and webhookPublicKey (base64 of the 32-byte Ed25519 public key the carrier signs webhooks with).
public struct CarrierCredentials: Codable, Sendable, Equatable {
    public var accountSID: String?
    public var authToken: String?
    public var apiKey: String?
    public var messagingProfileID: String?
    public var webhookPublicKey: String?

    public init(
        accountSID: String? = nil, authToken: String? = nil, apiKey: String? = nil, messagingProfileID: String? = nil,
        webhookPublicKey: String? = nil
    ) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.apiKey = apiKey
        self.messagingProfileID = messagingProfileID
        self.webhookPublicKey = webhookPublicKey
    }

    /// nil when complete for `kind`, else the missing member's name (for a 400 naming it); empty strings count as missing.
    public func missingMember(for kind: CarrierKind) -> String? {
        let required: [(String, String?)] =
            switch kind {
            case .twilio: [("accountSID", self.accountSID), ("authToken", self.authToken)]
            case .telnyxsms: [("apiKey", self.apiKey), ("webhookPublicKey", self.webhookPublicKey)]
            }
        return required.first { ($0.1 ?? "").isEmpty }?.0
    }

    /// Each member by name with whether it holds a value, never the value, in member order.
    var presence: [(name: String, isSet: Bool)] {
        [
            ("accountSID", self.accountSID != nil), ("authToken", self.authToken != nil), ("apiKey", self.apiKey != nil),
            ("messagingProfileID", self.messagingProfileID != nil), ("webhookPublicKey", self.webhookPublicKey != nil),
        ]
    }
}

/// Credentials end up in logs and test failures through string interpolation, `String(reflecting:)` and `dump`: each
/// names the members that are set, never a value (an account SID or profile id is not secret, but is withheld too, so
/// no member can be printed by mistake when one is added).
extension CarrierCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let set = self.presence.filter(\.isSet).map(\.name)
        return "CarrierCredentials(set: \(set.isEmpty ? "none" : set.joined(separator: ", ")))"
    }

    public var debugDescription: String { self.description }

    public var customMirror: Mirror {
        Mirror(self, children: self.presence.filter(\.isSet).map { (label: $0.name, value: "<redacted>" as Any) }, displayStyle: .struct)
    }
}

/// One message to hand to a carrier.
public struct CarrierSendRequest: Sendable {
    /// The sender: an E.164 number or alphanumeric sender ID (Twilio: also a Messaging Service SID `MG…`).
    public var from: String
    /// The destination, E.164.
    public var to: String
    public var body: String
    /// Where the carrier reports status changes (Twilio `StatusCallback`, Telnyx `webhook_url`).
    public var statusCallbackURL: String?

    public init(from: String, to: String, body: String, statusCallbackURL: String? = nil) {
        self.from = from
        self.to = to
        self.body = body
        self.statusCallbackURL = statusCallbackURL
    }
}

/// The carrier took the message: its id (Twilio `SM…`, Telnyx UUID) and its first status.
public struct CarrierAcceptance: Sendable, Equatable {
    public var carrierMessageID: String
    public var status: CarrierMessageStatus

    public init(carrierMessageID: String, status: CarrierMessageStatus) {
        self.carrierMessageID = carrierMessageID
        self.status = status
    }
}

/// Why a send did not reach the carrier's queue, or a carrier's report could not be read.
public enum CarrierError: Error, Sendable, Equatable {
    /// The carrier refused this message: final. `httpStatus` 0 means it never left (the credentials lack a member).
    case rejected(httpStatus: Int, code: String?, message: String)
    /// Timeout, refused connection, 5xx, 408 or 429: may be retried.
    case unavailable(String)
    /// An answer that is not the carrier's protocol: final.
    case unreadable(String)

    /// A one-line failedReason for the message.
    public var reason: String {
        switch self {
        case .rejected(let status, let code, let message):
            let what = [status == 0 ? nil : "HTTP \(status)", code.map { "code \($0)" }].compactMap { $0 }.joined(separator: ", ")
            return what.isEmpty ? "rejected: \(message)" : "rejected (\(what)): \(message)"
        case .unavailable(let message): return "carrier unavailable: \(message)"
        case .unreadable(let message): return "unreadable carrier answer: \(message)"
        }
    }

    public var isRetryable: Bool {
        if case .unavailable = self { true } else { false }
    }
}

/// A status change a carrier reported for one message.
public struct CarrierStatusReport: Sendable, Equatable {
    public var carrierMessageID: String
    public var status: CarrierMessageStatus
    /// The carrier's error code and text, for `failed` and `undelivered`.
    public var failedReason: String?

    public init(carrierMessageID: String, status: CarrierMessageStatus, failedReason: String? = nil) {
        self.carrierMessageID = carrierMessageID
        self.status = status
        self.failedReason = failedReason
    }
}

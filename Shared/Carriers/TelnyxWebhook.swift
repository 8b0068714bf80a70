import Crypto
import Foundation

/// Telnyx's messaging webhooks: `{"data": {"event_type", "id", "occurred_at", "payload": {message record}, "record_type":
/// "event"}, "meta": {"attempt", "delivered_to"}}`, signed with Ed25519 in `telnyx-signature-ed25519` over
/// `"\(telnyx-timestamp)|\(raw body)"`.
public enum TelnyxWebhook {
    /// telnyx-signature-ed25519 (base64) over "\(telnyx-timestamp)|\(raw body)"; timestamps older than `tolerance` refused
    /// (and as far in the future: a clock ahead by more than that is not the carrier's).
    public static func isValid(
        body: [UInt8], signature: String, timestamp: String, publicKey: String, now: Date, tolerance: TimeInterval = 300
    )
        -> Bool
    {
        guard let seconds = Int64(timestamp.trimmingCharacters(in: .whitespaces)),
            abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance,
            let signatureBytes = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)),
            let keyBytes = Data(base64Encoded: publicKey.trimmingCharacters(in: .whitespaces)),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
        else { return false }
        // The timestamp as sent: "0012" and "12" are different signed texts.
        var signed = Data("\(timestamp.trimmingCharacters(in: .whitespaces))|".utf8)
        signed.append(contentsOf: body)
        return key.isValidSignature(signatureBytes, for: signed)
    }

    /// message.sent / message.finalized events as reports; other event types nil.
    public static func report(body: [UInt8]) throws(CarrierError) -> CarrierStatusReport? {
        guard let event = try? JSONDecoder().decode(Envelope.self, from: Data(body)) else {
            throw .unreadable("a Telnyx webhook that is not an event envelope")
        }
        let eventType = event.data.eventType
        guard ["message.sent", "message.finalized"].contains(eventType) else { return nil }
        guard let payload = event.data.payload, !payload.id.isEmpty else { throw .unreadable("a Telnyx \(eventType) without payload.id") }
        guard let recipient = payload.to?.first else { throw .unreadable("a Telnyx \(eventType) without payload.to") }
        guard let status = CarrierMessageStatus(telnyx: recipient.status) else {
            throw .unreadable("a Telnyx \(eventType) with the unknown status '\(recipient.status)'")
        }
        var reason: String?
        if status == .failed || status == .undelivered {
            let errors = (payload.errors ?? []).map { error in
                [error.code.map { "error \($0)" }, error.title, error.detail].compactMap { $0 }.joined(separator: ": ")
            }
            reason = "Telnyx \(recipient.status)" + (errors.isEmpty ? "" : " (\(errors.joined(separator: "; ")))")
        }
        return CarrierStatusReport(carrierMessageID: payload.id, status: status, failedReason: reason)
    }

    /// The parts of the envelope a report needs.
    struct Envelope: Decodable {
        struct Event: Decodable {
            var eventType: String
            var payload: Message?

            enum CodingKeys: String, CodingKey {
                case eventType = "event_type"
                case payload
            }
        }
        struct Message: Decodable {
            var id: String
            var to: [Recipient]?
            var errors: [TelnyxError]?
        }
        struct Recipient: Decodable { var status: String }
        var data: Event
    }
}

/// One item of Telnyx's `errors`, in an API answer or a message record: `{"code", "title", "detail"}`.
struct TelnyxError: Decodable, Sendable, Equatable {
    var code: String?
    var title: String?
    var detail: String?

    enum CodingKeys: String, CodingKey { case code, title, detail }

    init(code: String? = nil, title: String? = nil, detail: String? = nil) {
        self.code = code
        self.title = title
        self.detail = detail
    }

    /// `code` is a string in Telnyx's documents, but a number is read too, as its digits: without that, an item whose
    /// code is a number would lose its title and detail with it.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            self.code = text
        } else if let number = try? container.decodeIfPresent(Int64.self, forKey: .code) {
            self.code = String(number)
        } else {
            self.code = nil
        }
        self.title = try? container.decodeIfPresent(String.self, forKey: .title)
        self.detail = try? container.decodeIfPresent(String.self, forKey: .detail)
    }
}

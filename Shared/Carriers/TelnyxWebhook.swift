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
        guard ["message.sent", "message.finalized"].contains(event.data.event_type) else { return nil }
        guard let payload = event.data.payload, !payload.id.isEmpty else { throw .unreadable("a Telnyx \(event.data.event_type) without payload.id") }
        guard let recipient = payload.to?.first else { throw .unreadable("a Telnyx \(event.data.event_type) without payload.to") }
        guard let status = CarrierMessageStatus(telnyx: recipient.status) else {
            throw .unreadable("a Telnyx \(event.data.event_type) with the unknown status '\(recipient.status)'")
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

    /// The parts of the envelope a report needs (the wire's snake_case names).
    struct Envelope: Decodable {
        struct Event: Decodable {
            var event_type: String
            var payload: Message?
        }
        struct Message: Decodable {
            var id: String
            var to: [Recipient]?
            var errors: [Failure]?
        }
        struct Recipient: Decodable { var status: String }
        struct Failure: Decodable {
            var code: String?
            var title: String?
            var detail: String?

            enum CodingKeys: String, CodingKey { case code, title, detail }

            /// `code` is a string in Telnyx's documents; a number is read too.
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                self.code =
                    (try? container.decodeIfPresent(String.self, forKey: .code))
                    ?? (try? container.decodeIfPresent(Int.self, forKey: .code)).flatMap { $0.map(String.init) }
                self.title = try container.decodeIfPresent(String.self, forKey: .title)
                self.detail = try container.decodeIfPresent(String.self, forKey: .detail)
            }
        }
        var data: Event
    }
}

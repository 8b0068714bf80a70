import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Telnyx Messaging v2's create, `POST /v2/messages`: JSON, `Authorization: Bearer <API key>`; 200 with `{"data":
/// message record}` (recipient status `queued`), errors as `{"errors": [{code, title, detail, source}]}`; then the
/// `message.sent` and `message.finalized` webhooks, signed with Ed25519 in `telnyx-signature-ed25519`.
struct TelnyxSandbox: Sendable {
    let settings: SandboxSettings
    let log: MessageLog
    let dispatcher: CallbackDispatcher

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v2/messages") { request, _ in try await self.create(request) }
        router.get("/sandbox/telnyx/public-key") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: self.settings.telnyxPublicKey + "\n")))
        }
    }

    /// What the create reads.
    struct Send: Decodable {
        var from: String?
        var to: String?
        var text: String?
        var messagingProfileID: String?
        var webhookURL: String?
        var webhookFailoverURL: String?

        enum CodingKeys: String, CodingKey {
            case from, to, text
            case messagingProfileID = "messaging_profile_id"
            case webhookURL = "webhook_url"
            case webhookFailoverURL = "webhook_failover_url"
        }
    }

    func create(_ request: Request) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
            Validate.secret(header.dropFirst(7).trimmingCharacters(in: .whitespaces), matches: self.settings.telnyxAPIKey)
        else {
            return Self.error(
                status: .unauthorized, code: "10009", title: "Authentication failed", detail: "Could not understand the provided credentials.")
        }
        let data = try await request.body.collect(upTo: 64 * 1024)
        let send: Send
        do {
            send = try JSONDecoder().decode(Send.self, from: data)
        } catch {
            return Self.error(status: .badRequest, code: "10015", title: "Bad Request", detail: "The request body is not a valid message: \(error)")
        }
        guard let to = send.to, !to.isEmpty else {
            return Self.error(
                status: .badRequest, code: "10004", title: "Missing required parameter", detail: "The 'to' parameter is required.", pointer: "/to")
        }
        guard let text = send.text, !text.isEmpty else {
            return Self.error(
                status: .badRequest, code: "10004", title: "Missing required parameter", detail: "The 'text' parameter is required.", pointer: "/text"
            )
        }
        guard send.from?.isEmpty == false || send.messagingProfileID?.isEmpty == false else {
            return Self.error(
                status: .badRequest, code: "10004", title: "Missing required parameter",
                detail: "The 'from' parameter is required (or 'messaging_profile_id' for a number pool).", pointer: "/from")
        }
        guard Validate.isE164(to) else {
            return Self.error(
                status: .badRequest, code: "40310", title: "Invalid 'to' address", detail: "The 'to' address should be in E.164 format.",
                pointer: "/to")
        }
        if let from = send.from, !from.isEmpty, !Validate.isE164(from), !Validate.isAlphanumericSender(from) {
            return Self.error(
                status: .badRequest, code: "40305", title: "Invalid 'from' address",
                detail: "The 'from' address should be an E.164 number, a short code or an alphanumeric sender ID.", pointer: "/from")
        }
        if let url = send.webhookURL, !url.isEmpty, !Validate.isCallbackURL(url) {
            return Self.error(
                status: .badRequest, code: "10015", title: "Invalid value for parameter", detail: "The 'webhook_url' is not a valid URL.",
                pointer: "/webhook_url")
        }
        let outcome = Outcome(destination: to)
        switch outcome {
        case .unavailable:
            return Self.error(status: .serviceUnavailable, code: "10011", title: "Service unavailable", detail: "Please try again later.")
        case .garbage: return Answer.garbage()
        case .delivered, .failed, .undelivered: break
        }

        let id = UUID().uuidString.lowercased()
        let from = send.from?.isEmpty == false ? send.from! : "+18445550001"
        let record = MessageRecord(
            id: id, from: from, to: to, text: text, profile: send.messagingProfileID, webhookURL: send.webhookURL,
            failoverURL: send.webhookFailoverURL, receivedAt: Self.iso8601(.now))
        self.log.accepted(
            .init(
                carrier: "telnyx", id: id, from: from, to: to, body: text, callbackURL: send.webhookURL, outcome: outcome, acceptedAt: .now,
                callbacks: []))
        if let url = send.webhookURL, !url.isEmpty {
            let events: [(String, String, [[String: Any]])] =
                switch outcome {
                case .failed:
                    [
                        (
                            "message.finalized", "sending_failed",
                            [["code": "40002", "title": "Blocked as spam", "detail": "The message was rejected before it was sent."]]
                        )
                    ]
                case .undelivered:
                    [
                        ("message.sent", "sent", []),
                        (
                            "message.finalized", "delivery_failed",
                            [["code": "40300", "title": "Unreachable destination", "detail": "The destination handset is unreachable."]]
                        ),
                    ]
                default: [("message.sent", "sent", []), ("message.finalized", "delivered", [])]
                }
            self.dispatcher.enqueue(events.map { self.webhook(record, event: $0.0, status: $0.1, errors: $0.2, url: url) })
        }
        return Answer.json(["data": record.json(status: "queued", errors: [])], status: .ok)
    }

    /// One webhook as Telnyx sends it: the envelope, `meta.attempt` counting, each attempt signed over "timestamp|body".
    func webhook(_ record: MessageRecord, event: String, status: String, errors: [[String: Any]], url: String) -> StatusCallback {
        let eventID = UUID().uuidString.lowercased()
        let occurred = Self.iso8601(.now.addingTimeInterval(0.05))
        let key = self.settings.telnyxSigningKey
        // JSON values are built once, here, so the closure holds only Sendable data.
        let payload = (try? JSONSerialization.data(withJSONObject: record.json(status: status, errors: errors), options: [.sortedKeys])) ?? Data()
        return StatusCallback(messageID: record.id, status: status, url: url) { attempt in
            let envelope = """
                {"data":{"event_type":"\(event)","id":"\(eventID)","occurred_at":"\(occurred)","payload":\(String(decoding: payload, as: UTF8.self)),\
                "record_type":"event"},"meta":{"attempt":\(attempt),"delivered_to":\(Self.jsonString(url))}}
                """
            let timestamp = String(Int(Date.now.timeIntervalSince1970))
            let signature = (try? key.signature(for: Data("\(timestamp)|\(envelope)".utf8)))?.base64EncodedString() ?? ""
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "telnyx-signature-ed25519", value: signature)
            request.headers.add(name: "telnyx-timestamp", value: timestamp)
            request.headers.add(name: "User-Agent", value: "telnyx-webhooks")
            request.body = .bytes(ByteBuffer(string: envelope))
            return request
        }
    }

    /// The message record Telnyx answers and puts in webhook payloads.
    struct MessageRecord: Sendable {
        var id, from, to, text: String
        var profile, webhookURL, failoverURL: String?
        var receivedAt: String

        func json(status: String, errors: [[String: Any]]) -> [String: Any] {
            let final = ["delivered", "delivery_failed", "sending_failed"].contains(status)
            let now = TelnyxSandbox.iso8601(.now)
            return [
                "record_type": "message", "direction": "outbound", "id": self.id, "type": "SMS",
                "messaging_profile_id": self.profile ?? NSNull(), "organization_id": "b448f9cc-a842-4784-98e9-03c1a5872950",
                "from": ["phone_number": self.from, "carrier": "Telnyx", "line_type": "Wireless"],
                "to": [["phone_number": self.to, "status": status, "carrier": "SANDBOX WIRELESS", "line_type": "Wireless"]],
                "cc": [], "text": self.text, "media": [], "webhook_url": self.webhookURL ?? NSNull(),
                "webhook_failover_url": self.failoverURL ?? NSNull(), "encoding": "GSM-7", "parts": max(1, (self.text.count + 152) / 153),
                "tags": [], "cost": NSNull(), "received_at": self.receivedAt, "sent_at": status == "queued" ? NSNull() : now,
                "completed_at": final ? now : NSNull(), "valid_until": NSNull(), "errors": errors,
            ]
        }
    }

    /// Telnyx's error body.
    static func error(status: HTTPResponse.Status, code: String, title: String, detail: String, pointer: String? = nil) -> Response {
        var item: [String: Any] = ["code": code, "title": title, "detail": detail]
        if let pointer { item["source"] = ["pointer": pointer] }
        item["meta"] = ["url": "https://developers.telnyx.com/docs/overview/errors/\(code)"]
        return Answer.json(["errors": [item]], status: status)
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func jsonString(_ text: String) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8), as: UTF8.self
        )
        .dropFirst().dropLast().description
    }
}

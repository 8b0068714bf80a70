import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Twilio Programmable Messaging's create, `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: form-encoded, HTTP
/// Basic AccountSid:AuthToken; 201 with the Message resource (status `queued`), errors as `{code, message, more_info,
/// status}`; then the status callbacks, form-encoded and signed in `X-Twilio-Signature`.
struct TwilioSandbox: Sendable {
    let settings: SandboxSettings
    let log: MessageLog
    let dispatcher: CallbackDispatcher

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/2010-04-01/Accounts/:accountSID/Messages.json") { request, context in
            try await self.create(request, context: context)
        }
    }

    /// Validates like Twilio, in Twilio's order: credentials, then the parameters.
    func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let pathSID = context.parameters.get("accountSID") ?? ""
        guard let (user, password) = Self.basicCredentials(request.headers[.authorization]),
            user == self.settings.twilioAccountSID, Validate.secret(password, matches: self.settings.twilioAuthToken), pathSID == user
        else {
            return Self.error(status: .unauthorized, code: 20003, message: "Authenticate")
        }
        let text = String(buffer: try await request.body.collect(upTo: 64 * 1024))
        guard let form = FormBody.decode(text) else {
            return Self.error(status: .badRequest, code: 20001, message: "The request body is not application/x-www-form-urlencoded")
        }
        func value(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
        guard let to = value("To"), !to.isEmpty else {
            return Self.error(status: .badRequest, code: 21604, message: "A 'To' phone number is required.")
        }
        let service = value("MessagingServiceSid")
        guard let from = value("From") ?? service, !from.isEmpty else {
            return Self.error(status: .badRequest, code: 21603, message: "A 'From' phone number is required.")
        }
        guard let body = value("Body"), !body.isEmpty else {
            return Self.error(status: .badRequest, code: 21602, message: "Message body is required.")
        }
        guard Validate.isE164(to) else {
            return Self.error(status: .badRequest, code: 21211, message: "The 'To' number \(to) is not a valid phone number.")
        }
        if let service, !(service.hasPrefix("MG") && service.count == 34) {
            return Self.error(status: .badRequest, code: 21705, message: "The Messaging Service Sid \(service) is invalid.")
        }
        if service == nil, !(Validate.isE164(from) || Validate.isAlphanumericSender(from)) {
            return Self.error(
                status: .badRequest, code: 21212,
                message: "The 'From' number \(from) is not a valid phone number, shortcode, or alphanumeric sender ID.")
        }
        guard body.count <= 1600 else {
            return Self.error(status: .badRequest, code: 21617, message: "The concatenated message body exceeds the 1600 character limit.")
        }
        let callbackURL = value("StatusCallback")
        if let callbackURL, !Validate.isCallbackURL(callbackURL) {
            return Self.error(status: .badRequest, code: 21609, message: "The StatusCallback URL \(callbackURL) is not a valid URL.")
        }
        let outcome = Outcome(destination: to)
        switch outcome {
        case .unavailable: return Self.error(status: .serviceUnavailable, code: 20503, message: "Service Unavailable")
        case .garbage: return Answer.garbage()
        case .delivered, .failed, .undelivered: break
        }

        let sid = "SM" + Self.hex32()
        let sender = service == nil ? from : ""
        self.log.accepted(
            .init(
                carrier: "twilio", id: sid, from: from, to: to, body: body, callbackURL: callbackURL, outcome: outcome, acceptedAt: .now,
                callbacks: []))
        if let callbackURL {
            let statuses: [(String, String?)] =
                switch outcome {
                case .failed: [("failed", "30005")]
                case .undelivered: [("sent", nil), ("undelivered", "30003")]
                default: [("sent", nil), ("delivered", nil)]
                }
            self.dispatcher.enqueue(
                statuses.map { status, errorCode in
                    self.callback(sid: sid, from: sender, to: to, service: service, status: status, errorCode: errorCode, url: callbackURL)
                })
        }
        let now = Self.rfc2822(.now)
        let uri = "/2010-04-01/Accounts/\(user)/Messages/\(sid)"
        let resource: [String: Any] = [
            "account_sid": user, "api_version": "2010-04-01", "body": body, "date_created": now, "date_sent": NSNull(),
            "date_updated": now, "direction": "outbound-api", "error_code": NSNull(), "error_message": NSNull(),
            "from": service == nil ? from : NSNull(),
            "messaging_service_sid": service ?? NSNull(), "num_media": "0", "num_segments": "\(max(1, (body.count + 152) / 153))", "price": NSNull(),
            "price_unit": "USD", "sid": sid, "status": service == nil ? "queued" : "accepted", "subresource_uris": ["media": "\(uri)/Media.json"],
            "to": to, "uri": "\(uri).json",
        ]
        return Answer.json(resource, status: .created)
    }

    /// One status callback as Twilio sends it; the idempotency token stays the same across retries.
    func callback(sid: String, from: String, to: String, service: String?, status: String, errorCode: String?, url: String) -> StatusCallback {
        var parameters = [
            ("AccountSid", self.settings.twilioAccountSID), ("ApiVersion", "2010-04-01"), ("From", from), ("MessageSid", sid),
            ("MessageStatus", status), ("SmsSid", sid), ("SmsStatus", status), ("To", to),
        ]
        if let service { parameters.append(("MessagingServiceSid", service)) }
        if let errorCode { parameters.append(("ErrorCode", errorCode)) }
        let signature = Self.sign(url: url, parameters: parameters, authToken: self.settings.twilioAuthToken)
        let body = FormBody.encode(parameters)
        let token = "\(sid)-\(status)"
        return StatusCallback(messageID: sid, status: status, url: url) { _ in
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
            request.headers.add(name: "X-Twilio-Signature", value: signature)
            request.headers.add(name: "I-Twilio-Idempotency-Token", value: token)
            request.headers.add(name: "User-Agent", value: "TwilioProxy/1.1")
            request.body = .bytes(ByteBuffer(string: body))
            return request
        }
    }

    /// Twilio's algorithm, written here apart from the production code it tests: the URL, then each parameter's name and
    /// value sorted by name, HMAC-SHA1 with the auth token, base64.
    static func sign(url: String, parameters: [(String, String)], authToken: String) -> String {
        let text = parameters.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data((url + text).utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(code).base64EncodedString()
    }

    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.lowercased().hasPrefix("basic "), let data = Data(base64Encoded: String(header.dropFirst(6))),
            let decoded = String(data: data, encoding: .utf8), let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }

    /// Twilio's error body.
    static func error(status: HTTPResponse.Status, code: Int, message: String) -> Response {
        let body: [String: Any] = [
            "code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": Int(status.code),
        ]
        return Answer.json(body, status: status)
    }

    static func hex32() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Twilio's dates: RFC 2822 in GMT. One formatter, made once: making one costs more than the rest of a send.
    static let rfc2822Formatter = Mutex(
        {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            return formatter
        }())

    static func rfc2822(_ date: Date) -> String {
        self.rfc2822Formatter.withLock { $0.string(from: date) }
    }
}

/// `application/x-www-form-urlencoded`, written for the Sandbox apart from `Carriers` so the two check each other.
enum FormBody {
    static func encode(_ parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._*")
        func escape(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: " "))) ?? text)
                .replacingOccurrences(of: " ", with: "+")
        }
        return parameters.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func decode(_ text: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for field in text.split(separator: "&") {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decoded = parts.map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded[0], let value = decoded.count > 1 ? decoded[1] : "" else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Hands one message to a carrier over its real wire protocol: Twilio's `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
/// (form-encoded, HTTP Basic AccountSid:AuthToken) or Telnyx's `POST /v2/messages` (JSON, Bearer API key).
///
/// 2xx with the carrier's resource is an acceptance; 4xx a rejection with the carrier's code and message (but 408,
/// 429 and Twilio's "try later" codes are not final); 5xx, timeouts and connection failures are `.unavailable`;
/// anything else `.unreadable`.
public struct CarrierClient: Sendable {
    public let kind: CarrierKind
    public let baseURL: String
    let httpClient: HTTPClient
    let timeout: TimeAmount

    /// The most of an answer read: a Message resource is a few KB.
    static let maxAnswer = 256 * 1024

    public init(kind: CarrierKind, baseURL: String, httpClient: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.kind = kind
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// Sends `request` with `credentials`; a credentials set missing a member is rejected before anything is sent.
    public func send(_ request: CarrierSendRequest, credentials: CarrierCredentials) async throws(CarrierError) -> CarrierAcceptance {
        if let member = credentials.missingMember(for: self.kind) {
            throw .rejected(httpStatus: 0, code: nil, message: "the channel account's \(self.kind.displayName) credentials have no \(member)")
        }
        let (status, body) = try await self.execute(self.httpRequest(request, credentials: credentials))
        switch self.kind {
        case .twilio: return try Self.twilioAnswer(status: status, body: body)
        case .telnyxsms: return try Self.telnyxAnswer(status: status, body: body)
        }
    }

    // MARK: Requests

    func httpRequest(_ message: CarrierSendRequest, credentials: CarrierCredentials) -> HTTPClientRequest {
        switch self.kind {
        case .twilio:
            let sid = credentials.accountSID ?? ""
            var request = HTTPClientRequest(url: "\(self.baseURL)/2010-04-01/Accounts/\(Self.pathSegment(sid))/Messages.json")
            request.method = .POST
            let basic = Data("\(sid):\(credentials.authToken ?? "")".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic \(basic)")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Accept", value: "application/json")
            // A Messaging Service SID (MG + 32 hex) sends through the service's sender pool instead of one number.
            let sender = message.from.hasPrefix("MG") && message.from.count == 34 ? "MessagingServiceSid" : "From"
            var form = [("To", message.to), (sender, message.from), ("Body", message.body)]
            if let callback = message.statusCallbackURL { form.append(("StatusCallback", callback)) }
            request.body = .bytes(ByteBuffer(string: FormURLEncoding.encode(form)))
            return request
        case .telnyxsms:
            var request = HTTPClientRequest(url: "\(self.baseURL)/v2/messages")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(credentials.apiKey ?? "")")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            let send = TelnyxSend(
                from: message.from, to: message.to, text: message.body, messagingProfileID: credentials.messagingProfileID,
                webhookURL: message.statusCallbackURL)
            request.body = .bytes(ByteBuffer(data: (try? JSONEncoder().encode(send)) ?? Data()))
            return request
        }
    }

    /// Sends and reads the whole answer within the timeout; every transport failure is `.unavailable`.
    func execute(_ request: HTTPClientRequest) async throws(CarrierError) -> (Int, ByteBuffer) {
        let deadline = NIODeadline.now() + self.timeout
        do {
            let response = try await self.httpClient.execute(request, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maxAnswer)
            return (Int(response.status.code), body)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .unavailable("\(self.kind.displayName) did not answer within \(Self.seconds(self.timeout))")
        } catch let error as NIOTooManyBytesError {
            throw .unreadable("\(self.kind.displayName) answered more than \(error.maxBytes ?? Self.maxAnswer) bytes")
        } catch {
            throw .unavailable("\(self.kind.displayName) could not be reached at \(self.baseURL): \(error)")
        }
    }

    // MARK: Answers

    /// The part of Twilio's Message resource we read.
    struct TwilioMessage: Decodable {
        var sid: String
        var status: String
    }

    /// Twilio's error body: `{"code": 21211, "message": "...", "more_info": "...", "status": 400}`.
    struct TwilioFailure: Decodable {
        var code: Int?
        var message: String
    }

    static func twilioAnswer(status: Int, body: ByteBuffer) throws(CarrierError) -> CarrierAcceptance {
        if (200..<300).contains(status) {
            guard let message = try? JSONDecoder().decode(TwilioMessage.self, from: body), message.sid.hasPrefix("SM") || message.sid.hasPrefix("MM")
            else { throw .unreadable("Twilio answered \(status) without a Message resource: \(Self.excerpt(body))") }
            guard let mapped = CarrierMessageStatus(twilio: message.status) else {
                throw .unreadable("Twilio answered an unknown message status '\(message.status)'")
            }
            return CarrierAcceptance(carrierMessageID: message.sid, status: mapped)
        }
        let failure = try? JSONDecoder().decode(TwilioFailure.self, from: body)
        let code = failure?.code.map(String.init)
        if (400..<500).contains(status), let code, Self.twilioTryLater.contains(code) {
            throw .unavailable("Twilio answered \(status) (code \(code)): \(failure?.message ?? Self.excerpt(body))")
        }
        try Self.refuse(carrier: "Twilio", status: status, code: code, message: failure?.message, body: body)
    }

    /// Twilio codes that refuse a create for now, not for good (decision 191), whatever 4xx carries them: 20429 too
    /// many concurrent requests, 21611 the 'From' number's queue is full (10 hours' worth of messages), 30001 queue
    /// overflow, 63017 the account's messages-per-second limit. Daily caps (63038) are not: a retry within the
    /// schedule's minutes would meet the same cap.
    static let twilioTryLater: Set<String> = ["20429", "21611", "30001", "63017"]

    /// The part of Telnyx's message record we read.
    struct TelnyxMessage: Decodable {
        struct Recipient: Decodable { var status: String }
        struct Record: Decodable {
            var id: String
            var to: [Recipient]
        }
        var data: Record
    }

    /// Telnyx's error body: `{"errors": [{"code": "40310", "title": "...", "detail": "..."}]}`.
    struct TelnyxFailure: Decodable {
        var errors: [TelnyxError]
    }

    static func telnyxAnswer(status: Int, body: ByteBuffer) throws(CarrierError) -> CarrierAcceptance {
        if (200..<300).contains(status) {
            guard let message = try? JSONDecoder().decode(TelnyxMessage.self, from: body), !message.data.id.isEmpty,
                let first = message.data.to.first
            else { throw .unreadable("Telnyx answered \(status) without a message record: \(Self.excerpt(body))") }
            guard let mapped = CarrierMessageStatus(telnyx: first.status) else {
                throw .unreadable("Telnyx answered an unknown message status '\(first.status)'")
            }
            return CarrierAcceptance(carrierMessageID: message.data.id, status: mapped)
        }
        let item = (try? JSONDecoder().decode(TelnyxFailure.self, from: body))?.errors.first
        let text = [item?.title, item?.detail].compactMap { $0 }.joined(separator: ": ")
        try Self.refuse(carrier: "Telnyx", status: status, code: item?.code, message: text.isEmpty ? nil : text, body: body)
    }

    /// A non-2xx answer: 5xx, 408 and 429 may pass with time; other 4xx are the carrier's final word; the rest is not HTTP we know.
    static func refuse(carrier: String, status: Int, code: String?, message: String?, body: ByteBuffer) throws(CarrierError) -> Never {
        let text = message ?? Self.excerpt(body)
        switch status {
        case 408, 429, 500..<600:
            throw .unavailable("\(carrier) answered \(status)\(code.map { " (code \($0))" } ?? ""): \(text)")
        case 400..<500:
            throw .rejected(httpStatus: status, code: code, message: text)
        default:
            throw .unreadable("\(carrier) answered \(status): \(text)")
        }
    }

    // MARK: Helpers

    /// What Telnyx's create takes; nil members are left out.
    struct TelnyxSend: Encodable {
        var from: String
        var to: String
        var text: String
        var messagingProfileID: String?
        var webhookURL: String?

        enum CodingKeys: String, CodingKey {
            case from, to, text
            case messagingProfileID = "messaging_profile_id"
            case webhookURL = "webhook_url"
        }
    }

    static func excerpt(_ body: ByteBuffer) -> String {
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
        if text.isEmpty { return "an empty body" }
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }

    /// RFC 3986's unreserved characters, ASCII only: `CharacterSet.alphanumerics` holds every Unicode letter and digit,
    /// which would go into the URL unencoded.
    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// One path segment with everything but unreserved ASCII percent-encoded (UTF-8).
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}

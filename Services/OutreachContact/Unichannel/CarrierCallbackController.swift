import Carriers
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

/// The carriers' status reports (extension, public: no Comm100 credential, the carrier's signature instead;
/// decision 170): Twilio's form-encoded status callback checked against `X-Twilio-Signature` with the channel
/// account's auth token and the URL Twilio was given, Telnyx's JSON webhook checked against
/// `telnyx-signature-ed25519` with the account's webhook public key. The account and the message are in the path.
///
/// A bad or missing signature (or an account that cannot check one) is a 401; a message the account does not have is
/// answered 200 and ignored, so the carrier stops retrying; a report that does not raise the message's rank changes
/// nothing (spec §5.3), so replays are harmless.
struct CarrierCallbackController {
    let database: Database
    let settings: UnichannelSettings
    let changes: OutboundStatusChanges
    let clock: WallClock
    let accounts = ChannelAccountStore()

    static let twilioSignature = HTTPField.Name("X-Twilio-Signature")!
    static let telnyxSignature = HTTPField.Name("telnyx-signature-ed25519")!
    static let telnyxTimestamp = HTTPField.Name("telnyx-timestamp")!

    func addRoutes(to api: Endpoints<AppRequestContext>) {
        let responses = [
            200: "Recorded, or ignored (a message the channel account does not have, an event that reports no status)",
            400: "Signed, but not the carrier's report", 401: "Missing or bad signature",
        ]
        api.raw(
            .post, "/carrierCallbacks/twilio/{channelAccountId}/{messageId}",
            "Twilio's status callback for one message (form-encoded, signed with X-Twilio-Signature)", responses: responses, use: self.twilio)
        api.raw(
            .post, "/carrierCallbacks/telnyxsms/{channelAccountId}/{messageId}",
            "Telnyx's messaging webhook for one message (JSON, signed with telnyx-signature-ed25519)", responses: responses, use: self.telnyx)
    }

    /// The most a carrier's report is read up to: Twilio's form and Telnyx's webhook are a few kilobytes (decision 216).
    static let maxBodySize = 64 * 1024

    @Sendable func twilio(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (accountID, messageID) = (try context.parameters.require("channelAccountId"), try context.parameters.require("messageId"))
        // What cannot be genuine is refused before the body is read, cheapest check first: a signature that is not
        // an HMAC-SHA1 in base64 (28 characters), then an account of another carrier or none.
        guard let signature = request.headers[Self.twilioSignature], Self.isBase64(signature, length: 28),
            let account = try await self.account(accountID, carrier: .twilio), let token = account.credentials.authToken
        else { throw ServiceError.unauthorized("The X-Twilio-Signature does not verify for this channel account.") }
        let body = try await request.body.collect(upTo: Self.maxBodySize)
        let parameters = FormURLEncoding.decode(String(buffer: body)) ?? []
        // Twilio signs the URL it was given, which is the one the dispatcher wrote.
        let url = self.settings.statusCallbackURL(carrier: .twilio, channelAccountID: accountID, messageID: messageID)
        guard TwilioStatusCallback.isValid(signature: signature, url: url, parameters: parameters, authToken: token) else {
            throw ServiceError.unauthorized("The X-Twilio-Signature does not verify for this channel account.")
        }
        let report: CarrierStatusReport
        do {
            report = try TwilioStatusCallback.report(parameters: parameters)
        } catch {
            throw ServiceError.invalid("MessageStatus", "Not a Twilio status callback: \(error.reason).")
        }
        return try await self.record(report, messageID: messageID, account: account)
    }

    @Sendable func telnyx(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (accountID, messageID) = (try context.parameters.require("channelAccountId"), try context.parameters.require("messageId"))
        // Refused before the body is read: a signature that is not an Ed25519 one in base64 (88 characters), a
        // timestamp outside the tolerance (the signature could not verify), an account of another carrier or none.
        guard let signature = request.headers[Self.telnyxSignature], Self.isBase64(signature, length: 88),
            let timestamp = request.headers[Self.telnyxTimestamp], let seconds = Double(timestamp), seconds.isFinite,
            abs(self.clock.date().timeIntervalSince1970 - seconds) <= self.settings.telnyxTolerance,
            let account = try await self.account(accountID, carrier: .telnyxsms), let key = account.credentials.webhookPublicKey
        else { throw ServiceError.unauthorized("The telnyx-signature-ed25519 does not verify for this channel account.") }
        let body = Array(buffer: try await request.body.collect(upTo: Self.maxBodySize))
        guard
            TelnyxWebhook.isValid(
                body: body, signature: signature, timestamp: timestamp, publicKey: key, now: self.clock.date(),
                tolerance: self.settings.telnyxTolerance)
        else { throw ServiceError.unauthorized("The telnyx-signature-ed25519 does not verify for this channel account.") }
        let report: CarrierStatusReport?
        do {
            report = try TelnyxWebhook.report(body: body)
        } catch {
            throw ServiceError.invalid("data", "Not a Telnyx messaging webhook: \(error.reason).")
        }
        guard let report else { return Response(status: .ok) }
        return try await self.record(report, messageID: messageID, account: account)
    }

    /// Whether `text` has the shape of `length` characters of padded base64.
    static func isBase64(_ text: String, length: Int) -> Bool {
        text.utf8.count == length
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
                case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): true
                default: false
                }
            }
    }

    /// The channel account the path names, when it sends through `carrier`.
    private func account(_ id: String, carrier: CarrierKind) async throws -> ChannelAccountRecord? {
        guard let id = UUID(uuidString: id)?.uuidString.lowercased() else { return nil }
        let record = try await self.database.read { tx in try await self.accounts.record(id: id, in: tx) }
        return record?.carrier == carrier ? record : nil
    }

    private func record(_ report: CarrierStatusReport, messageID: String, account: ChannelAccountRecord) async throws -> Response {
        guard let id = UUID(uuidString: messageID)?.uuidString.lowercased() else { return Response(status: .ok) }
        _ = try await self.database.transaction { tx in
            try await self.changes.recordReport(report, messageID: id, channelAccountID: account.id, in: tx)
        }
        return Response(status: .ok)
    }
}

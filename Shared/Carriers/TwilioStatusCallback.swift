import Crypto
import Foundation

/// Twilio's status callback: a form-encoded POST to the message's `StatusCallback` with `MessageSid`, `MessageStatus`,
/// `ErrorCode` (failures), `AccountSid`, `From`, `To`, `ApiVersion` and the legacy `SmsSid`/`SmsStatus`, signed in
/// `X-Twilio-Signature`.
public enum TwilioStatusCallback {
    /// X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + each POST parameter name+value sorted by name)).
    ///
    /// `url` is the callback URL exactly as given to Twilio (scheme, host, port, path and query).
    public static func signature(url: String, parameters: [(String, String)], authToken: String) -> String {
        Data(self.code(url: url, parameters: parameters, authToken: authToken)).base64EncodedString()
    }

    /// Compares in constant time; a signature that is not base64 is invalid.
    public static func isValid(signature: String, url: String, parameters: [(String, String)], authToken: String) -> Bool {
        guard let given = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else { return false }
        return HMAC<Insecure.SHA1>.isValidAuthenticationCode(
            given, authenticating: Data(self.signedText(url: url, parameters: parameters).utf8), using: SymmetricKey(data: Data(authToken.utf8)))
    }

    /// The report in a callback's parameters: `MessageSid` (or `SmsSid`), `MessageStatus` (or `SmsStatus`), `ErrorCode`.
    public static func report(parameters: [(String, String)]) throws(CarrierError) -> CarrierStatusReport {
        func value(_ names: String...) -> String? {
            for name in names { if let found = parameters.first(where: { $0.0 == name })?.1, !found.isEmpty { return found } }
            return nil
        }
        guard let sid = value("MessageSid", "SmsSid") else { throw .unreadable("a Twilio status callback without MessageSid") }
        guard let statusText = value("MessageStatus", "SmsStatus") else {
            throw .unreadable("a Twilio status callback without MessageStatus")
        }
        guard let status = CarrierMessageStatus(twilio: statusText) else {
            throw .unreadable("a Twilio status callback with the unknown MessageStatus '\(statusText)'")
        }
        var reason: String?
        if status == .failed || status == .undelivered {
            let code = value("ErrorCode")
            let text = code.flatMap { self.errorTexts[$0] } ?? value("ErrorMessage")
            reason = "Twilio \(statusText)" + (code.map { " (error \($0)\(text.map { ": \($0)" } ?? ""))" } ?? "")
        }
        return CarrierStatusReport(carrierMessageID: sid, status: status, failedReason: reason)
    }

    /// Twilio's texts for the delivery errors its status callbacks carry (the callback has the code only).
    static let errorTexts = [
        "30001": "Queue overflow", "30002": "Account suspended", "30003": "Unreachable destination handset",
        "30004": "Message blocked", "30005": "Unknown destination handset", "30006": "Landline or unreachable carrier",
        "30007": "Message filtered", "30008": "Unknown error", "30009": "Missing inbound segment", "30010": "Message price exceeds max price",
    ]

    static func signedText(url: String, parameters: [(String, String)]) -> String {
        // Sorted by name (then value, for repeated names), each name and value appended without separators.
        parameters.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.reduce(into: url) { $0 += $1.0 + $1.1 }
    }

    static func code(url: String, parameters: [(String, String)], authToken: String) -> HashedAuthenticationCode<Insecure.SHA1> {
        HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(self.signedText(url: url, parameters: parameters).utf8), using: SymmetricKey(data: Data(authToken.utf8)))
    }
}

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
    ///
    /// Twilio signs a URL with a port sometimes with it and sometimes without (its own helper libraries check both), so
    /// each form of ``portVariants(of:)`` is tried (decision 192).
    public static func isValid(signature: String, url: String, parameters: [(String, String)], authToken: String) -> Bool {
        guard let given = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else { return false }
        let key = SymmetricKey(data: Data(authToken.utf8))
        return self.portVariants(of: url).contains { candidate in
            HMAC<Insecure.SHA1>.isValidAuthenticationCode(
                given, authenticating: Data(self.signedText(url: candidate, parameters: parameters).utf8), using: key)
        }
    }

    /// `url` as given, then: with an explicit port, the same URL without it; without one, with the scheme's default
    /// port (https 443, http 80). An explicit port is never swapped for another.
    static func portVariants(of url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        // The host starts after any userinfo; an IPv6 literal's colons are inside its brackets.
        let hostStart = authority.lastIndex(of: "@").map(authority.index(after:)) ?? authority.startIndex
        let hostPart = authority[hostStart...]
        let afterBracket = hostPart.lastIndex(of: "]").map(hostPart.index(after:)) ?? hostPart.startIndex
        let before = url[..<authorityEnd]
        let rest = url[authorityEnd...]
        if let colon = hostPart[afterBracket...].lastIndex(of: ":") {
            let port = hostPart[hostPart.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return [url] }
            return [url, String(url[..<colon]) + String(rest)]
        }
        let defaultPort =
            switch scheme {
            case "https": "443"
            case "http": "80"
            default: String?.none
            }
        guard let defaultPort else { return [url] }
        return [url, String(before) + ":" + defaultPort + String(rest)]
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

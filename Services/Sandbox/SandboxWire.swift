import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import ServiceKit

/// Checks the carriers share: E.164, senders, callback URLs.
enum Validate {
    /// `+`, a non-zero digit, then 1 to 14 more digits.
    static func isE164(_ number: String) -> Bool {
        let digits = number.utf8.dropFirst()
        return number.first == "+" && (2...15).contains(digits.count) && digits.first != UInt8(ascii: "0")
            && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// An absolute http(s) URL with a host.
    static func isCallbackURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// 1 to 11 letters, digits and spaces with at least one letter, or a 5-6 digit short code.
    static func isAlphanumericSender(_ text: String) -> Bool {
        let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }
        let shortCode = (5...6).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
        return allowed && (1...11).contains(text.count) && (text.contains { $0.isLetter } || shortCode)
    }

    /// Whether a presented secret is the configured one, compared in constant time.
    static func secret(_ presented: String, matches configured: String) -> Bool {
        SecretHasher.constantTimeEquals(presented, configured)
    }
}

/// Answers both carriers give in the same form.
enum Answer {
    /// A JSON body, keys sorted, slashes as they are.
    static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// The 4220 numbers' answer: 200, but an HTML page (as a captive portal or a misrouted proxy would give).
    static func garbage() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html"],
            body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>It works!</h1></body></html>\n")))
    }
}

import Foundation

/// `application/x-www-form-urlencoded`, as Twilio's API takes requests and sends status callbacks.
///
/// ServiceKit's `URLQuery` reads forms too, but into a `Decodable` type, and refuses a name given twice. A Twilio
/// signature covers the parameters as they arrived, every one of them, repeated names included, sorted by name then
/// value: that needs the raw pairs in order with duplicates kept, which is what this gives. (Carriers also stays free
/// of ServiceKit and Hummingbird.)
public enum FormURLEncoding {
    /// Encodes the pairs in order: unreserved bytes as they are, space as `+`, everything else `%XX` of its UTF-8.
    public static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { "\(self.escape($0.0))=\(self.escape($0.1))" }.joined(separator: "&")
    }

    /// The pairs of a form body in order; nil when a `%` escape is broken or not UTF-8.
    public static func decode(_ body: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for field in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = self.unescape(parts[0]), let value = parts.count > 1 ? self.unescape(parts[1]) : "" else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    private static let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._*".utf8)

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            if self.unreserved.contains(byte) {
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: " ") {
                escaped += "+"
            } else {
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return escaped
    }

    private static func unescape(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}

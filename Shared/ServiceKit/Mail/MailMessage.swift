import Foundation

/// An email as RFC 5322 and MIME (RFC 2045–2047) write it: a plain and an HTML body as `multipart/alternative`, files
/// beside them in `multipart/mixed`, header text outside ASCII as encoded words, bodies in base64 (lines of 76).
public struct MailMessage: Sendable, Equatable {
    /// A file sent with the message.
    public struct Attachment: Sendable, Equatable {
        public var fileName: String
        public var contentType: String
        public var data: Data

        public init(fileName: String, contentType: String, data: Data) {
            self.fileName = fileName
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: String
    public var to: [String]
    public var subject: String
    public var plainText: String
    public var htmlText: String
    public var attachments: [Attachment]
    /// Without angle brackets, e.g. `1234@switchboard`.
    public var messageID: String
    public var date: Date
    /// More headers (`X-…`), written after the standard ones.
    public var headers: [(String, String)]

    public init(
        from: String, to: [String], subject: String, plainText: String, htmlText: String, attachments: [Attachment] = [], messageID: String,
        date: Date, headers: [(String, String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.plainText = plainText
        self.htmlText = htmlText
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
        self.headers = headers
    }

    public static func == (lhs: MailMessage, rhs: MailMessage) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.subject == rhs.subject && lhs.plainText == rhs.plainText && lhs.htmlText == rhs.htmlText
            && lhs.attachments == rhs.attachments && lhs.messageID == rhs.messageID && lhs.date == rhs.date
            && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    /// Whether `text` is an address SMTP can carry (`local@domain`, no spaces, brackets or line breaks).
    public static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.count <= 254 else { return false }
        return !text.contains { $0.isWhitespace || "<>()[],;:\"\\".contains($0) || !$0.isASCII }
    }

    /// A header value: ASCII as it is, anything else, or a word too long to fold (over 76 characters), as UTF-8 base64
    /// encoded words (RFC 2047) of 64 characters at most, separated by spaces (where the header is folded).
    public static func encodedWord(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.allSatisfy({ $0.isASCII }), !flat.split(separator: " ").contains(where: { $0.count > 76 }) { return flat }
        // 39 bytes of UTF-8 are 52 of base64: with "=?UTF-8?B?" and "?=" 64, so "Subject: " and one word fit in 78.
        // Characters are not split.
        var words: [String] = []
        var chunk = Data()
        for character in flat {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// `Name: value` folded (RFC 5322 §2.2.3) before a space so no line passes 78 characters where a word allows it,
    /// ending with CRLF. Unfolding gives the value back.
    public static func headerLine(_ name: String, _ value: String) -> String {
        var lines: [String] = []
        var line = name + ":"
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if line.count + 1 + word.count > 78, !word.isEmpty, line != name + ":" {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// `data` in base64, in lines of 76 ending with CRLF.
    static func base64Lines(_ data: Data) -> String {
        let text = data.base64EncodedString()
        var lines: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text.index(start, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(text[start..<end])
            start = end
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// A quoted-string file name for `Content-Disposition` (RFC 2231 would be longer; encoded words are widely read).
    static func fileName(_ name: String) -> String {
        let safe = name.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\\", with: "_")
        return "\"\(Self.encodedWord(safe))\""
    }

    /// The message as it goes after DATA (before dot-stuffing), lines ending with CRLF.
    public func rendered() -> String {
        let boundary = "=_sb_\(self.messageID.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 })"
        var head: [(String, String)] = [
            ("Date", Self.rfc5322Date(self.date)), ("From", self.from), ("To", self.to.joined(separator: ", ")),
            ("Subject", Self.encodedWord(self.subject)), ("Message-ID", "<\(self.messageID)>"), ("MIME-Version", "1.0"),
        ]
        head += self.headers.map { ($0.0, Self.encodedWord($0.1)) }
        var body = ""
        let alternative = "alt" + boundary
        var parts = ""
        if !self.plainText.isEmpty || self.htmlText.isEmpty {
            parts += "--\(alternative)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            parts += Self.base64Lines(Data(self.plainText.utf8))
        }
        if !self.htmlText.isEmpty {
            parts += "--\(alternative)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            parts += Self.base64Lines(Data(self.htmlText.utf8))
        }
        parts += "--\(alternative)--\r\n"
        if self.attachments.isEmpty {
            head.append(("Content-Type", "multipart/alternative; boundary=\"\(alternative)\""))
            body = parts
        } else {
            let mixed = "mix" + boundary
            head.append(("Content-Type", "multipart/mixed; boundary=\"\(mixed)\""))
            body = "--\(mixed)\r\nContent-Type: multipart/alternative; boundary=\"\(alternative)\"\r\n\r\n" + parts
            for file in self.attachments {
                let type = file.contentType.contains(where: { $0 == "\r" || $0 == "\n" }) ? "application/octet-stream" : file.contentType
                body += "--\(mixed)\r\nContent-Type: \(type)\r\nContent-Transfer-Encoding: base64\r\n"
                body += "Content-Disposition: attachment; filename=\(Self.fileName(file.fileName))\r\n\r\n"
                body += Self.base64Lines(file.data)
            }
            body += "--\(mixed)--\r\n"
        }
        return head.map { Self.headerLine($0.0, $0.1) }.joined() + "\r\n" + body
    }

    /// `Tue, 01 Dec 2026 18:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

import Foundation
import Testing

@testable import ServiceKit

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("Strings are escaped as JSON requires: quotes, backslashes, control characters; others pass through")
    func escaping() throws {
        var line: [UInt8] = []
        let hostile = "a\"b\\c\nd\re\tf\u{01}g/ü𝄞"
        JSONLogHandler.appendString(hostile, to: &line)
        let decoded = try JSONDecoder().decode(String.self, from: Data(line))
        #expect(decoded == hostile)
        #expect(String(decoding: line, as: UTF8.self) == #""a\"b\\c\nd\re\tf\u0001g/ü𝄞""#)
    }

    @Test("Timestamps are ISO 8601 in UTC with milliseconds, and close to now")
    func timestamp() throws {
        let text = JSONLogHandler.timestamp()
        #expect(text.count == 24 && text.hasSuffix("Z"))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: text))
        #expect(abs(parsed.timeIntervalSinceNow) < 5)
    }
}

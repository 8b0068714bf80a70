import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that writes one JSON object a line to standard error, for log shippers.
///
/// Bootstrap it once, in `App.swift`: `LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }`.
/// The access log writes a line per request, so a line is built by hand into one buffer (members sorted by name,
/// as before) and leaves in one `write(2)`: no `JSONSerialization`, no `Date` formatting, no `FileHandle`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var members: [(key: String, value: Logger.MetadataValue)] = [
            ("ts", .string(Self.timestamp())), ("level", .string(event.level.rawValue)), ("logger", .string(self.label)),
            ("msg", .string(event.message.description)),
        ]
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for (key, value) in merged where !["ts", "level", "logger", "msg"].contains(key) { members.append((key, value)) }
        members.sort { $0.key < $1.key }
        var line: [UInt8] = []
        line.reserveCapacity(256)
        Self.appendObject(members, to: &line)
        line.append(0x0A)
        Self.writeToStandardError(line)
    }

    // MARK: JSON

    private static func appendObject(_ members: [(key: String, value: Logger.MetadataValue)], to line: inout [UInt8]) {
        line.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            self.appendString(member.key, to: &line)
            line.append(UInt8(ascii: ":"))
            self.appendValue(member.value, to: &line)
        }
        line.append(UInt8(ascii: "}"))
    }

    private static func appendValue(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let string): self.appendString(string, to: &line)
        case .stringConvertible(let convertible): self.appendString(convertible.description, to: &line)
        case .array(let array):
            line.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                self.appendValue(element, to: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            self.appendObject(dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: &line)
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7); `/` left as it is.
    static func appendString(_ string: String, to line: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        line.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: line.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                line.append(contentsOf: Array("\\u00".utf8))
                line.append(hex[Int(byte >> 4)])
                line.append(hex[Int(byte & 0x0F)])
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    // MARK: Time and output

    /// Now in UTC as `2026-12-01T05:42:36.123Z` (ISO 8601, milliseconds).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            for _ in 0..<count {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor = max(1, divisor / 10)
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        text.append(UInt8(ascii: "."))
        digits(milliseconds, 3)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// One `write(2)` for the whole line (lines under PIPE_BUF stay whole between processes), retried if cut short.
    private static func writeToStandardError(_ line: [UInt8]) {
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

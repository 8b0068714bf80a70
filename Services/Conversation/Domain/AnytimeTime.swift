import Foundation
import ServiceKit

/// Times as the Anytime API writes and reads them (spec §2.4): stored as UTC epoch milliseconds, written as
/// `2026-12-01T13:00:00.000Z`; read from ISO 8601 with or without fractional seconds, and without a zone designator
/// as UTC (or, where the caller gives one, at `offsetHours` east of UTC: `timeZoneOffset`, spec §5.11).
enum AnytimeTime {
    static let dayMilliseconds: Int64 = 86_400_000

    static func format(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func format(_ milliseconds: Int64?) -> String? { milliseconds.map { Self.format($0) } }

    /// The instant `text` names; nil when it is not an ISO 8601 date or date and time.
    static func parse(_ text: String, offsetHours: Double = 0) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard
            let match = trimmed.wholeMatch(
                of: /(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}:?\d{2})?/)
        else { return nil }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (Int(match.1), Int(match.2), Int(match.3))
        components.hour = match.4.flatMap { Int($0) } ?? 0
        components.minute = match.5.flatMap { Int($0) } ?? 0
        components.second = match.6.flatMap { Int($0) } ?? 0
        guard components.isValidDate, (0..<24).contains(components.hour!), (0..<60).contains(components.minute!),
            (0..<60).contains(components.second!), let date = components.date
        else { return nil }
        var milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        if let fraction = match.7 { milliseconds += Int64(String(fraction.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0 }
        if let zone = match.8 {
            if zone != "Z" && zone != "z" {
                let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
                guard let hours = Int64(digits.prefix(2)), let minutes = Int64(digits.suffix(2)), hours < 24, minutes < 60 else { return nil }
                let offset = (hours * 60 + minutes) * 60_000
                milliseconds -= zone.hasPrefix("-") ? -offset : offset
            }
        } else {
            milliseconds -= Int64((offsetHours * 3_600_000).rounded())
        }
        return milliseconds
    }

    /// A required-format time member, 400 naming it otherwise.
    static func parse(_ text: String, member: String, offsetHours: Double = 0) throws -> Int64 {
        guard let value = Self.parse(text, offsetHours: offsetHours) else {
            throw ServiceError.invalid(member, "Parameter '\(member)' must be an ISO 8601 date and time, not '\(AnytimeLimits.shortened(text))'.")
        }
        return value
    }
}

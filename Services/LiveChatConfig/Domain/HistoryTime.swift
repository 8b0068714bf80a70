import Foundation
import HTTPTypes
import ServiceKit

/// Times of the history queries: `timeFrom`/`timeTo` read in the query's `timezone` (default UTC), and
/// answers written in it with its offset (spec note §2.2).
struct HistoryTime: Sendable {
    let zone: TimeZone

    /// `±hh:mm`, `Z`/`UTC`, or an IANA name such as `Europe/Paris`.
    init(timezone: String?) throws {
        guard let name = timezone?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.uppercased() != "UTC", name != "Z" else {
            self.zone = TimeZone(identifier: "UTC")!
            return
        }
        if let match = name.wholeMatch(of: /([+-])(\d{2}):?(\d{2})/), let hours = Int(match.2), let minutes = Int(match.3), hours <= 14, minutes < 60
        {
            let seconds = (hours * 3600 + minutes * 60) * (match.1 == "-" ? -1 : 1)
            self.zone = TimeZone(secondsFromGMT: seconds)!
        } else if let zone = TimeZone(identifier: name) {
            self.zone = zone
        } else {
            throw ServiceError(
                .badRequest, code: 400002, message: "Parameter 'timezone' must be an offset like +08:00 or a time zone name.", field: "timezone")
        }
    }

    /// Reads `YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`, or a date alone; without an offset the time is in the zone.
    func parse(_ text: String?, _ field: String) throws -> Int64 {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw ServiceError(.badRequest, code: 400000, message: "Parameter '\(field)' is required.", field: field)
        }
        for format in [
            "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss",
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
        ] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = self.zone
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        throw ServiceError(.badRequest, code: 400001, message: "Parameter '\(field)' must be a time like 2026-01-16T09:12:45Z.", field: field)
    }

    /// The time in the zone, with its offset (`Z` for UTC).
    func format(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = self.zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// `hh:mm:ss` between two times.
    static func duration(from start: Int64, to end: Int64) -> String {
        let seconds = max(0, (end - start) / 1000)
        return String(format: "%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60)
    }
}

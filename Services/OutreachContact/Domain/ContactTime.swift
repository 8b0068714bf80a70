import Foundation

/// Times as the Contact API reads and writes them (spec §2.9): stored as UTC epoch milliseconds, written as ISO 8601
/// with milliseconds and `Z`; read from ISO 8601 (with or without an offset) or the seed's `2022-03-18 01:12:32.0000000`
/// (UTC), or a date alone (`2022-03-18`, its first instant). Calendar arithmetic is the proleptic Gregorian civil
/// calendar in UTC, so nothing depends on the host's time zone.
enum ContactTime {
    static let dayMilliseconds: Int64 = 86_400_000

    /// A parsed time: its instant, and whether it was a date alone.
    struct Parsed: Equatable {
        var milliseconds: Int64
        var isDateOnly: Bool
        var day: Int64 { ContactTime.day(of: self.milliseconds) }
    }

    /// `2022-03-18T01:12:32.000Z`.
    static func format(_ milliseconds: Int64) -> String {
        let day = Self.day(of: milliseconds)
        let within = milliseconds - day * Self.dayMilliseconds
        let (hours, minutes) = (within / 3_600_000, within / 60_000 % 60)
        let (seconds, millis) = (within / 1000 % 60, within % 1000)
        return "\(Self.dateText(day: day))T\(Self.pad(hours, 2)):\(Self.pad(minutes, 2)):\(Self.pad(seconds, 2)).\(Self.pad(millis, 3))Z"
    }

    /// `2022-03-18 01:12:32` in a zone `offsetMinutes` east of UTC (for exports).
    static func format(_ milliseconds: Int64, offsetMinutes: Int) -> String {
        let shifted = milliseconds + Int64(offsetMinutes) * 60_000
        let day = Self.day(of: shifted)
        let within = shifted - day * Self.dayMilliseconds
        return "\(Self.dateText(day: day)) \(Self.pad(within / 3_600_000, 2)):\(Self.pad(within / 60_000 % 60, 2)):\(Self.pad(within / 1000 % 60, 2))"
    }

    /// Days since 1970-01-01 of an instant (floored, so instants before 1970 fall on their own day).
    static func day(of milliseconds: Int64) -> Int64 {
        milliseconds >= 0 ? milliseconds / Self.dayMilliseconds : (milliseconds - Self.dayMilliseconds + 1) / Self.dayMilliseconds
    }

    /// `2022-03-18` for a day number.
    static func dateText(day: Int64) -> String {
        let (year, month, dayOfMonth) = Self.civil(fromDays: day)
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(dayOfMonth, 2))"
    }

    /// Reads a date (`YYYY-MM-DD`) or a date and time; nil when it is neither, or names a day that does not exist.
    static func parse(_ text: String) -> Parsed? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard
            let match = trimmed.wholeMatch(
                of: /(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}:?\d{2})?)?/)
        else { return nil }
        guard let year = Int64(match.1), let month = Int64(match.2), let dayOfMonth = Int64(match.3), year >= 1, (1...12).contains(month) else {
            return nil
        }
        let day = Self.days(fromCivil: year, month, dayOfMonth)
        guard Self.civil(fromDays: day) == (year, month, dayOfMonth) else { return nil }
        guard let hourText = match.4, let minuteText = match.5 else { return Parsed(milliseconds: day * Self.dayMilliseconds, isDateOnly: true) }
        guard let hour = Int64(hourText), let minute = Int64(minuteText), hour < 24, minute < 60 else { return nil }
        let second = match.6.flatMap { Int64($0) } ?? 0
        guard second < 60 else { return nil }
        var millis: Int64 = 0
        if let fraction = match.7 { millis = Int64(String((fraction + "00").prefix(3))) ?? 0 }
        var offsetMinutes: Int64 = 0
        if let zone = match.8, zone != "Z", zone != "z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            guard let hours = Int64(digits.prefix(2)), let minutes = Int64(digits.suffix(2)), hours < 24, minutes < 60 else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (zone.hasPrefix("-") ? -1 : 1)
        }
        let local = day * Self.dayMilliseconds + ((hour * 60 + minute) * 60 + second) * 1000 + millis
        return Parsed(milliseconds: local - offsetMinutes * 60_000, isDateOnly: false)
    }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number (`civil_from_days`).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

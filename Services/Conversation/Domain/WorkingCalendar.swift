import Foundation

/// A site's business time (spec §5.17, decisions 252–253): per weekday a window `[start, end)` in minutes after the
/// day's midnight in `timeZone`, and holidays (whole days of that zone, `yyyy-MM-dd`) with no window. It answers
/// "the instant N working minutes after T" and "the working minutes between A and B". Instants are epoch milliseconds;
/// windows are placed on each day by the zone's calendar, so a window across a DST change is an hour shorter or longer.
struct WorkingCalendar: Sendable, Equatable {
    /// One weekday's window: minutes after midnight, `end` at most 1440 (24:00).
    struct Day: Sendable, Equatable {
        var isBusinessDay: Bool
        var start: Int
        var end: Int
    }

    /// Sunday first, as `Calendar`'s weekday 1.
    var days: [Day]
    var holidays: Set<String>
    var timeZone: TimeZone

    /// How far a walk looks (20 years): a target further than that is none.
    static let horizonDays = 7305
    static let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    /// The site's hours until it sets its own: Monday to Friday 09:00–17:00.
    static let defaultDays = (0..<7).map { Day(isBusinessDay: (1...5).contains($0), start: 9 * 60, end: 17 * 60) }

    init(days: [Day] = Self.defaultDays, holidays: Set<String> = [], timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        precondition(days.count == 7, "a week has seven days")
        self.days = days
        self.holidays = holidays
        self.timeZone = timeZone
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.timeZone
        return calendar
    }

    /// The `yyyy-MM-dd` of a UTC midnight (a holiday's stored date).
    static func dayKey(utcMidnight milliseconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The business window of the day starting at `midnight` as instants, nil on a closed day or a holiday.
    private func window(ofDayAt midnight: Date, calendar: Calendar) -> (open: Int64, close: Int64)? {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: midnight)
        let day = self.days[parts.weekday! - 1]
        guard day.isBusinessDay, day.end > day.start,
            !self.holidays.contains(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
        else { return nil }
        func instant(_ minutes: Int) -> Int64 {
            let date: Date
            if minutes >= 24 * 60 {
                date = calendar.date(byAdding: .day, value: 1, to: midnight)!
            } else {
                var components = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: minutes / 60, minute: minutes % 60)
                components.timeZone = self.timeZone
                date = calendar.date(from: components)!
            }
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        return (instant(day.start), instant(day.end))
    }

    /// The windows of the days from the one holding `from`, in order, until `body` returns false or the horizon.
    private func walk(from: Int64, _ body: (_ open: Int64, _ close: Int64) -> Bool) {
        let calendar = self.calendar
        var midnight = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(from) / 1000))
        for _ in 0..<Self.horizonDays {
            if let (open, close) = self.window(ofDayAt: midnight, calendar: calendar), !body(open, close) { return }
            midnight = calendar.date(byAdding: .day, value: 1, to: midnight)!
        }
    }

    /// The instant `minutes` working minutes after `start`: counting starts at the next window opening when `start` is
    /// outside business time, and ends at a window's close when the minutes run out there. Nil beyond the horizon.
    func instant(after minutes: Int64, from start: Int64) -> Int64? {
        guard minutes > 0 else { return start }
        var remaining = minutes * 60_000
        var found: Int64?
        self.walk(from: start) { open, close in
            let begin = max(open, start)
            guard begin < close else { return true }
            if remaining <= close - begin {
                found = begin + remaining
                return false
            }
            remaining -= close - begin
            return true
        }
        return found
    }

    /// The working minutes (whole ones, rounded down) between `start` and `end`; 0 when `end` is not after `start`.
    func workingMinutes(from start: Int64, to end: Int64) -> Int64 {
        guard end > start else { return 0 }
        var total: Int64 = 0
        self.walk(from: start) { open, close in
            guard open < end else { return false }
            total += max(0, min(close, end) - max(open, start))
            return true
        }
        return total / 60_000
    }
}

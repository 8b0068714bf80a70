import Foundation
import ServiceKit

/// The query of a historical report (spec §5.22, §6 RP3–RP7; decisions 281–283): the range `[startTime, endTime)`,
/// which conversations count (`viewType`/`viewValue`), how rows are cut (`timeUnit`, `dimensionType`) and, for
/// exports, `timeOffset` (hours east of UTC: buckets start at local midnights and times are shown local) and
/// `dateFormat`. Every value is checked here; a wrong one is a 400 naming its parameter.
struct ReportParameters: Sendable {
    /// The query as sent: every member a string, so a wrong type is reported by name, not as undecodable.
    struct Query: Decodable {
        var startTime, endTime, viewType, viewValue, timeUnit, dimensionType, timeOffset, dateFormat, days: String?
    }

    enum TimeUnit: String, CaseIterable, Sendable {
        case hour, day, week, month
    }

    /// The rows of volume, channel and efficiency.
    enum Dimension: String, CaseIterable, Sendable {
        case byTime, byAgent, byDepartment, byChannel
    }

    /// The rows of the SLA report.
    enum SLADimension: String, CaseIterable, Sendable {
        case slaPolicies, agent, department
    }

    var start: Int64
    var end: Int64
    var view: ReportView
    var unit: TimeUnit
    var offsetHours: Double
    var dateFormat: String
    var buckets: ReportBuckets

    /// The most rows a byTime report cuts its range into.
    static let maxBuckets = 1000

    /// A historical report's parameters; `units` are the time units the report knows (SLA: no `hour`). Without
    /// `cutsByTime` (rows by agent, department or channel) the range is one bucket, however long.
    init(_ query: Query, units: [TimeUnit] = TimeUnit.allCases, cutsByTime: Bool = true) throws {
        self.offsetHours = try Self.offset(query.timeOffset)
        guard let startText = query.startTime?.trimmingCharacters(in: .whitespaces), !startText.isEmpty else {
            throw ServiceError.missing("startTime")
        }
        guard let endText = query.endTime?.trimmingCharacters(in: .whitespaces), !endText.isEmpty else { throw ServiceError.missing("endTime") }
        self.start = try AnytimeTime.parse(startText, member: "startTime", offsetHours: self.offsetHours)
        self.end = try AnytimeTime.parse(endText, member: "endTime", offsetHours: self.offsetHours)
        guard self.end > self.start else { throw ServiceError.invalid("endTime", "Parameter 'endTime' must be after 'startTime'.") }
        self.view = try ReportView(type: query.viewType, value: query.viewValue)
        self.unit = try Self.choice(query.timeUnit, "timeUnit", default: .day, among: units)
        self.dateFormat = try Self.format(query.dateFormat) ?? (self.unit == .hour ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd")
        if cutsByTime {
            self.buckets = try ReportBuckets(start: self.start, end: self.end, unit: self.unit, offsetHours: self.offsetHours)
        } else {
            self.buckets = ReportBuckets(whole: self.start, self.end)
        }
        // A report reads the range's messages and outcomes into memory: a year at most (decision 285).
        guard self.end - self.start <= Self.maxRange else {
            throw ServiceError.invalid("endTime", "Parameter 'endTime' may be at most 366 days after 'startTime'.")
        }
    }

    /// The longest range of a historical report: 366 days.
    static let maxRange: Int64 = 366 * 86_400_000

    /// `dimensionType` of volume, channel and efficiency: `byTime` when absent.
    static func dimension(_ text: String?) throws -> Dimension {
        try Self.choice(text, "dimensionType", default: .byTime, among: Dimension.allCases)
    }

    /// `dimensionType` of the SLA report: `slaPolicies` when absent.
    static func slaDimension(_ text: String?) throws -> SLADimension {
        try Self.choice(text, "dimensionType", default: .slaPolicies, among: SLADimension.allCases)
    }

    /// One of `choices`, named in any case; `fallback` when absent or empty.
    static func choice<T: RawRepresentable<String>>(_ text: String?, _ name: String, default fallback: T, among choices: [T]) throws -> T {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return fallback }
        guard let found = choices.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw ServiceError.invalid(
                name,
                "Parameter '\(name)' must be one of \(choices.map(\.rawValue).joined(separator: ", ")), not '\(AnytimeLimits.shortened(text))'.")
        }
        return found
    }

    /// `timeOffset`: hours east of UTC, -14 to 14 (decision 283).
    static func offset(_ text: String?) throws -> Double {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return 0 }
        guard let hours = Double(text), hours.isFinite, (-14...14).contains(hours) else {
            throw ServiceError.invalid(
                "timeOffset", "Parameter 'timeOffset' must be hours east of UTC between -14 and 14, not '\(AnytimeLimits.shortened(text))'.")
        }
        return hours
    }

    /// `dateFormat`: the tokens `yyyy`, `MM`, `dd`, `HH`, `mm` among separators (spec §5.22); nil when absent (then
    /// `yyyy-MM-dd`, with `HH:mm` for hours).
    static func format(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        var rest = Substring(text)
        while !rest.isEmpty {
            if let token = ["yyyy", "MM", "dd", "HH", "mm"].first(where: { rest.hasPrefix($0) }) {
                rest = rest.dropFirst(token.count)
            } else if let first = rest.first, " -/.:T_,".contains(first) {
                rest = rest.dropFirst()
            } else {
                throw ServiceError.invalid(
                    "dateFormat", "Parameter 'dateFormat' may hold only yyyy, MM, dd, HH, mm and separators, not '\(AnytimeLimits.shortened(text))'.")
            }
        }
        guard text.count <= 64 else { throw ServiceError.invalid("dateFormat", "Parameter 'dateFormat' is longer than 64 characters.") }
        return text
    }

    /// `instant` at `timeOffset` in `dateFormat`.
    func display(_ instant: Int64) -> String {
        let local = Date(timeIntervalSince1970: (Double(instant) + self.offsetHours * 3_600_000) / 1000)
        let parts = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute], from: local)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        var text = ""
        var rest = Substring(self.dateFormat)
        while let first = rest.first {
            switch true {
            case rest.hasPrefix("yyyy"): (text, rest) = (text + String(format: "%04d", parts.year ?? 0), rest.dropFirst(4))
            case rest.hasPrefix("MM"): (text, rest) = (text + two(parts.month), rest.dropFirst(2))
            case rest.hasPrefix("dd"): (text, rest) = (text + two(parts.day), rest.dropFirst(2))
            case rest.hasPrefix("HH"): (text, rest) = (text + two(parts.hour), rest.dropFirst(2))
            case rest.hasPrefix("mm"): (text, rest) = (text + two(parts.minute), rest.dropFirst(2))
            default: (text, rest) = (text + String(first), rest.dropFirst())
            }
        }
        return text
    }
}

/// Which conversations a report counts (spec §5.22, §6 RP4): the site's (`site`, the default), or those assigned to an
/// agent or a department, on a channel, or with a message through a channel account (`viewValue`, a number or a string).
struct ReportView: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case site, agent, department, account, channel
    }

    var kind: Kind
    var value: String?

    init(type: String?, value: String?) throws {
        self.kind = try ReportParameters.choice(type, "viewType", default: .site, among: Kind.allCases)
        let text = try AnytimeLimits.id(value, "viewValue")
        switch self.kind {
        case .site: self.value = nil
        case .channel: self.value = try AnytimeChannel.named(text, member: "viewValue").id
        case .agent, .department, .account:
            guard let text else { throw ServiceError.invalid("viewValue", "Parameter 'viewValue' is required with viewType \(self.kind.rawValue).") }
            self.value = text
        }
    }

    static let site = try! ReportView(type: nil, value: nil)
}

/// A report range cut by `timeUnit` (decision 282): buckets begin at the unit's starts in the local time of `timeOffset`
/// (hours on the hour, days at midnight, weeks on Monday, months on the 1st); the first and last are cut to the range.
struct ReportBuckets: Sendable {
    /// `start`, every boundary inside the range, `end`.
    var bounds: [Int64]

    var count: Int { self.bounds.count - 1 }

    init(start: Int64, end: Int64, unit: ReportParameters.TimeUnit, offsetHours: Double) throws {
        let offset = Int64((offsetHours * 3_600_000).rounded())
        var bounds = [start]
        var next = Self.boundary(after: start + offset, unit: unit) - offset
        while next < end {
            bounds.append(next)
            guard bounds.count <= ReportParameters.maxBuckets else {
                throw ServiceError.invalid(
                    "timeUnit",
                    "Parameter 'timeUnit' \(unit.rawValue) cuts the range into more than \(ReportParameters.maxBuckets) rows; use a larger one.")
            }
            next = Self.boundary(after: next + offset, unit: unit) - offset
        }
        bounds.append(end)
        self.bounds = bounds
    }

    /// The range as one bucket.
    init(whole start: Int64, _ end: Int64) {
        self.bounds = [start, end]
    }

    /// The bucket (0-based) holding `instant`; nil outside the range.
    func index(of instant: Int64) -> Int? {
        guard instant >= self.bounds[0], instant < self.bounds[self.bounds.count - 1] else { return nil }
        var (low, high) = (0, self.count - 1)
        while low < high {
            let middle = (low + high + 1) / 2
            if self.bounds[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The first start of `unit` after the local instant `local` (milliseconds, read as UTC).
    static func boundary(after local: Int64, unit: ReportParameters.TimeUnit) -> Int64 {
        let hour: Int64 = 3_600_000
        switch unit {
        case .hour: return (local.floorDivided(by: hour) + 1) * hour
        case .day: return (local.floorDivided(by: AnytimeTime.dayMilliseconds) + 1) * AnytimeTime.dayMilliseconds
        case .week:
            // 1970-01-01 was a Thursday: Mondays are 4 days after a multiple of 7 days.
            let week = 7 * AnytimeTime.dayMilliseconds
            let monday = 4 * AnytimeTime.dayMilliseconds
            return ((local - monday).floorDivided(by: week) + 1) * week + monday
        case .month:
            let date = Date(timeIntervalSince1970: Double(local.floorDivided(by: 1000)))
            let parts = Calendar.utc.dateComponents([.year, .month], from: date)
            var next = DateComponents()
            (next.year, next.month, next.day) = (parts.year, (parts.month ?? 1) + 1, 1)
            return Int64(Calendar.utc.date(from: next)!.timeIntervalSince1970) * 1000
        }
    }
}

extension Int64 {
    /// Division rounding toward minus infinity (times before 1970 land in the right bucket too).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

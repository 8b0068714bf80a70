import Foundation
import Testing

@testable import Conversation

/// The business-time arithmetic of SLA targets (spec §5.17, decisions 252–253): N working minutes after an instant,
/// and the working minutes between two, at the edges of days, weeks, holidays and a DST change.
@Suite("conversation: working calendar")
struct WorkingCalendarTests {
    static func at(_ text: String) -> Int64 { AnytimeTime.parse(text)! }

    let week = WorkingCalendar()  // Monday to Friday 09:00–17:00 UTC

    @Test("Inside a window the minutes run on; at its close they end there, not at the next opening")
    func withinADay() {
        // 2027-01-11 is a Monday.
        #expect(self.week.instant(after: 60, from: Self.at("2027-01-11T10:00:00Z")) == Self.at("2027-01-11T11:00:00Z"))
        #expect(self.week.instant(after: 60, from: Self.at("2027-01-11T16:00:00Z")) == Self.at("2027-01-11T17:00:00Z"))
        #expect(self.week.instant(after: 61, from: Self.at("2027-01-11T16:00:00Z")) == Self.at("2027-01-12T09:01:00Z"))
        // Before the opening the count starts at 09:00.
        #expect(self.week.instant(after: 30, from: Self.at("2027-01-11T03:00:00Z")) == Self.at("2027-01-11T09:30:00Z"))
    }

    @Test("Friday afternoon plus two hours is Monday morning; a start on Saturday counts from Monday's opening")
    func acrossTheWeekend() {
        #expect(self.week.instant(after: 120, from: Self.at("2027-01-15T16:00:00Z")) == Self.at("2027-01-18T10:00:00Z"))
        #expect(self.week.instant(after: 30, from: Self.at("2027-01-16T12:00:00Z")) == Self.at("2027-01-18T09:30:00Z"))
        // A whole working week is 40 hours.
        #expect(self.week.instant(after: 40 * 60, from: Self.at("2027-01-11T09:00:00Z")) == Self.at("2027-01-15T17:00:00Z"))
        #expect(self.week.workingMinutes(from: Self.at("2027-01-15T16:00:00Z"), to: Self.at("2027-01-18T10:00:00Z")) == 120)
        #expect(self.week.workingMinutes(from: Self.at("2027-01-11T00:00:00Z"), to: Self.at("2027-01-18T00:00:00Z")) == 40 * 60)
        #expect(self.week.workingMinutes(from: Self.at("2027-01-16T00:00:00Z"), to: Self.at("2027-01-17T23:59:00Z")) == 0)
        #expect(self.week.workingMinutes(from: Self.at("2027-01-18T00:00:00Z"), to: Self.at("2027-01-11T00:00:00Z")) == 0)
    }

    @Test("A holiday has no window: Friday's last half hour, then Tuesday")
    func holidays() {
        var calendar = self.week
        calendar.holidays = ["2027-01-18"]
        #expect(calendar.instant(after: 60, from: Self.at("2027-01-15T16:30:00Z")) == Self.at("2027-01-19T09:30:00Z"))
        #expect(calendar.workingMinutes(from: Self.at("2027-01-15T16:30:00Z"), to: Self.at("2027-01-19T09:30:00Z")) == 60)
        #expect(calendar.workingMinutes(from: Self.at("2027-01-18T00:00:00Z"), to: Self.at("2027-01-19T00:00:00Z")) == 0)
    }

    @Test("Windows sit on the zone's local days: across the New York spring change 09:00 moves from 14:00Z to 13:00Z")
    func daylightSaving() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let everyDay = WorkingCalendar(days: Array(repeating: .init(isBusinessDay: true, start: 9 * 60, end: 17 * 60), count: 7), timeZone: newYork)
        // Saturday 2027-03-13 16:00 EST (21:00Z) plus two hours: one on Saturday, one from Sunday 09:00 EDT (13:00Z).
        #expect(everyDay.instant(after: 120, from: Self.at("2027-03-13T21:00:00Z")) == Self.at("2027-03-14T14:00:00Z"))
        // The local day of the change is 23 hours long: a 24-hour window holds 1380 minutes.
        let allDay = WorkingCalendar(days: Array(repeating: .init(isBusinessDay: true, start: 0, end: 24 * 60), count: 7), timeZone: newYork)
        #expect(allDay.workingMinutes(from: Self.at("2027-03-14T05:00:00Z"), to: Self.at("2027-03-15T04:00:00Z")) == 23 * 60)
        #expect(allDay.instant(after: 23 * 60, from: Self.at("2027-03-14T05:00:00Z")) == Self.at("2027-03-15T04:00:00Z"))
        // A holiday is a local day.
        var holiday = everyDay
        holiday.holidays = ["2027-03-14"]
        #expect(holiday.instant(after: 120, from: Self.at("2027-03-13T21:00:00Z")) == Self.at("2027-03-15T14:00:00Z"))
    }

    @Test("A week without a business day has no instant; zero minutes are the start itself")
    func edges() {
        let closed = WorkingCalendar(days: Array(repeating: .init(isBusinessDay: false, start: 9 * 60, end: 17 * 60), count: 7))
        #expect(closed.instant(after: 1, from: Self.at("2027-01-11T10:00:00Z")) == nil)
        #expect(self.week.instant(after: 0, from: Self.at("2027-01-16T10:00:00Z")) == Self.at("2027-01-16T10:00:00Z"))
        #expect(WorkingCalendar.dayKey(utcMidnight: Self.at("2027-02-28T00:00:00Z")) == "2027-02-28")
    }
}

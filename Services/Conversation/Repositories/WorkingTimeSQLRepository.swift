import Foundation
import SQLKit
import ServiceKit
import WireModels

/// A site's weekly business hours and holidays (spec §3.13, §5.17).
struct WorkingTimeSQLRepository {
    let sql: any SQLDatabase

    /// The site's seven days, Sunday first: the stored ones, the default hours for the rest.
    func days(site: String) async throws -> [WorkingCalendar.Day] {
        var days = WorkingCalendar.defaultDays
        for row in try await self.sql.select().column("*").from("conversation_working_times").where("site_id", .equal, site)
            .all(WorkingTimeRow.self) where (0..<7).contains(row.dayOfWeek)
        {
            days[row.dayOfWeek] = WorkingCalendar.Day(isBusinessDay: row.isBusinessDay, start: row.startMinute, end: row.endMinute)
        }
        return days
    }

    /// Stores all seven days of the site.
    func setDays(_ days: [WorkingCalendar.Day], site: String) async throws {
        try await self.sql.delete(from: "conversation_working_times").where("site_id", .equal, site).run()
        let rows = days.enumerated().map {
            WorkingTimeRow(
                siteId: site, dayOfWeek: $0.offset, isBusinessDay: $0.element.isBusinessDay, startMinute: $0.element.start, endMinute: $0.element.end)
        }
        try await self.sql.insert(into: "conversation_working_times").rows(rows).run()
    }

    /// The site's holidays by date.
    func holidays(site: String) async throws -> [HolidayRow] {
        try await self.sql.select().column("*").from("conversation_holidays").where("site_id", .equal, site).orderBy("day").orderBy("id")
            .all(HolidayRow.self)
    }

    func holiday(id: String, site: String) async throws -> HolidayRow? {
        try await self.sql.select().column("*").from("conversation_holidays").where("id", .equal, id).where("site_id", .equal, site)
            .first(HolidayRow.self)
    }

    /// The site's holiday on `day` other than `except`.
    func holiday(on day: Int64, site: String, except: String? = nil) async throws -> HolidayRow? {
        let select = self.sql.select().column("*").from("conversation_holidays").where("site_id", .equal, site).where("day", .equal, day)
        if let except { select.where("id", .notEqual, except) }
        return try await select.first(HolidayRow.self)
    }

    func insert(_ row: HolidayRow) async throws {
        try await self.sql.insert(into: "conversation_holidays").row(row).run()
    }

    func update(_ row: HolidayRow) async throws {
        try await self.sql.update("conversation_holidays").set(row: row).where("id", .equal, row.id).where("site_id", .equal, row.siteId).run()
    }

    func delete(id: String, site: String) async throws {
        try await self.sql.delete(from: "conversation_holidays").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// The site's business time as the SLA clock counts it: UTC (spec §5.17).
    func calendar(site: String) async throws -> WorkingCalendar {
        WorkingCalendar(
            days: try await self.days(site: site),
            holidays: Set(try await self.holidays(site: site).map { WorkingCalendar.dayKey(utcMidnight: $0.day) }))
    }
}

extension Tx {
    var workingTime: WorkingTimeSQLRepository { WorkingTimeSQLRepository(sql: self.sql) }
}

/// A `conversation_working_times` row: `dayOfWeek` 0 is Sunday; the window in minutes after midnight.
struct WorkingTimeRow: Codable, Sendable {
    var siteId: String
    var dayOfWeek: Int
    var isBusinessDay: Bool
    var startMinute, endMinute: Int
}

/// A `conversation_holidays` row: `day` is the date's UTC midnight.
struct HolidayRow: Codable, Sendable {
    var id, siteId, title: String
    var day: Int64
    var createdTime: Int64

    var wire: AnytimeHoliday { AnytimeHoliday(id: self.id, title: self.title, date: AnytimeTime.format(self.day)) }
}

import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeWorkingTime: ResponseEncodable {}
extension AnytimeHoliday: ResponseEncodable {}

/// `/api/v3/anytime/workingTime` and `/holidays` (seed 000 L1144–L1215; spec §3.13, §5.17, §6 W1–W5; decisions
/// 252–254): the site's weekly business hours (Monday to Friday 09:00–17:00 until it sets them) and its holidays, which
/// business-hours SLA targets skip.
struct WorkingTimeController {
    let store: ConversationStore

    static let maxTitle = 256

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Working time and holidays")
        let errors = [400: "Invalid working time or holiday", 404: "Not found", 409: "A holiday on that date exists"]
        api.get("/workingTime", "The site's business hours, Sunday first", returns: [AnytimeWorkingTime].self, errors: errors) { _, context in
            let site = context.site
            return try await self.store.read { tx in Self.wire(try await tx.workingTime.days(site: site)) }
        }
        api.put(
            "/workingTime", "Change the business hours of the days given (members left out keep their value)", body: AnytimeWorkingTimeInput.self,
            returns: EmptyBody.self, status: .noContent, errors: errors, use: self.update)
        api.get("/holidays", "The site's holidays by date", returns: [AnytimeHoliday].self, errors: errors) { _, context in
            let site = context.site
            return try await self.store.read { tx in try await tx.workingTime.holidays(site: site).map(\.wire) }
        }
        api.get("/holidays/{id}", "Get a holiday", returns: AnytimeHoliday.self, errors: errors) { _, context in
            let (site, id) = (context.site, try context.parameters.require("id"))
            return try await self.store.read { tx in try await Self.holiday(id, site: site, tx: tx).wire }
        }
        api.post(
            "/holidays", "Create a holiday (one a date)", body: AnytimeHolidayInput.self, returns: AnytimeHoliday.self, status: .created,
            errors: errors, use: self.create)
        api.put(
            "/holidays/{id}", "Update a holiday (members left out keep their value)", body: AnytimeHolidayInput.self, returns: AnytimeHoliday.self,
            errors: errors, use: self.updateHoliday)
        api.delete("/holidays/{id}", "Delete a holiday", returns: EmptyBody.self, status: .noContent, errors: errors) { _, context in
            try await self.delete(try context.parameters.require("id"), context: context)
        }
        // The doc's own path (L1210–L1215, spec §6 W2): the id in the query.
        api.delete(
            "/holidays", "Delete a holiday named by the query's id", returns: EmptyBody.self, status: .noContent,
            query: [QueryParameter("id", "The holiday's id")], errors: errors
        ) { request, context in
            struct Parameters: Decodable { var id: String? }
            guard let id = try request.decodeQuery(as: Parameters.self).id, !id.isEmpty else { throw ServiceError.missing("id") }
            return try await self.delete(id, context: context)
        }
    }

    static func wire(_ days: [WorkingCalendar.Day]) -> [AnytimeWorkingTime] {
        days.enumerated().map { index, day in
            AnytimeWorkingTime(
                dayOfWeek: WorkingCalendar.names[index], isBusinessDay: day.isBusinessDay, startHour: day.start / 60, startMin: day.start % 60,
                endHour: day.end / 60, endMin: day.end % 60)
        }
    }

    /// The days given replace those members of the stored ones; the week must keep a business day (else no business-hours
    /// target would ever fall due) and each business day's window must open before it closes.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeWorkingTimeInput) async throws -> EmptyBody {
        guard let entries = input.workingTimes else { throw ServiceError.missing("workingTimes") }
        guard entries.count <= 7 else { throw ServiceError.invalid("workingTimes", "Field 'workingTimes' holds one entry a day, at most 7.") }
        let site = context.site
        try await self.store.write(settingsOf: site, "workingTime") { tx in
            var days = try await tx.workingTime.days(site: site)
            var seen = Set<Int>()
            for (index, entry) in entries.enumerated() {
                let member = "workingTimes[\(index)]"
                guard let name = entry.dayOfWeek?.trimmingCharacters(in: .whitespaces) else { throw ServiceError.missing("\(member).dayOfWeek") }
                guard let day = WorkingCalendar.names.firstIndex(of: name.lowercased()) else {
                    throw ServiceError.invalid(
                        "\(member).dayOfWeek",
                        "Field '\(member).dayOfWeek' must be a day name (sunday … saturday), not '\(AnytimeLimits.shortened(name))'.")
                }
                guard seen.insert(day).inserted else {
                    throw ServiceError.invalid("\(member).dayOfWeek", "Field '\(member).dayOfWeek' repeats \(name.lowercased()).")
                }
                days[day] = try Self.day(entry, over: days[day], member: member)
            }
            guard days.contains(where: \.isBusinessDay) else {
                throw ServiceError.invalid("workingTimes", "Field 'workingTimes' must leave at least one business day.")
            }
            try await tx.workingTime.setDays(days, site: site)
        }
        return EmptyBody()
    }

    /// One day's members over its stored window, checked: hours 0–23 (the end 24:00 too), minutes 0–59.
    static func day(_ entry: AnytimeWorkingTimeEntryInput, over stored: WorkingCalendar.Day, member: String) throws -> WorkingCalendar.Day {
        func checked(_ value: Int?, _ name: String, range: ClosedRange<Int>) throws -> Int? {
            guard let value else { return nil }
            guard range.contains(value) else {
                throw ServiceError.invalid(
                    "\(member).\(name)", "Field '\(member).\(name)' must be between \(range.lowerBound) and \(range.upperBound).")
            }
            return value
        }
        let startHour = try checked(entry.startHour, "startHour", range: 0...23) ?? stored.start / 60
        let startMin = try checked(entry.startMin, "startMin", range: 0...59) ?? stored.start % 60
        let endHour = try checked(entry.endHour, "endHour", range: 0...24) ?? stored.end / 60
        let endMin = try checked(entry.endMin, "endMin", range: 0...59) ?? stored.end % 60
        guard endHour < 24 || endMin == 0 else {
            throw ServiceError.invalid("\(member).endMin", "Field '\(member).endMin' must be 0 when endHour is 24.")
        }
        let day = WorkingCalendar.Day(
            isBusinessDay: entry.isBusinessDay ?? stored.isBusinessDay, start: startHour * 60 + startMin, end: endHour * 60 + endMin)
        guard !day.isBusinessDay || day.start < day.end else {
            throw ServiceError.invalid("\(member).endHour", "Field '\(member).endHour' must close the day after it opens (start before end).")
        }
        return day
    }

    static func holiday(_ id: String, site: String, tx: Tx) async throws -> HolidayRow {
        guard id.count <= AnytimeLimits.id, let row = try await tx.workingTime.holiday(id: id, site: site) else {
            throw ServiceError.notFound("Holiday")
        }
        return row
    }

    /// A holiday's date: any ISO 8601 date or time, kept as its UTC day (spec §6 W4).
    static func day(_ text: String) throws -> Int64 {
        let instant = try AnytimeTime.parse(text, member: "date")
        return instant - ((instant % AnytimeTime.dayMilliseconds) + AnytimeTime.dayMilliseconds) % AnytimeTime.dayMilliseconds
    }

    static func title(_ text: String) throws -> String {
        let title = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw ServiceError.invalid("title", "Field 'title' cannot be empty.") }
        return try AnytimeLimits.bounded(title, "title", limit: Self.maxTitle)
    }

    static func conflict(_ day: Int64) -> ServiceError {
        ServiceError(.conflict, message: "A holiday on \(WorkingCalendar.dayKey(utcMidnight: day)) exists.", field: "date")
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeHolidayInput) async throws -> AnytimeHoliday {
        guard let titleText = input.title else { throw ServiceError.missing("title") }
        guard let dateText = input.date else { throw ServiceError.missing("date") }
        let row = HolidayRow(
            id: UUID().uuidString.lowercased(), siteId: context.site, title: try Self.title(titleText), day: try Self.day(dateText),
            createdTime: self.store.now)
        return try await self.store.write(settingsOf: row.siteId, "holidays") { tx in
            if try await tx.workingTime.holiday(on: row.day, site: row.siteId) != nil { throw Self.conflict(row.day) }
            try await tx.workingTime.insert(row)
            return row.wire
        }
    }

    @Sendable func updateHoliday(_ request: Request, context: AuthenticatedContext, input: AnytimeHolidayInput) async throws -> AnytimeHoliday {
        let (site, id) = (context.site, try context.parameters.require("id"))
        let title = try input.title.map { try Self.title($0) }
        let day = try input.date.map { try Self.day($0) }
        return try await self.store.write(settingsOf: site, "holidays") { tx in
            var row = try await Self.holiday(id, site: site, tx: tx)
            if let title { row.title = title }
            if let day {
                if try await tx.workingTime.holiday(on: day, site: site, except: row.id) != nil { throw Self.conflict(day) }
                row.day = day
            }
            try await tx.workingTime.update(row)
            return row.wire
        }
    }

    func delete(_ id: String, context: AuthenticatedContext) async throws -> EmptyBody {
        let site = context.site
        try await self.store.write(settingsOf: site, "holidays") { tx in
            let row = try await Self.holiday(id, site: site, tx: tx)
            try await tx.workingTime.delete(id: row.id, site: site)
        }
        return EmptyBody()
    }
}

extension ConversationStore {
    /// A transaction holding the lock of one site's `scope` of SLA settings (its hours, holidays or policies), so two
    /// writers checking a date is free or numbering policies cannot both pass on PostgreSQL (SQLite has one writer).
    func write<T: Sendable>(settingsOf site: String, _ scope: String, _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.database.transaction { tx in
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in "sla-\(scope):\(site)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            try await tx.lock(Int64(bitPattern: hash))
            return try await body(tx)
        }
    }
}

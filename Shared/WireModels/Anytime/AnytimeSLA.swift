import Foundation

/// One day of the site's weekly business hours (seed 000 L1146–L1154): `dayOfWeek` is a lowercase English day name.
public struct AnytimeWorkingTime: Codable, Sendable, Equatable {
    public var dayOfWeek: String
    public var isBusinessDay: Bool
    public var startHour: Int
    public var startMin: Int
    public var endHour: Int
    public var endMin: Int

    public init(dayOfWeek: String, isBusinessDay: Bool, startHour: Int, startMin: Int, endHour: Int, endMin: Int) {
        self.dayOfWeek = dayOfWeek
        self.isBusinessDay = isBusinessDay
        self.startHour = startHour
        self.startMin = startMin
        self.endHour = endHour
        self.endMin = endMin
    }
}

/// A day of `PUT /workingTime` as a client sends it: `dayOfWeek` names it; members left out keep their value.
public struct AnytimeWorkingTimeEntryInput: Codable, Sendable, Equatable {
    public var dayOfWeek: String?
    public var isBusinessDay: Bool?
    public var startHour: Int?
    public var startMin: Int?
    public var endHour: Int?
    public var endMin: Int?

    public init(
        dayOfWeek: String? = nil, isBusinessDay: Bool? = nil, startHour: Int? = nil, startMin: Int? = nil, endHour: Int? = nil, endMin: Int? = nil
    ) {
        self.dayOfWeek = dayOfWeek
        self.isBusinessDay = isBusinessDay
        self.startHour = startHour
        self.startMin = startMin
        self.endHour = endHour
        self.endMin = endMin
    }
}

/// `PUT /workingTime` (L1171–L1176): the days to change.
public struct AnytimeWorkingTimeInput: Codable, Sendable, Equatable {
    public var workingTimes: [AnytimeWorkingTimeEntryInput]?

    public init(workingTimes: [AnytimeWorkingTimeEntryInput]?) {
        self.workingTimes = workingTimes
    }
}

/// A holiday (L1156–L1161): a whole day without business hours; `date` is that day at 00:00 UTC.
public struct AnytimeHoliday: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var date: String

    public init(id: String, title: String, date: String) {
        self.id = id
        self.title = title
        self.date = date
    }
}

/// `POST /holidays` and `PUT /holidays/{id}` (L1192–L1208): `id` is ignored (the server makes it); on update members
/// left out keep their value.
public struct AnytimeHolidayInput: Codable, Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var date: String?

    public init(id: String? = nil, title: String? = nil, date: String? = nil) {
        self.id = id
        self.title = title
        self.date = date
    }
}

/// An SLA policy (L1077–L1087): targets in hours (0: none), counted in business or calendar hours, for the
/// conversations its conditions match; the first enabled match by `orderNum` applies.
public struct AnytimeSLAPolicy: Codable, Sendable, Equatable {
    public var id: String
    public var isEnabled: Bool
    public var firstRespondWithin: Int
    public var nextRespondWithin: Int
    public var resolveRespondWithin: Int
    public var isBusinessHours: Bool
    public var conditions: AnytimeConditions
    public var orderNum: Int

    public init(
        id: String, isEnabled: Bool, firstRespondWithin: Int, nextRespondWithin: Int, resolveRespondWithin: Int, isBusinessHours: Bool,
        conditions: AnytimeConditions, orderNum: Int
    ) {
        self.id = id
        self.isEnabled = isEnabled
        self.firstRespondWithin = firstRespondWithin
        self.nextRespondWithin = nextRespondWithin
        self.resolveRespondWithin = resolveRespondWithin
        self.isBusinessHours = isBusinessHours
        self.conditions = conditions
        self.orderNum = orderNum
    }
}

/// `POST /SLAPolicies` and `PUT /SLAPolicies/{id}` (L1104–L1127): `isBusinessHours` or `businessHours`
/// (`businessHours`, `calenderHours` or `calendarHours`, spec §6 S2); on update members left out keep their value.
public struct AnytimeSLAPolicyInput: Codable, Sendable, Equatable {
    public var isEnabled: Bool?
    public var firstRespondWithin: Int?
    public var nextRespondWithin: Int?
    public var resolveRespondWithin: Int?
    public var isBusinessHours: Bool?
    public var businessHours: String?
    public var conditions: AnytimeConditionsInput?

    public init(
        isEnabled: Bool? = nil, firstRespondWithin: Int? = nil, nextRespondWithin: Int? = nil, resolveRespondWithin: Int? = nil,
        isBusinessHours: Bool? = nil, businessHours: String? = nil, conditions: AnytimeConditionsInput? = nil
    ) {
        self.isEnabled = isEnabled
        self.firstRespondWithin = firstRespondWithin
        self.nextRespondWithin = nextRespondWithin
        self.resolveRespondWithin = resolveRespondWithin
        self.isBusinessHours = isBusinessHours
        self.businessHours = businessHours
        self.conditions = conditions
    }
}

/// `PUT /SLAPolicies/{id}/sort` (L1136–L1142): `type` is `up` or `down`.
public struct AnytimeSLASortInput: Codable, Sendable, Equatable {
    public var type: String?

    public init(type: String?) {
        self.type = type
    }
}

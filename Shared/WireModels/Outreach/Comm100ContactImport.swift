import Foundation

/// What `POST /contact/contacts:import` did (L1070–L1077): counts, and each refused row with its reasons.
public struct Comm100ContactImportResult: Codable, Sendable, Equatable {
    public var createdCount: Int
    public var updatedCount: Int
    public var skippedCount: Int
    public var failedCount: Int
    /// "The failed rows with json format" (spec §6 #44).
    public var failedRows: [Comm100ContactImportFailure]

    public init(createdCount: Int, updatedCount: Int, skippedCount: Int, failedCount: Int, failedRows: [Comm100ContactImportFailure]) {
        self.createdCount = createdCount
        self.updatedCount = updatedCount
        self.skippedCount = skippedCount
        self.failedCount = failedCount
        self.failedRows = failedRows
    }
}

/// A row the import refused: its number (1 for the first row after the header), its cells by column, and why.
public struct Comm100ContactImportFailure: Codable, Sendable, Equatable {
    public var rowNumber: Int
    public var data: [String: String]
    public var errors: [String]

    public init(rowNumber: Int, data: [String: String], errors: [String]) {
        self.rowNumber = rowNumber
        self.data = data
        self.errors = errors
    }
}

/// `POST /contact/contacts:export` (L1079–L1093): `selected` contacts (all when absent or empty), times in the zone
/// `timeZoneId` names, else `utcOffset` minutes east of UTC (spec §6 #46).
public struct Comm100ContactExport: Decodable, Sendable, Equatable {
    public var selected: [String]?
    public var timeZoneId: String?
    public var utcOffset: Int?

    public init(selected: [String]? = nil, timeZoneId: String? = nil, utcOffset: Int? = nil) {
        self.selected = selected
        self.timeZoneId = timeZoneId
        self.utcOffset = utcOffset
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.selected = try members.decode([String].self, "selected")
        self.timeZoneId = try members.decode(String.self, "timeZoneId")
        self.utcOffset = try members.decode(OutreachInt.self, "utcOffset")?.value
    }
}

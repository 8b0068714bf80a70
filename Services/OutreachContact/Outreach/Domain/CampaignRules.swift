import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The permission the Outreach API checks for every change (decision 150); reading needs none, as with contacts.
enum OutreachPermission {
    static let outreach = "Manage Outreach"
}

/// A campaign as stored: its row and its conditions in their order.
struct CampaignRecord: Sendable, Equatable {
    var id: String
    var name: String
    var description: String
    var channel: String
    var channelAccountId: String
    var message: String
    var isAutoAttached: Bool
    var preferredTicket: String
    var attachTime: String
    var metType: String
    var logicalExpression: String
    var conditions: [ConditionRecord]
    /// Epoch milliseconds; nil when the campaign is sent only by `:send`.
    var scheduledStartTime: Int64?
    /// The scheduler's job that will send it, while one is armed (decision 157).
    var scheduledJobId: Int64?
    var createTime: Int64

    /// One contact filter condition: the operator in the seed's spelling.
    struct ConditionRecord: Sendable, Equatable {
        var id: String
        var fieldName: String
        var `operator`: String
        var value: String
        var order: Int
    }

    var wire: Comm100OutreachCampaign {
        Comm100OutreachCampaign(
            id: self.id, name: self.name, description: self.description, channel: self.channel, channelAccountId: self.channelAccountId,
            message: self.message, isMessageAutoAttachedToTicket: self.isAutoAttached, preferredTicketToAutoAttach: self.preferredTicket,
            timeToAutoAttachToTicket: self.attachTime, contactFilterConditionMetType: self.metType,
            contactFilterLogicalExpresssion: self.logicalExpression,
            contactFilterConditions: self.conditions.map {
                Comm100OutreachFilterCondition(
                    id: $0.id, campaignId: self.id, fieldName: $0.fieldName, operator: $0.operator, value: $0.value, order: $0.order)
            },
            scheduledStartTime: self.scheduledStartTime.map(ContactTime.format))
    }

    /// The conditions as the contacts filter engine reads them.
    var filterConditions: [Comm100ContactFilterCondition] {
        self.conditions.map { Comm100ContactFilterCondition(fieldName: $0.fieldName, operator: $0.operator, value: $0.value, order: $0.order) }
    }

    /// The audience predicate over `contacts` (nil: every contact), compiled by the filter engine `contacts:query` uses.
    func audience(fields: [FieldDefinition]) throws -> (any SQLExpression)? {
        try ContactFilter(member: "contactFilterConditions", fields: fields).predicate(
            metType: self.metType, expression: self.logicalExpression, conditions: self.filterConditions,
            metTypeMember: "contactFilterConditionMetType", expressionMember: "contactFilterLogicalExpresssion")
    }
}

/// The seed's enumerations shared by campaigns and messages (L1418–L1421, L1460–L1464), read in any case.
enum OutreachEnums {
    static let channels = ["sms"]
    static let preferredTickets = ["newTicket", "existing"]
    static let attachTimes = ["whenTheMessageIsSent", "whenContactRepliesTheMessage"]
    static let metTypes = ["all", "any", "logicalExpression"]

    /// `text` as the canonical one of `allowed` (any case), or a 400 naming `member`.
    static func value(_ text: String, of allowed: [String], member: String) throws -> String {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = allowed.first(where: { $0.lowercased() == key }) else {
            throw ServiceError.invalid(
                member,
                "Field '\(member)' must be \(allowed.joined(separator: allowed.count == 2 ? " or " : ", ")), not '\(FieldValues.shortened(text))'.")
        }
        return match
    }

    /// A client's GUID, canonical; 400 naming `member` when it is not one.
    static func guid(_ text: String, member: String) throws -> String {
        guard let id = ContactIDs.parse(text) else {
            throw ServiceError.invalid(member, "Field '\(member)' must be a GUID, not '\(FieldValues.shortened(text))'.")
        }
        return id
    }

    /// A time as the seed writes them (spec §2.9); `""` is none.
    static func time(_ text: String?, member: String) throws -> Int64? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let parsed = ContactTime.parse(text) else {
            throw ServiceError.invalid(
                member, "Field '\(member)' must be a date and time such as 2022-05-23T03:00:36.277Z, not '\(FieldValues.shortened(text))'.")
        }
        return parsed.milliseconds
    }

    /// Text of at most `limit` characters.
    static func bounded(_ text: String, member: String, limit: Int) throws -> String {
        guard text.count <= limit else { throw ServiceError.invalid(member, "Field '\(member)' may hold at most \(limit) characters.") }
        return text
    }
}

/// Campaign definition rules (spec §5.1): what create requires, what a partial PUT keeps, every enumeration checked,
/// and the conditions checked by the filter engine against the site's fields (decision 151).
struct CampaignRules {
    static let maxName = 200
    static let maxDescription = 2000
    static let maxMessage = 1600
    let fields: [FieldDefinition]

    /// A new campaign from a create body; `channelAccountId` is checked against the site's accounts by the caller.
    func created(_ input: Comm100OutreachCampaignInput, id: String, now: Int64) throws -> CampaignRecord {
        guard let name = input.name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("name") }
        guard let channel = input.channel, !channel.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("channel") }
        guard let account = input.channelAccountId, !account.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServiceError.missing("channelAccountId")
        }
        guard let message = input.message, !message.isEmpty else { throw ServiceError.missing("message") }
        var record = CampaignRecord(
            id: id, name: "", description: "", channel: "sms", channelAccountId: "", message: "", isAutoAttached: false,
            preferredTicket: "newTicket", attachTime: "whenTheMessageIsSent", metType: "all", logicalExpression: "", conditions: [],
            scheduledStartTime: nil, scheduledJobId: nil, createTime: now)
        try self.apply(input, to: &record, previous: [])
        return record
    }

    /// The campaign after a PUT: members the body leaves out keep their values; conditions, when given, replace the list.
    func updated(_ input: Comm100OutreachCampaignInput, current: CampaignRecord) throws -> CampaignRecord {
        guard let id = input.id, !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("id") }
        guard try OutreachEnums.guid(id, member: "id") == current.id else {
            throw ServiceError.invalid("id", "Field 'id' must be the id in the path, \(current.id).")
        }
        guard let name = input.name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("name") }
        if let message = input.message, message.isEmpty { throw ServiceError.invalid("message", "Field 'message' may not be empty.") }
        var record = current
        try self.apply(input, to: &record, previous: current.conditions)
        return record
    }

    private func apply(_ input: Comm100OutreachCampaignInput, to record: inout CampaignRecord, previous: [CampaignRecord.ConditionRecord]) throws {
        if let name = input.name {
            record.name = try OutreachEnums.bounded(name.trimmingCharacters(in: .whitespaces), member: "name", limit: Self.maxName)
        }
        if let description = input.description {
            record.description = try OutreachEnums.bounded(description, member: "description", limit: Self.maxDescription)
        }
        if let channel = input.channel { record.channel = try OutreachEnums.value(channel, of: OutreachEnums.channels, member: "channel") }
        if let account = input.channelAccountId { record.channelAccountId = try OutreachEnums.guid(account, member: "channelAccountId") }
        if let message = input.message { record.message = try OutreachEnums.bounded(message, member: "message", limit: Self.maxMessage) }
        if let flag = input.isMessageAutoAttachedToTicket { record.isAutoAttached = flag }
        if let preferred = input.preferredTicketToAutoAttach {
            record.preferredTicket = try OutreachEnums.value(preferred, of: OutreachEnums.preferredTickets, member: "preferredTicketToAutoAttach")
        }
        if let time = input.timeToAutoAttachToTicket {
            record.attachTime = try OutreachEnums.value(time, of: OutreachEnums.attachTimes, member: "timeToAutoAttachToTicket")
        }
        if let metType = input.contactFilterConditionMetType, !metType.trimmingCharacters(in: .whitespaces).isEmpty {
            record.metType = try OutreachEnums.value(metType, of: OutreachEnums.metTypes, member: "contactFilterConditionMetType")
        }
        if let expression = input.contactFilterLogicalExpression { record.logicalExpression = expression.trimmingCharacters(in: .whitespaces) }
        if let conditions = input.contactFilterConditions {
            // A condition keeps its id when the list it replaces had one of the same order (decision 151).
            record.conditions = try conditions.enumerated().map { index, condition in
                let order = condition.order ?? index
                let spelling = condition.operator.flatMap(ContactFilter.Operator.init(spelling:))?.rawValue ?? condition.operator ?? ""
                return CampaignRecord.ConditionRecord(
                    id: previous.first(where: { $0.order == order })?.id ?? ContactIDs.make(),
                    fieldName: (condition.fieldName ?? "").trimmingCharacters(in: .whitespaces), operator: spelling,
                    value: try OutreachEnums.bounded(condition.value ?? "", member: "contactFilterConditions[\(index)].value", limit: 1000),
                    order: order)
            }
            // The engine names the first mistake; absent members are its to report, so check the input as sent.
            _ = try ContactFilter(member: "contactFilterConditions", fields: self.fields).predicate(
                metType: record.metType, expression: record.logicalExpression, conditions: conditions,
                metTypeMember: "contactFilterConditionMetType", expressionMember: "contactFilterLogicalExpresssion")
        }
        // The whole definition still compiles (a met type or expression changed alone).
        _ = try record.audience(fields: self.fields)
        if input.namesScheduledStartTime {
            record.scheduledStartTime = try OutreachEnums.time(input.scheduledStartTime, member: "scheduledStartTime")
        }
    }
}

import Foundation
import ServiceKit
import WireModels

/// An outreach message as stored.
struct OutreachMessageRecord: Sendable, Equatable {
    var id: String
    var sentTime: Int64
    var channel: String
    var channelAccountId: String
    var contactId: String
    var message: String
    var from: String
    var to: String
    var status: MessageStatus
    var failedReason: String
    var campaignId: String?
    var campaignRecordId: String?
    var campaignSentTime: Int64?
    var isAutoAttached: Bool
    var preferredTicket: String
    var attachTime: String
    var attachedToTicketId: String?
    var callbackURL: String?
    /// The unichannel's outbound message that carries it, for campaign sends.
    var outboundMessageId: String?

    var wire: Comm100OutreachMessage {
        Comm100OutreachMessage(
            id: self.id, sentTime: ContactTime.format(self.sentTime), channel: self.channel, channelAccountId: self.channelAccountId,
            contactId: self.contactId, message: self.message, from: self.from, to: self.to, status: self.status.rawValue,
            failedReason: self.failedReason, campaignId: self.campaignId, campaignRecordId: self.campaignRecordId,
            campaignSentTime: self.campaignSentTime.map(ContactTime.format), isMessageAutoAttachedToTicket: self.isAutoAttached,
            preferredTicketToAutoAttach: self.preferredTicket, timeToAutoAttachToTicket: self.attachTime,
            attachedToTicketId: self.attachedToTicketId, callbackURL: self.callbackURL)
    }

    /// `failed` and `undelivered` carry their reason; other statuses none (spec §5.3).
    mutating func set(status: MessageStatus, reason: String?) {
        self.status = status
        self.failedReason = status == .failed || status == .undelivered ? (reason ?? "") : ""
    }
}

/// `POST /outreach/messages` and `PUT /outreach/messages/{id}` (spec §5.2 "POST /outreach/messages", §5.3): records
/// only, nothing is dispatched; PUT is the administrative override that validates the status but not the transition
/// (decision 155).
struct OutreachMessageRules {
    static let maxText = 1600
    static let maxAddress = 256

    /// A new message: `contactId`, `channelAccountId`, `message`, `from` and `to` required; `status` queued and
    /// `sentTime` now unless given.
    func created(_ input: Comm100OutreachMessageInput, id: String, now: Int64) throws -> OutreachMessageRecord {
        for (name, value) in [
            ("contactId", input.contactId), ("channelAccountId", input.channelAccountId), ("message", input.message), ("from", input.from),
            ("to", input.to),
        ] where (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ServiceError.missing(name)
        }
        var record = OutreachMessageRecord(
            id: id, sentTime: now, channel: "sms", channelAccountId: "", contactId: "", message: "", from: "", to: "", status: .queued,
            failedReason: "", campaignId: nil, campaignRecordId: nil, campaignSentTime: nil, isAutoAttached: false, preferredTicket: "newTicket",
            attachTime: "whenTheMessageIsSent", attachedToTicketId: nil, callbackURL: nil, outboundMessageId: nil)
        try self.apply(input, to: &record)
        return record
    }

    /// The message after a PUT: the seed's required members (L597–L607) must be there; optional ones left out keep
    /// their values, `""` clears them. A message cannot move to another campaign.
    func updated(_ input: Comm100OutreachMessageInput, current: OutreachMessageRecord) throws -> OutreachMessageRecord {
        guard let id = input.id, !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("id") }
        guard try OutreachEnums.guid(id, member: "id") == current.id else {
            throw ServiceError.invalid("id", "Field 'id' must be the id in the path, \(current.id).")
        }
        for (name, value) in [
            ("sentTime", input.sentTime), ("contactId", input.contactId), ("message", input.message), ("from", input.from), ("to", input.to),
            ("status", input.status),
        ] where (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ServiceError.missing(name)
        }
        if let campaign = current.campaignId {
            guard let given = input.campaignId, !given.isEmpty else { throw ServiceError.missing("campaignId") }
            guard try OutreachEnums.guid(given, member: "campaignId") == campaign else {
                throw ServiceError.invalid("campaignId", "Field 'campaignId' must be the message's campaign, \(campaign).")
            }
        }
        var record = current
        try self.apply(input, to: &record)
        return record
    }

    private func apply(_ input: Comm100OutreachMessageInput, to record: inout OutreachMessageRecord) throws {
        if let sent = try OutreachEnums.time(input.sentTime, member: "sentTime") { record.sentTime = sent }
        if let channel = input.channel { record.channel = try OutreachEnums.value(channel, of: OutreachEnums.channels, member: "channel") }
        if let account = input.channelAccountId { record.channelAccountId = try OutreachEnums.guid(account, member: "channelAccountId") }
        if let contact = input.contactId { record.contactId = try OutreachEnums.guid(contact, member: "contactId") }
        if let message = input.message { record.message = try OutreachEnums.bounded(message, member: "message", limit: Self.maxText) }
        if let from = input.from { record.from = try OutreachEnums.bounded(from, member: "from", limit: Self.maxAddress) }
        if let to = input.to { record.to = try OutreachEnums.bounded(to, member: "to", limit: Self.maxAddress) }
        if let campaign = input.campaignId, !campaign.isEmpty, record.campaignId == nil {
            record.campaignId = try OutreachEnums.guid(campaign, member: "campaignId")
        }
        if let sendRecord = input.campaignRecordId {
            record.campaignRecordId = sendRecord.isEmpty ? nil : try OutreachEnums.guid(sendRecord, member: "campaignRecordId")
        }
        if let time = input.campaignSentTime { record.campaignSentTime = try OutreachEnums.time(time, member: "campaignSentTime") }
        if let flag = input.isMessageAutoAttachedToTicket { record.isAutoAttached = flag }
        if let preferred = input.preferredTicketToAutoAttach {
            record.preferredTicket = try OutreachEnums.value(preferred, of: OutreachEnums.preferredTickets, member: "preferredTicketToAutoAttach")
        }
        if let time = input.timeToAutoAttachToTicket {
            record.attachTime = try OutreachEnums.value(time, of: OutreachEnums.attachTimes, member: "timeToAutoAttachToTicket")
        }
        if let ticket = input.attachedToTicketId {
            let trimmed = ticket.trimmingCharacters(in: .whitespaces)
            record.attachedToTicketId = trimmed.isEmpty ? nil : try OutreachEnums.bounded(trimmed, member: "attachedToTicketId", limit: 64)
        }
        if let url = input.callbackURL { record.callbackURL = try Self.callbackURL(url) }
        let status = try input.status.map { text in
            guard let status = MessageStatus(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ServiceError.invalid(
                    "status",
                    "Field 'status' must be one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")), not '\(FieldValues.shortened(text))'."
                )
            }
            return status
        }
        let next = status ?? record.status
        let reason = input.failedReason ?? (next == record.status ? record.failedReason : nil)
        if next == .failed || next == .undelivered, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ServiceError.invalid("failedReason", "Field 'failedReason' is required when the status is \(next.rawValue).")
        }
        record.set(status: next, reason: try reason.map { try OutreachEnums.bounded($0, member: "failedReason", limit: 1000) })
    }

    /// An absolute http(s) URL, or nil for `""`.
    static func callbackURL(_ text: String) throws -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 2000, let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else {
            throw ServiceError.invalid("callbackURL", "Field 'callbackURL' must be an absolute http or https URL.")
        }
        return trimmed
    }
}

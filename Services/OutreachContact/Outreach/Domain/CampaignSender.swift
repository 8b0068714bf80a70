import Configuration
import Foundation
import HTTPTypes
import Logging
import SQLKit
import ServiceKit
import WireModels

/// The Outreach API's configuration.
struct OutreachSettings: Sendable {
    /// Where the outreach callback of a campaign's messages goes (spec §5.2 step 4); nil: campaign messages have none.
    var callbackURL: String?
    /// Signs outreach callbacks (Standard Webhooks headers) when set.
    var callbackSecret: String?

    /// Reads `outreach.callbackURL` (string, absolute http(s) URL, default none) and `outreach.callbackSecret`
    /// (string, secret, default none: callbacks unsigned).
    init(reader: ConfigReader) {
        self.callbackURL = reader.string(forKey: "outreach.callbackURL").flatMap { $0.isEmpty ? nil : $0 }
        self.callbackSecret = reader.string(forKey: "outreach.callbackSecret", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The outreach callback (seed #12, L661–L697; spec §5.4): the message as it now is, plus `siteId`, to its
/// `callbackURL` through the outbox, written in the transaction of the change that causes it (decision 156).
struct OutreachCallbacks: Sendable {
    static let eventType = "outreach.message"
    let secret: String?

    /// Enqueues the callback of `message` when it has a callback URL.
    func enqueue(_ message: OutreachMessageRecord, site: String, in tx: Tx) async throws {
        guard let url = message.callbackURL, !url.isEmpty else { return }
        let payload = try JSONEncoder().encode(Comm100OutreachCallback(siteId: site, message: message.wire))
        try await tx.outbox.enqueue(
            OutboxMessage(tenant: site, eventType: Self.eventType, targetURL: url, payload: payload, secret: self.secret))
    }
}

/// The outreach message follows the outbound message that carries it (spec §5.3–§5.4): a report that raises the
/// rank moves it and sends its callback; duplicates and reports that arrive after a later one change nothing.
struct OutreachStatusFollower: OutboundStatusObserver {
    let callbacks: OutreachCallbacks

    func outboundMessageChanged(
        outreachMessageID: UUID, site: String, status: MessageStatus, failedReason: String?, sentTime: Date?, in tx: Tx
    ) async throws {
        let id = outreachMessageID.uuidString.lowercased()
        guard var message = try await tx.outreachMessages.message(id: id, site: site, locked: true), message.status.advances(to: status) else {
            return
        }
        let previous = message.status
        message.set(status: status, reason: failedReason ?? (status == .failed || status == .undelivered ? "The carrier reported \(status)." : nil))
        try await tx.outreachMessages.update(message, site: site)
        try await self.callbacks.enqueue(message, site: site, in: tx)
        try await TicketAutoAttach.armIfDue(message, previous: previous, site: site, in: tx)
    }
}

/// Sends a campaign (spec §5.2): in one transaction a record with the campaign as it is, the audience resolved in SQL
/// by the contacts filter engine, one message per contact, each queued on the Outbound Unichannel (decisions 152–153).
struct CampaignSender: Sendable {
    static let jobKind = "outreach.campaign.send"
    /// The reason of a contact's message when the contact has no SMS identity (decision 153).
    static let noSMSIdentity = "Contact has no SMS identity"

    /// What a scheduled send's job carries.
    struct Job: Codable, Sendable {
        var campaignId: String
        var site: String
    }

    let database: Database
    let contacts: ContactStore
    let queue: OutboundQueue
    let accounts: ChannelAccountStore
    let settings: OutreachSettings
    let clock: WallClock
    let logger: Logger

    /// Sends the site's campaign `id` now.
    func send(id: String, site: String) async throws -> Comm100OutreachCampaignRecord {
        try await self.contacts.prepare(site: site)
        return try await self.database.transaction { tx in
            guard let campaign = try await tx.campaigns.campaign(id: id, site: site, locked: true) else { throw ServiceError.notFound("Campaign") }
            return try await self.send(campaign, site: site, in: tx)
        }
    }

    /// The send itself, on the caller's transaction.
    func send(_ campaign: CampaignRecord, site: String, in tx: Tx) async throws -> Comm100OutreachCampaignRecord {
        let fields = try await tx.contactFields.fields(site: site)
        let audience = try campaign.audience(fields: fields)
        guard let accountID = UUID(uuidString: campaign.channelAccountId),
            let account = try await self.accounts.channelAccount(id: accountID, site: site, in: tx)
        else {
            throw ServiceError.invalid(
                "channelAccountId", "The campaign's channel account \(campaign.channelAccountId) is no longer a channel account of this site.")
        }
        let sentTime = self.clock.milliseconds()
        let record = Comm100OutreachCampaignRecord(id: ContactIDs.make(), sentTime: ContactTime.format(sentTime), campaign: campaign.wire)
        try await tx.campaigns.insertSendRecord(record, sentTime: sentTime, site: site)

        // The audience (merged contacts left out), each contact with its first SMS identity's value: one message each,
        // written and queued by two statements whatever the audience's size (decision 246).
        var search = ContactSearch(site: site)
        search.filter = audience
        let select = tx.contacts.select(search)
        let identity = { (name: String) in SQLColumn(name, table: "contact_identities") }
        let firstSMS = SQLSubquery.select {
            $0.column(identity("value")).from("contact_identities").where(identity("contact_id"), .equal, SQLColumn("id", table: "contacts"))
                .where(identity("identity_type"), .equal, SQLBind(Comm100IdentityType.SMS.rawValue))
                .orderBy(identity("sort_order")).orderBy(identity("id")).limit(1)
        }
        select.select.columns = [
            SQLAlias(SQLColumn("id", table: "contacts"), as: SQLIdentifier("contact_id")),
            SQLAlias(SQLFunction("COALESCE", args: SQLFunction("TRIM", args: firstSMS), SQLLiteral.string("")), as: SQLIdentifier("to_address")),
        ]
        let message = OutreachMessageRecord(
            id: "", sentTime: sentTime, channel: campaign.channel, channelAccountId: campaign.channelAccountId, contactId: "",
            message: campaign.message, from: account.from, to: "", status: .queued, failedReason: "", campaignId: campaign.id,
            campaignRecordId: record.id, campaignSentTime: sentTime, isAutoAttached: campaign.isAutoAttached,
            preferredTicket: campaign.preferredTicket,
            attachTime: campaign.attachTime, attachedToTicketId: nil, callbackURL: self.settings.callbackURL, outboundMessageId: nil)
        try await tx.outreachMessages.insertAudience(
            select.select, message: message, noNumberReason: Self.noSMSIdentity, site: site, engine: tx.engine)
        try await self.queue.queue(
            selected: tx.outreachMessages.queueable(record: record.id, site: site), channelAccountID: account.id, message: campaign.message,
            site: site, in: tx)
        return record
    }

    /// Arms the campaign's scheduled send when its start time is in the future, cancelling the one armed before
    /// (decision 157); returns the campaign with the job it now has.
    func arm(_ campaign: CampaignRecord, site: String, in tx: Tx) async throws -> CampaignRecord {
        var campaign = campaign
        if let job = campaign.scheduledJobId { try await tx.scheduler.cancel(id: job) }
        campaign.scheduledJobId = nil
        if let start = campaign.scheduledStartTime, start > self.clock.milliseconds() {
            let payload = String(decoding: try JSONEncoder().encode(Job(campaignId: campaign.id, site: site)), as: UTF8.self)
            campaign.scheduledJobId = try await tx.scheduler.schedule(
                kind: Self.jobKind, payload: payload, at: Date(timeIntervalSince1970: Double(start) / 1000))
        }
        return campaign
    }

    /// Runs a due scheduled send. The campaign's row, locked, says whether this job is still the one armed: a job
    /// cancelled, replaced or already run (by another instance whose lease ran out) sends nothing, so each arming
    /// sends once. A campaign that can no longer be sent (its account or a field gone) is logged and disarmed.
    func run(_ job: ScheduledJob) async throws {
        let due = try JSONDecoder().decode(Job.self, from: Data(job.payload.utf8))
        try await self.contacts.prepare(site: due.site)
        do {
            try await self.database.transaction { tx in
                guard let campaign = try await tx.campaigns.campaign(id: due.campaignId, site: due.site, locked: true),
                    campaign.scheduledJobId == job.id
                else { return }
                try await tx.campaigns.setScheduledJob(nil, campaign: campaign.id, site: due.site)
                _ = try await self.send(campaign, site: due.site, in: tx)
            }
        } catch let error as ServiceError where error.status.code < 500 {
            self.logger.warning(
                "Scheduled campaign not sent",
                metadata: ["campaign": .string(due.campaignId), "site": .string(due.site), "error": .string(error.message)])
            try await self.database.transaction { tx in
                guard let campaign = try await tx.campaigns.campaign(id: due.campaignId, site: due.site, locked: true),
                    campaign.scheduledJobId == job.id
                else { return }
                try await tx.campaigns.setScheduledJob(nil, campaign: campaign.id, site: due.site)
            }
        }
    }
}

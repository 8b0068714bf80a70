import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The message list's filters (seed L389–L407): each one a predicate in SQL.
struct OutreachMessageSearch: Sendable {
    var site: String
    var channel: String?
    var channelAccountId: String?
    var contactId: String?
    var campaignId: String?
    var campaignRecordId: String?
    var attachedToTicketId: String?
    /// `[from, to)` in epoch milliseconds (decision 154).
    var sentTime: (from: Int64, to: Int64?)?
    var statuses: [MessageStatus]?
    /// Lower-cased; matched in `from`, `to`, the campaign's name and the contact's name.
    var keywords: String?
}

/// Outreach messages.
struct OutreachMessageSQLRepository {
    /// Rows one insert statement carries: 23 bound values each, well inside both engines' limits.
    static let insertBatch = 500
    let sql: any SQLDatabase

    func message(id: String, site: String, locked: Bool = false) async throws -> OutreachMessageRecord? {
        let select = self.sql.select().column("*").from("outreach_messages").where("id", .equal, id).where("site_id", .equal, site)
        return try await (locked ? select.for(.update) : select).first(OutreachMessageRow.self)?.record
    }

    func page(_ search: OutreachMessageSearch, _ page: ListQuery) async throws -> (total: Int, messages: [OutreachMessageRecord]) {
        let found = try await page.page(self.select(search), as: OutreachMessageRow.self, idColumn: SQLColumn("id", table: "outreach_messages"))
        return (found.total, found.rows.map(\.record))
    }

    /// The contact's messages waiting to be attached when it replies (spec §5.6), oldest first.
    func unattached(contactId: String, site: String) async throws -> [OutreachMessageRecord] {
        try await self.sql.select().column("*").from("outreach_messages").where("site_id", .equal, site).where("contact_id", .equal, contactId)
            .where("is_auto_attached", .equal, SQLLiteral.boolean(true))
            .where("attach_time", .equal, "whenContactRepliesTheMessage")
            .where("attached_to_ticket_id", .is, SQLLiteral.null)
            .where("status", .notIn, [MessageStatus.failed.rawValue, MessageStatus.undelivered.rawValue])
            .orderBy("sent_time").orderBy("id")
            .all(OutreachMessageRow.self).map(\.record)
    }

    func select(_ search: OutreachMessageSearch) -> SQLSelectBuilder {
        let column = { (name: String) in SQLColumn(name, table: "outreach_messages") }
        let select = self.sql.select().column("*").from("outreach_messages")
            .where(column("site_id"), .equal, SQLBind(search.site))
        let equal: [(String, String?)] = [
            ("channel", search.channel), ("channel_account_id", search.channelAccountId), ("contact_id", search.contactId),
            ("campaign_id", search.campaignId), ("campaign_record_id", search.campaignRecordId),
            ("attached_to_ticket_id", search.attachedToTicketId),
        ]
        for case let (name, value?) in equal { select.where(column(name), .equal, SQLBind(value)) }
        if let (from, to) = search.sentTime {
            select.where(column("sent_time"), .greaterThanOrEqual, SQLBind(from))
            if let to { select.where(column("sent_time"), .lessThan, SQLBind(to)) }
        }
        if let statuses = search.statuses { select.where(column("status"), .in, SQLBind.group(statuses.map(\.rawValue))) }
        if let keywords = search.keywords {
            select.where { group in
                group.where(SQLLike(column("from_key"), containing: keywords)).orWhere(SQLLike(column("to_key"), containing: keywords))
                    .orWhere(
                        SQLExists {
                            $0.from("outreach_campaigns").where(SQLColumn("id", table: "outreach_campaigns"), .equal, column("campaign_id"))
                                .where(SQLLike(SQLColumn("name_key", table: "outreach_campaigns"), containing: keywords))
                        }
                    )
                    .orWhere(
                        SQLExists {
                            $0.from("contacts").where(SQLColumn("id", table: "contacts"), .equal, column("contact_id"))
                                .where(SQLColumn("site_id", table: "contacts"), .equal, column("site_id"))
                                .where(SQLLike(SQLColumn("name_key", table: "contacts"), containing: keywords))
                        })
            }
        }
        return select
    }

    func insert(_ records: [OutreachMessageRecord], site: String) async throws {
        for start in stride(from: 0, to: records.count, by: Self.insertBatch) {
            let rows = records[start..<min(start + Self.insertBatch, records.count)].map { OutreachMessageRow($0, site: site) }
            try await self.sql.insert(into: "outreach_messages").rows(rows).run()
        }
    }

    func update(_ record: OutreachMessageRecord, site: String) async throws {
        try await self.sql.update("outreach_messages").set(row: OutreachMessageRow(record, site: site)).where("id", .equal, record.id)
            .where("site_id", .equal, site).run()
    }
}

/// An `outreach_messages` row; `from_key` and `to_key` are what keywords match.
struct OutreachMessageRow: Codable, Sendable {
    var id, siteId: String
    var sentTime: Int64
    var channel, channelAccountId, contactId, message, fromAddress, toAddress, fromKey, toKey, status, failedReason: String
    var campaignId, campaignRecordId: String?
    var campaignSentTime: Int64?
    var isAutoAttached: Bool
    var preferredTicket, attachTime: String
    var attachedToTicketId, callbackUrl, outboundMessageId: String?

    init(_ record: OutreachMessageRecord, site: String) {
        self.id = record.id
        self.siteId = site
        self.sentTime = record.sentTime
        self.channel = record.channel
        self.channelAccountId = record.channelAccountId
        self.contactId = record.contactId
        self.message = record.message
        self.fromAddress = record.from
        self.toAddress = record.to
        self.fromKey = record.from.lowercased()
        self.toKey = record.to.lowercased()
        self.status = record.status.rawValue
        self.failedReason = record.failedReason
        self.campaignId = record.campaignId
        self.campaignRecordId = record.campaignRecordId
        self.campaignSentTime = record.campaignSentTime
        self.isAutoAttached = record.isAutoAttached
        self.preferredTicket = record.preferredTicket
        self.attachTime = record.attachTime
        self.attachedToTicketId = record.attachedToTicketId
        self.callbackUrl = record.callbackURL
        self.outboundMessageId = record.outboundMessageId
    }

    var record: OutreachMessageRecord {
        OutreachMessageRecord(
            id: self.id, sentTime: self.sentTime, channel: self.channel, channelAccountId: self.channelAccountId, contactId: self.contactId,
            message: self.message, from: self.fromAddress, to: self.toAddress, status: MessageStatus(rawValue: self.status) ?? .queued,
            failedReason: self.failedReason, campaignId: self.campaignId, campaignRecordId: self.campaignRecordId,
            campaignSentTime: self.campaignSentTime, isAutoAttached: self.isAutoAttached, preferredTicket: self.preferredTicket,
            attachTime: self.attachTime, attachedToTicketId: self.attachedToTicketId, callbackURL: self.callbackUrl,
            outboundMessageId: self.outboundMessageId)
    }
}

extension Tx {
    var campaigns: CampaignSQLRepository { CampaignSQLRepository(sql: self.sql) }
    var outreachMessages: OutreachMessageSQLRepository { OutreachMessageSQLRepository(sql: self.sql) }
}

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
                                .where(SQLColumn("site_id", table: "outreach_campaigns"), .equal, column("site_id"))
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

    /// Inserts `records` a batch a statement, their values bound directly: a campaign's send writes tens of thousands,
    /// and going through the row's `Encodable` cost as much as the database's own work.
    func insert(_ records: [OutreachMessageRecord], site: String, engine: Database.Engine = .sqlite) async throws {
        if engine == .postgres { return try await self.insertArrays(records, site: site) }
        for start in stride(from: 0, to: records.count, by: Self.insertBatch) {
            let insert = self.sql.insert(into: "outreach_messages").columns(OutreachMessageRow.columns)
            for record in records[start..<min(start + Self.insertBatch, records.count)] {
                insert.values(OutreachMessageRow.values(record, site: site))
            }
            try await insert.run()
        }
    }

    /// PostgreSQL: one statement for up to 10,000 rows, each column bound as one array and unnested; NULLs travel as
    /// `""` (or -1 for a time) and come back through `NULLIF`.
    private func insertArrays(_ records: [OutreachMessageRecord], site: String) async throws {
        for start in stride(from: 0, to: records.count, by: 10_000) {
            let slice = records[start..<min(start + 10_000, records.count)]
            func text(_ value: (OutreachMessageRecord) -> String) -> SQLBind { SQLBind(slice.map(value)) }
            func cast(_ bind: SQLBind, _ type: StaticString) -> any SQLExpression { SQLCast(bind, as: type) }
            let arrays: [any SQLExpression] = [
                cast(text(\.id), "TEXT[]"), cast(SQLBind(slice.map(\.sentTime)), "BIGINT[]"), cast(text(\.channel), "TEXT[]"),
                cast(text(\.channelAccountId), "TEXT[]"), cast(text(\.contactId), "TEXT[]"), cast(text(\.message), "TEXT[]"),
                cast(text(\.from), "TEXT[]"), cast(text(\.to), "TEXT[]"), cast(text { $0.status.rawValue }, "TEXT[]"),
                cast(text(\.failedReason), "TEXT[]"), cast(text { $0.campaignId ?? "" }, "TEXT[]"),
                cast(text { $0.campaignRecordId ?? "" }, "TEXT[]"),
                cast(SQLBind(slice.map { $0.campaignSentTime ?? -1 }), "BIGINT[]"), cast(SQLBind(slice.map(\.isAutoAttached)), "BOOLEAN[]"),
                cast(text(\.preferredTicket), "TEXT[]"), cast(text(\.attachTime), "TEXT[]"), cast(text { $0.attachedToTicketId ?? "" }, "TEXT[]"),
                cast(text { $0.callbackURL ?? "" }, "TEXT[]"), cast(text { $0.outboundMessageId ?? "" }, "TEXT[]"),
            ]
            let names = [
                "id", "sent_time", "channel", "account", "contact", "message", "from_address", "to_address", "status", "reason", "campaign",
                "record", "campaign_sent", "auto", "preferred", "attach_time", "ticket", "callback", "outbound",
            ]
            let column = { (name: String) in SQLColumn(name, table: "m") as any SQLExpression }
            let nullIf = { (name: String, empty: any SQLExpression) in SQLFunction("NULLIF", args: column(name), empty) as any SQLExpression }
            let columns: [any SQLExpression] = [
                column("id"), SQLBind(site), column("sent_time"), column("channel"), column("account"), column("contact"), column("message"),
                column("from_address"), column("to_address"), SQLFunction("LOWER", args: column("from_address")),
                SQLFunction("LOWER", args: column("to_address")), column("status"), column("reason"), nullIf("campaign", SQLLiteral.string("")),
                nullIf("record", SQLLiteral.string("")), nullIf("campaign_sent", SQLLiteral.numeric("-1")), column("auto"), column("preferred"),
                column("attach_time"), nullIf("ticket", SQLLiteral.string("")), nullIf("callback", SQLLiteral.string("")),
                nullIf("outbound", SQLLiteral.string("")),
            ]
            let source = SQLAlias(SQLFunction("UNNEST", args: arrays), as: SQLColumnListAlias(name: "m", columns: names))
            try await self.sql.insert(into: "outreach_messages").columns(OutreachMessageRow.columns).select { $0.columns(columns).from(source) }
                .run()
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

    /// The columns ``values(_:site:)`` binds, in its order.
    static let columns = [
        "id", "site_id", "sent_time", "channel", "channel_account_id", "contact_id", "message", "from_address", "to_address", "from_key",
        "to_key", "status", "failed_reason", "campaign_id", "campaign_record_id", "campaign_sent_time", "is_auto_attached", "preferred_ticket",
        "attach_time", "attached_to_ticket_id", "callback_url", "outbound_message_id",
    ]

    /// A record's values as the row has them, in the order of ``columns``.
    static func values(_ record: OutreachMessageRecord, site: String) -> [any SQLExpression] {
        let optional = { (value: (any Encodable & Sendable)?) -> any SQLExpression in value.map { SQLBind($0) } ?? SQLLiteral.null }
        return [
            SQLBind(record.id), SQLBind(site), SQLBind(record.sentTime), SQLBind(record.channel), SQLBind(record.channelAccountId),
            SQLBind(record.contactId), SQLBind(record.message), SQLBind(record.from), SQLBind(record.to), SQLBind(record.from.lowercased()),
            SQLBind(record.to.lowercased()), SQLBind(record.status.rawValue), SQLBind(record.failedReason), optional(record.campaignId),
            optional(record.campaignRecordId), optional(record.campaignSentTime), SQLBind(record.isAutoAttached), SQLBind(record.preferredTicket),
            SQLBind(record.attachTime), optional(record.attachedToTicketId), optional(record.callbackURL), optional(record.outboundMessageId),
        ]
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

/// `name(column, ...)`: a table alias naming its columns, for a function's rows (`UNNEST(...) AS m(a, b)`).
struct SQLColumnListAlias: SQLExpression {
    let name: String
    let columns: [String]

    func serialize(to serializer: inout SQLSerializer) {
        SQLIdentifier(self.name).serialize(to: &serializer)
        SQLGroupExpression(self.columns.map { SQLIdentifier($0) }).serialize(to: &serializer)
    }
}

extension Tx {
    var campaigns: CampaignSQLRepository { CampaignSQLRepository(sql: self.sql) }
    var outreachMessages: OutreachMessageSQLRepository { OutreachMessageSQLRepository(sql: self.sql) }
}

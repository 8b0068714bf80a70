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

    /// Inserts `records` a batch a statement, their values bound directly (no row through `Encodable`).
    func insert(_ records: [OutreachMessageRecord], site: String) async throws {
        for start in stride(from: 0, to: records.count, by: Self.insertBatch) {
            let insert = self.sql.insert(into: "outreach_messages").columns(OutreachMessageRow.columns)
            for record in records[start..<min(start + Self.insertBatch, records.count)] {
                insert.values(OutreachMessageRow.values(record, site: site))
            }
            try await insert.run()
        }
    }

    /// A send's messages, one per member of `audience`, in one `INSERT … SELECT` (decision 246): no row passes through
    /// the service. `audience` selects `contact_id` and `to_address` (the contact's SMS number, `''` when it has none)
    /// and is read once, as a materialised CTE. Each message is `message` with its own new id, the contact, `to` and,
    /// with a number, status `queued` and a new `outbound_message_id` for ``queueable(record:site:)``; without one,
    /// `failed` with `noNumberReason` and no outbound message.
    func insertAudience(
        _ audience: SQLSelect, message: OutreachMessageRecord, noNumberReason: String, site: String, engine: Database.Engine
    ) async throws {
        let member = { (name: String) in SQLColumn(name, table: "audience") as any SQLExpression }
        let noNumber = SQLBinaryExpression(member("to_address"), .equal, SQLLiteral.string(""))
        let optional = { (value: (any Encodable & Sendable)?) -> any SQLExpression in value.map { SQLBind($0) } ?? SQLLiteral.null }
        // In the order of `OutreachMessageRow.columns`.
        let values: [any SQLExpression] = [
            SQLRandomUUID(engine: engine), SQLBind(site), SQLBind(message.sentTime), SQLBind(message.channel), SQLBind(message.channelAccountId),
            member("contact_id"), SQLBind(message.message), SQLBind(message.from), member("to_address"), SQLBind(message.from.lowercased()),
            SQLFunction("LOWER", args: member("to_address")),
            SQLCaseWhen(noNumber, then: SQLBind(MessageStatus.failed.rawValue), else: SQLBind(MessageStatus.queued.rawValue)),
            SQLCaseWhen(noNumber, then: SQLBind(noNumberReason), else: SQLLiteral.string("")), optional(message.campaignId),
            optional(message.campaignRecordId), optional(message.campaignSentTime), SQLBind(message.isAutoAttached), SQLBind(message.preferredTicket),
            SQLBind(message.attachTime), SQLLiteral.null, optional(message.callbackURL),
            SQLCaseWhen(noNumber, then: SQLLiteral.null, else: SQLRandomUUID(engine: engine)),
        ]
        let insert = self.sql.insert(into: "outreach_messages").columns(OutreachMessageRow.columns)
        insert.insert.tableExpressionGroup = SQLCommonTableExpressionGroup(tableExpressions: [SQLMaterialized(name: "audience", query: audience)])
        try await insert.select { $0.columns(values).from("audience") }.run()
    }

    /// The queued messages of send `record` that ``insertAudience(_:message:noNumberReason:site:engine:)`` gave an outbound
    /// message: `id` (the outbound message's), `contact_id`, `to_address` and `outreach_message_id`, for the Outbound
    /// Unichannel to queue (found by the `(site_id, campaign_record_id)` index).
    func queueable(record: String, site: String) -> SQLSelect {
        let column = { (name: String) in SQLColumn(name, table: "outreach_messages") }
        return self.sql.select()
            .column(SQLAlias(column("outbound_message_id"), as: SQLIdentifier("id"))).column(column("contact_id")).column(column("to_address"))
            .column(SQLAlias(column("id"), as: SQLIdentifier("outreach_message_id")))
            .from("outreach_messages").where(column("site_id"), .equal, SQLBind(site)).where(column("campaign_record_id"), .equal, SQLBind(record))
            .where(column("outbound_message_id"), .isNot, SQLLiteral.null)
            .select
    }

    /// Writes every column of the site's message `record.id`, its values bound directly (each status change of each
    /// message of a send comes through here).
    func update(_ record: OutreachMessageRecord, site: String) async throws {
        let update = self.sql.update("outreach_messages")
        for (column, value) in zip(OutreachMessageRow.columns, OutreachMessageRow.values(record, site: site))
        where column != "id" && column != "site_id" {
            update.set(SQLColumn(column), to: value)
        }
        try await update.where("id", .equal, record.id).where("site_id", .equal, site).run()
    }
}

/// An `outreach_messages` row; `from_key` and `to_key` are what keywords match.
struct OutreachMessageRow: Decodable, Sendable {
    var id, siteId: String
    var sentTime: Int64
    var channel, channelAccountId, contactId, message, fromAddress, toAddress, fromKey, toKey, status, failedReason: String
    var campaignId, campaignRecordId: String?
    var campaignSentTime: Int64?
    var isAutoAttached: Bool
    var preferredTicket, attachTime: String
    var attachedToTicketId, callbackUrl, outboundMessageId: String?

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

/// `CASE WHEN condition THEN a ELSE b END`.
struct SQLCaseWhen: SQLExpression {
    let condition, then, otherwise: any SQLExpression

    init(_ condition: any SQLExpression, then: any SQLExpression, else otherwise: any SQLExpression) {
        (self.condition, self.then, self.otherwise) = (condition, then, otherwise)
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.statement {
            $0.append("CASE WHEN", self.condition)
            $0.append("THEN", self.then)
            $0.append("ELSE", self.otherwise)
            $0.append("END")
        }
    }
}

/// A new random (version 4) UUID as lower-case text, made by the database for each row: PostgreSQL's
/// `gen_random_uuid()`; on SQLite, which has no such function, its five groups of random hex, the third starting `4`
/// and the fourth `8` (RFC 9562's version and variant). Every call of `randomblob` draws anew, so the expression may be
/// evaluated wherever the planner likes: there is no value to keep consistent.
struct SQLRandomUUID: SQLExpression {
    let engine: Database.Engine

    func serialize(to serializer: inout SQLSerializer) {
        guard self.engine == .sqlite else { return SQLCast(SQLFunction("gen_random_uuid"), as: "TEXT").serialize(to: &serializer) }
        let hex = { (bytes: Int) in
            SQLFunction("LOWER", args: SQLFunction("HEX", args: SQLFunction("RANDOMBLOB", args: SQLLiteral.numeric("\(bytes)"))))
        }
        let tail = { (lead: String) in [SQLLiteral.string(lead), SQLFunction("SUBSTR", args: hex(2), SQLLiteral.numeric("2"))] as [any SQLExpression]
        }
        let parts: [any SQLExpression] = [hex(4), SQLLiteral.string("-"), hex(2)] + tail("-4") + tail("-8") + [SQLLiteral.string("-"), hex(6)]
        SQLFunction("CONCAT", args: parts).serialize(to: &serializer)
    }
}

/// `name AS MATERIALIZED (query)`: a common table expression computed once, before the statement reads it. Both
/// engines would otherwise inline one that is read once, and evaluate its correlated subqueries again for every
/// reference to their column.
struct SQLMaterialized: SQLExpression {
    let name: String
    let query: any SQLExpression

    func serialize(to serializer: inout SQLSerializer) {
        serializer.statement {
            $0.append(SQLIdentifier(self.name))
            $0.append("AS MATERIALIZED", SQLGroupExpression(self.query))
        }
    }
}

extension Tx {
    var campaigns: CampaignSQLRepository { CampaignSQLRepository(sql: self.sql) }
    var outreachMessages: OutreachMessageSQLRepository { OutreachMessageSQLRepository(sql: self.sql) }
}

import Carriers
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// An `outbound_messages` row: the message, where it stands, and the dispatcher's lease on it while `queued`.
struct OutboundMessageRow: Codable, Sendable, Equatable {
    var id, siteId, channelAccountId, carrier: String
    var contactId: String?
    var toAddress, message: String
    /// The attachments as their wire JSON array.
    var attachments: String
    var callbackUrl: String?
    var outreachMessageId: String?
    var status, failedReason: String
    /// The carrier's id for the message; `""` until it has one.
    var originMessageId: String
    var sentTime: Int64?
    var createTime, lastUpdatedTime: Int64
    var attemptCount: Int
    var dueAt: Int64
    var leaseOwner: String?
    var leaseUntil: Int64?
    /// The channel account's callback secret when the message was queued: its callbacks are signed with it (decision 217).
    var callbackSecret: String
    /// How many times a dispatcher claimed the message; past `OutboundDispatcher.maxClaims` it fails (decision 218).
    var claimCount: Int

    /// The columns ``values`` binds, in its order.
    static let columns = [
        "id", "site_id", "channel_account_id", "carrier", "contact_id", "to_address", "message", "attachments", "callback_url",
        "outreach_message_id", "status", "failed_reason", "origin_message_id", "sent_time", "create_time", "last_updated_time", "attempt_count",
        "due_at", "lease_owner", "lease_until", "callback_secret", "claim_count",
    ]

    /// The row's values in the order of ``columns``, bound directly (a campaign's queue is no longer encoded row by row).
    var values: [any SQLExpression] {
        let optional = { (value: (any Encodable & Sendable)?) -> any SQLExpression in value.map { SQLBind($0) } ?? SQLLiteral.null }
        return [
            SQLBind(self.id), SQLBind(self.siteId), SQLBind(self.channelAccountId), SQLBind(self.carrier), optional(self.contactId),
            SQLBind(self.toAddress), SQLBind(self.message), SQLBind(self.attachments), optional(self.callbackUrl), optional(self.outreachMessageId),
            SQLBind(self.status), SQLBind(self.failedReason), SQLBind(self.originMessageId), optional(self.sentTime), SQLBind(self.createTime),
            SQLBind(self.lastUpdatedTime), SQLBind(self.attemptCount), SQLBind(self.dueAt), optional(self.leaseOwner), optional(self.leaseUntil),
            SQLBind(self.callbackSecret), SQLBind(self.claimCount),
        ]
    }

    var messageStatus: MessageStatus { MessageStatus(rawValue: self.status) ?? .queued }

    var wire: Comm100OutboundMessage {
        Comm100OutboundMessage(
            id: self.id, originMessageid: self.originMessageId, channelAccountId: self.channelAccountId, channelCarrier: self.carrier,
            contactId: self.contactId, message: self.message,
            attachments: (try? ChannelAccountRow.decoder.decode([Comm100Attachment].self, from: Data(self.attachments.utf8))) ?? [],
            to: self.toAddress,
            status: self.status, failedReason: self.failedReason, callbackURL: self.callbackUrl, sentTime: self.sentTime.map(ContactTime.format))
    }
}

/// Reads and writes `outbound_messages` on the caller's transaction.
struct OutboundMessageStore: Sendable {
    /// Rows a multi-row `INSERT` holds (22 binds each, well under both engines' bind limits).
    static let batchSize = 500

    func insert(_ rows: [OutboundMessageRow], in tx: Tx) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + Self.batchSize, rows.count)
            let insert = tx.sql.insert(into: "outbound_messages").columns(OutboundMessageRow.columns)
            for row in rows[start..<end] { insert.values(row.values) }
            try await insert.run()
            start = end
        }
    }

    /// The message `id`, locked until the transaction ends on PostgreSQL (SQLite's one writer needs no lock), so a
    /// carrier's report and the dispatcher's answer to the same message apply one after the other.
    func locked(id: String, in tx: Tx) async throws -> OutboundMessageRow? {
        try await tx.sql.select().column("*").from("outbound_messages").where("id", .equal, id).lockingClause(SQLLockingClause.update)
            .first(OutboundMessageRow.self)
    }

    /// The messages `ids` by id, locked as ``locked(id:in:)`` locks one.
    func locked(ids: [String], in tx: Tx) async throws -> [String: OutboundMessageRow] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await tx.sql.select().column("*").from("outbound_messages").where("id", .in, ids).lockingClause(SQLLockingClause.update)
            .all(OutboundMessageRow.self)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The site's message `id`, or nil.
    func message(id: String, site: String, in tx: Tx) async throws -> OutboundMessageRow? {
        try await tx.sql.select().column("*").from("outbound_messages").where("id", .equal, id).where("site_id", .equal, site)
            .first(OutboundMessageRow.self)
    }

    func save(_ row: OutboundMessageRow, in tx: Tx) async throws {
        let update = tx.sql.update("outbound_messages")
        for (column, value) in zip(OutboundMessageRow.columns, row.values) where column != "id" { update.set(SQLColumn(column), to: value) }
        try await update.where("id", .equal, row.id).run()
    }
}

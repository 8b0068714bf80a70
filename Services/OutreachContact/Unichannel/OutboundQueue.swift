import Carriers
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// One message to hand to a carrier through a channel account (spec §5.5).
struct OutboundSendRequest: Sendable {
    var channelAccountID: UUID
    /// Nil: the channel account's carrier; otherwise it must be the account's.
    var carrier: CarrierKind?
    var contactID: UUID?
    var to: String
    var message: String
    var callbackURL: String?
}

/// Stores outbound messages as `queued` on the caller's transaction; the dispatcher hands them to their carrier once
/// the transaction has committed (so a send that rolls back never reaches a carrier).
struct OutboundQueue: Sendable {
    let clock: WallClock
    let accounts = ChannelAccountStore()
    let messages = OutboundMessageStore()

    /// The unichannel's JSON for what it stores and sends (attachments, callbacks): sorted keys, slashes as they are.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(clock: WallClock) {
        self.clock = clock
    }

    /// Stores the message in status `queued` and returns its id. `outreachMessageID` links it back: its status changes
    /// reach the ``OutboundStatusObserver``. 400 naming the member when the channel account is not the site's, the
    /// carrier is not the account's, or `to` or `message` is empty.
    func queue(_ request: OutboundSendRequest, site: String, outreachMessageID: UUID?, in tx: Tx) async throws -> UUID {
        let row = try await self.enqueue(request, attachments: [], site: site, outreachMessageID: outreachMessageID, in: tx)
        return UUID(uuidString: row.id)!
    }

    /// Many at once (a campaign's send): the channel accounts read once each, the rows inserted in batches.
    func queue(_ requests: [(OutboundSendRequest, outreachMessageID: UUID)], site: String, in tx: Tx) async throws -> [UUID] {
        var accounts: [UUID: ChannelAccountRecord] = [:]
        var rows: [OutboundMessageRow] = []
        rows.reserveCapacity(requests.count)
        for (request, outreachMessageID) in requests {
            let account: ChannelAccountRecord
            if let known = accounts[request.channelAccountID] {
                account = known
            } else {
                account = try await self.account(request, site: site, in: tx)
                accounts[request.channelAccountID] = account
            }
            rows.append(try self.row(request, account: account, attachments: [], site: site, outreachMessageID: outreachMessageID))
        }
        try await self.messages.insert(rows, in: tx)
        return rows.map { UUID(uuidString: $0.id)! }
    }

    /// A campaign send's messages at once (decision 246), in one `INSERT … SELECT`: `source` selects `id`, `contact_id`,
    /// `to_address` (non-empty) and `outreach_message_id` of each, and every one is stored `queued` with `message` on the
    /// channel account, checked as for one message. No row passes through the service.
    func queue(selected source: SQLSelect, channelAccountID: UUID, message: String, site: String, in tx: Tx) async throws {
        let request = OutboundSendRequest(channelAccountID: channelAccountID, carrier: nil, contactID: nil, to: "", message: message)
        let account = try await self.account(request, site: site, in: tx)
        guard !message.isEmpty else { throw ServiceError.missing("message") }
        let now = self.clock.milliseconds()
        let selected = { (name: String) in SQLColumn(name, table: "selected") as any SQLExpression }
        // In the order of `OutboundMessageRow.columns`.
        let values: [any SQLExpression] = [
            selected("id"), SQLBind(site), SQLBind(account.id), SQLBind(account.carrier.rawValue), selected("contact_id"), selected("to_address"),
            SQLBind(message), SQLLiteral.string("[]"), SQLLiteral.null, selected("outreach_message_id"), SQLBind(MessageStatus.queued.rawValue),
            SQLLiteral.string(""), SQLLiteral.string(""), SQLLiteral.null, SQLBind(now), SQLBind(now), SQLLiteral.numeric("0"), SQLBind(now),
            SQLLiteral.null, SQLLiteral.null, SQLBind(account.callbackSecret), SQLLiteral.numeric("0"),
        ]
        try await tx.sql.insert(into: "outbound_messages").columns(OutboundMessageRow.columns)
            .select { $0.columns(values).from(SQLAlias(SQLGroupExpression(source), as: SQLIdentifier("selected"))) }.run()
    }

    /// Stores one message and returns its row (the unichannel API answers it).
    func enqueue(
        _ request: OutboundSendRequest, attachments: [Comm100Attachment], site: String, outreachMessageID: UUID?, in tx: Tx
    ) async throws -> OutboundMessageRow {
        let account = try await self.account(request, site: site, in: tx)
        let row = try self.row(request, account: account, attachments: attachments, site: site, outreachMessageID: outreachMessageID)
        try await self.messages.insert([row], in: tx)
        return row
    }

    /// The request's channel account, of the site and of the requested carrier.
    private func account(_ request: OutboundSendRequest, site: String, in tx: Tx) async throws -> ChannelAccountRecord {
        let id = request.channelAccountID.uuidString.lowercased()
        guard let account = try await self.accounts.record(id: id, site: site, in: tx) else {
            throw ServiceError.invalid("channelAccountId", "Parameter 'channelAccountId': the site has no channel account '\(id)'.")
        }
        if let carrier = request.carrier, carrier != account.carrier {
            throw ServiceError.invalid(
                "channelCarrier",
                "Parameter 'channelCarrier': channel account '\(id)' sends through '\(account.carrier.rawValue)', not '\(carrier.rawValue)'.")
        }
        return account
    }

    private func row(
        _ request: OutboundSendRequest, account: ChannelAccountRecord, attachments: [Comm100Attachment], site: String, outreachMessageID: UUID?
    ) throws -> OutboundMessageRow {
        guard !request.to.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("to") }
        guard !request.message.isEmpty else { throw ServiceError.missing("message") }
        let now = self.clock.milliseconds()
        // A campaign's messages have no attachments: no encoder for each of its (up to 100,000) rows.
        var attachmentsJSON = "[]"
        if !attachments.isEmpty {
            attachmentsJSON = String(decoding: try Self.encoder.encode(attachments), as: UTF8.self)
        }
        return OutboundMessageRow(
            id: UUID().uuidString.lowercased(), siteId: site, channelAccountId: account.id, carrier: account.carrier.rawValue,
            contactId: request.contactID.map { $0.uuidString.lowercased() }, toAddress: request.to.trimmingCharacters(in: .whitespaces),
            message: request.message, attachments: attachmentsJSON, callbackUrl: request.callbackURL,
            outreachMessageId: outreachMessageID.map { $0.uuidString.lowercased() }, status: MessageStatus.queued.rawValue, failedReason: "",
            originMessageId: "", sentTime: nil, createTime: now, lastUpdatedTime: now, attemptCount: 0, dueAt: now, leaseOwner: nil, leaseUntil: nil,
            callbackSecret: account.callbackSecret, claimCount: 0)
    }
}

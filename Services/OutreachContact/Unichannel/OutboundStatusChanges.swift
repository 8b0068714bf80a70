import Carriers
import Foundation
import ServiceKit
import WireModels

/// Moves outbound messages on what the dispatcher and the carriers report, and announces every status change in the
/// transaction that makes it: the unichannel callback to the message's `callbackURL` through the outbox (signed with
/// its channel account's `callbackSecret`), and the outreach message it was sent for through the observer.
///
/// Reports only raise the rank (spec §5.3): a duplicate or a late report changes nothing and announces nothing.
struct OutboundStatusChanges: Sendable {
    let observer: (any OutboundStatusObserver)?
    let clock: WallClock
    let messages = OutboundMessageStore()

    /// The outbox event type of the unichannel callback (seed #32).
    static let eventType = "outboundMessage"

    /// What the dispatcher learnt from one send.
    enum SendOutcome: Sendable {
        case accepted(CarrierAcceptance)
        /// Final: the carrier refused the message or answered something that is not its protocol.
        case failed(String)
        /// The carrier could not take it now; retried after `after` seconds, or failed when `after` is nil.
        case unavailable(String, retryAfter: Double?)
        /// The send was cancelled before the carrier answered: the lease is released and the claim not counted.
        case interrupted
    }

    /// Records a send's outcome on message `id`. The lease is released only while it is still `owner`'s (another
    /// dispatcher may have taken over an expired one); an acceptance counts whoever's lease it was.
    func recordSend(_ outcome: SendOutcome, messageID id: String, owner: String, in tx: Tx) async throws {
        guard let row = try await self.messages.locked(id: id, in: tx) else { return }
        try await self.recordSend(outcome, on: row, owner: owner, in: tx)
    }

    /// Records a send's outcome on `row`, read locked in this transaction (the dispatcher reads a batch's at once).
    func recordSend(_ outcome: SendOutcome, on row: OutboundMessageRow, owner: String, in tx: Tx) async throws {
        var row = row
        let before = row
        let now = self.clock.milliseconds()
        if row.leaseOwner == owner {
            row.leaseOwner = nil
            row.leaseUntil = nil
        }
        switch outcome {
        case .accepted(let acceptance):
            // The carrier's own answer names the message, over any report that came first (decision 211).
            if !acceptance.carrierMessageID.isEmpty { row.originMessageId = acceptance.carrierMessageID }
            if row.sentTime == nil { row.sentTime = now }
            // The message has left us: at least `sending`, or further when the carrier says so.
            let carrierStatus = MessageStatus(rawValue: acceptance.status.rawValue) ?? .sending
            let status = carrierStatus.rank > MessageStatus.sending.rank ? carrierStatus : .sending
            if row.messageStatus.advances(to: status) {
                row.status = status.rawValue
                // The acceptance itself can say failed or undelivered: never stored without a reason (decision 213).
                if status == .failed || status == .undelivered, row.failedReason.isEmpty {
                    row.failedReason = "the carrier answered \(acceptance.status.rawValue)"
                }
            }
        case .failed(let reason):
            if row.messageStatus.advances(to: .failed) {
                row.status = MessageStatus.failed.rawValue
                row.failedReason = reason
            }
        case .interrupted:
            if before.leaseOwner == owner { row.claimCount = max(0, row.claimCount - 1) }
        case .unavailable(let reason, let retryAfter):
            guard row.messageStatus == .queued else { break }
            if let retryAfter {
                row.attemptCount += 1
                row.dueAt = now + Int64(retryAfter * 1000)
                row.failedReason = ""
            } else {
                row.status = MessageStatus.failed.rawValue
                row.failedReason = "\(reason) (after \(row.attemptCount + 1) attempts)"
            }
        }
        try await self.finish(row, before: before, now: now, in: tx)
    }

    /// Applies a carrier's report to message `id` of channel account `channelAccountID`; false when there is no such
    /// message (the caller answers the carrier anyway).
    func recordReport(_ report: CarrierStatusReport, messageID id: String, channelAccountID: String, in tx: Tx) async throws -> Bool {
        guard var row = try await self.messages.locked(id: id, in: tx), row.channelAccountId == channelAccountID else { return false }
        let before = row
        let now = self.clock.milliseconds()
        // Telnyx signs the body, not the URL the message id is in: a report about another of the carrier's messages
        // (a signed webhook replayed onto this path) changes nothing (decision 211).
        if !row.originMessageId.isEmpty, row.originMessageId != report.carrierMessageID { return true }
        // A report can overtake the send's own answer: it carries the carrier's id too.
        if row.originMessageId.isEmpty { row.originMessageId = report.carrierMessageID }
        let status = MessageStatus(rawValue: report.status.rawValue) ?? .sending
        if row.messageStatus.advances(to: status) {
            row.status = status.rawValue
            if status == .failed || status == .undelivered {
                row.failedReason = report.failedReason ?? "the carrier reported \(status.rawValue)"
            }
            if row.sentTime == nil, status != .queued { row.sentTime = now }
        }
        try await self.finish(row, before: before, now: now, in: tx)
        return true
    }

    /// Saves `row` if anything changed and announces a change of status.
    private func finish(_ row: OutboundMessageRow, before: OutboundMessageRow, now: Int64, in tx: Tx) async throws {
        guard row != before else { return }
        var row = row
        let changed = row.status != before.status
        if changed { row.lastUpdatedTime = now }
        try await self.messages.save(row, in: tx)
        if changed { try await self.announce(row, in: tx) }
    }

    /// The unichannel callback and the outreach message's update, in the change's transaction.
    func announce(_ row: OutboundMessageRow, in tx: Tx) async throws {
        // Signed with the secret copied at enqueue: never sent unsigned, even when the account has been deleted since.
        if let url = row.callbackUrl, !url.isEmpty, !row.callbackSecret.isEmpty {
            let secret = row.callbackSecret
            try await tx.outbox.enqueue(
                OutboxMessage(
                    tenant: row.siteId, eventType: Self.eventType, targetURL: url, payload: try OutboundQueue.encoder.encode(row.wire),
                    secret: secret,
                    headers: ["X-Comm100-Event": Self.eventType]))
        }
        if let observer, let outreachID = row.outreachMessageId.flatMap(UUID.init(uuidString:)) {
            let status = row.messageStatus
            try await observer.outboundMessageChanged(
                outreachMessageID: outreachID, site: row.siteId, status: status,
                failedReason: status == .failed || status == .undelivered ? row.failedReason : nil,
                sentTime: row.sentTime.map { Date(timeIntervalSince1970: Double($0) / 1000) }, in: tx)
        }
    }
}

import AsyncHTTPClient
import Carriers
import Foundation
import Logging
import NIOCore
import SQLKit
import ServiceKit
import ServiceLifecycle
import Synchronization

/// Hands queued outbound messages to their carriers: claims due `queued` rows with a lease (`FOR UPDATE SKIP LOCKED`
/// on PostgreSQL, so several instances never take the same message), sends each through its channel account's
/// carrier, and records the answers. Up to `unichannel.concurrency` sends are in flight, and the window is refilled as
/// they end (once a quarter of it is free), so one slow carrier holds up only its own sends; the answers that came in
/// meanwhile are recorded together, in one transaction (decision 247).
///
/// At least once: a dispatcher that dies between the claim and recording the answer leaves the lease to run out,
/// and the message is claimed and sent again (the carrier may then have it twice; nothing is lost).
struct OutboundDispatcher: Service {
    let database: Database
    let carriers: [CarrierKind: CarrierClient]
    let settings: UnichannelSettings
    let changes: OutboundStatusChanges
    let logger: Logger
    let clock: WallClock
    let startGate: StartupGate
    let workerID = UUID().uuidString
    let accounts = ChannelAccountStore()
    let messages = OutboundMessageStore()

    init(
        database: Database, httpClient: HTTPClient, settings: UnichannelSettings, changes: OutboundStatusChanges, logger: Logger, clock: WallClock,
        startGate: StartupGate
    ) {
        self.database = database
        let timeout = TimeAmount.milliseconds(Int64(settings.carrierTimeout * 1000))
        self.carriers = Dictionary(
            uniqueKeysWithValues: CarrierKind.allCases.map {
                ($0, CarrierClient(kind: $0, baseURL: settings.carrierURLs[$0] ?? $0.defaultBaseURL, httpClient: httpClient, timeout: timeout))
            })
        self.settings = settings
        self.changes = changes
        self.logger = logger
        self.clock = clock
        self.startGate = startGate
    }

    /// On a graceful shutdown it stops claiming, but the sends in flight finish and their answers are recorded:
    /// cancelling a send in flight would spend a retry or send twice (decision 216). Only waits are cut short.
    func run() async throws {
        await cancelWhenGracefulShutdown { await self.startGate.wait() }
        let shared = WindowState()
        let window = self.settings.concurrency
        let refill = max(1, window / 4)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while true {
                let stopping = Task.isShuttingDownGracefully || Task.isCancelled
                var (looked, found) = (false, 0)
                // A claim for each place as it frees would cost a transaction a message: refill once a quarter of it is free.
                if !stopping, inFlight == 0 || window - inFlight >= refill {
                    do {
                        let (claimed, accounts) = try await self.claim(limit: window - inFlight)
                        (looked, found) = (true, claimed.count)
                        for message in claimed {
                            group.addTask {
                                let outcome = await self.send(message, account: accounts[message.channelAccountId])
                                shared.ended.withLock { $0.append(Ended(message: message, outcome: outcome)) }
                            }
                        }
                    } catch {
                        self.logger.error("Outbound dispatch claim failed", metadata: ["error": .string(String(describing: error))])
                    }
                    inFlight += found
                }
                if inFlight == 0 {
                    if stopping { return }
                    let interval = self.settings.pollInterval
                    await cancelWhenGracefulShutdown { try? await Task.sleep(for: .seconds(interval)) }
                    continue
                }
                // Nothing more was due: look again after the poll interval even if no send ends by then.
                if looked, found == 0, !shared.timer.withLock({ $0 }) {
                    shared.timer.withLock { $0 = true }
                    let interval = self.settings.pollInterval
                    group.addTask {
                        await cancelWhenGracefulShutdown { try? await Task.sleep(for: .seconds(interval)) }
                        shared.timer.withLock { $0 = false }
                    }
                }
                _ = await group.next()
                let finished = shared.ended.withLock { all in
                    defer { all.removeAll(keepingCapacity: true) }
                    return all
                }
                inFlight -= finished.count
                await self.record(finished)
            }
        }
    }

    /// What the window's sends share with the loop that records them.
    final class WindowState: Sendable {
        /// Sends that ended, waiting to be recorded with the others that end before the next recording.
        let ended = Mutex<[Ended]>([])
        /// Whether the poll timer runs: with slots free and nothing due, it wakes the loop to look again.
        let timer = Mutex(false)
    }

    /// A send that ended and the carrier's answer.
    struct Ended: Sendable {
        var message: ClaimedMessage
        var outcome: OutboundStatusChanges.SendOutcome
    }

    /// A claimed message: what its send needs.
    struct ClaimedMessage: Decodable, Sendable {
        static let columns = ["id", "site_id", "channel_account_id", "carrier", "to_address", "message", "attempt_count"]

        var id, siteId, channelAccountId, carrier, toAddress, message: String
        var attemptCount: Int
        /// This claim included; set from the claim's own count.
        var claimCount = 0

        enum CodingKeys: String, CodingKey {
            case id, siteId, channelAccountId, carrier, toAddress, message, attemptCount
        }
    }

    /// A message's count of claims, as the claim raises it.
    struct ClaimCount: Decodable {
        var id: String
        var claimCount: Int
    }

    /// Claims of one message whose answer was never recorded (a dispatcher that died, a database that failed after
    /// the carrier accepted) after which it fails instead of being sent again (decision 218).
    static let maxUnansweredClaims = 3

    /// Claims one batch, sends it, records the answers in one transaction; returns how many messages it claimed.
    @discardableResult
    func dispatchDue() async throws -> Int {
        let (claimed, accounts) = try await self.claim(limit: self.settings.concurrency)
        guard !claimed.isEmpty else { return 0 }
        let ended = await withTaskGroup(of: Ended.self) { group in
            for message in claimed {
                group.addTask { Ended(message: message, outcome: await self.send(message, account: accounts[message.channelAccountId])) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await self.record(ended)
        return claimed.count
    }

    /// Leases up to `limit` due messages to this dispatcher, counting the claim on each, and reads their channel
    /// accounts (by id). When the accounts cannot be read, the leases run out and the messages are sent later.
    func claim(limit: Int) async throws -> ([ClaimedMessage], [String: ChannelAccountRecord]) {
        let claim = LeaseClaim(table: "outbound_messages", columns: ClaimedMessage.columns, pending: MessageStatus.queued.rawValue)
        let (owner, now) = (self.workerID, self.clock.milliseconds())
        let lease = Int64(self.settings.leaseSeconds * 1000)
        let claimed = try await self.database.transaction { tx in
            var claimed = try await claim.claim(ClaimedMessage.self, on: tx.sql, owner: owner, now: now, leaseMilliseconds: lease, limit: limit)
            guard !claimed.isEmpty else { return claimed }
            // Counted in the claim's transaction, so a claim that is never answered still counts.
            let counts = try await tx.sql.update("outbound_messages")
                .set("claim_count", to: SQLBinaryExpression(SQLColumn("claim_count"), .add, SQLLiteral.numeric("1")))
                .where("id", .in, claimed.map(\.id)).returning("id", "claim_count").all(ClaimCount.self)
            let byID = Dictionary(counts.map { ($0.id, $0.claimCount) }, uniquingKeysWith: { first, _ in first })
            for index in claimed.indices { claimed[index].claimCount = byID[claimed[index].id] ?? 1 }
            return claimed
        }
        guard !claimed.isEmpty else { return ([], [:]) }
        let ids = Array(Set(claimed.map(\.channelAccountId)))
        let accounts = try await self.database.read { tx in try await self.accounts.records(ids: ids, in: tx) }
        return (claimed, accounts)
    }

    /// Records the answers of sends that ended, in one transaction. When it fails, each is recorded in a transaction
    /// of its own, so one message that cannot be recorded does not leave the others to be sent again. An answer that
    /// cannot be recorded at all leaves its lease to run out, and the message is sent again.
    func record(_ ended: [Ended]) async {
        guard !ended.isEmpty else { return }
        if ended.count > 1 {
            do {
                try await self.database.transaction { tx in
                    // The batch's rows in one locked read, then each answer on its row.
                    let rows = try await self.messages.locked(ids: ended.map(\.message.id), in: tx)
                    for one in ended {
                        guard let row = rows[one.message.id] else { continue }
                        try await self.changes.recordSend(one.outcome, on: row, owner: self.workerID, in: tx)
                    }
                }
                return
            } catch {
                self.logger.warning(
                    "Could not record outbound sends together; recording each alone",
                    metadata: ["count": .stringConvertible(ended.count), "error": .string(String(describing: error))])
            }
        }
        for one in ended {
            do {
                try await self.database.transaction { tx in
                    try await self.changes.recordSend(one.outcome, messageID: one.message.id, owner: self.workerID, in: tx)
                }
            } catch {
                self.logger.error(
                    "Could not record an outbound send",
                    metadata: ["message_id": .string(one.message.id), "error": .string(String(describing: error))])
            }
        }
    }

    /// What the carrier made of the message.
    func send(_ message: ClaimedMessage, account: ChannelAccountRecord?) async -> OutboundStatusChanges.SendOutcome {
        // Each "try later" answer was recorded on a claim of its own; the other earlier claims went unanswered.
        let unanswered = message.claimCount - 1 - message.attemptCount
        guard unanswered < Self.maxUnansweredClaims else {
            return .failed("claimed \(message.claimCount) times without the carrier's answer being recorded; not sent again")
        }
        guard let account, account.site == message.siteId else { return .failed("the channel account was deleted before the message was sent") }
        guard account.carrier.rawValue == message.carrier, let client = self.carriers[account.carrier] else {
            return .failed("the channel account now sends through \(account.carrier.rawValue), not \(message.carrier)")
        }
        let request = CarrierSendRequest(
            from: account.from, to: message.toAddress, body: message.message,
            statusCallbackURL: self.settings.statusCallbackURL(carrier: account.carrier, channelAccountID: account.id, messageID: message.id))
        do {
            return .accepted(try await client.send(request, credentials: account.credentials))
        } catch {
            // Cancelled (the process is stopping hard): no answer from the carrier, so nothing is counted.
            if Task.isCancelled { return .interrupted }
            guard error.isRetryable else { return .failed(error.reason) }
            let schedule = self.settings.retrySchedule
            return .unavailable(error.reason, retryAfter: message.attemptCount < schedule.count ? schedule[message.attemptCount] : nil)
        }
    }
}

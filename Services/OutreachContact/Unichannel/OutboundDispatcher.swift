import AsyncHTTPClient
import Carriers
import Foundation
import Logging
import NIOCore
import SQLKit
import ServiceKit
import ServiceLifecycle

/// Hands queued outbound messages to their carriers: claims due `queued` rows with a lease (`FOR UPDATE SKIP LOCKED`
/// on PostgreSQL, so several instances never take the same message), sends each through its channel account's
/// carrier, and records the answer in a transaction of its own.
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

    /// On a graceful shutdown it stops claiming, but the batch in hand is sent and its answers recorded: cancelling a
    /// send in flight would spend a retry or send twice (decision 218). Only waits are cut short.
    func run() async throws {
        await cancelWhenGracefulShutdown { await self.startGate.wait() }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let sent: Int
            do {
                sent = try await self.dispatchDue()
            } catch {
                self.logger.error("Outbound dispatch round failed", metadata: ["error": .string(String(describing: error))])
                sent = 0
            }
            if sent == 0 {
                let interval = self.settings.pollInterval
                await cancelWhenGracefulShutdown { try? await Task.sleep(for: .seconds(interval)) }
            }
        }
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

    /// Claims and sends one batch; returns how many messages it claimed.
    @discardableResult
    func dispatchDue() async throws -> Int {
        let claim = LeaseClaim(table: "outbound_messages", columns: ClaimedMessage.columns, pending: MessageStatus.queued.rawValue)
        let (owner, now) = (self.workerID, self.clock.milliseconds())
        let (lease, limit) = (Int64(self.settings.leaseSeconds * 1000), self.settings.concurrency)
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
        guard !claimed.isEmpty else { return 0 }
        // The batch's channel accounts in one read; when it fails, the leases run out and the batch is sent later.
        let ids = Array(Set(claimed.map(\.channelAccountId)))
        let accounts = try await self.database.read { tx in try await self.accounts.records(ids: ids, in: tx) }
        await withTaskGroup(of: Void.self) { group in
            for message in claimed {
                group.addTask { await self.dispatch(message, account: accounts[message.channelAccountId]) }
            }
        }
        return claimed.count
    }

    /// Sends one message and records the answer. When the database fails, the lease runs out and it is sent again.
    func dispatch(_ message: ClaimedMessage, account: ChannelAccountRecord?) async {
        let outcome = await self.send(message, account: account)
        do {
            try await self.database.transaction { tx in
                try await self.changes.recordSend(outcome, messageID: message.id, owner: self.workerID, in: tx)
            }
        } catch {
            self.logger.error(
                "Could not record an outbound send", metadata: ["message_id": .string(message.id), "error": .string(String(describing: error))])
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

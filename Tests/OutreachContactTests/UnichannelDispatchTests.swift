import AsyncHTTPClient
import Carriers
import Configuration
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import SQLKit
import ServiceKit
import TestSupport
import Testing

@testable import OutreachContact

/// The dispatcher and the status rules below the HTTP API, on a database of the suite's engine.
@Suite("Outbound Unichannel: dispatcher and status changes")
struct UnichannelDispatchTests {
    /// Records what the outreach side is told.
    final class RecordingObserver: OutboundStatusObserver {
        let calls = NIOLockedValueBox<[(UUID, String, MessageStatus, String?)]>([])
        func outboundMessageChanged(
            outreachMessageID: UUID, site: String, status: MessageStatus, failedReason: String?, sentTime: Date?, in tx: Tx
        ) async throws {
            self.calls.withLockedValue { $0.append((outreachMessageID, site, status, failedReason)) }
        }
    }

    static func account(carrier: CarrierKind = .twilio) -> ChannelAccountRecord {
        ChannelAccountRecord(
            id: UUID().uuidString.lowercased(), site: "10000", name: "Line", channel: "sms", carrier: carrier, from: "+15550001111",
            credentials: CarrierCredentials(accountSID: UnichannelHarness.twilioSID, authToken: UnichannelHarness.twilioToken), callbackSecret: "s",
            createTime: 0, lastUpdatedTime: 0)
    }

    @Test("Queued for an outreach message: the observer hears each change once, in the change's transaction; reports only raise the rank")
    func observerAndRank() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let observer = RecordingObserver()
            let changes = OutboundStatusChanges(observer: observer, clock: .system)
            let queue = OutboundQueue(clock: .system)
            let account = Self.account()
            let outreachID = UUID()
            let ids = try await database.transaction { tx in
                try await ChannelAccountStore().insert(account, in: tx)
                let request = OutboundSendRequest(
                    channelAccountID: UUID(uuidString: account.id)!, carrier: nil, contactID: nil, to: "+15551234567", message: "hi")
                return try await queue.queue([(request, outreachMessageID: outreachID), (request, outreachMessageID: UUID())], site: "10000", in: tx)
            }
            #expect(ids.count == 2)
            let id = ids[0].uuidString.lowercased()
            for status in [CarrierMessageStatus.sent, .sending, .sent, .undelivered, .delivered] {
                _ = try await database.transaction { tx in
                    try await changes.recordReport(Self.report(status), messageID: id, channelAccountID: account.id, in: tx)
                }
            }
            let calls = observer.calls.withLockedValue { $0 }
            #expect(calls.map(\.2) == [.sent, .undelivered])
            #expect(calls.allSatisfy { $0.0 == outreachID && $0.1 == "10000" })
            #expect(calls.last?.3 == "the carrier reported undelivered")
            // A rolled-back change tells nobody and changes nothing.
            let other = ids[1].uuidString.lowercased()
            _ = try? await database.transaction { tx in
                _ = try await changes.recordReport(Self.report(.delivered), messageID: other, channelAccountID: account.id, in: tx)
                throw ServiceError.invalid("x", "roll back")
            }
            let row = try await database.read { tx in try await OutboundMessageStore().message(id: other, site: "10000", in: tx) }
            #expect(row?.status == "queued")
            // Another account's report about the message is not applied.
            let applied = try await database.transaction { tx in
                try await changes.recordReport(Self.report(.delivered), messageID: other, channelAccountID: UUID().uuidString.lowercased(), in: tx)
            }
            #expect(!applied)
        }
    }

    @Test("A dispatcher that dies after its claim loses nothing: the lease runs out and another dispatcher sends the message")
    func crashBetweenClaimAndAnswer() async throws {
        try await UnichannelHarness.run { harness in
            // The Sandbox is up; the dispatcher under test is a second one, on a database of its own.
            try await withTestDatabase(migrations: OutreachMigrations.all) { database in
                let account = Self.account()
                let id = try await database.transaction { tx in
                    try await ChannelAccountStore().insert(account, in: tx)
                    return try await OutboundQueue(clock: .system).queue(
                        OutboundSendRequest(
                            channelAccountID: UUID(uuidString: account.id)!, carrier: .twilio, contactID: nil, to: "+15551234567", message: "hi"),
                        site: "10000", outreachMessageID: nil, in: tx
                    ).uuidString.lowercased()
                }
                // A worker claims it with a minute's lease, then dies without answering. Time is the test's, not the machine's.
                let claim = LeaseClaim(table: "outbound_messages", columns: ["id"], pending: "queued")
                let now = WallClock.epochMilliseconds()
                let time = NIOLockedValueBox(Date(timeIntervalSince1970: Double(now) / 1000))
                let clock = WallClock { time.withLockedValue { $0 } }
                let claimed = try await database.transaction { tx in
                    try await claim.claim(
                        UnichannelDispatchTests.IDRow.self, on: tx.sql, owner: "crashed", now: now, leaseMilliseconds: 60_000, limit: 10)
                }
                #expect(claimed.map(\.id) == [id])
                let reader = ConfigReader(
                    provider: InMemoryProvider(values: [
                        "carriers.twilio.url": .init(.string(harness.sandboxURL), isSecret: false),
                        "carriers.callbackBaseURL": .init(.string(Self.nowhere), isSecret: false),
                    ]))
                let gate = StartupGate()
                let dispatcher = OutboundDispatcher(
                    database: database, httpClient: HTTPClient.shared, settings: UnichannelSettings(reader: reader),
                    changes: OutboundStatusChanges(observer: nil, clock: clock), logger: TestConfiguration.logger, clock: clock, startGate: gate)
                // While the lease runs, nobody else takes it, even a second before it ends.
                #expect(try await dispatcher.dispatchDue() == 0)
                time.withLockedValue { $0 += 59 }
                #expect(try await dispatcher.dispatchDue() == 0)
                time.withLockedValue { $0 += 2 }
                #expect(try await dispatcher.dispatchDue() == 1)
                let row = try await database.read { tx in try await OutboundMessageStore().message(id: id, site: "10000", in: tx) }
                #expect(row?.status == "sending")
                #expect(row?.originMessageId.hasPrefix("SM") == true)
                #expect(row?.leaseOwner == nil)
                // Sent: it is not claimed again.
                #expect(try await dispatcher.dispatchDue() == 0)
            }
        }
    }

    @Test("A message whose channel account was deleted before it was sent fails with the reason, and the outreach side hears it")
    func deletedAccount() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let observer = RecordingObserver()
            let account = Self.account()
            let outreachID = UUID()
            let id = try await database.transaction { tx in
                try await ChannelAccountStore().insert(account, in: tx)
                let request = OutboundSendRequest(
                    channelAccountID: UUID(uuidString: account.id)!, carrier: nil, contactID: nil, to: "+15551234567", message: "hi")
                let id = try await OutboundQueue(clock: .system).queue(request, site: "10000", outreachMessageID: outreachID, in: tx)
                _ = try await ChannelAccountStore().delete(id: account.id, site: "10000", now: 1, in: tx)
                return id.uuidString.lowercased()
            }
            let dispatcher = OutboundDispatcher(
                database: database, httpClient: HTTPClient.shared,
                settings: UnichannelSettings(reader: ConfigReader(provider: InMemoryProvider(values: [:]))),
                changes: OutboundStatusChanges(observer: observer, clock: .system), logger: TestConfiguration.logger, clock: .system,
                startGate: StartupGate())
            #expect(try await dispatcher.dispatchDue() == 1)
            let row = try await database.read { tx in try await OutboundMessageStore().message(id: id, site: "10000", in: tx) }
            #expect(row?.status == "failed")
            #expect(row?.failedReason == "the channel account was deleted before the message was sent")
            #expect(observer.calls.withLockedValue { $0.map(\.2) } == [.failed])
            #expect(try await dispatcher.dispatchDue() == 0)
        }
    }

    @Test("Two dispatchers on one database send every message exactly once")
    func twoDispatchers() async throws {
        try await UnichannelHarness.run { harness in
            try await withTestDatabase(migrations: OutreachMigrations.all) { database in
                let account = Self.account()
                let numbers = (0..<40).map { "+1555300\(String(format: "%04d", $0 + 1))" }
                try await database.transaction { tx in
                    try await ChannelAccountStore().insert(account, in: tx)
                    let requests = numbers.map {
                        (
                            OutboundSendRequest(channelAccountID: UUID(uuidString: account.id)!, carrier: nil, contactID: nil, to: $0, message: "hi"),
                            outreachMessageID: UUID()
                        )
                    }
                    _ = try await OutboundQueue(clock: .system).queue(requests, site: "10000", in: tx)
                }
                let reader = ConfigReader(
                    provider: InMemoryProvider(values: [
                        "carriers.twilio.url": .init(.string(harness.sandboxURL), isSecret: false),
                        "carriers.callbackBaseURL": .init(.string(Self.nowhere), isSecret: false), "unichannel.concurrency": 4,
                    ]))
                let dispatchers = (0..<2).map { _ in
                    OutboundDispatcher(
                        database: database, httpClient: HTTPClient.shared, settings: UnichannelSettings(reader: reader),
                        changes: OutboundStatusChanges(observer: nil, clock: .system), logger: TestConfiguration.logger, clock: .system,
                        startGate: StartupGate())
                }
                let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                    for dispatcher in dispatchers {
                        group.addTask {
                            var total = 0
                            while case let count = try await dispatcher.dispatchDue(), count > 0 { total += count }
                            return total
                        }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(claimed == numbers.count)
                let sent = try await HTTPClient.shared.get(url: harness.sandboxURL + "/sandbox/messages").get()
                let log = try JSONDecoder().decode(SandboxLog.self, from: Data(buffer: try #require(sent.body)))
                let ours = log.messages.map(\.to).filter { $0.hasPrefix("+1555300") }
                #expect(ours.sorted() == numbers)
                let statuses = try await database.read { tx in
                    try await tx.sql.select().column("status").from("outbound_messages").all(StatusRow.self)
                }
                #expect(statuses.count == numbers.count && statuses.allSatisfy { $0.status == "sending" })
            }
        }
    }

    /// Where the Sandbox's status callbacks of these suites go: nowhere (a closed port), as the messages are not the
    /// harness service's.
    static let nowhere = "http://127.0.0.1:\(TestConfiguration.refusingPort)"

    struct SandboxLog: Decodable {
        struct Message: Decodable { var to: String }
        var messages: [Message]
    }

    struct StatusRow: Decodable {
        var status: String
    }

    static func report(_ status: CarrierMessageStatus) -> CarrierStatusReport {
        CarrierStatusReport(carrierMessageID: "SM1", status: status, failedReason: nil)
    }

    struct IDRow: Decodable {
        var id: String
    }
}

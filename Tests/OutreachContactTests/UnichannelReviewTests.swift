import AsyncHTTPClient
import Carriers
import Configuration
import Crypto
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import SQLKit
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// The review's findings on the Outbound Unichannel, each pinned by a test (decisions 211–218).
@Suite("Outbound Unichannel: review fixes")
struct UnichannelReviewTests {
    /// Two queued messages of one Twilio account, on a database of the suite's engine.
    static func twoMessages(_ database: Database, account: ChannelAccountRecord = UnichannelDispatchTests.account()) async throws -> [String] {
        try await database.transaction { tx in
            try await ChannelAccountStore().insert(account, in: tx)
            let request = OutboundSendRequest(
                channelAccountID: UUID(uuidString: account.id)!, carrier: nil, contactID: nil, to: "+15551234567", message: "hi",
                callbackURL: "https://hooks.example/unichannel")
            return try await OutboundQueue(clock: .system).queue(
                [(request, outreachMessageID: UUID()), (request, outreachMessageID: UUID())], site: "10000", in: tx)
        }.map { $0.uuidString.lowercased() }
    }

    static func accountID(_ id: String, _ database: Database) async throws -> String {
        try #require(try await Self.row(id, database)).channelAccountId
    }

    static func row(_ id: String, _ database: Database) async throws -> OutboundMessageRow? {
        try await database.read { tx in try await OutboundMessageStore().message(id: id, site: "10000", in: tx) }
    }

    @Test("A signed report about the carrier's message X posted to message Y's path changes nothing; Y's own report does (a1)")
    func reportForAnotherCarrierMessage() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let account = UnichannelDispatchTests.account(carrier: .telnyxsms)
            let ids = try await Self.twoMessages(database, account: account)
            let changes = OutboundStatusChanges(observer: nil, clock: .system)
            for (id, carrierID) in zip(ids, ["carrier-x", "carrier-y"]) {
                try await database.transaction { tx in
                    try await changes.recordSend(
                        .accepted(CarrierAcceptance(carrierMessageID: carrierID, status: .sending)), messageID: id, owner: "w", in: tx)
                }
            }
            let replay = CarrierStatusReport(carrierMessageID: "carrier-x", status: .failed, failedReason: "replayed")
            let answered = try await database.transaction { tx in
                try await changes.recordReport(replay, messageID: ids[1], channelAccountID: account.id, in: tx)
            }
            #expect(answered)
            let untouched = try #require(try await Self.row(ids[1], database))
            #expect(untouched.status == "sending")
            #expect(untouched.failedReason == "")
            #expect(untouched.originMessageId == "carrier-y")
            let own = CarrierStatusReport(carrierMessageID: "carrier-y", status: .delivered)
            _ = try await database.transaction { tx in try await changes.recordReport(own, messageID: ids[1], channelAccountID: account.id, in: tx) }
            #expect(try await Self.row(ids[1], database)?.status == "delivered")
            // Replayed before the send's answer: the carrier's answer then names the message, and its own reports apply.
            let third = try await Self.twoMessages(database, account: UnichannelDispatchTests.account(carrier: .telnyxsms))[0]
            let early = CarrierStatusReport(carrierMessageID: "carrier-x", status: .sending)
            _ = try await database.transaction { tx in
                try await changes.recordReport(early, messageID: third, channelAccountID: Self.accountID(third, database), in: tx)
            }
            try await database.transaction { tx in
                try await changes.recordSend(
                    .accepted(CarrierAcceptance(carrierMessageID: "carrier-z", status: .sending)), messageID: third, owner: "w", in: tx)
            }
            #expect(try await Self.row(third, database)?.originMessageId == "carrier-z")
            let real = CarrierStatusReport(carrierMessageID: "carrier-z", status: .delivered)
            _ = try await database.transaction { tx in
                try await changes.recordReport(real, messageID: third, channelAccountID: Self.accountID(third, database), in: tx)
            }
            #expect(try await Self.row(third, database)?.status == "delivered")
        }
    }

    @Test("A send the carrier's acceptance itself says failed or undelivered is stored with a reason (a9)")
    func acceptedAsFailedHasReason() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let ids = try await Self.twoMessages(database)
            let changes = OutboundStatusChanges(observer: nil, clock: .system)
            for (id, status) in zip(ids, [CarrierMessageStatus.failed, .undelivered]) {
                try await database.transaction { tx in
                    try await changes.recordSend(
                        .accepted(CarrierAcceptance(carrierMessageID: "SM-\(id)", status: status)), messageID: id, owner: "w", in: tx)
                }
                let row = try #require(try await Self.row(id, database))
                #expect(row.status == status.rawValue)
                #expect(row.failedReason == "the carrier answered \(status.rawValue)")
            }
        }
    }

    static func input(
        message: String = "hi", to: String = "+15551234567", attachments: [Comm100Attachment]? = nil, callbackURL: String? = nil
    )
        -> Comm100OutboundMessageInput
    {
        Comm100OutboundMessageInput(
            channelAccountId: UUID().uuidString, to: to, message: message, attachments: attachments, callbackURL: callbackURL)
    }

    /// The member a refused input names, or nil when it is accepted.
    static func refusal(_ input: Comm100OutboundMessageInput) -> String? {
        do {
            _ = try UnichannelRules.sendRequest(input)
            return nil
        } catch let error as ServiceError {
            return error.field ?? error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("Send limits (decision 168): text in UTF-16 units as carriers count, attachments, their url and name, to, callbackURL (a10, c7)")
    func sendLimits() {
        let image = { (url: String, name: String?) in Comm100Attachment(type: "image", url: url, name: name) }
        #expect(Self.refusal(Self.input(message: String(repeating: "a", count: 1600))) == nil)
        #expect(Self.refusal(Self.input(message: String(repeating: "a", count: 1601))) == "message")
        // 800 emoji are 800 characters but 1600 UTF-16 units: at the limit; 801 are over it.
        #expect(Self.refusal(Self.input(message: String(repeating: "😀", count: 800))) == nil)
        #expect(Self.refusal(Self.input(message: String(repeating: "😀", count: 801))) == "message")
        let ten = Array(repeating: image("https://a.example/x.png", nil), count: 10)
        #expect(Self.refusal(Self.input(attachments: ten)) == nil)
        #expect(Self.refusal(Self.input(attachments: ten + [image("https://a.example/x.png", nil)])) == "attachments")
        let longURL = "https://a.example/" + String(repeating: "x", count: 2048)
        #expect(Self.refusal(Self.input(attachments: [image(longURL, nil)])) == "attachments[0].url")
        #expect(Self.refusal(Self.input(attachments: [image("https://a.example/x.png", String(repeating: "n", count: 255))])) == nil)
        #expect(
            Self.refusal(Self.input(attachments: [image("https://a.example/x.png", String(repeating: "n", count: 256))])) == "attachments[0].name")
        #expect(Self.refusal(Self.input(to: "+123456789012345")) == nil)
        #expect(Self.refusal(Self.input(to: "+1234567890123456")) == "to")
        #expect(Self.refusal(Self.input(callbackURL: "ftp://a.example/hook")) == "callbackURL")
        #expect(Self.refusal(Self.input(callbackURL: longURL)) == "callbackURL")
    }

    struct SecretRow: Decodable {
        var secret: String?
    }

    @Test("A deleted channel account leaves the list but its messages' callbacks stay signed with the secret copied at enqueue (a7, a8)")
    func deletedAccountKeepsSigning() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let account = UnichannelDispatchTests.account()
            let ids = try await Self.twoMessages(database, account: account)
            let store = ChannelAccountStore()
            let deleted = try await database.transaction { tx in try await store.delete(id: account.id, site: "10000", now: 5, in: tx) }
            #expect(deleted)
            let (visible, listed, dispatchable, kept) = try await database.read { tx in
                (
                    try await store.record(id: account.id, site: "10000", in: tx), try await store.records(site: "10000", in: tx),
                    try await store.records(ids: [account.id], in: tx), try await store.record(id: account.id, in: tx)
                )
            }
            #expect(visible == nil)
            #expect(listed.isEmpty)
            #expect(dispatchable.isEmpty)
            // The carriers' callbacks still find its keys.
            #expect(kept?.deletedTime == 5)
            #expect(try await database.transaction { tx in try await store.delete(id: account.id, site: "10000", now: 6, in: tx) } == false)
            let changes = OutboundStatusChanges(observer: nil, clock: .system)
            _ = try await database.transaction { tx in
                try await changes.recordReport(
                    CarrierStatusReport(carrierMessageID: "SM1", status: .delivered), messageID: ids[0], channelAccountID: account.id, in: tx)
            }
            let secrets = try await database.read { tx in
                try await tx.sql.select().column("secret").from("outbox_events").all(SecretRow.self)
            }
            #expect(secrets.map(\.secret) == [account.callbackSecret])
        }
    }

    @Test("A Twilio report for a deleted channel account's message still verifies (200), while the account is gone from the API (a7)")
    func deletedAccountReportVerifies() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("twilio")
            #expect(try await harness.api.delete("/outboundunichannel/channelAccounts/\(account.id)").status == .noContent)
            #expect(try await harness.api.get("/outboundunichannel/channelAccounts/\(account.id)").status == .notFound)
            let path = "/outboundunichannel/carrierCallbacks/twilio/\(account.id)/\(UUID().uuidString.lowercased())"
            let parameters = [("MessageSid", "SM1"), ("MessageStatus", "delivered"), ("AccountSid", UnichannelHarness.twilioSID)]
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            headers[HTTPField.Name("X-Twilio-Signature")!] = TwilioStatusCallback.signature(
                url: harness.baseURL + path, parameters: parameters, authToken: UnichannelHarness.twilioToken)
            #expect(try await harness.carrierPost(path, body: FormURLEncoding.encode(parameters), headers: headers).status == .ok)
        }
    }

    @Test(
        "Forged callbacks are refused before the body is read: header shape, stale Telnyx timestamp, another carrier's account; bodies are capped (a5, c4)"
    )
    func cheapRefusals() async throws {
        try await UnichannelHarness.run { harness in
            let twilio = try await harness.channelAccount("twilio")
            let telnyx = try await harness.channelAccount("telnyxsms")
            let message = UUID().uuidString.lowercased()
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let huge = String(repeating: "a", count: 100 * 1024)
            let twilioPath = "/outboundunichannel/carrierCallbacks/twilio/\(twilio.id)/\(message)"
            // Over the 64 KB cap: a junk signature is a 401, as the body is never read; one of the right shape reads it: 413.
            var junk = form
            junk[HTTPField.Name("X-Twilio-Signature")!] = "junk"
            #expect(try await harness.carrierPost(twilioPath, body: huge, headers: junk).status == .unauthorized)
            // A signature of the right shape on the right account: the body is read, up to 64 KB.
            var shaped = form
            shaped[HTTPField.Name("X-Twilio-Signature")!] = String(repeating: "A", count: 27) + "="
            #expect(try await harness.carrierPost(twilioPath, body: huge, headers: shaped).status == .contentTooLarge)
            // The Twilio route naming a Telnyx account: 401 before the body.
            let crossPath = "/outboundunichannel/carrierCallbacks/twilio/\(telnyx.id)/\(message)"
            #expect(try await harness.carrierPost(crossPath, body: huge, headers: shaped).status == .unauthorized)
            // Telnyx: correctly signed but stale (past the 300 s tolerance) is 401; the same signed now is 200.
            let telnyxPath = "/outboundunichannel/carrierCallbacks/telnyxsms/\(telnyx.id)/\(message)"
            let body = #"{"data": {"event_type": "message.finalized", "payload": {"id": "x", "to": [{"status": "delivered"}]}}}"#
            func headers(_ timestamp: Int) throws -> HTTPFields {
                let signature = try UnichannelHarness.telnyxKey.signature(for: Data("\(timestamp)|\(body)".utf8)).base64EncodedString()
                return [
                    .contentType: "application/json", HTTPField.Name("telnyx-signature-ed25519")!: signature,
                    HTTPField.Name("telnyx-timestamp")!: String(timestamp),
                ]
            }
            let now = Int(Date().timeIntervalSince1970)
            #expect(try await harness.carrierPost(telnyxPath, body: body, headers: try headers(now - 1000)).status == .unauthorized)
            #expect(try await harness.carrierPost(telnyxPath, body: body, headers: try headers(now)).status == .ok)
            var telnyxJunk = try headers(now)
            telnyxJunk[HTTPField.Name("telnyx-signature-ed25519")!] = "junk"
            #expect(try await harness.carrierPost(telnyxPath, body: body, headers: telnyxJunk).status == .unauthorized)
        }
    }

    @Test("Settings out of range are bounded: the lease outlasts a send, no duration traps (a4)")
    func settingsBounded() {
        let settings = UnichannelSettings(
            reader: ConfigReader(
                provider: InMemoryProvider(values: [
                    "carriers.timeout": 30.0, "unichannel.leaseSeconds": 5.0, "unichannel.pollInterval": .init(.double(.infinity), isSecret: false),
                    "unichannel.retrySchedule": .init(.doubleArray([-1, 1e300, 2]), isSecret: false), "unichannel.concurrency": 0,
                ])))
        #expect(settings.carrierTimeout == 30)
        #expect(settings.leaseSeconds == 30 + UnichannelSettings.leaseMargin)
        #expect(settings.pollInterval == 1)
        #expect(settings.retrySchedule == [0, 86_400, 2])
        #expect(settings.concurrency == 1)
        #expect(settings.adjustments.count == 5)
        let defaults = UnichannelSettings(reader: ConfigReader(provider: InMemoryProvider(values: [:])))
        #expect(defaults.adjustments.isEmpty)
        #expect(defaults.leaseSeconds == 60)
    }

    @Test("A message claimed again and again without an answer recorded fails with the reason instead of being sent again (a3)")
    func claimsEnd() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let ids = try await Self.twoMessages(database)
            // Three earlier claims that never recorded an answer.
            try await database.transaction { tx in
                try await tx.sql.update("outbound_messages").set("claim_count", to: 3).where("id", .equal, ids[0]).run()
            }
            let reader = ConfigReader(
                provider: InMemoryProvider(values: [
                    "carriers.twilio.url": .init(.string(UnichannelDispatchTests.nowhere), isSecret: false),
                    "carriers.callbackBaseURL": .init(.string(UnichannelDispatchTests.nowhere), isSecret: false),
                ]))
            let dispatcher = OutboundDispatcher(
                database: database, httpClient: HTTPClient.shared, settings: UnichannelSettings(reader: reader),
                changes: OutboundStatusChanges(observer: nil, clock: .system), logger: TestConfiguration.logger, clock: .system,
                startGate: StartupGate())
            #expect(try await dispatcher.dispatchDue() == 2)
            let stuck = try #require(try await Self.row(ids[0], database))
            #expect(stuck.status == "failed")
            #expect(stuck.claimCount == 4)
            #expect(stuck.failedReason.contains("claimed 4 times"))
            // The other was sent (the carrier cannot be reached: try later), its one claim answered.
            let other = try #require(try await Self.row(ids[1], database))
            #expect(other.status == "queued")
            #expect(other.claimCount == 1)
            #expect(other.attemptCount == 1)
        }
    }

    @Test("Decision 171: a delivered report that overtakes the send's answer stays delivered; one carrier id, announced once (c3)")
    func reportOvertakesAnswer() async throws {
        try await withTestDatabase(migrations: OutreachMigrations.all) { database in
            let account = UnichannelDispatchTests.account()
            let ids = try await Self.twoMessages(database, account: account)
            let observer = UnichannelDispatchTests.RecordingObserver()
            let changes = OutboundStatusChanges(observer: observer, clock: .system)
            _ = try await database.transaction { tx in
                try await changes.recordReport(
                    CarrierStatusReport(carrierMessageID: "SM9", status: .delivered), messageID: ids[0], channelAccountID: account.id, in: tx)
            }
            try await database.transaction { tx in
                try await changes.recordSend(
                    .accepted(CarrierAcceptance(carrierMessageID: "SM9", status: .queued)), messageID: ids[0], owner: "w", in: tx)
            }
            let row = try #require(try await Self.row(ids[0], database))
            #expect(row.status == "delivered")
            #expect(row.originMessageId == "SM9")
            #expect(row.sentTime != nil)
            #expect(observer.calls.withLockedValue { $0.map(\.2) } == [.delivered])
            let events = try await database.read { tx in
                try await tx.sql.select().column("secret").from("outbox_events").all(SecretRow.self)
            }
            #expect(events.count == 1)
        }
    }

    struct SandboxLog: Decodable {
        struct Message: Decodable {
            struct Callback: Decodable {
                struct Attempt: Decodable { var httpStatus: Int? }
                var status: String
                var attempts: [Attempt]
                var delivered: Bool
            }
            var to: String
            var callbacks: [Callback]
        }
        var messages: [Message]
    }

    @Test("The service down while the carrier calls back: the carrier's retries still bring the message to delivered (c2)")
    func serviceDownDuringCallbacks() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("twilio")
            let service = harness.relay.target.withLockedValue { $0 }
            harness.relay.target.withLockedValue { $0 = UnichannelDispatchTests.nowhere }
            let sent = try await harness.send(account, to: "+15551230077")
            #expect(try await harness.await(sent.id, status: "sending").status == "sending")
            // Wait for the Sandbox's first attempt to have failed, then bring the service back.
            var refused = false
            for _ in 0..<100 where !refused {
                let answer = try await HTTPClient.shared.get(url: harness.sandboxURL + "/sandbox/messages").get()
                let log = try JSONDecoder().decode(SandboxLog.self, from: Data(buffer: try #require(answer.body)))
                refused = log.messages.contains { $0.to == "+15551230077" && $0.callbacks.contains { !$0.attempts.isEmpty && !$0.delivered } }
                if !refused { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(refused)
            #expect(try await harness.message(sent.id).status == "sending")
            harness.relay.target.withLockedValue { $0 = service }
            #expect(try await harness.await(sent.id, status: "delivered").status == "delivered")
        }
    }

    @Test("Telnyx: message X's signed webhook posted to message Y's path is answered 200 and changes nothing (a1, c4)")
    func telnyxReplayOntoAnotherMessage() async throws {
        try await UnichannelHarness.run { harness in
            let account = try await harness.channelAccount("telnyxsms")
            let x = try await harness.await(try await harness.send(account, to: "+15551230081").id, status: "delivered")
            #expect(x.status == "delivered")
            // Y's own reports cannot reach the service (the relay points nowhere): it stays `sending`.
            harness.relay.target.withLockedValue { $0 = UnichannelDispatchTests.nowhere }
            let y = try await harness.await(try await harness.send(account, to: "+15551230082").id, status: "sending")
            #expect(y.status == "sending")
            func post(_ carrierID: String, to message: String, status: String) async throws -> HTTPResponse.Status {
                let body = #"{"data": {"event_type": "message.finalized", "payload": {"id": "\#(carrierID)", "to": [{"status": "\#(status)"}]}}}"#
                let timestamp = String(Int(Date().timeIntervalSince1970))
                let signature = try UnichannelHarness.telnyxKey.signature(for: Data("\(timestamp)|\(body)".utf8)).base64EncodedString()
                let headers: HTTPFields = [
                    .contentType: "application/json", HTTPField.Name("telnyx-signature-ed25519")!: signature,
                    HTTPField.Name("telnyx-timestamp")!: timestamp,
                ]
                let path = "/outboundunichannel/carrierCallbacks/telnyxsms/\(account.id)/\(message)"
                return try await harness.carrierPost(path, body: body, headers: headers).status
            }
            #expect(try await post(x.originMessageid, to: y.id, status: "delivery_failed") == .ok)
            let after = try await harness.message(y.id)
            #expect(after.status == "sending")
            #expect(after.originMessageid == y.originMessageid)
            #expect(try await post(y.originMessageid, to: y.id, status: "delivered") == .ok)
            #expect(try await harness.message(y.id).status == "delivered")
        }
    }
}

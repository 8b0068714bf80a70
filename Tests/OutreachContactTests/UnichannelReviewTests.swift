import Carriers
import Foundation
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
}

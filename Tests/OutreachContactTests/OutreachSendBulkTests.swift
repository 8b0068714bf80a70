import AsyncHTTPClient
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import ServiceKit
import ServiceLifecycle
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// A send's messages written in bulk (decision 246), the dispatcher's window of sends (decision 247) and a retried
/// `:send` (decision 248).
@Suite("Outreach API: sends written in bulk, retried sends, the dispatcher's window", .serialized)
struct OutreachSendBulkTests {
    /// A message and the outbound message it names.
    struct Link: Decodable {
        var id: String
        var contactId: String
        var toAddress: String
        var status: String
        var outboundMessageId: String?
    }

    /// A lower-case version 4 GUID.
    static func isGUID(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil
    }

    @Test("A send writes one message per contact of the site, and one queued outbound message per number, each naming the other by a new GUID")
    func bulkRows() async throws {
        let shared = OutreachSendTests.sharedDatabase()
        try await AgentDirectory.run { directory in
            let reader = TestConfiguration.reader(OutreachTestApp.values(directory: directory, shared))
            let app = try await buildApplication(reader: reader)
            try await app.test(.router) { client in
                let api = ContactTestClient(client: client)
                let contacts = try await OutreachSendTests.seedContacts(api)
                // Another site's contact with a number: never in this site's audience.
                _ = try await api.createContact(
                    #"{"name": "Eve", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100005"}]}"#, as: AgentDirectory.otherSite)
                let account = try await api.channelAccount(from: "+15005550006")
                let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account))
                let record = try await api.send(campaign: campaign.id)
                let messages = try await api.messages("campaignRecordId=\(record.id)")
                #expect(messages.count == 3)
                #expect(Set(messages.map(\.contactId)) == Set(["Alice", "Bob", "Carol"].map { contacts[$0]! }))
                #expect(Set(messages.map(\.id)).count == 3 && messages.allSatisfy { Self.isGUID($0.id) })
                #expect(Set(messages.map(\.to)) == ["+15550100001", "", "+15550100003"])

                let database = try Database(settings: DatabaseSettings(reader: reader, name: "outreach-contact"), logger: TestConfiguration.logger)
                try await database.withRunning {
                    let links = try await database.read { tx in
                        try await tx.sql.select().columns("id", "contact_id", "to_address", "status", "outbound_message_id").from("outreach_messages")
                            .where("campaign_record_id", .equal, record.id).all(Link.self)
                    }
                    let outbound = try await database.read { tx in
                        try await tx.sql.select().column("*").from("outbound_messages").all(OutboundMessageRow.self)
                    }
                    // Bob has no number: failed, and nothing to send.
                    let bob = try #require(links.first { $0.contactId == contacts["Bob"] })
                    #expect(bob.status == "failed" && bob.outboundMessageId == nil)
                    #expect(outbound.count == 2)
                    for row in outbound {
                        let link = try #require(links.first { $0.outboundMessageId == row.id })
                        #expect(Self.isGUID(row.id) && row.id != link.id)
                        #expect(row.outreachMessageId == link.id && row.contactId == link.contactId && row.toAddress == link.toAddress)
                        #expect(row.siteId == "10000" && row.channelAccountId == account && row.carrier == "twilio" && row.message == "Hello!")
                        #expect(row.attachments == "[]" && row.callbackUrl == nil && !row.callbackSecret.isEmpty)
                        // The dispatcher starts beside the test and may have claimed the row once (its carrier is a closed
                        // port, so nothing is ever sent): queued, or being sent by that one claim, never more.
                        #expect(["queued", "sending"].contains(row.status) && ["queued", "sending"].contains(link.status))
                        #expect(row.claimCount <= 1 && row.attemptCount <= row.claimCount && row.sentTime == nil)
                    }
                }
            }
        }
    }

    @Test("A :send retried with the same Idempotency-Key answers the first record and sends nothing more; another key sends again")
    func retriedSend() async throws {
        try await OutreachTestApp.run { api in
            _ = try await OutreachSendTests.seedContacts(api)
            let account = try await api.channelAccount()
            let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account))
            let send = { (key: String) in
                try await api.send(.post, "/outreach/campaigns/\(campaign.id):send", "", headers: [HTTPField.Name("Idempotency-Key")!: key])
            }
            let first = try await send("spring-1")
            let retry = try await send("spring-1")
            #expect(first.status == .ok && retry.status == .ok)
            let record = try first.decode(Comm100OutreachCampaignRecord.self)
            #expect(try retry.decode(Comm100OutreachCampaignRecord.self).id == record.id)
            #expect(try await api.messages("campaignId=\(campaign.id)").count == 3)
            let other = try await send("spring-2")
            #expect(try other.decode(Comm100OutreachCampaignRecord.self).id != record.id)
            #expect(try await api.messages("campaignId=\(campaign.id)").count == 6)
        }
    }

    @Test("A carrier that holds one send does not hold the others: the dispatcher sends the rest meanwhile, then records the held one")
    func slowSendHoldsOnlyItself() async throws {
        let release = NIOLockedValueBox(false)
        let router = Router()
        // A Twilio that holds the send to +15550000777 until the test releases it.
        router.post("/2010-04-01/Accounts/{sid}/Messages.json") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 65_536))
            if body.contains("15550000777") {
                let deadline = Date().addingTimeInterval(20)
                while !release.withLockedValue({ $0 }), Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            }
            return Response(
                status: .created, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: .init(string: #"{"sid": "SM\#(UUID().uuidString.prefix(8))", "status": "queued"}"#)))
        }
        let carrier = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await carrier.test(.live) { client in
            try await withTestDatabase(migrations: OutreachMigrations.all) { database in
                let account = UnichannelDispatchTests.account()
                let numbers = ["+15550000777"] + (1...5).map { "+1555000010\($0)" }
                let ids = try await database.transaction { tx in
                    try await ChannelAccountStore().insert(account, in: tx)
                    let requests = numbers.map {
                        (
                            OutboundSendRequest(channelAccountID: UUID(uuidString: account.id)!, carrier: nil, contactID: nil, to: $0, message: "hi"),
                            UUID()
                        )
                    }
                    return try await OutboundQueue(clock: .system).queue(
                        requests.map { ($0.0, outreachMessageID: $0.1) }, site: "10000", in: tx)
                }.map { $0.uuidString.lowercased() }
                let reader = ConfigReader(
                    provider: InMemoryProvider(values: [
                        "carriers.twilio.url": .init(.string("http://127.0.0.1:\(client.port!)"), isSecret: false),
                        "carriers.callbackBaseURL": .init(.string(UnichannelDispatchTests.nowhere), isSecret: false),
                        "unichannel.concurrency": 2, "unichannel.pollInterval": 0.05,
                    ]))
                let gate = StartupGate()
                gate.open()
                let dispatcher = OutboundDispatcher(
                    database: database, httpClient: HTTPClient.shared, settings: UnichannelSettings(reader: reader),
                    changes: OutboundStatusChanges(observer: nil, clock: .system), logger: TestConfiguration.logger, clock: .system, startGate: gate)
                let group = ServiceGroup(configuration: .init(services: [dispatcher], logger: TestConfiguration.logger))
                let statuses = { @Sendable () async throws -> [String] in
                    var statuses: [String] = []
                    for id in ids { statuses.append(try await UnichannelReviewTests.row(id, database)?.status ?? "") }
                    return statuses
                }
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    // Two at a time, one of them held: the other five still go, one after another, in the second place.
                    let othersSent = try await outreachEventually(10) { try await statuses().dropFirst().allSatisfy { $0 == "sending" } }
                    #expect(othersSent)
                    #expect(try await statuses().first == "queued")
                    release.withLockedValue { $0 = true }
                    #expect(try await outreachEventually(10) { try await statuses().first == "sending" })
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                let held = try #require(try await UnichannelReviewTests.row(ids[0], database))
                #expect(held.leaseOwner == nil && held.claimCount == 1 && held.originMessageId.hasPrefix("SM"))
            }
        }
    }
}

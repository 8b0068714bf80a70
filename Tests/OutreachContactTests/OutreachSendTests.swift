import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

@Suite("Outreach API: sending campaigns, message statuses, callbacks and schedules", .serialized)
struct OutreachSendTests {
    /// Configuration for instances that share one database: a SQLite file (not `:memory:`) or one PostgreSQL schema.
    static func sharedDatabase() -> [AbsoluteConfigKey: ConfigValue] {
        if TestConfiguration.databaseURL.hasPrefix("postgres") {
            return [
                "db.schema": .init(.string("t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)), isSecret: false)
            ]
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-\(UUID().uuidString).sqlite").path
        return ["db.url": .init(.string("sqlite:\(file)"), isSecret: true)]
    }

    /// Four contacts: Alice and Bob at Acme (Bob without an SMS identity), Carol at Globex, Dave at Acme merged into Alice.
    static func seedContacts(_ api: ContactTestClient) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for (name, company, identities) in [
            (
                "Alice", "Acme",
                #"[{"contactIdentityType": "email", "value": "alice@acme.com"}, {"contactIdentityType": "SMS", "value": "+15550100001"}, {"contactIdentityType": "SMS", "value": "+15550100009"}]"#
            ),
            ("Bob", "Acme", #"[{"contactIdentityType": "email", "value": "bob@acme.com"}]"#),
            ("Carol", "Globex", #"[{"contactIdentityType": "SMS", "value": "+15550100003"}]"#),
            ("Dave", "Acme", #"[{"contactIdentityType": "SMS", "value": "+15550100004"}]"#),
        ] {
            ids[name] = try await api.createContact(
                #"{"name": "\#(name)", "contactIdentities": \#(identities), "customFields": {"company": "\#(company)"}}"#
            ).id
        }
        let merged = try await api.post("/contact/contacts/\(ids["Alice"]!):merge", #"{"contactId": "\#(ids["Dave"]!)"}"#)
        #expect(merged.status == .noContent)
        return ids
    }

    @Test("A send to a filtered audience: a record of its own, exactly one message per matching contact right after :send, merged contacts left out")
    func sendFilteredAudience() async throws {
        try await OutreachTestApp.run { api in
            let contacts = try await Self.seedContacts(api)
            let account = try await api.channelAccount(from: "+15005550006")
            let campaign = try await api.createCampaign(
                ContactTestClient.campaign(
                    account: account,
                    #", "isMessageAutoAttachedToTicket": true, "timeToAutoAttachToTicket": "whenContactRepliesTheMessage", "contactFilterConditions": [{"fieldName": "company", "operator": "Is", "value": "acme"}]"#
                ))
            let record = try await api.send(campaign: campaign.id)
            #expect(record.id != campaign.id && record.campaign == campaign)
            let messages = try await api.messages("campaignRecordId=\(record.id)&sortBy=to")
            #expect(messages.count == 2)
            let alice = try #require(messages.first { $0.contactId == contacts["Alice"] })
            #expect(alice.to == "+15550100001" && alice.from == "+15005550006" && ["queued", "sending"].contains(alice.status))
            #expect(alice.campaignId == campaign.id && alice.campaignRecordId == record.id && alice.campaignSentTime == record.sentTime)
            #expect(alice.sentTime == record.sentTime && alice.message == "Hello!" && alice.channel == "sms" && alice.channelAccountId == account)
            #expect(alice.isMessageAutoAttachedToTicket && alice.timeToAutoAttachToTicket == "whenContactRepliesTheMessage")
            #expect(alice.attachedToTicketId == nil && alice.callbackURL == nil)
            let bob = try #require(messages.first { $0.contactId == contacts["Bob"] })
            #expect(bob.status == "failed" && bob.failedReason == "Contact has no SMS identity" && bob.to == "")
            #expect(!messages.contains { $0.contactId == contacts["Dave"] || $0.contactId == contacts["Carol"] })

            // Each send is a record of its own; a later edit leaves the records as they were.
            let again = try await api.send(campaign: campaign.id)
            let both = try await api.messages("campaignId=\(campaign.id)")
            #expect(again.id != record.id && both.count == 4)
            _ = try await api.put("/outreach/campaigns/\(campaign.id)", #"{"id": "\#(campaign.id)", "name": "Renamed"}"#)
            let records = try await api.get("/outreach/campaigns/\(campaign.id)/records").decode([Comm100OutreachCampaignRecord].self)
            #expect(records.map(\.id) == [record.id, again.id] && records.allSatisfy { $0.campaign.name == "Spring" })

            // No conditions: every contact that is not merged; an audience of none: a record and no messages.
            let everyone = try await api.createCampaign(ContactTestClient.campaign(account: account))
            let all = try await api.send(campaign: everyone.id)
            #expect(
                Set(try await api.messages("campaignRecordId=\(all.id)").map(\.contactId))
                    == Set([contacts["Alice"]!, contacts["Bob"]!, contacts["Carol"]!]))
            let nobody = try await api.createCampaign(
                ContactTestClient.campaign(
                    account: account, #", "contactFilterConditions": [{"fieldName": "name", "operator": "Is", "value": "Zed"}]"#))
            let none = try await api.send(campaign: nobody.id)
            #expect(try await api.messages("campaignRecordId=\(none.id)").isEmpty)
            // A campaign whose channel account has gone is not sent.
            #expect(try await api.delete("/outboundunichannel/channelAccounts/\(account)").status == .noContent)
            let orphan = try await api.post("/outreach/campaigns/\(campaign.id):send", "")
            #expect(orphan.status == .badRequest && orphan.message.contains("no longer a channel account"))
            #expect(try await api.post("/outreach/campaigns/\(UUID().uuidString):send", "").status == .notFound)
        }
    }

    @Test("A send to 5,000 contacts answers in seconds with every message created")
    func sendLargeAudience() async throws {
        try await OutreachTestApp.run { api in
            // Site 20000: the import holds its site's contacts lock, which on PostgreSQL other suites' site 10000 need not wait for.
            let site = AgentDirectory.otherSite
            let account = try await api.channelAccount(as: site)
            let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account), as: site)
            try await api.bulkContacts(5000, as: site)
            let started = Date()
            let record = try await api.send(campaign: campaign.id, as: site)
            let elapsed = Date().timeIntervalSince(started)
            let page = try await api.get("/outreach/messages?campaignRecordId=\(record.id)&pageSize=1", as: site).decode(
                Comm100OutreachMessagePage.self)
            #expect(page.total == 5000)
            #expect(elapsed < 20, "5,000 messages took \(elapsed) s")
        }
    }

    @Test(
        "The status follows the outbound message by rank: duplicates and late reports are ignored; each change sends the callback to a live receiver")
    func statusFollowsOutbound() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            let shared = Self.sharedDatabase()
            try await AgentDirectory.run { directory in
                let values = OutreachTestApp.values(
                    directory: directory, shared.merging(["outreach.callbackURL": .init(.string(url), isSecret: false)]) { $1 })
                let reader = TestConfiguration.reader(values)
                let app = try await buildApplication(reader: reader)
                try await app.test(.router) { client in
                    let api = ContactTestClient(client: client)
                    let contacts = try await Self.seedContacts(api)
                    let account = try await api.channelAccount()
                    let campaign = try await api.createCampaign(
                        ContactTestClient.campaign(
                            account: account, #", "contactFilterConditions": [{"fieldName": "name", "operator": "Is", "value": "Alice"}]"#))
                    let record = try await api.send(campaign: campaign.id)
                    let message = try #require(try await api.messages("campaignRecordId=\(record.id)").first)
                    #expect(message.contactId == contacts["Alice"] && message.callbackURL == url)
                    #expect(receiver.received.isEmpty)  // creating a message sends no callback

                    // The unichannel's side: a second handle on the same database, as the dispatcher reports in-process.
                    let database = try Database(
                        settings: DatabaseSettings(reader: reader, name: "outreach-contact"), logger: TestConfiguration.logger)
                    try await database.withRunning {
                        let follower = OutreachStatusFollower(callbacks: OutreachCallbacks(secret: nil))
                        let report = { (status: MessageStatus, reason: String?) in
                            try await database.transaction { tx in
                                try await follower.outboundMessageChanged(
                                    outreachMessageID: UUID(uuidString: message.id)!, site: "10000", status: status, failedReason: reason,
                                    sentTime: nil, in: tx)
                            }
                        }
                        try await report(.sent, nil)
                        try await report(.sent, nil)  // a duplicate
                        try await report(.sending, nil)  // late
                        try await report(.delivered, nil)
                        try await report(.undelivered, "late")  // terminal already
                        // Another site's report finds nothing.
                        try await database.transaction { tx in
                            try await follower.outboundMessageChanged(
                                outreachMessageID: UUID(uuidString: message.id)!, site: "20000", status: .failed, failedReason: "x", sentTime: nil,
                                in: tx)
                        }
                    }
                    let now = try await api.get("/outreach/messages/\(message.id)").decode(Comm100OutreachMessage.self)
                    #expect(now.status == "delivered" && now.failedReason == "")
                    #expect(try await outreachEventually { receiver.received.count >= 2 })
                    try await Task.sleep(for: .milliseconds(300))
                    let bodies = receiver.received.map { try? JSONDecoder().decode(Comm100OutreachCallback.self, from: Data($0.body.utf8)) }
                    #expect(Set(bodies.map { $0?.message.status }) == ["sent", "delivered"] && bodies.count == 2)
                    #expect(bodies.allSatisfy { $0?.siteId == "10000" && $0?.message.id == message.id && $0?.message.campaignRecordId == record.id })
                    let raw = try #require(receiver.received.first { $0.body.contains(#""status":"sent""#) }?.body)
                    #expect(raw.contains(#""siteId":"10000""#) && raw.contains(#""id":"\#(message.id)""#))
                    // The deliveries, with their attempts, for whoever manages outreach.
                    let deliveries = try await api.get("/outreach/callbackDeliveries").decode([WebhookDeliveryReport].self)
                    #expect(deliveries.count == 2 && deliveries.allSatisfy { $0.status == "delivered" && $0.targetUrl == url })
                    let detail = try await api.get("/outreach/callbackDeliveries/\(deliveries[0].id)").decode(WebhookDeliveryReport.self)
                    #expect(detail.attempts?.first?.statusCode == 200)
                    #expect(try await api.get("/outreach/callbackDeliveries", as: AgentDirectory.reader).status == .forbidden)
                    #expect(
                        try await api.get("/outreach/callbackDeliveries", as: AgentDirectory.otherSite).decode([WebhookDeliveryReport].self).isEmpty)
                    #expect(try await api.get("/outreach/callbackDeliveries/\(deliveries[0].id)", as: AgentDirectory.otherSite).status == .notFound)
                }
            }
        }
    }

    @Test("A scheduled campaign is sent once when its time comes, by one of two instances; an edit re-arms it, a delete cancels it")
    func scheduledSend() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let shared = Self.sharedDatabase()
        try await AgentDirectory.run { directory in
            let values = OutreachTestApp.values(directory: directory, shared)
            let first = try await buildApplication(reader: TestConfiguration.reader(values), clock: clock.wallClock)
            try await first.test(.router) { client in
                let api = ContactTestClient(client: client)
                try await api.createContact(#"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
                let account = try await api.channelAccount()
                let start = "2027-01-15T08:01:00.000Z"  // a minute after the clock's start
                let once = try await api.createCampaign(
                    ContactTestClient.campaign(account: account, #", "scheduledStartTime": "2027-01-15 08:01:00""#))
                #expect(once.scheduledStartTime == start)
                let moved = try await api.createCampaign(ContactTestClient.campaign(account: account, #", "scheduledStartTime": "\#(start)""#))
                let dropped = try await api.createCampaign(ContactTestClient.campaign(account: account, #", "scheduledStartTime": "\#(start)""#))
                let past = try await api.createCampaign(
                    ContactTestClient.campaign(account: account, #", "scheduledStartTime": "2020-01-01T00:00:00Z""#))
                #expect(
                    try await api.put(
                        "/outreach/campaigns/\(moved.id)", #"{"id": "\#(moved.id)", "name": "Moved", "scheduledStartTime": "2027-01-15T09:00:00Z"}"#
                    ).status == .ok)
                #expect(try await api.delete("/outreach/campaigns/\(dropped.id)").status == .noContent)

                let second = try await buildApplication(reader: TestConfiguration.reader(values), clock: clock.wallClock)
                try await second.test(.router) { _ in
                    let records = { (id: String) in
                        try await api.get("/outreach/campaigns/\(id)/records").decode([Comm100OutreachCampaignRecord].self)
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(try await records(once.id).isEmpty)  // not before its time
                    clock.advance(by: 120)
                    #expect(try await outreachEventually { try await records(once.id).count == 1 })
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(try await records(once.id).count == 1)
                    #expect(try await api.messages("campaignId=\(once.id)").count == 1)
                    #expect(try await records(moved.id).isEmpty)
                    #expect(try await records(past.id).isEmpty)
                    #expect(try await api.messages("campaignId=\(dropped.id)").isEmpty)
                    clock.advance(by: 3600)
                    #expect(try await outreachEventually { try await records(moved.id).count == 1 })
                    #expect(try await records(once.id).count == 1)
                    #expect(try await records(past.id).isEmpty)
                }
            }
        }
    }
}

extension ContactTestClient {
    /// `count` contacts with an SMS identity each, in one import (at most 10,000).
    func bulkContacts(_ count: Int, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws {
        let rows = (0..<count).map { "Bulk \($0),+1555\(String(format: "%07d", $0))" }
        let boundary = "----outreach7MA4YWxk"
        let body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"uploadFile\"; filename=\"contacts.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + (["Name,SMS"] + rows).joined(separator: "\n") + "\r\n--\(boundary)--\r\n"
        let reply = try await self.send(
            .post, "/contact/contacts:import", body, as: agent, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
        guard reply.status == .ok, (try? reply.decode(Comm100ContactImportResult.self))?.createdCount == count else {
            throw ReplyError(message: "import failed: \(reply.status) \(reply.text.prefix(300))")
        }
    }
}

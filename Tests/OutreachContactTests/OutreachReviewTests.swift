import Configuration
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

/// What review found the earlier tests could not catch: each fails when tenancy or the scheduler's re-arming breaks.
@Suite("Outreach API: tenancy of sends and their records, re-arming a schedule")
struct OutreachReviewTests {
    @Test("Another site asking for a campaign's records, messages or send while they are still queued gets 404s and empty lists")
    func anotherSiteSeesNothingWhileQueued() async throws {
        try await OutreachTestApp.run { api in
            let other = AgentDirectory.otherSite
            try await api.createContact(#"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
            let account = try await api.channelAccount()
            let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account))
            let record = try await api.send(campaign: campaign.id)
            // The owner's view first: the send exists and its message is still queued (the dispatcher polls hourly here).
            let owned = try await api.messages("campaignRecordId=\(record.id)")
            #expect(owned.count == 1 && owned.first?.status == "queued")
            let records = try await api.get("/outreach/campaigns/\(campaign.id)/records").decode([Comm100OutreachCampaignRecord].self)
            #expect(records.map(\.id) == [record.id])
            let message = try #require(owned.first)

            #expect(try await api.get("/outreach/campaigns/\(campaign.id)/records", as: other).status == .notFound)
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)", as: other).status == .notFound)
            #expect(try await api.get("/outreach/messages/\(message.id)", as: other).status == .notFound)
            #expect(try await api.post("/outreach/campaigns/\(campaign.id):send", "", as: other).status == .notFound)
            for query in ["campaignId=\(campaign.id)", "campaignRecordId=\(record.id)", "contactId=\(message.contactId ?? "")", "keywords=Spring"] {
                let page = try await api.get("/outreach/messages?\(query)", as: other).decode(Comm100OutreachMessagePage.self)
                #expect(page.total == 0 && page.messages.isEmpty, "\(query)")
            }
            // Nothing the other site did changed the owner's send.
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)/records").decode([Comm100OutreachCampaignRecord].self).count == 1)
            #expect(try await api.messages("campaignId=\(campaign.id)").count == 1)
        }
    }

    @Test("A send reaches only its own site's contacts: another site's contacts that match the filter get no message")
    func audienceStaysInTheSite() async throws {
        try await OutreachTestApp.run { api in
            let other = AgentDirectory.otherSite
            let alice = try await api.createContact(
                #"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
            // Site 20000 has an Alice too, and the only Zed.
            let otherAlice = try await api.createContact(
                #"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550200001"}]}"#, as: other)
            let zed = try await api.createContact(
                #"{"name": "Zed", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550200002"}]}"#, as: other)
            let account = try await api.channelAccount()
            let alices = try await api.createCampaign(
                ContactTestClient.campaign(
                    account: account, #", "contactFilterConditions": [{"fieldName": "name", "operator": "Is", "value": "Alice"}]"#))
            let sent = try await api.send(campaign: alices.id)
            let messages = try await api.messages("campaignRecordId=\(sent.id)")
            #expect(messages.map(\.contactId) == [alice.id] && messages.map(\.to) == ["+15550100001"])

            let zeds = try await api.createCampaign(
                ContactTestClient.campaign(
                    account: account, #", "contactFilterConditions": [{"fieldName": "name", "operator": "Is", "value": "Zed"}]"#))
            let none = try await api.send(campaign: zeds.id)
            #expect(try await api.messages("campaignRecordId=\(none.id)").isEmpty)
            // No filter: everyone of site 10000, still no one of site 20000.
            let everyone = try await api.createCampaign(ContactTestClient.campaign(account: account))
            let all = try await api.send(campaign: everyone.id)
            #expect(try await api.messages("campaignRecordId=\(all.id)").map(\.contactId) == [alice.id])
            // Nor did the other site's contacts get a message under their own site.
            let theirs = try await api.get("/outreach/messages", as: other).decode(Comm100OutreachMessagePage.self)
            #expect(theirs.total == 0)
            let everySent = try await api.messages("campaignId=\(alices.id)") + api.messages("campaignId=\(everyone.id)")
            #expect(!everySent.contains { [otherAlice.id, zed.id].contains($0.contactId) || $0.to.hasPrefix("+1555020") })
        }
    }

    struct JobRow: Decodable, Equatable {
        var id: Int64
        var status: String
        var dueAt: Int64
        var payload: String
    }

    @Test("Moving a scheduled campaign cancels its old scheduler job and arms one at the new time; an unchanged time keeps it, a delete cancels it")
    func editCancelsTheOldJob() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let shared = OutreachSendTests.sharedDatabase()
        try await AgentDirectory.run { directory in
            let reader = TestConfiguration.reader(OutreachTestApp.values(directory: directory, shared))
            let app = try await buildApplication(reader: reader, clock: clock.wallClock)
            let database = try Database(settings: DatabaseSettings(reader: reader, name: "outreach-contact"), logger: TestConfiguration.logger)
            try await app.test(.router) { client in
                try await database.withRunning {
                    let api = ContactTestClient(client: client)
                    let jobs = { (campaign: String) in
                        try await database.read { tx in
                            try await tx.sql.select().columns("id", "status", "due_at", "payload").from("scheduled_jobs")
                                .where("kind", .equal, CampaignSender.jobKind).orderBy("id").all(JobRow.self)
                        }.filter { $0.payload.contains(campaign) }
                    }
                    try await api.createContact(#"{"name": "Alice", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
                    let account = try await api.channelAccount()
                    let first = Int64(1_800_000_060_000)  // a minute after the clock's start
                    let campaign = try await api.createCampaign(
                        ContactTestClient.campaign(account: account, #", "scheduledStartTime": "2027-01-15T08:01:00Z""#))
                    let armed = try await jobs(campaign.id)
                    #expect(armed.count == 1 && armed.first?.status == "pending" && armed.first?.dueAt == first)
                    let old = try #require(armed.first)

                    let moved = try await api.put(
                        "/outreach/campaigns/\(campaign.id)",
                        #"{"id": "\#(campaign.id)", "name": "Moved", "scheduledStartTime": "2027-01-15T09:00:00Z"}"#)
                    #expect(moved.status == .ok)
                    let rearmed = try await jobs(campaign.id)
                    #expect(rearmed.first { $0.id == old.id }?.status == "cancelled")
                    let pending = rearmed.filter { $0.status == "pending" }
                    #expect(pending.count == 1 && pending.first?.id != old.id && pending.first?.dueAt == first + 59 * 60_000)
                    let current = try #require(pending.first)

                    // An edit that leaves the time as it is keeps the job.
                    let renamed = try await api.put("/outreach/campaigns/\(campaign.id)", #"{"id": "\#(campaign.id)", "name": "Renamed"}"#)
                    #expect(renamed.status == .ok)
                    #expect(try await jobs(campaign.id).filter { $0.status == "pending" }.map(\.id) == [current.id])

                    // The old time passes: nothing is sent; the new one comes: it is sent once.
                    clock.advance(by: 120)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(try await api.get("/outreach/campaigns/\(campaign.id)/records").decode([Comm100OutreachCampaignRecord].self).isEmpty)
                    clock.advance(by: 3600)
                    #expect(
                        try await outreachEventually {
                            try await api.get("/outreach/campaigns/\(campaign.id)/records").decode([Comm100OutreachCampaignRecord].self).count == 1
                        })
                    // The job is marked done in the transaction after the send's.
                    #expect(try await outreachEventually { try await jobs(campaign.id).first { $0.id == current.id }?.status == "done" })

                    // Deleting a scheduled campaign cancels its job.
                    let later = try await api.createCampaign(
                        ContactTestClient.campaign(account: account, #", "scheduledStartTime": "2027-01-16T08:00:00Z""#))
                    let laterJob = try #require(try await jobs(later.id).first)
                    #expect(laterJob.status == "pending")
                    #expect(try await api.delete("/outreach/campaigns/\(later.id)").status == .noContent)
                    #expect(try await jobs(later.id).map(\.status) == ["cancelled"])
                }
            }
        }
    }
}

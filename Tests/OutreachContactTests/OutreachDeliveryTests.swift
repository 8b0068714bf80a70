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

@Suite("Outreach API end to end: a campaign sent through the Sandbox carriers")
struct OutreachDeliveryTests {
    @Test(
        "A sent campaign reaches delivered (and failed for a number the carrier fails) through the Sandbox, with outreach callbacks at a live receiver"
    )
    func sendThroughSandbox() async throws {
        let outreachReceiver = WebhookReceiver()
        try await outreachReceiver.run { callbackURL in
            try await UnichannelHarness.run(["outreach.callbackURL": .init(.string(callbackURL), isSecret: false)]) { harness in
                let api = harness.api
                let ann = try await api.createContact(
                    #"{"name": "Ann", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
                let carl = try await api.createContact(
                    #"{"name": "Carl", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100000"}]}"#)
                for carrier in ["twilio", "telnyxsms"] {
                    let account = try await harness.channelAccount(carrier)
                    let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account.id))
                    let record = try await api.send(campaign: campaign.id)
                    #expect(try await api.messages("campaignRecordId=\(record.id)").count == 2)
                    let settled = try await outreachEventually(20) {
                        let statuses = Dictionary(
                            uniqueKeysWithValues: try await api.messages("campaignRecordId=\(record.id)").map { ($0.contactId, $0.status) })
                        return statuses[ann.id] == "delivered" && statuses[carl.id] == "failed"
                    }
                    let outcome = try await api.messages("campaignRecordId=\(record.id)").map { "\($0.to) \($0.status) \($0.failedReason)" }
                    #expect(settled, "\(carrier): \(outcome)")
                    let failed = try #require(try await api.messages("campaignRecordId=\(record.id)&contactId=\(carl.id)").first)
                    #expect(!failed.failedReason.isEmpty)
                    let delivered = try #require(try await api.messages("campaignRecordId=\(record.id)&contactId=\(ann.id)").first)
                    let callbacks = {
                        outreachReceiver.received.compactMap { try? JSONDecoder().decode(Comm100OutreachCallback.self, from: Data($0.body.utf8)) }
                    }
                    #expect(
                        try await outreachEventually { callbacks().contains { $0.message.id == delivered.id && $0.message.status == "delivered" } })
                    #expect(try await outreachEventually { callbacks().contains { $0.message.id == failed.id && $0.message.status == "failed" } })
                    #expect(callbacks().allSatisfy { $0.siteId == "10000" })
                }
            }
        }
    }
}

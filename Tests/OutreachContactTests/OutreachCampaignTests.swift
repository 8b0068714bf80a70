import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

@Suite("Outreach API: campaigns")
struct OutreachCampaignTests {
    @Test("The seed's create example (L211–L233, on a real channel account) answers 201; get, partial PUT, list and delete follow §5.1")
    func crud() async throws {
        try await OutreachTestApp.run { api in
            try await api.createField(#"{"name": "AAA", "type": "text"}"#)
            let account = try await api.channelAccount()
            let created = try await api.post(
                "/outreach/campaigns/",
                #"""
                {"name": "test-campaign", "description": "test campaign", "channel": "sms", "channelAccountId": "\#(account)",
                 "message": "Hello, please fill in your application form by the end of this week!", "isMessageAutoAttachedToTicket": "yes",
                 "preferredTicketToAutoAttach": "newTicket", "timeToAutoAttachToTicket": "whenTheMessageIsSent", "contactFilterConditionMetType": "any",
                 "contactFilterLogicalExpresssion": "",
                 "contactFilterConditions": [{"id": "6538285a-b00f-4063-b37a-cf14170aaa36", "campaignId": "f8383a83-48e9-4d0d-a3bd-fb19ce5c12db",
                   "FieldName": "AAA", "Operator": "is", "Value": "BBBB", "Order": "0"}],
                 "scheduledStartTime": ""}
                """#)
            #expect(created.status == .created, "\(created.text)")
            let campaign = try created.decode(Comm100OutreachCampaign.self)
            #expect(ContactIDs.parse(campaign.id) == campaign.id && campaign.channelAccountId == account)
            #expect(campaign.isMessageAutoAttachedToTicket && campaign.contactFilterConditionMetType == "any" && campaign.scheduledStartTime == nil)
            #expect(created.object.keys.contains("scheduledStartTime") && created.object["scheduledStartTime"] is NSNull)
            let condition = try #require(campaign.contactFilterConditions.first)
            #expect(condition.fieldName == "AAA" && condition.operator == "Is" && condition.value == "BBBB" && condition.order == 0)
            #expect(condition.campaignId == campaign.id && condition.id != "6538285a-b00f-4063-b37a-cf14170aaa36")
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)").decode(Comm100OutreachCampaign.self) == campaign)

            // A partial PUT keeps what it leaves out; the condition of the same order keeps its id.
            let updated = try await api.put(
                "/outreach/campaigns/\(campaign.id)",
                #"{"id": "\#(campaign.id.uppercased())", "name": "test-campaign 2", "contactFilterConditions": [{"fieldName": "aaa", "operator": "Is Not", "value": "x", "order": 0}, {"fieldName": "name", "operator": "contains", "value": "a", "order": 1}], "contactFilterConditionMetType": "logicalExpression", "contactFilterLogicalExpression": "0 and not 1"}"#
            )
            #expect(updated.status == .ok, "\(updated.text)")
            let after = try updated.decode(Comm100OutreachCampaign.self)
            #expect(after.name == "test-campaign 2" && after.message == campaign.message && after.description == "test campaign")
            #expect(after.isMessageAutoAttachedToTicket && after.channelAccountId == account)
            #expect(after.contactFilterConditions.map(\.operator) == ["Is Not", "Contains"] && after.contactFilterConditions[0].id == condition.id)
            #expect(after.contactFilterLogicalExpresssion == "0 and not 1" && after.contactFilterConditionMetType == "logicalExpression")

            #expect(try await api.delete("/outreach/campaigns/\(campaign.id)").status == .noContent)
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)").status == .notFound)
            #expect(try await api.delete("/outreach/campaigns/\(campaign.id)").status == .notFound)
        }
    }

    @Test("The list filters by channel and channel account in SQL, pages and sorts like the contact list")
    func list() async throws {
        try await OutreachTestApp.run { api in
            let first = try await api.channelAccount()
            let second = try await api.channelAccount(from: "+15550002222")
            for (name, account) in [("Charlie", first), ("alpha", second), ("Bravo", first)] {
                try await api.createCampaign(
                    #"{"name": "\#(name)", "channel": "SMS", "channelAccountId": "\#(account)", "message": "m", "description": "\#(name)"}"#)
            }
            let page = try await api.get("/outreach/campaigns/?pageSize=2").decode(Comm100OutreachCampaignPage.self)
            #expect(page.total == 3 && page.campaigns.map(\.name) == ["alpha", "Bravo"] && page.previousPage == nil)
            #expect(page.nextPage?.contains("pageIndex=2") == true && page.nextPage?.contains("/outreach/campaigns") == true)
            let names = { (query: String) in
                try await api.get("/outreach/campaigns?\(query)").decode(Comm100OutreachCampaignPage.self).campaigns.map(\.name)
            }
            #expect(try await names("sortOrder=desc") == ["Charlie", "Bravo", "alpha"])
            #expect(try await names("channelAccountId=\(first)") == ["Bravo", "Charlie"])
            #expect(try await names("channel=sms&channelAccountId=\(second.uppercased())") == ["alpha"])
            #expect(try await names("sortBy=description&pageSize=0") == ["Bravo", "Charlie", "alpha"])
            for (query, words) in [
                ("channel=email", "'channel' must be sms"), ("channelAccountId=nope", "'channelAccountId' must be a GUID"),
                ("sortBy=message", "'sortBy' must be one of"), ("pageIndex=0", "'pageIndex'"), ("pageSize=x", "'pageSize'"),
                ("sortOrder=up", "'sortOrder'"),
            ] {
                let reply = try await api.get("/outreach/campaigns?\(query)")
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(query): \(reply.text)")
            }
            // Another site sees none of them.
            let other = try await api.get("/outreach/campaigns", as: AgentDirectory.otherSite).decode(Comm100OutreachCampaignPage.self)
            #expect(other.total == 0)
        }
    }

    @Test("Bad campaigns answer 400 naming the problem: required members, enums, GUIDs, accounts, conditions and expressions")
    func badInput() async throws {
        try await OutreachTestApp.run { api in
            try await api.createField(#"{"name": "Age", "type": "integer"}"#)
            let account = try await api.channelAccount()
            let otherAccount = try await api.channelAccount(as: AgentDirectory.otherSite)
            let condition = { (op: String, value: String, order: Int) in
                #"{"fieldName": "Age", "operator": "\#(op)", "value": "\#(value)", "order": \#(order)}"#
            }
            let cases: [(String, String)] = [
                (#"{"channel": "sms", "channelAccountId": "\#(account)", "message": "m"}"#, "'name' is required"),
                (#"{"name": "n", "channelAccountId": "\#(account)", "message": "m"}"#, "'channel' is required"),
                (#"{"name": "n", "channel": "sms", "message": "m"}"#, "'channelAccountId' is required"),
                (#"{"name": "n", "channel": "sms", "channelAccountId": "\#(account)"}"#, "'message' is required"),
                (ContactTestClient.campaign(account: account).replacingOccurrences(of: "\"sms\"", with: "\"email\""), "'channel' must be sms"),
                (ContactTestClient.campaign(account: "q3f5b438-xw31-44af-b729-64swaf3d0b56"), "'channelAccountId' must be a GUID"),
                (ContactTestClient.campaign(account: otherAccount), "'channelAccountId' names no channel account of this site"),
                (ContactTestClient.campaign(account: UUID().uuidString), "'channelAccountId' names no channel account"),
                (
                    ContactTestClient.campaign(account: account, #", "preferredTicketToAutoAttach": "oldTicket""#),
                    "'preferredTicketToAutoAttach' must be"
                ),
                (ContactTestClient.campaign(account: account, #", "timeToAutoAttachToTicket": "later""#), "'timeToAutoAttachToTicket' must be"),
                (
                    ContactTestClient.campaign(account: account, #", "contactFilterConditionMetType": "most""#),
                    "'contactFilterConditionMetType' must be"
                ),
                (ContactTestClient.campaign(account: account, #", "isMessageAutoAttachedToTicket": "maybe""#), "isMessageAutoAttachedToTicket"),
                (#"{"name": 5, "channel": "sms", "channelAccountId": "\#(account)", "message": "m"}"#, "name"),
                (ContactTestClient.campaign(account: account, #", "scheduledStartTime": "next week""#), "'scheduledStartTime' must be a date"),
                (
                    ContactTestClient.campaign(
                        account: account, #", "contactFilterConditions": [\#(condition("Is", "1", 0)), \#(condition("Is", "2", 0))]"#),
                    "repeats the order 0"
                ),
                (
                    ContactTestClient.campaign(account: account, #", "contactFilterConditions": [\#(condition("Contains", "1", 0))]"#),
                    "cannot be 'Contains'"
                ),
                (ContactTestClient.campaign(account: account, #", "contactFilterConditions": [\#(condition("Is", "many", 0))]"#), "must be a number"),
                (
                    ContactTestClient.campaign(account: account, #", "contactFilterConditions": [\#(condition("Frobs", "1", 0))]"#),
                    "operator' must be one of"
                ),
                (
                    ContactTestClient.campaign(
                        account: account, #", "contactFilterConditions": [{"fieldName": "Shoe", "operator": "Is", "value": "1"}]"#),
                    "names no contact field"
                ),
                (
                    ContactTestClient.campaign(
                        account: account,
                        #", "contactFilterConditionMetType": "logicalExpression", "contactFilterLogicalExpresssion": "(0 AND", "contactFilterConditions": [\#(condition("Is", "1", 0))]"#
                    ), "'contactFilterLogicalExpresssion' is not a valid logical expression"
                ),
                (
                    ContactTestClient.campaign(
                        account: account,
                        #", "contactFilterConditionMetType": "logicalExpression", "contactFilterLogicalExpresssion": "0 OR 7", "contactFilterConditions": [\#(condition("Is", "1", 0))]"#
                    ), "refers to condition 7"
                ),
                (
                    ContactTestClient.campaign(
                        account: account,
                        #", "contactFilterConditionMetType": "logicalExpression", "contactFilterConditions": [\#(condition("Is", "1", 0))]"#),
                    "'contactFilterLogicalExpresssion' is required"
                ),
                ("[1, 2]", "must be an object"), ("{\"name\": ", "not valid JSON"),
            ]
            for (body, words) in cases {
                let reply = try await api.post("/outreach/campaigns", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.status) \(reply.text)")
            }
            let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account))
            for (body, words) in [
                (#"{"name": "x"}"#, "'id' is required"), (#"{"id": "\#(campaign.id)"}"#, "'name' is required"),
                (#"{"id": "\#(UUID().uuidString)", "name": "x"}"#, "'id' must be the id in the path"),
                (#"{"id": "nope", "name": "x"}"#, "'id' must be a GUID"),
                (#"{"id": "\#(campaign.id)", "name": "x", "channelAccountId": "\#(otherAccount)"}"#, "names no channel account"),
                (#"{"id": "\#(campaign.id)", "name": "x", "contactFilterConditionMetType": "logicalExpression"}"#, ""),
            ] {
                let reply = try await api.put("/outreach/campaigns/\(campaign.id)", body)
                // With no conditions, a logical expression combines nothing: every contact matches (spec §5.7).
                if words.isEmpty {
                    #expect(reply.status == .ok, "\(body): \(reply.text)")
                } else {
                    #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.status) \(reply.text)")
                }
            }
            #expect(try await api.get("/outreach/campaigns/not-a-guid").message.contains("'id' must be a GUID"))
        }
    }

    @Test("Credentials, permissions and sites: 401 without, 403 without Manage Outreach, other sites' campaigns 404")
    func access() async throws {
        try await OutreachTestApp.run { api in
            let account = try await api.channelAccount()
            let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account))
            let anonymous = try await api.client.execute(uri: "/outreach/campaigns?siteId=10000", method: .get)
            #expect(anonymous.status == .unauthorized)
            // Reading needs no permission; every change does.
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)", as: AgentDirectory.reader).status == .ok)
            for agent in [AgentDirectory.reader, AgentDirectory.editor] {
                #expect(try await api.post("/outreach/campaigns", ContactTestClient.campaign(account: account), as: agent).status == .forbidden)
                #expect(
                    try await api.put("/outreach/campaigns/\(campaign.id)", #"{"id": "\#(campaign.id)", "name": "x"}"#, as: agent).status
                        == .forbidden)
                #expect(try await api.delete("/outreach/campaigns/\(campaign.id)", as: agent).status == .forbidden)
                let send = try await api.post("/outreach/campaigns/\(campaign.id):send", "", as: agent)
                #expect(send.status == .forbidden && send.message.contains("Manage Outreach"))
            }
            let other = AgentDirectory.otherSite
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)", as: other).status == .notFound)
            #expect(
                try await api.put("/outreach/campaigns/\(campaign.id)", #"{"id": "\#(campaign.id)", "name": "x"}"#, as: other).status == .notFound)
            #expect(try await api.post("/outreach/campaigns/\(campaign.id):send", "", as: other).status == .notFound)
            #expect(try await api.delete("/outreach/campaigns/\(campaign.id)", as: other).status == .notFound)
            #expect(try await api.get("/outreach/campaigns/\(campaign.id)").status == .ok)
        }
    }

    @Test("Outreach paths match in any case, with or without a trailing slash, with :send also as %3A")
    func pathSpellings() async throws {
        try await OutreachTestApp.run { api in
            let account = try await api.channelAccount()
            let campaign = try await api.createCampaign(ContactTestClient.campaign(account: account))
            for path in [
                "/outreach/campaigns", "/Outreach/Campaigns/", "/outreach/campaigns/\(campaign.id)/",
                "/OUTREACH/campaigns/\(campaign.id.uppercased())",
            ] {
                #expect(try await api.get(path).status == .ok, "\(path)")
            }
            for path in [
                "/outreach/campaigns/\(campaign.id):send", "/outreach/Campaigns/\(campaign.id)%3Asend", "/outreach/campaigns/\(campaign.id):SEND/",
            ] {
                #expect(try await api.post(path, "").status == .ok, "\(path)")
            }
            let contact = UUID().uuidString
            for path in ["/outreach/unattachedMessages?contactId=\(contact)", "/outreach/unattachedmessages/?contactId=\(contact)"] {
                #expect(try await api.get(path).status == .ok, "\(path)")
            }
            #expect(try await api.post("/outreach/campaigns/\(campaign.id):frobnicate", "").status == .methodNotAllowed)
        }
    }
}

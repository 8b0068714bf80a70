import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import OutreachContact

@Suite("Outreach API: messages")
struct OutreachMessageTests {
    static func body(account: String, contact: String, _ extra: String = "") -> String {
        #"{"channelAccountId": "\#(account)", "contactId": "\#(contact)", "message": "Hi", "from": "+15005550006", "to": "+15550100001"\#(extra)}"#
    }

    @Test("POST records a message with the defaults of §5.2 (queued, now, sms) and the seed's example (L530–L550); GET returns it")
    func create() async throws {
        try await OutreachTestApp.run { api in
            let account = try await api.channelAccount()
            let contact = UUID().uuidString.lowercased()
            let plain = try await api.post("/outreach/messages", Self.body(account: account, contact: contact))
            #expect(plain.status == .created, "\(plain.text)")
            let message = try plain.decode(Comm100OutreachMessage.self)
            #expect(message.status == "queued" && message.channel == "sms" && message.failedReason == "" && message.campaignId == nil)
            #expect(message.sentTime.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            #expect(!message.isMessageAutoAttachedToTicket && message.preferredTicketToAutoAttach == "newTicket")
            #expect(plain.object["attachedToTicketId"] is NSNull && plain.object["callbackURL"] is NSNull)
            #expect(try await api.get("/outreach/messages/\(message.id)").decode(Comm100OutreachMessage.self) == message)

            let seed = try await api.post(
                "/outreach/messages",
                #"""
                {"sentTime": "2022-05-23 03:00:36.277", "channel": "sms", "channelAccountId": "\#(account)", "contactId": "f9928d68-92e6-4487-a2e8-8234fc9d1f48",
                 "message": "Hello, please fill in your application form by the end of this week!", "from": "Tom Cruise", "to": "XXX University",
                 "status": "sent", "failedReason": "", "campaignId": "d3f5b968-ad51-42af-b759-64c0afc40b84", "campaignSentTime": "2022-05-22 03:00:36.277",
                 "isMessageAutoAttachedToTicket": "yes", "preferredTicketToAutoAttach": "newTicket", "timeToAutoAttachToTicket": "whenTheMessageIsSent",
                 "attachedToTicketId": "a1128d68-92e6-4487-a2e8-8234fc9d1f48", "callbackURL": "https://domainname.com/sms/callback"}
                """#)
            #expect(seed.status == .created, "\(seed.text)")
            let example = try seed.decode(Comm100OutreachMessage.self)
            #expect(example.sentTime == "2022-05-23T03:00:36.277Z" && example.campaignSentTime == "2022-05-22T03:00:36.277Z")
            #expect(
                example.status == "sent" && example.isMessageAutoAttachedToTicket
                    && example.attachedToTicketId == "a1128d68-92e6-4487-a2e8-8234fc9d1f48")
            #expect(example.callbackURL == "https://domainname.com/sms/callback" && example.campaignId == "d3f5b968-ad51-42af-b759-64c0afc40b84")
        }
    }

    @Test("Bad messages answer 400 naming the problem; 401, 403 and other sites' messages 404")
    func badInputAndAccess() async throws {
        try await OutreachTestApp.run { api in
            let account = try await api.channelAccount()
            let contact = UUID().uuidString
            for (body, words) in [
                (#"{"channelAccountId": "\#(account)", "message": "Hi", "from": "a", "to": "b"}"#, "'contactId' is required"),
                (#"{"contactId": "\#(contact)", "message": "Hi", "from": "a", "to": "b"}"#, "'channelAccountId' is required"),
                (#"{"contactId": "\#(contact)", "channelAccountId": "\#(account)", "from": "a", "to": "b"}"#, "'message' is required"),
                (Self.body(account: account, contact: contact, #", "status": "lost""#), "'status' must be one of queued"),
                (Self.body(account: account, contact: contact, #", "status": "failed""#), "'failedReason' is required"),
                (Self.body(account: account, contact: "nope"), "'contactId' must be a GUID"),
                (Self.body(account: UUID().uuidString, contact: contact), "'channelAccountId' names no channel account"),
                (Self.body(account: account, contact: contact, #", "channel": "fax""#), "'channel' must be sms"),
                (Self.body(account: account, contact: contact, #", "sentTime": "yesterday""#), "'sentTime' must be a date"),
                (Self.body(account: account, contact: contact, #", "campaignId": "x""#), "'campaignId' must be a GUID"),
                (Self.body(account: account, contact: contact, #", "callbackURL": "ftp://x""#), "'callbackURL' must be an absolute http"),
                (Self.body(account: account, contact: contact, #", "timeToAutoAttachToTicket": "soon""#), "'timeToAutoAttachToTicket' must be"),
                (Self.body(account: account, contact: contact, #", "isMessageAutoAttachedToTicket": 7"#), "isMessageAutoAttachedToTicket"),
            ] {
                let reply = try await api.post("/outreach/messages", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.status) \(reply.text)")
            }
            let message = try await api.post("/outreach/messages", Self.body(account: account, contact: contact)).decode(Comm100OutreachMessage.self)
            let full = { (extra: String) in
                #"{"id": "\#(message.id)", "sentTime": "\#(message.sentTime)", "contactId": "\#(contact)", "message": "Hi", "from": "a", "to": "b"\#(extra)}"#
            }
            for (body, words) in [
                (full(""), "'status' is required"), (full(#", "status": "gone""#), "'status' must be one of"),
                (full(#", "status": "undelivered""#), "'failedReason' is required"),
                (
                    #"{"sentTime": "\#(message.sentTime)", "contactId": "\#(contact)", "message": "Hi", "from": "a", "to": "b", "status": "sent"}"#,
                    "'id' is required"
                ),
                (
                    full(#", "status": "sent", "id": "\#(UUID().uuidString)""#).replacingOccurrences(of: #""id": "\#(message.id)", "#, with: ""),
                    "'id' must be the id"
                ),
                (
                    #"{"id": "\#(message.id)", "contactId": "\#(contact)", "message": "Hi", "from": "a", "to": "b", "status": "sent"}"#,
                    "'sentTime' is required"
                ),
            ] {
                let reply = try await api.put("/outreach/messages/\(message.id)", body)
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(body): \(reply.status) \(reply.text)")
            }
            #expect(try await api.client.execute(uri: "/outreach/messages?siteId=10000", method: .get).status == .unauthorized)
            #expect(
                try await api.post("/outreach/messages", Self.body(account: account, contact: contact), as: AgentDirectory.reader).status
                    == .forbidden)
            #expect(
                try await api.put("/outreach/messages/\(message.id)", full(#", "status": "sent""#), as: AgentDirectory.editor).status == .forbidden)
            #expect(try await api.get("/outreach/messages/\(message.id)", as: AgentDirectory.otherSite).status == .notFound)
            #expect(
                try await api.put("/outreach/messages/\(message.id)", full(#", "status": "sent""#), as: AgentDirectory.otherSite).status == .notFound)
            #expect(try await api.get("/outreach/messages", as: AgentDirectory.otherSite).decode(Comm100OutreachMessagePage.self).total == 0)
            #expect(try await api.get("/outreach/messages/\(UUID().uuidString)").status == .notFound)
            #expect(try await api.get("/outreach/messages/123").message.contains("'id' must be a GUID"))
            #expect(try await api.get("/outreach/unattachedMessages").message.contains("'contactId' is required"))
            #expect(try await api.get("/outreach/unattachedMessages?contactId=x").message.contains("'contactId' must be a GUID"))
            // Messages have no "all" page: a site's messages grow by an audience a send.
            #expect(try await api.get("/outreach/messages?pageSize=0").message.contains("'pageSize' must be between 1 and 500"))
        }
    }

    @Test("A message naming another site's campaign does not answer keyword searches with that campaign's name")
    func keywordsStayInTheSite() async throws {
        try await OutreachTestApp.run { api in
            let otherAccount = try await api.channelAccount(as: AgentDirectory.otherSite)
            let secret = try await api.createCampaign(
                ContactTestClient.campaign(account: otherAccount).replacingOccurrences(of: #""name": ""#, with: #""name": "Zanzibar "#),
                as: AgentDirectory.otherSite)
            #expect(secret.name.hasPrefix("Zanzibar"))
            let account = try await api.channelAccount()
            let named = try await api.post(
                "/outreach/messages", Self.body(account: account, contact: UUID().uuidString, #", "campaignId": "\#(secret.id)""#))
            #expect(named.status == .created)
            #expect(try await api.messages("keywords=zanzibar").isEmpty)
            #expect(try await api.messages("campaignId=\(secret.id)").count == 1)
        }
    }

    @Test("PUT overrides any status (not only forwards); a change of status or ticket sends the callback, an unchanged PUT none")
    func updateAndCallback() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await OutreachTestApp.run { api in
                let account = try await api.channelAccount()
                let contact = UUID().uuidString.lowercased()
                let message = try await api.post(
                    "/outreach/messages", Self.body(account: account, contact: contact, #", "status": "delivered", "callbackURL": "\#(url)""#)
                )
                .decode(Comm100OutreachMessage.self)
                let put = { (extra: String) in
                    try await api.put(
                        "/outreach/messages/\(message.id)",
                        #"{"id": "\#(message.id)", "sentTime": "2022-05-23 03:00:36.277", "contactId": "\#(contact)", "message": "Hi", "from": "+15005550006", "to": "+15550100001"\#(extra)}"#
                    )
                }
                let back = try await put(#", "status": "sending""#)
                #expect(back.status == .ok, "\(back.text)")
                #expect(try back.decode(Comm100OutreachMessage.self).status == "sending")
                #expect(try back.decode(Comm100OutreachMessage.self).sentTime == "2022-05-23T03:00:36.277Z")
                #expect(try await put(#", "status": "sending""#).status == .ok)  // unchanged: no callback
                let attached = try await put(#", "status": "sending", "attachedToTicketId": 100"#)
                #expect(try attached.decode(Comm100OutreachMessage.self).attachedToTicketId == "100")
                let failed = try await put(#", "status": "FAILED", "failedReason": "Carrier said no""#)
                #expect(try failed.decode(Comm100OutreachMessage.self).failedReason == "Carrier said no")
                #expect(try await outreachEventually { receiver.received.count >= 3 })
                try await Task.sleep(for: .milliseconds(300))
                let sent = receiver.received.compactMap { try? JSONDecoder().decode(Comm100OutreachCallback.self, from: Data($0.body.utf8)) }
                // The outbox delivers concurrently: callbacks of one message may arrive in any order (decision 156).
                let seen = sent.map { "\($0.message.status) \($0.message.attachedToTicketId ?? "-")" }.sorted()
                #expect(seen == ["failed 100", "sending -", "sending 100"] && sent.allSatisfy { $0.siteId == "10000" })
            }
        }
    }

    @Test("The list filters in SQL (record, contact, ticket, day or instant, status, keywords in from, to, campaign and contact names) and pages")
    func listFilters() async throws {
        try await OutreachTestApp.run { api in
            let account = try await api.channelAccount()
            let alice = try await api.createContact(
                #"{"name": "Alice Liddell", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100001"}]}"#)
            let campaign = try await api.createCampaign(
                ContactTestClient.campaign(account: account).replacingOccurrences(of: "Spring", with: "Autumn Sale"))
            let record = try await api.send(campaign: campaign.id)
            let other = UUID().uuidString.lowercased()
            for (day, to, status, extra) in [
                ("2022-05-23T03:00:00Z", "+15550109999", "sent", #", "attachedToTicketId": "100""#),
                ("2022-05-23T20:00:00Z", "+15550108888", "delivered", ""),
                ("2022-05-24T01:00:00Z", "+15550107777", "queued", ""),
            ] {
                let reply = try await api.post(
                    "/outreach/messages",
                    Self.body(account: account, contact: other, #", "sentTime": "\#(day)", "status": "\#(status)"\#(extra)"#).replacingOccurrences(
                        of: "+15550100001", with: to))
                #expect(reply.status == .created, "\(reply.text)")
            }
            let tos = { (query: String) in try await api.messages(query).map(\.to) }
            #expect(try await tos("campaignRecordId=\(record.id)") == ["+15550100001"])
            #expect(try await tos("campaignId=\(campaign.id)&contactId=\(alice.id)") == ["+15550100001"])
            #expect(try await tos("contactId=\(other)") == ["+15550109999", "+15550108888", "+15550107777"])
            #expect(try await tos("contactId=\(other)&sortOrder=desc") == ["+15550107777", "+15550108888", "+15550109999"])
            #expect(try await tos("contactId=\(other)&sortBy=to") == ["+15550107777", "+15550108888", "+15550109999"])
            #expect(try await tos("sentTime=2022-05-23") == ["+15550109999", "+15550108888"])
            #expect(try await tos("sentTime=2022-05-23T19:00:00Z&contactId=\(other)") == ["+15550108888", "+15550107777"])
            #expect(try await tos("attachedToTicketId=100") == ["+15550109999"])
            #expect(try await tos("status=delivered,queued&contactId=\(other)") == ["+15550108888", "+15550107777"])
            #expect(try await tos("keywords=AUTUMN") == ["+15550100001"])
            #expect(try await tos("keywords=liddell") == ["+15550100001"])
            #expect(try await tos("keywords=8888") == ["+15550108888"])
            #expect(try await tos("keywords=5005550006&contactId=\(other)").count == 3)
            #expect(try await tos("channel=sms&channelAccountId=\(account)").count == 4)
            let page = try await api.get("/outreach/messages?pageSize=2&pageIndex=2").decode(Comm100OutreachMessagePage.self)
            #expect(page.total == 4 && page.messages.count == 2 && page.nextPage == nil && page.previousPage?.contains("pageIndex=1") == true)
            for (query, words) in [
                ("sentTime=soon", "'sentTime' must be a date"), ("status=lost", "'status' must list"),
                ("campaignRecordId=1", "'campaignRecordId' must be a GUID"),
                ("contactId=1", "'contactId' must be a GUID"), ("sortBy=message", "'sortBy' must be one of"), ("pageSize=900", "'pageSize'"),
                ("channel=fax", "'channel' must be sms"),
            ] {
                let reply = try await api.get("/outreach/messages?\(query)")
                #expect(reply.status == .badRequest && reply.message.contains(words), "\(query): \(reply.text)")
            }
        }
    }

    @Test("unattachedMessages lists a contact's auto-attach-on-reply messages not yet attached nor failed, oldest first (§5.6)")
    func unattached() async throws {
        try await OutreachTestApp.run { api in
            let account = try await api.channelAccount()
            let contact = UUID().uuidString.lowercased()
            let reply = #", "isMessageAutoAttachedToTicket": true, "timeToAutoAttachToTicket": "whenContactRepliesTheMessage""#
            var ids: [String: String] = [:]
            for (name, extra) in [
                ("late", #", "sentTime": "2022-05-24T00:00:00Z""# + reply), ("early", #", "sentTime": "2022-05-23T00:00:00Z""# + reply),
                ("attached", #", "attachedToTicketId": "7""# + reply), ("failed", #", "status": "failed", "failedReason": "x""# + reply),
                ("undelivered", #", "status": "undelivered", "failedReason": "x""# + reply),
                ("onSend", #", "isMessageAutoAttachedToTicket": true, "timeToAutoAttachToTicket": "whenTheMessageIsSent""#),
                ("notAuto", #", "timeToAutoAttachToTicket": "whenContactRepliesTheMessage""#),
            ] {
                ids[name] = try await api.post("/outreach/messages", Self.body(account: account, contact: contact, extra)).decode(
                    Comm100OutreachMessage.self
                ).id
            }
            try await api.post("/outreach/messages", Self.body(account: account, contact: UUID().uuidString, reply))
            let list = try await api.get("/outreach/unattachedMessages/?contactId=\(contact.uppercased())")
            #expect(Set(list.object.keys) == ["messages"])
            #expect(try list.decode(Comm100OutreachMessageList.self).messages.map(\.id) == [ids["early"]!, ids["late"]!])
            // Attached by PUT: it leaves the list.
            let early = try await api.get("/outreach/messages/\(ids["early"]!)").decode(Comm100OutreachMessage.self)
            let attach = try await api.put(
                "/outreach/messages/\(early.id)",
                #"{"id": "\#(early.id)", "sentTime": "\#(early.sentTime)", "contactId": "\#(contact)", "message": "Hi", "from": "a", "to": "b", "status": "sent", "attachedToTicketId": "42"}"#
            )
            #expect(attach.status == .ok, "\(attach.text)")
            #expect(
                try await api.get("/outreach/unattachedMessages?contactId=\(contact)").decode(Comm100OutreachMessageList.self).messages.map(\.id) == [
                    ids["late"]!
                ])
            #expect(
                try await api.get("/outreach/unattachedMessages?contactId=\(contact)", as: AgentDirectory.otherSite).decode(
                    Comm100OutreachMessageList.self
                ).messages.isEmpty)
        }
    }
}

import Foundation
import HTTPTypes
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: blocked senders, inbound email and junk")
struct AnytimeJunkTests {
    static func email(from: String, subject: String = "Cheap pills", text: String = "Buy now") -> String {
        #"{"from": "\#(from)", "subject": "\#(subject)", "channelAccountId": "acc-1", "contactIdentityId": "ci-9", "cc": "x@example.com", "originalMessageId": "<m1@example.com>", "contents": [{"type": "text", "text": "\#(text)"}, {"type": "htmlText", "htmlText": "<p>\#(text)</p>"}]}"#
    }

    @Test("PUT /blockedSenders adds or, for the same value in any case, updates keeping the id; list filters by value; delete by value")
    func blockedSenders() async throws {
        try await AnytimeTestClient.run { api in
            let reply = try await api.put("/blockedSenders", #"{"value": "Spam@Example.com", "blockType": "blockEmailasJunk"}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let spam = try reply.decode(AnytimeBlockedSender.self)
            #expect(spam.value == "Spam@Example.com" && spam.blockType == .blockEmailasJunk)
            let again = try await api.put("/blockedSenders", #"{"value": "spam@example.COM", "blockType": "rejectEmail"}"#).decode(
                AnytimeBlockedSender.self)
            #expect(again.id == spam.id && again.blockType == .rejectEmail)
            let domain = try await api.put("/blockedSenders", #"{"value": "junk.test", "blockType": "blockDomainasJunk"}"#).decode(
                AnytimeBlockedSender.self)
            #expect(try await api.get("/blockedSenders").decode([AnytimeBlockedSender].self).map(\.id) == [domain.id, spam.id])
            #expect(try await api.get("/blockedSenders?value=EXAMPLE").decode([AnytimeBlockedSender].self).map(\.id) == [spam.id])
            #expect(try await api.get("/blockedSenders/\(domain.id)").decode(AnytimeBlockedSender.self) == domain)
            #expect(try await api.delete("/blockedSenders?value=SPAM%40example.com").status == .noContent)
            #expect(try await api.delete("/blockedSenders", #"{"value": "junk.test"}"#).status == .noContent)
            let gone = try await api.delete("/blockedSenders?value=junk.test")
            #expect(gone.status == .notFound && gone.object["code"] != nil, "\(gone.text)")
            #expect(try await api.get("/blockedSenders/\(domain.id)").status == .notFound)
            #expect(try await api.get("/blockedSenders").decode([AnytimeBlockedSender].self).isEmpty)
        }
    }

    @Test("Bad blocked-sender input is a 400 naming the member: missing, wrong type, unknown enum, oversize, an address for a domain type")
    func blockedValidation() async throws {
        try await AnytimeTestClient.run { api in
            for (body, field) in [
                (#"{"blockType": "rejectEmail"}"#, "value"), (#"{"value": "a@b.com"}"#, "blockType"),
                (#"{"value": "a@b.com", "blockType": "blockEverything"}"#, "blockType"), (#"{"value": 5, "blockType": "rejectEmail"}"#, "value"),
                (#"{"value": "b.com", "blockType": "rejectEmail"}"#, "value"), (#"{"value": "a@b.com", "blockType": "rejectDomain"}"#, "value"),
                (#"{"value": "not a domain", "blockType": "blockDomainasJunk"}"#, "value"),
                (#"{"value": "\#(String(repeating: "a", count: 320))@b.com", "blockType": "rejectEmail"}"#, "value"),
            ] {
                let reply = try await api.put("/blockedSenders", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            #expect(try await api.delete("/blockedSenders").message.contains("value"))
        }
    }

    @Test(
        "Inbound email: an unblocked sender opens a conversation; junk rules keep it as junk; reject rules refuse it (422); an address beats its domain"
    )
    func inbound() async throws {
        try await AnytimeTestClient.run { api in
            let open = try await api.post("/inboundEmails", Self.email(from: "ann@customer.test", subject: "Broken widget"))
            #expect(open.status == .created, "\(open.text)")
            let opened = try #require(try open.decode(AnytimeInboundResult.self).conversation)
            #expect(opened.subject == "Broken widget" && opened.createdByType == .contact && !opened.isRead && opened.status == .new)
            let first = try #require(try await api.get("/conversations/\(opened.id)/messages").decode([AnytimeMessage].self).first)
            #expect(first.directType == .receive && first.senderType == .contact && first.channelAccountId == "acc-1" && first.contents.count == 2)
            _ = try await api.put("/blockedSenders", #"{"value": "spammer.test", "blockType": "blockDomainasJunk"}"#)
            _ = try await api.put("/blockedSenders", #"{"value": "boss@spammer.test", "blockType": "rejectEmail"}"#)
            _ = try await api.put("/blockedSenders", #"{"value": "evil.test", "blockType": "rejectDomain"}"#)
            // A subdomain of a blocked domain is blocked as well.
            let junked = try await api.post("/inboundEmails", Self.email(from: "Bob@Mail.Spammer.test"))
            #expect(junked.status == .created, "\(junked.text)")
            let result = try junked.decode(AnytimeInboundResult.self)
            let junk = try #require(result.junk)
            #expect(result.conversation == nil && !junk.isRead && junk.senderType == .contact && junk.channelAccount == "acc-1")
            #expect(junk.subject == "Cheap pills" && junk.contents.map(\.type) == [.text, .htmlText] && junk.source == "API")
            for from in ["boss@spammer.test", "someone@evil.test"] {
                let refused = try await api.post("/inboundEmails", Self.email(from: from))
                #expect(refused.status == .unprocessableContent && refused.message.contains(from), "\(refused.text)")
            }
            #expect(try await api.get("/junks").decode(AnytimeJunkPage.self).total == 1)
            #expect(try await api.get("/conversations").decode(AnytimeConversationPage.self).total == 1)
            for (body, field) in [
                (#"{"subject": "a"}"#, "from"), (#"{"from": "nobody"}"#, "from"),
                (#"{"from": "a@b.test", "contents": [{"type": "hologram"}]}"#, "type"),
                (#"{"from": "a@b.test", "subject": "\#(String(repeating: "s", count: 1001))"}"#, "subject"),
            ] {
                let reply = try await api.post("/inboundEmails", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.text)")
            }
        }
    }

    @Test("Junk: listed newest first with keywords and a window, marked read, restored as a conversation (the block stays), deleted")
    func junk() async throws {
        try await AnytimeTestClient.run { api in
            _ = try await api.put("/blockedSenders", #"{"value": "spam@spammer.test", "blockType": "blockEmailasJunk"}"#)
            let older = try #require(
                try await api.post("/inboundEmails", Self.email(from: "spam@spammer.test", text: "lottery")).decode(AnytimeInboundResult.self).junk)
            api.clock.advance(by: 3600)
            let newer = try #require(
                try await api.post("/inboundEmails", Self.email(from: "spam@spammer.test", subject: "Hello")).decode(AnytimeInboundResult.self).junk)
            let page = try await api.get("/junks").decode(AnytimeJunkPage.self)
            #expect(page.total == 2 && page.junks.map(\.id) == [newer.id, older.id] && page.nextPage == nil && page.previousPage == nil)
            #expect(try await api.get("/junks?keywords=LOTTERY").decode(AnytimeJunkPage.self).junks.map(\.id) == [older.id])
            #expect(try await api.get("/junks?timeFrom=2027-01-15T08:30:00Z").decode(AnytimeJunkPage.self).junks.map(\.id) == [newer.id])
            #expect(try await api.get("/junks/\(older.id)").decode(AnytimeJunk.self) == older)
            let read = try await api.put("/junks/\(older.id)", #"{"isRead": true}"#)
            #expect(read.status == .ok, "\(read.text)")
            #expect(try read.decode(AnytimeJunk.self).isRead)
            #expect(try await api.get("/junks/\(older.id)").decode(AnytimeJunk.self).isRead)
            let restored = try await api.post("/junks/\(older.id)/notJunk", "")
            #expect(restored.status == .ok, "\(restored.text)")
            let conversation = try restored.decode(AnytimeConversation.self)
            #expect(conversation.subject == "Cheap pills" && conversation.createdByType == .contact)
            let messages = try await api.get("/conversations/\(conversation.id)/messages").decode([AnytimeMessage].self)
            #expect(messages.count == 1 && messages[0].directType == .receive && messages[0].contents == older.contents && messages[0].cc == older.cc)
            #expect(try await api.get("/junks/\(older.id)").status == .notFound)
            #expect(try await api.post("/junks/\(older.id)/notJunk", "").status == .notFound)
            #expect(try await api.get("/blockedSenders").decode([AnytimeBlockedSender].self).count == 1)
            #expect(try await api.delete("/junks/\(newer.id)").status == .noContent)
            #expect(try await api.delete("/junks/\(newer.id)").status == .notFound)
            #expect(try await api.get("/junks").decode(AnytimeJunkPage.self).total == 0)
            for path in ["/junks?pageIndex=0", "/junks?timeFrom=soon", "/junks?timeFrom=2027-02-01&timeTo=2027-01-01", "/junks?timeZoneOffset=20"] {
                #expect(try await api.get(path).status == .badRequest, "\(path)")
            }
            #expect(try await api.put("/junks/\(newer.id)", #"{"isRead": "yes"}"#).message.contains("isRead"))
        }
    }

    @Test("Another site's blocked senders and junk are invisible (404) and do not block its mail")
    func tenancy() async throws {
        try await AnytimeTestClient.run { api in
            let other = AgentDirectory.otherSite
            let block = try await api.put("/blockedSenders", #"{"value": "spam@spammer.test", "blockType": "blockEmailasJunk"}"#).decode(
                AnytimeBlockedSender.self)
            let junk = try #require(
                try await api.post("/inboundEmails", Self.email(from: "spam@spammer.test")).decode(AnytimeInboundResult.self).junk)
            #expect(try await api.get("/blockedSenders/\(block.id)", as: other).status == .notFound)
            #expect(try await api.get("/blockedSenders", as: other).decode([AnytimeBlockedSender].self).isEmpty)
            #expect(try await api.delete("/blockedSenders?value=spam@spammer.test", as: other).status == .notFound)
            for (method, path) in [
                (HTTPRequest.Method.get, "/junks/\(junk.id)"), (.put, "/junks/\(junk.id)"), (.post, "/junks/\(junk.id)/notJunk"),
                (.delete, "/junks/\(junk.id)"),
            ] {
                let reply = try await api.send(method, path, method == .put ? #"{"isRead": true}"# : nil, as: other)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.text)")
            }
            #expect(try await api.get("/junks", as: other).decode(AnytimeJunkPage.self).total == 0)
            let mail = try await api.post("/inboundEmails", Self.email(from: "spam@spammer.test"), as: other).decode(AnytimeInboundResult.self)
            #expect(mail.conversation != nil && mail.junk == nil)
            #expect(try await api.get("/junks/\(junk.id)").decode(AnytimeJunk.self) == junk)
        }
    }
}

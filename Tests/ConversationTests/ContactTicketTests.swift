import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing
import WireModels

@testable import Conversation

/// outreach-contact's auto-attach route (`POST /internal/sites/{siteId}/contactTicketMessages`, decision 250): a sent
/// outreach message lands on a new ticket of its contact or on the contact's latest open one, once however often it is
/// sent, and only with the internal token.
@Suite("conversation: outreach messages onto a contact's ticket")
struct ContactTicketTests {
    static let contact = "7a0b8c3e-0000-4000-8000-000000000001"

    func body(_ originalId: String, preferred: String = "newTicket", contact: String = Self.contact, text: String = "Spring sale") -> String {
        #"""
        {"contactId": "\#(contact)", "preferredTicket": "\#(preferred)", "subject": "Outreach: Spring",
         "message": {"sentById": "acct-1", "sentByType": "channelAccount", "type": "text", "channelId": "SMS", "body": "\#(text)",
                     "originalId": "\#(originalId)", "metadata": {"outreachMessageId": "\#(originalId)"},
                     "time": "2027-01-15T08:00:00.000Z", "messageDelivery": {"status": "success"}}}
        """#
    }

    func attach(
        _ api: AnytimeTestClient, _ body: String, site: String = "10000", token: String? = TestConfiguration.internalToken
    ) async throws -> AnytimeTestClient.Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[HTTPField.Name("X-Internal-Token")!] = token }
        let response = try await api.client.execute(
            uri: "/internal/sites/\(site)/contactTicketMessages", method: .post, headers: headers, body: ByteBuffer(string: body))
        return AnytimeTestClient.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    func ticketId(_ reply: AnytimeTestClient.Reply) throws -> Int {
        try #require(reply.status == .ok, "\(reply.status) \(reply.text)")
        return try reply.decode(ContactTicketAnswer.self).ticketId
    }

    @Test("A new ticket about the contact holds the message, as the site's agents see it; sent again, it lands once")
    func newTicketOnce() async throws {
        try await AnytimeTestClient.run { api in
            let ticket = try self.ticketId(try await self.attach(api, self.body("om-1")))
            let conversation = try await api.get("/conversations/\(ticket)?include=messages").decode(AnytimeConversation.self)
            #expect(conversation.subject == "Outreach: Spring")
            #expect(conversation.relatedType == .contact && conversation.relatedId == Self.contact)
            let messages = try #require(conversation.messages)
            #expect(messages.count == 1)
            #expect(messages.first?.originalMessageId == "om-1" && messages.first?.sendStatus == .success)
            #expect(messages.first?.contents.first?.text == "Spring sale")
            #expect(messages.first?.directType == .send)

            // A retried attach (the job ran twice, or its answer was lost) answers the same ticket and stores nothing.
            #expect(try self.ticketId(try await self.attach(api, self.body("om-1"))) == ticket)
            #expect(try await api.get("/conversations/\(ticket)/messages").decode([AnytimeMessage].self).count == 1)

            // In the trash, it still holds the message: the retry answers it rather than opening another.
            #expect(try await api.delete("/conversations/\(ticket)").status == .noContent)
            #expect(try self.ticketId(try await self.attach(api, self.body("om-1"))) == ticket)

            // Another site sees nothing of it, and the same contact id there gets a ticket of its own.
            #expect(try await api.get("/conversations/\(ticket)", as: AgentDirectory.otherSite).status == .notFound)
            let elsewhere = try self.ticketId(try await self.attach(api, self.body("om-1", preferred: "existing"), site: "20000"))
            #expect(elsewhere != ticket)
        }
    }

    @Test("existing reuses the contact's latest open ticket, not a closed one; newTicket always opens one")
    func existingTicket() async throws {
        try await AnytimeTestClient.run { api in
            let first = try self.ticketId(try await self.attach(api, self.body("om-1")))
            let reused = try self.ticketId(try await self.attach(api, self.body("om-2", preferred: "existing")))
            #expect(reused == first)
            let fresh = try self.ticketId(try await self.attach(api, self.body("om-3", preferred: "newTicket")))
            #expect(fresh != first)
            // The latest open one is the fresh ticket; once it and the first are closed, existing opens another.
            #expect(try self.ticketId(try await self.attach(api, self.body("om-4", preferred: "existing"))) == fresh)
            for id in [first, fresh] { #expect(try await api.put("/conversations/\(id)", #"{"status": "closed"}"#).status == .ok) }
            let reopened = try self.ticketId(try await self.attach(api, self.body("om-5", preferred: "existing")))
            #expect(![first, fresh].contains(reopened))
            // Another contact's open ticket is never its.
            let other = try self.ticketId(
                try await self.attach(api, self.body("om-6", preferred: "existing", contact: "7a0b8c3e-0000-4000-8000-000000000002")))
            #expect(other != reopened)
        }
    }

    @Test("Only the internal token opens the route; bad input is a 400 naming the member")
    func refusals() async throws {
        try await AnytimeTestClient.run { api in
            #expect(try await self.attach(api, self.body("om-1"), token: nil).status == .unauthorized)
            #expect(try await self.attach(api, self.body("om-1"), token: "guessed").status == .unauthorized)
            let cases: [(String, String, String)] = [
                (self.body("om-1", preferred: "sometimes"), "10000", "preferredTicket"),
                (self.body(""), "10000", "originalId"),
                (self.body("om-1"), "abc", "siteId"),
                (self.body("om-1").replacingOccurrences(of: #""channelId": "SMS""#, with: #""channelId": "pigeon""#), "10000", "channelId"),
                (self.body("om-1").replacingOccurrences(of: #""type": "text""#, with: #""type": "hologram""#), "10000", "type"),
                (self.body("om-1", contact: String(repeating: "c", count: 65)), "10000", "contactId"),
            ]
            for (body, site, member) in cases {
                let reply = try await self.attach(api, body, site: site)
                #expect(reply.status == .badRequest, "\(member): \(reply.status)")
                #expect(reply.message.contains(member), "\(member): \(reply.message)")
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: conversations")
struct AnytimeConversationTests {
    @Test("POST creates the conversation with its defaults, its first message and a 'created' event log; GET answers it with includes")
    func create() async throws {
        try await AnytimeTestClient.run { api in
            let reply = try await api.post(
                "/conversations",
                #"{"subject": "Refund", "tagIds": ["t1", "t2", "t1"], "message": {"channelId": "Email", "subject": "Re: refund", "contents": [{"type": "text", "text": "We will refund you"}]}}"#
            )
            #expect(reply.status == .created, "\(reply.text)")
            let made = try reply.decode(AnytimeConversation.self)
            #expect(made.id > 0 && made.subject == "Refund" && made.priority == .normal && made.status == .new)
            #expect(made.createdById == "1" && made.createdByType == .agent && made.isRead && !made.isDeleted && made.tagIds == ["t1", "t2"])
            #expect(made.createdTime == "2027-01-15T08:00:00.000Z" && made.lastRepliedTime == made.createdTime)
            #expect(made.messages == nil && made.eventLogs == nil)
            let full = try await api.get("/conversations/\(made.id)?include=messages,eventLogs").decode(AnytimeConversation.self)
            let message = try #require(full.messages?.first)
            #expect(full.messages?.count == 1 && message.channelId == "email" && message.type == .message && message.directType == .send)
            #expect(message.sendStatus == .sending && message.senderId == "1" && message.subject == "Re: refund")
            #expect(message.contents.map(\.text) == ["We will refund you"])
            #expect(full.eventLogs?.count == 1 && full.eventLogs?.first?.text.contains("Created") == true)
            let logs = try await api.get("/conversations/\(made.id)/eventLogs").decode([AnytimeEventLog].self)
            #expect(logs == full.eventLogs)
            // Paths in any case, with a trailing slash.
            #expect(try await api.get("/CONVERSATIONS/\(made.id)/").status == .ok)
        }
    }

    @Test("Bad input is a 400 naming the field: missing, wrong type, unknown enum, oversize, unknown channel or include")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            let message = #""message": {"channelId": "email", "contents": [{"type": "text", "text": "x"}]}"#
            let cases: [(String, String)] = [
                (#"{\#(message)}"#, "subject"),
                (#"{"subject": "a"}"#, "message"),
                (#"{"subject": "a", "message": {"contents": []}}"#, "message.channelId"),
                (#"{"subject": "a", "message": {"channelId": "pigeon"}}"#, "message.channelId"),
                (#"{"subject": 12, \#(message)}"#, "subject"),
                (#"{"subject": "a", "priority": "critical", \#(message)}"#, "priority"),
                (#"{"subject": "a", "status": 3, \#(message)}"#, "status"),
                (#"{"subject": "\#(String(repeating: "s", count: 1001))", \#(message)}"#, "subject"),
                (#"{"subject": "a", "assignedAgentId": "\#(String(repeating: "9", count: 65))", \#(message)}"#, "assignedAgentId"),
                (#"{"subject": "a", "tagIds": "t1", \#(message)}"#, "tagIds"),
                (#"{"subject": "a", "message": {"channelId": "email", "contents": [{"type": "hologram"}]}}"#, "type"),
                (
                    #"{"subject": "a", "message": {"channelId": "twitter", "contents": [{"type": "text", "text": "\#(String(repeating: "t", count: 281))"}]}}"#,
                    "message.contents"
                ),
                (
                    #"{"subject": "a", "message": {"channelId": "sms", "contents": [{"type": "file", "url": "http://f"}]}}"#,
                    "message.contents[0].type"
                ),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/conversations", body)
                #expect(reply.status == .badRequest, "\(field): \(reply.status) \(reply.text)")
                #expect(reply.message.contains(field), "\(field): \(reply.text)")
                #expect(reply.object["code"] != nil)
            }
            let made = try await api.create()
            for (path, field) in [
                ("/conversations/abc", "id"), ("/conversations/\(made.id)?include=assignee", "include"),
                ("/conversations/\(made.id)?include=bogus", "include"), ("/conversations?sortBy=size", "sortBy"),
                ("/conversations?sortOrder=up", "sortOrder"), ("/conversations?timeFrom=yesterday", "timeFrom"),
                ("/conversations?pageIndex=x", "pageIndex"), ("/conversations?timeZoneOffset=99", "timeZoneOffset"),
            ] {
                let reply = try await api.get(path)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(path): \(reply.status) \(reply.text)")
            }
            let put = try await api.put("/conversations/\(made.id)", #"{"priority": "whenever"}"#)
            #expect(put.status == .badRequest && put.message.contains("priority"), "\(put.text)")
            let related = try await api.put("/conversations/\(made.id)", #"{"relatedType": "agent", "relatedId": "1"}"#)
            #expect(related.status == .badRequest && related.message.contains("relatedType"), "\(related.text)")
        }
    }

    @Test("401 without credentials; another site's conversation is 404 everywhere")
    func tenancy() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            #expect(try await api.get("/conversations/\(made.id)", as: nil).status == .unauthorized)
            #expect(try await api.get("/conversations", as: nil).status == .unauthorized)
            let other = AgentDirectory.otherSite
            #expect(try await api.get("/conversations/\(made.id)", as: other).status == .notFound)
            #expect(try await api.put("/conversations/\(made.id)", #"{"status": "closed"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/conversations/\(made.id)", as: other).status == .notFound)
            #expect(try await api.get("/conversations/\(made.id)/messages", as: other).status == .notFound)
            #expect(try await api.put("/conversations/\(made.id)/read", as: other).status == .notFound)
            let page = try await api.get("/conversations", as: other).decode(AnytimeConversationPage.self)
            #expect(page.total == 0 && page.conversations.isEmpty)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).status == .new)
        }
    }

    @Test("PUT is partial: each change is logged in order, status moves lastStatusChangeTime, isRead alone moves nothing")
    func update() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            api.clock.advance(by: 60)
            let reply = try await api.put(
                "/conversations/\(made.id)", #"{"status": "pendingExternal", "priority": "urgent", "assignedAgentId": "2", "tagIds": ["x"]}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let changed = try reply.decode(AnytimeConversation.self)
            #expect(changed.status == .pendingExternal && changed.priority == .urgent && changed.assignedAgentId == "2")
            #expect(changed.subject == made.subject && changed.tagIds == ["x"])
            #expect(changed.lastStatusChangeTime == "2027-01-15T08:01:00.000Z" && changed.lastActivityTime == changed.lastStatusChangeTime)
            api.clock.advance(by: 60)
            let unassigned = try await api.put("/conversations/\(made.id)", #"{"assignedAgentId": "", "subject": "New subject"}"#)
                .decode(AnytimeConversation.self)
            #expect(unassigned.assignedAgentId == nil && unassigned.subject == "New subject" && unassigned.status == .pendingExternal)
            #expect(unassigned.lastStatusChangeTime == "2027-01-15T08:01:00.000Z" && unassigned.lastActivityTime == "2027-01-15T08:02:00.000Z")
            api.clock.advance(by: 60)
            let read = try await api.put("/conversations/\(made.id)", #"{"isRead": false}"#).decode(AnytimeConversation.self)
            #expect(!read.isRead && read.lastActivityTime == "2027-01-15T08:02:00.000Z")
            let logs = try await api.get("/conversations/\(made.id)/eventLogs").decode([AnytimeEventLog].self).map(\.text)
            #expect(logs.count == 7, "\(logs)")
            #expect(logs[1].contains("Status") && logs[2].contains("Priority") && logs[3].contains("agent") && logs[4].contains("Tags"), "\(logs)")
            #expect(logs[5].contains("Subject") && logs[6].contains("agent"), "\(logs)")
            #expect(try await api.put("/conversations/999999", #"{"status": "closed"}"#).status == .notFound)
        }
    }

    @Test("Batch PUT changes every conversation, all or nothing, each change logged")
    func batchUpdate() async throws {
        try await AnytimeTestClient.run { api in
            let one = try await api.create(subject: "One")
            let two = try await api.create(subject: "Two")
            let missing = try await api.put("/conversations", #"{"ids": [\#(one.id), 999999], "status": "closed"}"#)
            #expect(missing.status == .notFound && missing.message.contains("999999"), "\(missing.text)")
            #expect(try await api.get("/conversations/\(one.id)").decode(AnytimeConversation.self).status == .new)
            let reply = try await api.put(
                "/conversations/", #"{"ids": [\#(one.id), \#(two.id)], "status": "onHold", "priority": "high", "assignedAgentId": "2"}"#)
            #expect(reply.status == .ok, "\(reply.text)")
            let changed = try reply.decode([AnytimeConversation].self)
            #expect(
                changed.map(\.id) == [one.id, two.id]
                    && changed.allSatisfy { $0.status == .onHold && $0.priority == .high && $0.assignedAgentId == "2" })
            #expect(try await api.get("/conversations/\(two.id)/eventLogs").decode([AnytimeEventLog].self).count == 4)
            for (body, field) in [
                (#"{"status": "closed"}"#, "ids"), (#"{"ids": ["x"]}"#, "ids"), (#"{"ids": [\#(one.id)], "status": "gone"}"#, "status"),
            ] {
                let bad = try await api.put("/conversations", body)
                #expect(bad.status == .badRequest && bad.message.contains(field), "\(field): \(bad.text)")
            }
            #expect(
                try await api.put("/conversations", #"{"ids": [\#(one.id)], "status": "closed"}"#, as: AgentDirectory.otherSite).status == .notFound)
        }
    }

    @Test("The list pages by 50 with relative links, sorts, finds keywords in messages and windows on last reply time (30 days by default)")
    func list() async throws {
        try await AnytimeTestClient.run { api in
            let old = try await api.create(subject: "Ancient")
            api.clock.advance(by: 31 * 86_400)
            for index in 0..<52 { try await api.create(subject: "Case \(index)", text: index == 7 ? "the Blue_Widget broke" : "hi") }
            let urgent = try await api.create(subject: "Urgent one", extra: #""priority": "urgent","#)
            let first = try await api.get("/conversations?keywords=").decode(AnytimeConversationPage.self)
            #expect(first.total == 53 && first.conversations.count == 50)
            #expect(
                first.previousPage == nil && first.currentPage.hasPrefix("/api/v3/anytime/conversations?")
                    && first.currentPage.contains("pageIndex=1"))
            #expect(first.conversations.first?.id == urgent.id && !first.conversations.contains { $0.id == old.id })
            let next = try #require(first.nextPage)
            #expect(next.contains("pageIndex=2") && next.contains("keywords="))
            let second = try await api.get("/conversations?pageIndex=2").decode(AnytimeConversationPage.self)
            #expect(second.conversations.count == 3 && second.nextPage == nil && second.previousPage?.contains("pageIndex=1") == true)
            #expect(Set(first.conversations.map(\.id)).isDisjoint(with: second.conversations.map(\.id)))
            let found = try await api.get("/conversations?keywords=blue_widget").decode(AnytimeConversationPage.self)
            #expect(found.conversations.map(\.subject) == ["Case 7"])
            #expect(try await api.get("/conversations?keywords=blue%25widget").decode(AnytimeConversationPage.self).total == 0)
            let byPriority = try await api.get("/conversations?sortBy=priority&sortOrder=ascending").decode(AnytimeConversationPage.self)
            #expect(byPriority.conversations.first?.priority == .normal)
            let byPriorityDown = try await api.get("/conversations?sortBy=priority").decode(AnytimeConversationPage.self)
            #expect(byPriorityDown.conversations.first?.id == urgent.id)
            let window = try await api.get("/conversations?timeFrom=2027-01-01&timeTo=2027-01-16T00:00:00Z").decode(AnytimeConversationPage.self)
            #expect(window.conversations.map(\.id) == [old.id])
            let tagged = try await api.create(subject: "Tagged", extra: #""tagIds": ["vip"],"#)
            #expect(try await api.get("/conversations?tagId=vip").decode(AnytimeConversationPage.self).conversations.map(\.id) == [tagged.id])
            let empty = try await api.get("/conversations?keywords=nothing-like-this").decode(AnytimeConversationPage.self)
            #expect(empty.total == 0 && empty.previousPage == nil && empty.nextPage == nil && empty.currentPage.contains("pageIndex=1"))
        }
    }

    @Test("Delete moves to the trash (all or nothing in a batch); restore brings it back; permanent delete only from the trash")
    func trash() async throws {
        try await AnytimeTestClient.run { api in
            let one = try await api.create(subject: "One")
            let two = try await api.create(subject: "Two")
            let three = try await api.create(subject: "Three")
            #expect(try await api.delete("/conversations/\(one.id)").status == .noContent)
            #expect(try await api.get("/conversations/\(one.id)").status == .notFound)
            #expect(try await api.get("/deletedConversations/\(two.id)").status == .notFound)
            let deleted = try await api.get("/deletedConversations/\(one.id)?include=eventLogs").decode(AnytimeConversation.self)
            #expect(deleted.isDeleted && !deleted.isEditable && deleted.eventLogs?.last?.text.contains("Deleted") == true)
            #expect(try await api.get("/deletedConversations/\(one.id)/messages").decode([AnytimeMessage].self).count == 1)
            let missing = try await api.delete("/conversations?ids=\(two.id),999999")
            #expect(missing.status == .notFound && missing.message.contains("999999"))
            #expect(try await api.get("/conversations/\(two.id)").status == .ok)
            #expect(try await api.delete("/conversations", #"{"ids": [\#(two.id), \#(three.id)]}"#).status == .noContent)
            let page = try await api.get("/deletedConversations").decode(AnytimeDeletedConversationPage.self)
            #expect(page.total == 3 && Set(page.deletedConversations.map(\.id)) == [one.id, two.id, three.id])
            #expect(try await api.get("/conversations").decode(AnytimeConversationPage.self).total == 0)
            let restored = try await api.post("/deletedConversations/\(two.id)/restore", "")
            #expect(restored.status == .ok)
            #expect(try restored.decode(AnytimeConversation.self).isDeleted == false)
            #expect(try await api.get("/conversations/\(two.id)").status == .ok)
            #expect(try await api.delete("/deletedConversations/\(two.id)").status == .notFound)
            #expect(try await api.delete("/deletedConversations/\(one.id)").status == .noContent)
            #expect(try await api.get("/deletedConversations/\(one.id)").status == .notFound)
            #expect(try await api.post("/deletedConversations/\(one.id)/restore", "").status == .notFound)
            #expect(try await api.delete("/conversations?ids=abc").status == .badRequest)
            #expect(try await api.delete("/conversations").status == .badRequest)
        }
    }

    @Test("Read marks the conversation and its messages read; unread only the conversation")
    func readUnread() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            #expect(try await api.put("/conversations/\(made.id)/unread").status == .noContent)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).isRead == false)
            try await api.attach(
                made.id, #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "email", "body": "hi"}"#)
            let unread = try await api.get("/conversations/\(made.id)/messages").decode([AnytimeMessage].self)
            #expect(unread.map(\.isRead) == [true, false])
            #expect(try await api.put("/conversations/\(made.id)/read").status == .noContent)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).isRead)
            #expect(try await api.get("/conversations/\(made.id)/messages").decode([AnytimeMessage].self).allSatisfy(\.isRead))
        }
    }
}

extension AnytimeTestClient {
    /// Attaches a message to the ticket and expects 200 with no body.
    func attach(_ id: Int, _ body: String) async throws {
        let reply = try await self.post("/ticketing/ticket/\(id)/messages:attach", body)
        guard reply.status == .ok, reply.body.readableBytes == 0 else { throw ReplyError(message: "not attached: \(reply.status) \(reply.text)") }
    }
}

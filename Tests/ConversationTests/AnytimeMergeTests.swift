import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: merging conversations")
struct AnytimeMergeTests {
    @Test("Merge moves the source's messages (by time), logs and tags to the target and puts the closed source in the trash")
    func merge() async throws {
        try await AnytimeTestClient.run { api in
            let region = try await api.post("/fields", #"{"type": "text", "name": "Region"}"#).decode(AnytimeField.self)
            let order = try await api.post("/fields", #"{"type": "text", "name": "Order"}"#).decode(AnytimeField.self)
            let target = try await api.create(
                subject: "Target", text: "t1", extra: #""tagIds": ["a", "b"], "customFields": [{"id": "\#(region.id)", "value": "north"}],"#)
            api.clock.advance(by: 60)
            let source = try await api.create(
                subject: "Source", text: "s1",
                extra: #""tagIds": ["b", "c"], "customFields": [{"id": "\#(region.id)", "value": "south"}, {"id": "\#(order.id)", "value": "42"}],"#)
            api.clock.advance(by: 60)
            let note = try await api.post(
                "/conversations/\(source.id)/messages",
                #"{"type": "note", "channelId": "email", "mentionedAgentIds": ["2"], "contents": [{"type": "text", "text": "s2"}]}"#)
            #expect(note.status == .created)
            api.clock.advance(by: 60)
            let reply = try await api.post(
                "/conversations/\(target.id)/messages", #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "t2"}]}"#)
            #expect(reply.status == .created)
            // The source's first message is unread, so the target becomes unread.
            let sourceFirst = try #require(try await api.get("/conversations/\(source.id)/messages").decode([AnytimeMessage].self).first)
            #expect(try await api.put("/conversations/\(source.id)/messages/\(sourceFirst.id)/unread").status == .noContent)
            #expect(try await api.post("/conversations/\(source.id)/draft", #"{"subject": "gone"}"#).status == .created)
            api.clock.advance(by: 60)

            let merged = try await api.post("/conversations/\(target.id)/merge", #"{"sourceId": \#(source.id)}"#)
            #expect(merged.status == .ok, "\(merged.text)")
            let result = try merged.decode(AnytimeConversation.self)
            #expect(result.id == target.id && result.subject == "Target" && result.tagIds == ["a", "b", "c"] && !result.isRead)
            #expect(result.lastActivityTime == "2027-01-15T08:04:00.000Z" && result.lastRepliedTime == "2027-01-15T08:03:00.000Z")
            #expect(result.mentionedAgents.map(\.agentId) == ["2"])
            // Custom field values the target lacks come over; its own win.
            #expect(Set(result.customFields.map { "\($0.id)=\($0.value)" }) == ["\(region.id)=north", "\(order.id)=42"])

            let messages = try await api.get("/conversations/\(target.id)/messages").decode([AnytimeMessage].self)
            #expect(messages.map { $0.contents.first?.text } == ["t1", "s1", "s2", "t2"])
            #expect(messages.allSatisfy { $0.conversationId == target.id })
            let message = try await api.get("/conversations/\(target.id)/messages/\(sourceFirst.id)")
            #expect(message.status == .ok)
            let logs = try await api.get("/conversations/\(target.id)/eventLogs").decode([AnytimeEventLog].self)
            #expect(logs.count == 3 && logs.last?.text.contains("#\(source.id)") == true)

            // The source: out of use, closed, empty, its draft gone, with its own log of the merge.
            #expect(try await api.get("/conversations/\(source.id)").status == .notFound)
            #expect(try await api.get("/conversations/\(source.id)/draft").status == .notFound)
            let trashed = try await api.get("/deletedConversations/\(source.id)?include=messages,eventLogs").decode(AnytimeConversation.self)
            #expect(trashed.isDeleted && trashed.status == .closed && trashed.messages == [] && !trashed.hasDraft)
            #expect(trashed.eventLogs?.count == 1 && trashed.eventLogs?.first?.text.contains("#\(target.id)") == true)
            let page = try await api.get("/conversations").decode(AnytimeConversationPage.self)
            #expect(page.conversations.map(\.id) == [target.id])
        }
    }

    @Test("Merge needs a sourceId other than the target (400 naming it); unknown, deleted or another site's conversations are 404")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            let target = try await api.create()
            let source = try await api.create()
            let gone = try await api.create()
            #expect(try await api.delete("/conversations/\(gone.id)").status == .noContent)
            for (body, field) in [
                ("{}", "sourceId"), (#"{"sourceId": "two"}"#, "sourceId"), (#"{"sourceId": 0}"#, "sourceId"), (#"{"sourceId": 1.5}"#, "sourceId"),
                (#"{"sourceId": \#(target.id)}"#, "sourceId"),
            ] {
                let reply = try await api.post("/conversations/\(target.id)/merge", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(body): \(reply.status) \(reply.text)")
            }
            #expect(try await api.post("/conversations/\(target.id)/merge", #"{"sourceId": 999999}"#).status == .notFound)
            #expect(try await api.post("/conversations/\(target.id)/merge", #"{"sourceId": \#(gone.id)}"#).status == .notFound)
            #expect(try await api.post("/conversations/\(gone.id)/merge", #"{"sourceId": \#(source.id)}"#).status == .notFound)
            let other = AgentDirectory.otherSite
            let theirs = try await api.create(as: other)
            #expect(try await api.post("/conversations/\(target.id)/merge", #"{"sourceId": \#(theirs.id)}"#).status == .notFound)
            #expect(try await api.post("/conversations/\(theirs.id)/merge", #"{"sourceId": \#(source.id)}"#).status == .notFound)
            #expect(try await api.post("/conversations/\(target.id)/merge", #"{"sourceId": \#(source.id)}"#, as: other).status == .notFound)
            // Nothing moved.
            #expect(try await api.get("/conversations/\(source.id)/messages").decode([AnytimeMessage].self).count == 1)
            #expect(try await api.get("/conversations/\(theirs.id)/messages", as: other).decode([AnytimeMessage].self).count == 1)
        }
    }
}

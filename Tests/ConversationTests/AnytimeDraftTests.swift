import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: conversation drafts")
struct AnytimeDraftTests {
    @Test("One draft a conversation: POST makes it (hasDraft), a second POST is 409, PUT saves partially, DELETE discards it")
    func lifecycle() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            #expect(!made.hasDraft)
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .notFound)
            #expect(try await api.put("/conversations/\(made.id)/draft", #"{"subject": "x"}"#).status == .notFound)
            #expect(try await api.delete("/conversations/\(made.id)/draft").status == .notFound)
            let first = try #require(try await api.get("/conversations/\(made.id)?include=messages").decode(AnytimeConversation.self).messages?.first)

            api.clock.advance(by: 30)
            let reply = try await api.post(
                "/conversations/\(made.id)/draft",
                #"{"subject": "Re: order", "cc": "boss@example.com", "parentId": "\#(first.id)", "mentionedAgentIds": ["2", "2", "3"], "contents": [{"type": "text", "text": "Dear customer"}]}"#
            )
            #expect(reply.status == .created, "\(reply.text)")
            let draft = try reply.decode(AnytimeDraft.self)
            #expect(draft.conversationId == made.id && draft.senderId == "1" && draft.subject == "Re: order" && draft.parentId == first.id)
            #expect(draft.mentionedAgentIds == ["2", "3"] && draft.contents.map(\.text) == ["Dear customer"] && !draft.contents[0].id.isEmpty)
            #expect(draft.time == "2027-01-15T08:00:30.000Z")
            #expect(try await api.get("/conversations/\(made.id)/draft").decode(AnytimeDraft.self) == draft)
            let withDraft = try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self)
            #expect(withDraft.hasDraft && withDraft.lastActivityTime == made.lastActivityTime)
            let page = try await api.get("/conversations").decode(AnytimeConversationPage.self)
            #expect(page.conversations.first { $0.id == made.id }?.hasDraft == true)

            let again = try await api.post("/conversations/\(made.id)/draft", #"{"subject": "other"}"#)
            #expect(again.status == .conflict && again.object["code"] != nil, "\(again.text)")

            api.clock.advance(by: 30)
            let saved = try await api.put(
                "/conversations/\(made.id)/draft", #"{"subject": "", "contents": [{"type": "htmlText", "htmlText": "<p>Hi</p>"}]}"#)
            #expect(saved.status == .ok, "\(saved.text)")
            let updated = try saved.decode(AnytimeDraft.self)
            #expect(updated.id == draft.id && updated.subject == nil && updated.cc == "boss@example.com" && updated.mentionedAgentIds == ["2", "3"])
            #expect(updated.contents.map(\.htmlText) == ["<p>Hi</p>"] && updated.time == "2027-01-15T08:01:00.000Z")

            #expect(try await api.delete("/conversations/\(made.id)/draft").status == .noContent)
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .notFound)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).hasDraft == false)
            #expect(try await api.post("/conversations/\(made.id)/draft", #"{}"#).status == .created)
        }
    }

    @Test("A colleague sees the draft but may not change it (403); the owner's reply removes it, a colleague's does not")
    func ownership() async throws {
        try await AnytimeTestClient.run { api in
            let colleague = AgentDirectory.colleague
            let made = try await api.create()
            #expect(try await api.post("/conversations/\(made.id)/draft", #"{"subject": "mine"}"#).status == .created)
            #expect(try await api.get("/conversations/\(made.id)/draft", as: colleague).decode(AnytimeDraft.self).subject == "mine")
            #expect(try await api.put("/conversations/\(made.id)/draft", #"{"subject": "theirs"}"#, as: colleague).status == .forbidden)
            #expect(try await api.delete("/conversations/\(made.id)/draft", as: colleague).status == .forbidden)
            #expect(try await api.post("/conversations/\(made.id)/draft", #"{}"#, as: colleague).status == .conflict)

            let body = #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "Sent"}]}"#
            #expect(try await api.post("/conversations/\(made.id)/messages", body, as: colleague).status == .created)
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .ok)
            #expect(try await api.post("/conversations/\(made.id)/messages", body).status == .created)
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .notFound)
            #expect(try await api.get("/conversations/\(made.id)").decode(AnytimeConversation.self).hasDraft == false)
        }
    }

    @Test("Another site's conversation and a deleted one have no draft (404); a restored one has it again")
    func tenancy() async throws {
        try await AnytimeTestClient.run { api in
            let other = AgentDirectory.otherSite
            let made = try await api.create()
            #expect(try await api.post("/conversations/\(made.id)/draft", #"{"subject": "s"}"#).status == .created)
            #expect(try await api.get("/conversations/\(made.id)/draft", as: other).status == .notFound)
            #expect(try await api.post("/conversations/\(made.id)/draft", #"{}"#, as: other).status == .notFound)
            #expect(try await api.put("/conversations/\(made.id)/draft", #"{"subject": "x"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/conversations/\(made.id)/draft", as: other).status == .notFound)
            #expect(try await api.get("/conversations/\(made.id)/draft").decode(AnytimeDraft.self).subject == "s")

            #expect(try await api.delete("/conversations/\(made.id)").status == .noContent)
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .notFound)
            #expect(try await api.post("/conversations/\(made.id)/draft", #"{}"#).status == .notFound)
            #expect(try await api.post("/deletedConversations/\(made.id)/restore", "{}").status == .ok)
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .ok)
            #expect(try await api.delete("/conversations/\(made.id)").status == .noContent)
            #expect(try await api.delete("/deletedConversations/\(made.id)").status == .noContent)
            #expect(try await api.get("/deletedConversations/\(made.id)").status == .notFound)
        }
    }

    @Test("Bad drafts are a 400 naming the member: wrong type, unknown enum, oversize, a parent from elsewhere")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.create()
            let elsewhere = try await api.create()
            let parent = try #require(
                try await api.get("/conversations/\(elsewhere.id)?include=messages").decode(AnytimeConversation.self).messages?.first?.id)
            let cases: [(String, String)] = [
                (#"{"subject": 5}"#, "subject"),
                (#"{"subject": "\#(String(repeating: "s", count: 1001))"}"#, "subject"),
                (#"{"cc": "\#(String(repeating: "c", count: 1001))"}"#, "cc"),
                (#"{"channelAccountId": "\#(String(repeating: "a", count: 65))"}"#, "channelAccountId"),
                (#"{"contents": [{"type": "hologram"}]}"#, "type"),
                (#"{"contents": [{"text": "no type"}]}"#, "contents[0].type"),
                (#"{"contents": "text"}"#, "contents"),
                (#"{"mentionedAgentIds": [""]}"#, "mentionedAgentIds[0]"),
                (#"{"mentionedAgentIds": [\#(Array(repeating: #""1""#, count: 51).joined(separator: ","))]}"#, "mentionedAgentIds"),
                (#"{"parentId": "\#(parent)"}"#, "parentId"),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/conversations/\(made.id)/draft", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
                #expect(reply.object["code"] != nil)
            }
            #expect(try await api.get("/conversations/\(made.id)/draft").status == .notFound)
            #expect(try await api.post("/conversations/\(made.id)/draft", "{}").status == .created)
            let put = try await api.put("/conversations/\(made.id)/draft", #"{"parentId": "\#(parent)"}"#)
            #expect(put.status == .badRequest && put.message.contains("parentId"), "\(put.text)")
            #expect(try await api.get("/conversations/abc/draft").status == .badRequest)
        }
    }
}

import Foundation
import HTTPTypes
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: channels and channel accounts")
struct AnytimeChannelTests {
    @Test("GET /channels lists the channels the reply rules check, with their capabilities and lengths")
    func channels() async throws {
        try await AnytimeTestClient.run { api in
            let reply = try await api.get("/channels")
            #expect(reply.status == .ok, "\(reply.text)")
            let channels = try reply.decode([AnytimeChannelInfo].self)
            #expect(channels.map(\.id) == ["email", "helpDesk", "facebook", "twitter", "sms"])
            let twitter = try #require(channels.first { $0.id == "twitter" })
            #expect(twitter.messageMaxLength == 280 && twitter.messageCapability == [.text, .picture] && !twitter.isSupportReplyWithDiffAccount)
            #expect(twitter.messageDisplayType == .flatView)
            let email = try #require(channels.first { $0.id == "email" })
            #expect(email.isSupportReplyWithDiffAccount && email.messageDisplayType == .emailView && email.messageCapability.contains(.htmlText))
            #expect(try await api.get("/channels", as: nil).status == .unauthorized)
        }
    }

    @Test("Channel accounts: add (bare or wrapped), list by channel, rename, delete; names unique per channel in any case (409)")
    func accounts() async throws {
        try await AnytimeTestClient.run { api in
            let bare = try await api.post("/channelAccounts", #"{"name": "Support", "channelId": "Email"}"#)
            #expect(bare.status == .created, "\(bare.text)")
            let support = try bare.decode(AnytimeChannelAccount.self)
            #expect(support.name == "Support" && support.channelId == "email" && !support.id.isEmpty)
            let wrapped = try await api.post("/channelAccounts", #"{"channelAccount": {"name": "+15550001", "channelId": "sms"}}"#)
            #expect(wrapped.status == .created, "\(wrapped.text)")
            let sms = try wrapped.decode(AnytimeChannelAccount.self)
            // The same name on another channel is fine; on the same channel, in any case, it is a conflict.
            #expect(try await api.post("/channelAccounts", #"{"name": "Support", "channelId": "facebook"}"#).status == .created)
            let taken = try await api.post("/channelAccounts", #"{"name": "SUPPORT", "channelId": "email"}"#)
            #expect(taken.status == .conflict && taken.message.contains("Support"), "\(taken.text)")
            #expect(try await api.get("/channelAccounts").decode([AnytimeChannelAccount].self).count == 3)
            #expect(try await api.get("/channelAccounts?channelId=SMS").decode([AnytimeChannelAccount].self) == [sms])
            let renamed = try await api.put("/channelAccounts/\(support.id)", #"{"name": "Help"}"#)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(try renamed.decode(AnytimeChannelAccount.self) == AnytimeChannelAccount(id: support.id, name: "Help", channelId: "email"))
            // Renaming to its own name in another case is not a conflict with itself.
            #expect(try await api.put("/channelAccounts/\(support.id)", #"{"channelAccount": {"name": "HELP"}}"#).status == .ok)
            #expect(try await api.delete("/channelAccounts/\(support.id)").status == .noContent)
            #expect(try await api.delete("/channelAccounts/\(support.id)").status == .notFound)
            #expect(try await api.put("/channelAccounts/\(support.id)", #"{"name": "x"}"#).status == .notFound)
            #expect(try await api.get("/channelAccounts?channelId=email").decode([AnytimeChannelAccount].self).isEmpty)
        }
    }

    @Test("Bad channel account input is a 400 naming the field: missing, wrong type, oversize, unknown channel, a changed channel")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            for (body, field) in [
                (#"{"channelId": "email"}"#, "name"), (#"{"name": "  ", "channelId": "email"}"#, "name"), (#"{"name": "a"}"#, "channelId"),
                (#"{"name": "a", "channelId": "pigeon"}"#, "channelId"), (#"{"name": 7, "channelId": "email"}"#, "name"),
                (#"{"name": "a", "channelId": ["email"]}"#, "channelId"),
                (#"{"name": "\#(String(repeating: "n", count: 257))", "channelId": "email"}"#, "name"),
            ] {
                let reply = try await api.post("/channelAccounts", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
                #expect(reply.object["code"] != nil)
            }
            let list = try await api.get("/channelAccounts?channelId=pigeon")
            #expect(list.status == .badRequest && list.message.contains("channelId"), "\(list.text)")
            let made = try await api.post("/channelAccounts", #"{"name": "a", "channelId": "email"}"#).decode(AnytimeChannelAccount.self)
            let moved = try await api.put("/channelAccounts/\(made.id)", #"{"name": "a", "channelId": "sms"}"#)
            #expect(moved.status == .badRequest && moved.message.contains("channelId"), "\(moved.text)")
            let unnamed = try await api.put("/channelAccounts/\(made.id)", #"{}"#)
            #expect(unnamed.status == .badRequest && unnamed.message.contains("name"), "\(unnamed.text)")
        }
    }

    @Test("Concurrent adds of one name: exactly one account is made, the others are 409 (the site's lock holds on PostgreSQL too)")
    func concurrentNames() async throws {
        try await AnytimeTestClient.run { api in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await api.post("/channelAccounts", #"{"name": "\#(index % 2 == 0 ? "Sales" : "SALES")", "channelId": "email"}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
            #expect(try await api.get("/channelAccounts").decode([AnytimeChannelAccount].self).count == 1)
        }
    }

    @Test("Another site's channel accounts are invisible: not listed, 404 to rename or delete, their names free")
    func tenancy() async throws {
        try await AnytimeTestClient.run { api in
            let other = AgentDirectory.otherSite
            let made = try await api.post("/channelAccounts", #"{"name": "Support", "channelId": "email"}"#).decode(AnytimeChannelAccount.self)
            #expect(try await api.get("/channelAccounts", as: other).decode([AnytimeChannelAccount].self).isEmpty)
            #expect(try await api.put("/channelAccounts/\(made.id)", #"{"name": "Mine"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/channelAccounts/\(made.id)", as: other).status == .notFound)
            #expect(try await api.post("/channelAccounts", #"{"name": "Support", "channelId": "email"}"#, as: other).status == .created)
            #expect(try await api.get("/channelAccounts").decode([AnytimeChannelAccount].self) == [made])
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: list totals from the day counts")
struct AnytimeDayCountTests {
    /// The totals of the list and the trash for the window (every conversation fits on one page, so the total must be
    /// what the page holds).
    static func totals(_ api: AnytimeTestClient, _ window: String = "") async throws -> (inUse: Int, trash: Int) {
        let page = try await api.get("/conversations\(window)").decode(AnytimeConversationPage.self)
        #expect(page.total == page.conversations.count, "\(window): total \(page.total), \(page.conversations.count) listed")
        let trash = try await api.get("/deletedConversations\(window)").decode(AnytimeDeletedConversationPage.self)
        #expect(trash.total == trash.deletedConversations.count, "\(window): trash total \(trash.total), \(trash.deletedConversations.count) listed")
        return (page.total, trash.total)
    }

    @Test("Totals without filters match the conversations listed as replies, the trash, restores and permanent deletes move them across days")
    func totalsFollowTheConversations() async throws {
        try await AnytimeTestClient.run { api in
            // Two conversations a day for six days, at different hours (the clock starts 2027-01-15T08:00:00Z).
            var made: [AnytimeConversation] = []
            for day in 0..<6 {
                made.append(try await api.create(subject: "Day \(day) morning"))
                api.clock.advance(by: 5 * 3600)
                made.append(try await api.create(subject: "Day \(day) evening"))
                api.clock.advance(by: 19 * 3600 + 17)
            }
            #expect(try await Self.totals(api) == (12, 0))
            // Windows that start and end inside days, on day boundaries, and inside one day.
            let windows = [
                "?timeFrom=2027-01-15T10:00:00Z&timeTo=2027-01-19T09:00:00Z",
                "?timeFrom=2027-01-16T00:00:00Z&timeTo=2027-01-18T00:00:00Z",
                "?timeFrom=2027-01-16T00:00:00Z&timeTo=2027-01-17T23:59:59Z",
                "?timeFrom=2027-01-17T12:00:00Z&timeTo=2027-01-17T14:00:00Z",
                "?timeFrom=2027-01-15T13:00:00Z&timeTo=2027-01-15T13:00:00Z",
                "?timeFrom=2026-12-01T00:00:00Z&timeTo=2027-03-01T00:00:00Z",
            ]
            var before: [Int] = []
            for window in windows { before.append(try await Self.totals(api, window).inUse) }
            #expect(before == [8, 4, 4, 1, 1, 12])

            // Trash two, restore one, delete one for good.
            #expect(try await api.delete("/conversations/\(made[2].id)").status == .noContent)
            #expect(try await api.delete("/conversations/\(made[3].id)").status == .noContent)
            #expect(try await Self.totals(api) == (10, 2))
            #expect(try await api.post("/deletedConversations/\(made[2].id)/restore", "").status == .ok)
            #expect(try await api.delete("/deletedConversations/\(made[3].id)").status == .noContent)
            #expect(try await Self.totals(api) == (11, 0))

            // 40 days later the default window (the last 30 days) holds none; a reply brings the second one back (out of the first window).
            api.clock.advance(by: 40 * 86_400)
            #expect(try await Self.totals(api) == (0, 0))
            let reply = try await api.post(
                "/conversations/\(made[1].id)/messages",
                #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "Any news?"}]}"#)
            #expect(reply.status == .created || reply.status == .ok, "\(reply.status) \(reply.text)")
            #expect(try await Self.totals(api) == (1, 0))
            #expect(try await Self.totals(api, windows[0]).inUse == 6)

            // Another site's conversations are not counted.
            _ = try await api.create(subject: "Elsewhere", as: AgentDirectory.otherSite)
            #expect(try await Self.totals(api) == (1, 0))
        }
    }
}

import Conditions
import Foundation
import SQLKit
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import LiveChatConfig

@Suite("livechat-config history in SQL")
struct ChatHistorySQLTests {
    static let agents = [1: "Ann", 2: "Bob", 3: "Cy"]
    static let departments = [10: "Sales", 20: "Support"]

    /// Chats of site 10000 an hour apart from `base`, and one of site 20000 in the same window with the same traits.
    static func chat(
        _ site: String = "10000", at hour: Int64, status: ChatStatus = .ended, agents: [Int] = [1], department: Int = 10, category: Int = 0,
        campaign: Int = 1, name: String? = "Visitor", email: String? = nil, segment: Int = 0
    ) -> ChatRecord {
        ChatRecord(
            siteId: site, campaignId: campaign, visitorId: "v\(hour)", name: name, email: email, departmentId: department, agentId: agents.first ?? 0,
            status: status,
            priority: "normal", segmentId: segment, requestTime: base + hour * 3_600_000, prechat: JSONText([]), customVariables: JSONText([]),
            wrapupCategoryId: category, participants: agents
        )
    }

    static let base: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

    /// A database with the chats of `records`, each with a transcript line `line(i)`.
    func withChats(_ records: [ChatRecord], lines: [Int: String] = [:], _ body: (Database, [Int]) async throws -> Void) async throws {
        try await withTestDatabase(migrations: LiveChatMigrations.all) { database in
            let ids = try await database.transaction { tx in
                var ids: [Int] = []
                for (index, record) in records.enumerated() {
                    var record = record
                    record.visitorTokenHash = "t\(index)"
                    let id = try await tx.chats.create(record)
                    try await tx.chats.addMessage(
                        ChatMessageRecord(time: record.requestTime, sender: "V", type: "visitor", content: lines[index] ?? "hello"), chatId: id)
                    ids.append(id)
                }
                return ids
            }
            try await body(database, ids)
        }
    }

    func find(_ database: Database, _ search: ChatSearch, page: Int = 1, size: Int = 50) async throws -> (total: Int, ids: [Int]) {
        try await database.read { tx in
            let found = try await tx.chats.page(
                search, ListQuery(pageIndex: page, pageSize: size, sort: [.init(SQLColumn("request_time", table: "chats"))]))
            return (found.total, found.chats.map(\.id))
        }
    }

    static func search(_ statuses: [ChatStatus] = [.active, .ended], from: Int64 = base, hours: Int64 = 48) -> ChatSearch {
        ChatSearch(siteId: "10000", from: from, to: from + hours * 3_600_000, statuses: statuses)
    }

    @Test("Agent, department, category, campaign, segment, status and window filter in SQL, and another site's chats never appear")
    func filters() async throws {
        let records = [
            Self.chat(at: 0, agents: [1, 2]), Self.chat(at: 1, agents: [2], department: 20, category: 2),
            Self.chat(at: 2, status: .missed, agents: []),
            Self.chat(at: 3, agents: [3], campaign: 2, segment: 5), Self.chat(at: 60), Self.chat("20000", at: 0, agents: [1, 2]),
        ]
        try await self.withChats(records) { database, ids in
            let found1 = try await self.find(database, Self.search())
            #expect(found1.ids == [ids[0], ids[1], ids[3]])
            var search = Self.search()
            search.agentId = 2
            let found11 = try await self.find(database, search)
            #expect(found11.ids == [ids[0], ids[1]])
            search = Self.search()
            search.departmentId = 20
            let found12 = try await self.find(database, search)
            #expect(found12.ids == [ids[1]])
            search = Self.search()
            search.categoryId = 2
            let found13 = try await self.find(database, search)
            #expect(found13.ids == [ids[1]])
            search = Self.search()
            search.campaignId = 2
            search.segmentId = 5
            let found14 = try await self.find(database, search)
            #expect(found14.ids == [ids[3]])
            let found2 = try await self.find(database, Self.search([.missed, .refused]))
            #expect(found2.ids == [ids[2]])
            let found3 = try await self.find(database, Self.search(hours: 100))
            #expect(found3.ids == [ids[0], ids[1], ids[3], ids[4]])
            // Site 20000's own chat, which site 10000's searches never showed.
            var other = Self.search()
            other.siteId = "20000"
            let found15 = try await self.find(database, other)
            #expect(found15.ids == [ids[5]])
        }
    }

    @Test("Keywords match the transcript, name and email in any case; % and _ match only themselves")
    func keywords() async throws {
        let records = [Self.chat(at: 0, name: "Dana"), Self.chat(at: 1, email: "PROMO@example.com"), Self.chat(at: 2), Self.chat(at: 3)]
        try await self.withChats(records, lines: [2: "Is the 50% Discount on?", 3: "500 discount"]) { database, ids in
            for (keywords, expected) in [("dana", [ids[0]]), ("promo@", [ids[1]]), ("discount", [ids[2], ids[3]]), ("50%", [ids[2]]), ("5_0", [])] {
                var search = Self.search()
                search.keywords = keywords
                let found16 = try await self.find(database, search)
                #expect(found16.ids == expected, "\(keywords)")
            }
        }
    }

    @Test("Conditions on agent and department names, the campaign and transfers run in SQL")
    func conditions() async throws {
        let records = [
            Self.chat(at: 0, agents: [1, 2]), Self.chat(at: 1, agents: [3], department: 20), Self.chat(at: 2, agents: [2], department: 99),
        ]
        try await self.withChats(records) { database, ids in
            let filter = ChatSQLRepository.conditionFields(agentNames: Self.agents, departmentNames: Self.departments)
            for (field, op, value, expected) in [
                ("agent", "is", "bob", [ids[0], ids[2]]), ("agent", "regularExpression", "^C", [ids[1]]), ("department", "is", "Support", [ids[1]]),
                ("department", "isNot", "Sales", [ids[1], ids[2]]), ("transferred", "is", "true", [ids[0]]), ("campaign", "is", "1", ids),
                ("lastMessageSentBy", "is", "visitor", ids),
            ] {
                let compiled = filter.compile([try Condition(number: 1, field: field, operator: op, value: value)])
                #expect(compiled.residual.isEmpty)
                var search = Self.search()
                search.conditions = compiled.predicate
                let found17 = try await self.find(database, search)
                #expect(found17.ids == expected, "\(field) \(op) \(value)")
            }
        }
    }

    @Test("Pages are cut in SQL; the total from the day counts equals a plain count, across whole and part days and status changes")
    func pagesAndCounts() async throws {
        // Chats every 5 hours over 6 days; every fourth missed, the second refused later: ended ones are 2, 3, 5, 6, 7, 9, …
        let records = (0..<30).map { Self.chat(at: Int64($0) * 5, status: $0 % 4 == 0 ? .missed : .ended) }
        try await self.withChats(records) { database, ids in
            // An ended chat turned refused, through the repository's update: the triggers move it between counts.
            try await database.transaction { tx in
                var changed = try #require(try await tx.chats.chat(id: ids[1], siteId: "10000"))
                changed.status = .refused
                try await tx.chats.update(changed)
            }
            for (from, hours) in [
                (Self.base, 200 as Int64), (Self.base + 7_200_000, 100), (Self.base + 3_600_000, 20), (Self.base - 86_400_000 * 3, 24 * 10),
            ] {
                for statuses in [[ChatStatus.active, .ended], [.missed, .refused]] {
                    let search = Self.search(statuses, from: from, hours: hours)
                    var narrowed = search
                    narrowed.categoryId = 0  // the same chats, counted by COUNT(*)
                    let fast = try await self.find(database, search)
                    let plain = try await self.find(database, narrowed)
                    #expect(search.countsByDay && !narrowed.countsByDay)
                    #expect(fast.total == plain.total && fast.ids == plain.ids, "\(from) \(hours) \(statuses)")
                }
            }
            let second = try await self.find(database, Self.search(hours: 200), page: 2, size: 4)
            #expect(second.total == 21 && second.ids == [ids[7], ids[9], ids[10], ids[11]])
        }
    }
}

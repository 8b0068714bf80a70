import CSV
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import Conversation

/// The reports' rows that come from livechat-config (spec §5.22; decisions 282–283), against the real one of
/// ``AnytimeRoutingTests``: agents 1–5, department 1 Billing (agents 2 Ann, 3 Bob) and 2 Support (4 Cid, 5 Dee).
@Suite("Anytime reports with livechat-config's agents and departments")
struct AnytimeReportDirectoryTests {
    static func rows(_ reply: AnytimeRoutingTests.API.Reply) -> [[String: Any]] { reply.object["dataList"] as? [[String: Any]] ?? [] }

    static func csv(_ client: any TestClientProtocol, _ path: String) async throws -> [[String]] {
        let response = try await client.execute(
            uri: "/api/v3/anytime" + path + "&siteId=10000", method: .get, headers: [.authorization: AnytimeRoutingTests.admin])
        try #require(response.status == .ok, "\(path): \(response.status) \(String(buffer: response.body))")
        let reader = try CSVReader(string: String(buffer: response.body))
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test("Realtime rows are livechat-config's departments and agents; viewType=department shows its members; exports name them")
    func directory() async throws {
        try await AnytimeRoutingTests.run { api in
            let clock = try #require(api.clock)
            let now = clock.wallClock.milliseconds()
            _ = try await api.create("One", extra: #""assignedAgentId": "2", "assignedDepartmentId": "1","#)
            let two = try await api.create("Two", extra: #""assignedAgentId": "3", "assignedDepartmentId": "1","#)
            #expect(try await api.send(.put, "/conversations/\(two["id"] ?? "")", #"{"status": "closed"}"#).status == .ok)

            let departments = Self.rows(try await api.send(.get, "/reports/realtime/departments"))
            #expect(departments.map { $0["departmentId"] as? String } == ["1", "2"])
            #expect(departments.map { $0["openConversations"] as? Int } == [1, 0])
            #expect(departments.map { $0["todayResolvedConversations"] as? Int } == [1, 0])
            let agents = Self.rows(try await api.send(.get, "/reports/realtime/agents"))
            #expect(agents.map { $0["agentId"] as? String } == ["1", "2", "3", "4", "5"])
            #expect(agents.map { $0["openConversations"] as? Int } == [0, 1, 0, 0, 0])
            #expect(agents.map { $0["todayResolvedConversations"] as? Int } == [0, 0, 1, 0, 0])
            let billing = Self.rows(try await api.send(.get, "/reports/realtime/agents?viewType=department&viewValue=1"))
            #expect(billing.map { $0["agentId"] as? String } == ["2", "3"])
            #expect(Self.rows(try await api.send(.get, "/reports/realtime/agents?viewType=department&viewValue=9")).isEmpty)

            let range = "startTime=\(AnytimeTime.format(now - 3_600_000))&endTime=\(AnytimeTime.format(now + 3_600_000))"
            let byAgent = try await Self.csv(api.conversation, "/reports/volume/export?\(range)&dimensionType=byAgent")
            #expect(byAgent.dropFirst().dropLast().map { [$0[0], $0[1], $0[4]] } == [["2", "ann", "1"], ["3", "bob", "1"]])
            let byDepartment = try await Self.csv(api.conversation, "/reports/channel/export?\(range)&dimensionType=byDepartment")
            #expect(byDepartment.count == 3 && byDepartment[1][0] == "1" && byDepartment[1][1] == "Billing")
            // The other site has no departments of site 10000.
            #expect(Self.rows(try await api.send(.get, "/reports/realtime/departments", other: true)).isEmpty)
        }
    }
}

import CSV
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing
import WireModels

@testable import Conversation

/// The 12 reports and their exports (seed 000 L1475–L1716; spec §3.19, §5.22, §6 RP1–RP10; decisions 280–284), over a
/// history the test writes on the clock. The clock starts on Friday 2027-01-15 08:00 UTC; the story, all on that day:
/// - an SLA policy (first response 1 h, next response 1 h, resolution 3 h, calendar hours);
/// - 08:00 contact mail opens A; 08:10 A is assigned to agent 1; 08:15 agent 1 opens B (high priority, unassigned);
/// - 08:30 agent 1 replies on A; 09:10 A is closed; 10:00 the contact writes again (A reopens);
/// - 10:20 agent 1 replies on A; 11:15 B's resolution target passes unmet.
/// - Site 20000 has a conversation of its own, closed, that no report of site 10000 counts.
@Suite("conversation: reports")
struct AnytimeReportTests {
    struct Story {
        var a: Int
        var b: Int
        var policy: String
    }

    /// Moves the clock to `minutes` after 08:00.
    final class Timeline: @unchecked Sendable {
        var minutes = 0
        let api: AnytimeTestClient
        init(_ api: AnytimeTestClient) { self.api = api }
        func at(_ minute: Int) {
            self.api.clock.advance(by: TimeInterval((minute - self.minutes) * 60))
            self.minutes = minute
        }
    }

    func story(_ api: AnytimeTestClient, through minute: Int = 200) async throws -> Story {
        let clock = Timeline(api)
        let policy = try await api.post("/SLAPolicies", #"{"firstRespondWithin": 1, "nextRespondWithin": 1, "resolveRespondWithin": 3}"#)
            .decode(AnytimeSLAPolicy.self)
        let opened = try await api.post("/inboundEmails", AnytimeJunkTests.email(from: "ann@customer.test", subject: "Broken widget"))
        let a = try #require(try opened.decode(AnytimeInboundResult.self).conversation).id
        clock.at(10)
        #expect(try await api.put("/conversations/\(a)", #"{"assignedAgentId": "1"}"#).status == .ok)
        clock.at(15)
        let b = try await api.create(extra: #""priority": "high","#).id
        clock.at(30)
        let reply = #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "On it"}]}"#
        #expect(try await api.post("/conversations/\(a)/messages", reply).status == .created)
        // A note is no reply and no message of the reports.
        let note = #"{"type": "note", "channelId": "email", "contents": [{"type": "text", "text": "internal"}]}"#
        #expect(try await api.post("/conversations/\(a)/messages", note).status == .created)
        clock.at(70)
        #expect(try await api.put("/conversations/\(a)", #"{"status": "closed"}"#).status == .ok)
        clock.at(120)
        try await api.attach(
            a,
            #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "email", "body": "still broken", "time": "2027-01-15T10:00:00.000Z"}"#
        )
        clock.at(140)
        #expect(try await api.post("/conversations/\(a)/messages", reply).status == .created)
        // Another site's conversation, opened and closed meanwhile.
        let other = try await api.create(as: AgentDirectory.otherSite)
        #expect(try await api.put("/conversations/\(other.id)", #"{"status": "closed"}"#, as: AgentDirectory.otherSite).status == .ok)
        if minute >= 195 {
            clock.at(195)
            var breached = false
            for _ in 0..<100 where !breached {
                let logs = try await api.get("/conversations/\(b)?include=eventLogs").decode(AnytimeConversation.self).eventLogs ?? []
                breached = logs.contains { $0.text.contains("breached") }
                if !breached { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(breached)
        }
        return Story(a: a, b: b, policy: policy.id)
    }

    static let range = "startTime=2027-01-15T08:00:00Z&endTime=2027-01-15T11:00:00Z"

    @Test("Realtime: now counts open conversations by status and priority; bytime and today count the UTC days; agents and departments")
    func realtime() async throws {
        try await AnytimeTestClient.run { api in
            let story = try await self.story(api, through: 140)
            let now = try await api.get("/reports/realtime/now").decode(Reports.Now.self)
            #expect(
                now
                    == Reports.Now(
                        unassignedConversations: 1, openConversations: 2, newConversations: 1, pendingInternalConversations: 1,
                        pendingExternalConversations: 0, onHoldConversations: 0, urgentPriorityConversations: 0, highPriorityConversations: 1))
            let today = Reports.ByTime(createdConversations: 2, resolvedConversations: 1, repliedConversations: 1, reopenedConversations: 1)
            #expect(try await api.get("/reports/realtime/bytime").decode(Reports.ByTime.self) == today)
            #expect(try await api.get("/reports/realtime/today").decode(Reports.ByTime.self) == today)
            #expect(try await api.get("/reports/realtime/bytime?days=15").decode(Reports.ByTime.self) == today)
            #expect(try await api.get("/reports/realtime/bytime").object["reopenedConversations"] as? Int == 1)
            // The other site sees its own: one created and closed.
            let other = try await api.get("/reports/realtime/today", as: AgentDirectory.otherSite).decode(Reports.ByTime.self)
            #expect(other == Reports.ByTime(createdConversations: 1, resolvedConversations: 1, repliedConversations: 0, reopenedConversations: 0))
            // Tomorrow, today's window is empty but two days still see it.
            api.clock.advance(by: 14 * 3600)
            #expect(
                try await api.get("/reports/realtime/today").decode(Reports.ByTime.self)
                    == Reports.ByTime(createdConversations: 0, resolvedConversations: 0, repliedConversations: 0, reopenedConversations: 0))
            #expect(try await api.get("/reports/realtime/bytime?days=2").decode(Reports.ByTime.self) == today)
            api.clock.advance(by: -14 * 3600)

            let agents = try await api.get("/reports/realtime/agents").decode(Reports.MemberList.self).dataList
            var one = Reports.MemberNow(agentId: "1")
            (one.openConversations, one.pendingInternalConversations, one.todayRepliedConversations, one.todayResolvedConversations) = (1, 1, 1, 1)
            #expect(agents == [one])
            #expect(
                try await api.get("/reports/realtime/agents?viewType=agent&viewValue=2").decode(Reports.MemberList.self).dataList == [
                    Reports.MemberNow(agentId: "2")
                ])
            #expect(try await api.get("/reports/realtime/agents?viewType=channel&viewValue=sms").decode(Reports.MemberList.self).dataList == [])
            #expect(try await api.get("/reports/realtime/agents?viewType=channel&viewValue=email").decode(Reports.MemberList.self).dataList == [one])
            #expect(try await api.get("/reports/realtime/departments").decode(Reports.MemberList.self).dataList == [])
            // A conversation in the trash counts nowhere.
            #expect(try await api.delete("/conversations/\(story.b)").status == .noContent)
            let left = try await api.get("/reports/realtime/now").decode(Reports.Now.self)
            #expect(left.openConversations == 1 && left.unassignedConversations == 0 && left.highPriorityConversations == 0)
            #expect(try await api.get("/reports/realtime/today").decode(Reports.ByTime.self).createdConversations == 1)

            for (path, field) in [
                ("/reports/realtime/bytime?days=16", "days"), ("/reports/realtime/bytime?days=0", "days"),
                ("/reports/realtime/bytime?days=two", "days"),
                ("/reports/realtime/agents?viewType=galaxy", "viewType"), ("/reports/realtime/agents?viewType=agent", "viewValue"),
                ("/reports/realtime/agents?viewType=channel&viewValue=pigeon", "viewValue"),
                ("/reports/realtime/agents?viewType=agent&viewValue=" + String(repeating: "9", count: 65), "viewValue"),
            ] {
                let reply = try await api.get(path)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(path): \(reply.status) \(reply.text)")
            }
        }
    }

    @Test("Volume: created, closed, replied, reopened per hour and open at each hour's end, with shares; by agent; exported as CSV")
    func volume() async throws {
        try await AnytimeTestClient.run { api in
            _ = try await self.story(api, through: 140)
            let report = try await api.get("/reports/volume?\(Self.range)&timeUnit=hour").decode(Reports.Volume.self)
            #expect(report.dataList.map(\.id) == ["1", "2", "3"])
            #expect(report.dataList.map(\.startTime) == ["2027-01-15T08:00:00.000Z", "2027-01-15T09:00:00.000Z", "2027-01-15T10:00:00.000Z"])
            #expect(report.dataList.map(\.createdConversations) == [2, 0, 0])
            #expect(report.dataList.map(\.closedConversations) == [0, 1, 0])
            #expect(report.dataList.map(\.repliedConversations) == [1, 0, 1])
            #expect(report.dataList.map(\.reopenedConversations) == [0, 0, 1])
            #expect(report.dataList.map(\.openConversations) == [2, 1, 2])
            #expect(report.dataList.map(\.openConversationsPercentage) == [40, 20, 40])
            #expect(report.dataList.map(\.repliedConversationsPercentage) == [50, 0, 50])
            #expect(
                [
                    report.totalCreatedConversations, report.totalClosedConversations, report.totalRepliedConversations,
                    report.totalReopenedConversations,
                ]
                    == [2, 1, 2, 1] && report.totalOpenConversations == 2)
            // A range starting later counts from what was open at its start.
            let later = try await api.get("/reports/volume?startTime=2027-01-15T09:00:00Z&endTime=2027-01-15T11:00:00Z&timeUnit=hour")
                .decode(Reports.Volume.self)
            #expect(later.dataList.map(\.openConversations) == [1, 2] && later.totalOpenConversations == 2)
            // A day: one row cut to the range.
            let day = try await api.get("/reports/volume?\(Self.range)").decode(Reports.Volume.self)
            #expect(day.dataList.count == 1 && day.dataList[0].endTime == "2027-01-15T11:00:00.000Z" && day.dataList[0].createdConversations == 2)
            // By agent: closes count for the agent assigned then, replies for the agent who replied.
            let byAgent = try await api.get("/reports/volume?\(Self.range)&dimensionType=byAgent").decode(Reports.Volume.self)
            #expect(byAgent.dataList.map(\.id) == ["1", ""])
            #expect(byAgent.dataList.map(\.closedConversations) == [1, 0] && byAgent.dataList.map(\.repliedConversations) == [1, 0])
            #expect(byAgent.dataList.map(\.createdConversations) == [1, 1] && byAgent.dataList.map(\.openConversations) == [1, 1])
            // Views: only agent 1's conversations; only those through channel account acc-1; only the sms channel's (none).
            let account = try await api.get("/reports/volume?\(Self.range)&viewType=account&viewValue=acc-1").decode(Reports.Volume.self)
            #expect(account.totalCreatedConversations == 1 && account.totalReopenedConversations == 1)
            let mine = try await api.get("/reports/volume?\(Self.range)&viewType=agent&viewValue=1").decode(Reports.Volume.self)
            #expect(mine.totalCreatedConversations == 1 && mine.totalClosedConversations == 1)
            #expect(
                try await api.get("/reports/volume?\(Self.range)&viewType=channel&viewValue=sms").decode(Reports.Volume.self)
                    .totalCreatedConversations == 0)
            // Weeks start on Monday, months on the 1st.
            let weeks = try await api.get("/reports/volume?startTime=2027-01-01&endTime=2027-02-15&timeUnit=week").decode(Reports.Volume.self)
            #expect(weeks.dataList.first?.endTime == "2027-01-04T00:00:00.000Z" && weeks.dataList.count == 7)
            #expect(weeks.dataList[2].startTime == "2027-01-11T00:00:00.000Z" && weeks.dataList[2].createdConversations == 2)
            let months = try await api.get("/reports/volume?startTime=2026-12-15&endTime=2027-02-15&timeUnit=month").decode(Reports.Volume.self)
            #expect(months.dataList.map(\.startTime) == ["2026-12-15T00:00:00.000Z", "2027-01-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z"])
            // By member, a long range (a year: 8,760 hours) is one row whatever the time unit.
            let long = try await api.get("/reports/volume?startTime=2026-02-01&endTime=2027-02-01&timeUnit=hour&dimensionType=byChannel")
            #expect(long.status == .ok, "\(long.text)")
            #expect(try long.decode(Reports.Volume.self).dataList.map(\.createdConversations) == [2])
            // Another site counts only its own.
            let other = try await api.get("/reports/volume?\(Self.range)", as: AgentDirectory.otherSite).decode(Reports.Volume.self)
            #expect(other.totalCreatedConversations == 1 && other.totalClosedConversations == 1 && other.totalReopenedConversations == 0)

            // The export: local time two hours east, read back with the CSV library.
            let export = try await api.get("/reports/volume/export?\(Self.range)&timeUnit=hour&timeOffset=2&dateFormat=dd/MM/yyyy%20HH:mm")
            #expect(export.status == .ok && export.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows = try Self.csv(export.text)
            #expect(rows.first?.prefix(6) == ["id", "name", "startTime", "endTime", "createdConversations", "createdConversationsPercentage"])
            #expect(rows.count == 5)
            #expect(rows[1].prefix(6) == ["1", "15/01/2027 10:00", "15/01/2027 10:00", "15/01/2027 11:00", "2", "100.00"])
            #expect(rows[3][12] == "2" && rows[3][13] == "40.00")
            #expect(rows[4].prefix(5) == ["total", "Total", "15/01/2027 10:00", "15/01/2027 13:00", "2"])
        }
    }

    @Test("Channel: messages (not notes) per channel and row, with shares and totals; exported as CSV")
    func channel() async throws {
        try await AnytimeTestClient.run { api in
            _ = try await self.story(api, through: 140)
            let report = try await api.get("/reports/channel?\(Self.range)&timeUnit=hour").decode(Reports.Channel.self)
            #expect(report.dataList.map(\.name) == ["2027-01-15 08:00", "2027-01-15 09:00", "2027-01-15 10:00"])
            let email = report.dataList.map { $0.channelEfficiencies.first { $0.channelId == "email" }! }
            #expect(email.map(\.channelMessageNumber) == [3, 0, 2] && email.map(\.channelPercentage) == [100, 0, 100])
            #expect(report.channelTotalNumbers.first { $0.channelId == "email" }?.totalNumber == 5)
            #expect(report.channelTotalNumbers.map(\.channelId) == ["email", "helpDesk", "facebook", "twitter", "sms"])
            let byChannel = try await api.get("/reports/channel?\(Self.range)&dimensionType=byChannel").decode(Reports.Channel.self)
            #expect(byChannel.dataList.map(\.id) == ["email"] && byChannel.dataList[0].name == "Email")
            let export = try await api.get("/reports/channel/export?\(Self.range)&dimensionType=byChannel")
            let rows = try Self.csv(export.text)
            #expect(rows.first?.prefix(6) == ["id", "name", "startTime", "endTime", "Email", "Email %"])
            #expect(rows.count == 3 && rows[1].prefix(2) == ["email", "Email"] && rows[1][4] == "5" && rows[2][4] == "5")
        }
    }

    @Test("Efficiency: first response, waits for an agent, conversation length and messages per conversation; exported as CSV")
    func efficiency() async throws {
        try await AnytimeTestClient.run { api in
            _ = try await self.story(api, through: 140)
            let report = try await api.get("/reports/efficiency?\(Self.range)&timeUnit=hour").decode(Reports.Efficiency.self)
            #expect(report.dataList.map(\.avgFirstResponseTime) == ["00:30:00", "00:00:00", "00:00:00"])
            #expect(report.dataList.map(\.avgAgentResponseTime) == ["00:30:00", "00:00:00", "00:20:00"])
            #expect(report.dataList.map(\.avgConversationTime) == ["00:00:00", "01:10:00", "00:00:00"])
            #expect(report.dataList.map(\.avgContactMessages) == [0.5, 0, 1] && report.dataList.map(\.avgAgentMessages) == [1, 0, 1])
            #expect(report.totalAvgAgentResponseTime == "00:25:00" && report.totalAvgFirstResponseTime == "00:30:00")
            #expect(report.totalAvgConversationTime == "01:10:00" && report.totalAvgContactMessages == 1 && report.totalAvgAgentMessages == 1.5)
            let byAgent = try await api.get("/reports/efficiency?\(Self.range)&dimensionType=byAgent").decode(Reports.Efficiency.self)
            #expect(byAgent.dataList.first { $0.id == "1" }?.avgAgentResponseTime == "00:25:00")
            let rows = try Self.csv(try await api.get("/reports/efficiency/export?\(Self.range)&timeUnit=hour").text)
            #expect(rows.count == 5 && rows[0][4] == "avgAgentResponseTime" && rows[3][4] == "00:20:00" && rows[4][4] == "00:25:00")
        }
    }

    @Test("SLA: targets met and missed per policy and day, their mean minutes and the conversations with a breach; exported as CSV")
    func sla() async throws {
        try await AnytimeTestClient.run { api in
            let story = try await self.story(api)
            let range = "startTime=2027-01-15&endTime=2027-01-16"
            let report = try await api.get("/reports/sla?\(range)").decode(Reports.SLA.self)
            #expect(report.dataList.count == 1)
            let row = try #require(report.dataList.first)
            #expect(row.id == story.policy && row.startTime == "2027-01-15T00:00:00.000Z")
            #expect(row.firstRespondTimeAchievedPercentage == 100 && row.avgFirstRespondTime == 30)
            #expect(row.nextRespondTimeAchievedPercentage == 100 && row.avgNextRespondTime == 20)
            #expect(row.resolveTimeAchievedPercentage == 50 && row.avgResolveTime == 125 && row.breachedTickets == 1)
            #expect(try await api.get("/reports/sla?\(range)").object["dataList"].map { "\($0)".contains("resolveTimeAchievedPercentage") } == true)
            let byAgent = try await api.get("/reports/sla?\(range)&dimensionType=agent").decode(Reports.SLA.self)
            #expect(byAgent.dataList.map(\.id) == ["1", ""] && byAgent.dataList.map(\.breachedTickets) == [0, 1])
            #expect(try await api.get("/reports/sla?startTime=2027-01-16&endTime=2027-01-17").decode(Reports.SLA.self).dataList.isEmpty)
            #expect(try await api.get("/reports/sla?\(range)", as: AgentDirectory.otherSite).decode(Reports.SLA.self).dataList.isEmpty)
            let export = try await api.get("/reports/sla/export?\(range)&timeUnit=week")
            let rows = try Self.csv(export.text)
            #expect(
                rows.count == 2 && rows[0][10] == "breachedTickets" && rows[1][0] == story.policy && rows[1][9] == "125.00"
                    && rows[1][2] == "2027-01-15")
        }
    }

    @Test("Bad parameters are 400s naming the parameter, never a 500")
    func badParameters() async throws {
        try await AnytimeTestClient.run { api in
            let cases: [(String, String)] = [
                ("/reports/volume?endTime=2027-01-15", "startTime"), ("/reports/volume?startTime=2027-01-15", "endTime"),
                ("/reports/volume?startTime=yesterday&endTime=2027-01-15", "startTime"),
                ("/reports/volume?startTime=2027-01-15&endTime=2027-01-14", "endTime"),
                ("/reports/volume?startTime=2027-01-15&endTime=2027-01-15", "endTime"),
                ("/reports/volume?\(Self.range)&timeUnit=fortnight", "timeUnit"),
                ("/reports/volume?\(Self.range)&dimensionType=byPlanet", "dimensionType"),
                ("/reports/volume?\(Self.range)&viewType=galaxy", "viewType"), ("/reports/volume?\(Self.range)&viewType=department", "viewValue"),
                ("/reports/volume?startTime=2020-01-01&endTime=2027-01-01&timeUnit=hour", "timeUnit"),
                ("/reports/efficiency?startTime=2020-01-01&endTime=2027-01-01&dimensionType=byAgent", "endTime"),
                ("/reports/volume?startTime=2025-01-01&endTime=2026-06-01&timeUnit=month", "endTime"),
                ("/reports/channel?\(Self.range)&dimensionType=slaPolicies", "dimensionType"),
                ("/reports/efficiency?startTime=2027-02-30&endTime=2027-03-01", "startTime"),
                ("/reports/sla?\(Self.range)&timeUnit=hour", "timeUnit"), ("/reports/sla?\(Self.range)&dimensionType=byTime", "dimensionType"),
                ("/reports/sla/export?endTime=2027-01-15", "startTime"),
                ("/reports/volume/export?\(Self.range)&timeOffset=east", "timeOffset"),
                ("/reports/volume/export?\(Self.range)&timeOffset=15", "timeOffset"),
                ("/reports/efficiency/export?\(Self.range)&dateFormat=yyyy-MM-dd%20Q", "dateFormat"),
                ("/reports/channel/export?\(Self.range)&dateFormat=" + String(repeating: "y", count: 65), "dateFormat"),
            ]
            for (path, field) in cases {
                let reply = try await api.get(path)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(path): \(reply.status) \(reply.text)")
            }
            #expect(try await api.get("/reports/realtime/now", as: nil).status == .unauthorized)
        }
    }

    static func csv(_ text: String) throws -> [[String]] {
        let reader = try CSVReader(string: text)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return rows
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

/// Reporting events recorded as conversations are answered and resolved (on a clock the tests move), and the v2
/// reports aggregated from them: counts, averages, timeseries periods, business hours, the agent, inbox, team and
/// label scopes, who may read them and what bad parameters answer.
@Suite("Chatwoot reports")
struct ChatwootReportTests {
    /// Monday 2 November 2026, 09:00 UTC.
    static let monday = Date(timeIntervalSince1970: 1_793_610_000)
    /// The start of that Monday (UTC), in Unix seconds.
    static let mondayStart = 1_793_577_600
    static let day = 86_400

    /// Runs `body` against an app on a manual clock starting on Monday 09:00, with the seeder beside it.
    private func run(_ body: @escaping @Sendable (any TestClientProtocol, Seeder, ManualClock) async throws -> Void) async throws {
        let clock = ManualClock(Self.monday)
        let app = try await buildApplication(reader: TestConfiguration.reader(), clock: clock.wallClock)
        try await app.test(.router) { client in
            try await body(client, Seeder(client: client), clock)
        }
    }

    @Test("First response, reply and resolution are recorded as they happen; listed newest first and per conversation")
    func recorded() async throws {
        try await run { client, seeder, clock in
            let inbox = try await seeder.inbox("Support")
            let contact = try await seeder.contact("Ada")
            let conversation = try await client.conversation(inbox: inbox, contact: contact)
            let path = "/api/v1/accounts/1/conversations/\(conversation)"
            // A private note is no response; the first public reply comes 120 s after the conversation.
            clock.advance(by: 60)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "note", "private": true}"#)
            clock.advance(by: 60)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "Hello"}"#)
            // The contact writes; the reply 30 s later is a reply time; a second reply without a new message is none.
            clock.advance(by: 60)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "Help", "message_type": "incoming"}"#)
            clock.advance(by: 30)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "Sure"}"#)
            clock.advance(by: 10)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "Anything else?"}"#)
            try await client.chatwoot(.post, path + "/assignments", json: #"{"assignee_id": 1}"#)
            clock.advance(by: 90)
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "resolved"}"#)

            let listed = try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events")
            #expect(listed.status == .ok)
            let meta = try #require(listed.object["meta"] as? [String: Any])
            #expect(meta["count"] as? Int == 3)
            #expect(meta["current_page"] as? Int == 1)
            #expect(meta["total_pages"] as? Int == 1)
            let events = try #require(listed.object["payload"] as? [[String: Any]])
            #expect(events.map { $0["name"] as? String } == ["conversation_resolved", "reply_time", "first_response"])
            #expect(events.map { $0["value"] as? Double } == [310, 30, 120])
            // No working hours on the inbox: Chatwoot's business-hours value is 0.
            #expect(events.map { $0["value_in_business_hours"] as? Double } == [0, 0, 0])
            #expect(events.map { $0["user_id"] as? Int } == [1, 1, 1])
            #expect(events.allSatisfy { $0["inbox_id"] as? Int == inbox && $0["account_id"] as? Int == 1 })
            #expect(events[0]["event_start_time"] as? String == "2026-11-02T09:00:00.000Z")
            #expect(events[0]["event_end_time"] as? String == "2026-11-02T09:05:10.000Z")
            #expect(events[1]["event_start_time"] as? String == "2026-11-02T09:03:00.000Z")

            // Filters: name, user, inbox, time.
            let named = try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events?name=first_response")
            #expect((named.object["payload"] as? [[String: Any]])?.count == 1)
            #expect(
                ((try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events?user_id=999")).object["payload"] as? [Any])?.isEmpty == true)
            #expect(
                ((try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events?inbox_id=\(inbox)")).object["payload"] as? [Any])?.count == 3)
            let since = Int(Self.monday.timeIntervalSince1970) + 200
            let late = try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events?since=\(since)&until=\(since + 3600)")
            #expect((late.object["payload"] as? [[String: Any]])?.map { $0["name"] as? String } == ["conversation_resolved", "reply_time"])
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events?page=x").status == .badRequest)
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events?since=soon&until=1").status == .badRequest)

            // The conversation's events, oldest first.
            let own = try await client.chatwoot(.get, path + "/reporting_events")
            #expect(own.status == .ok)
            #expect(own.array.map { $0["name"] as? String } == ["first_response", "reply_time", "conversation_resolved"])
            #expect(try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/999/reporting_events").status == .notFound)

            // Administrators only: an agent (even of the inbox) is a 401 in Chatwoot's shape.
            let agent = try await client.chatwootUser("Report Agent")
            try await seeder.member(inbox: inbox, user: agent.id)
            let refused = try await client.chatwoot(.get, "/api/v1/accounts/1/reporting_events", token: agent.token)
            #expect(refused.status == .unauthorized)
            #expect(refused.object["error"] as? String == "You are not authorized to do this action")
            #expect(try await client.chatwoot(.get, path + "/reporting_events", token: agent.token).status == .unauthorized)

            // Another account sees none of these, and account 1's administrator cannot read its reports.
            let other = try await client.chatwootAccount("Elsewhere")
            let otherToken = try await seeder.token(account: other)
            let theirs = try await client.chatwoot(.get, "/api/v1/accounts/\(other)/reporting_events", token: otherToken)
            #expect((theirs.object["meta"] as? [String: Any])?["count"] as? Int == 0)
            #expect(
                try await client.chatwoot(.get, "/api/v1/accounts/\(other)/conversations/\(conversation)/reporting_events", token: otherToken).status
                    == .notFound)
            #expect(try await client.chatwoot(.get, "/api/v2/accounts/\(other)/reports/summary?type=account").status == .unauthorized)
        }
    }

    @Test("Business hours: the inbox's working hours in its time zone give value_in_business_hours, and reports average it")
    func businessHours() async throws {
        try await run { client, seeder, clock in
            let inbox = try await seeder.inbox("Office")
            // Monday to Friday 09:00-17:00 in UTC; weekends closed.
            let days = (0...6).map { day -> String in
                let open = (1...5).contains(day)
                return
                    #"{"day_of_week": \#(day), "closed_all_day": \#(!open), "open_hour": 9, "open_minutes": 0, "close_hour": 17, "close_minutes": 0, "open_all_day": false}"#
            }
            let patched = try await client.chatwoot(
                .patch, "/api/v1/accounts/1/inboxes/\(inbox)",
                json: #"{"working_hours_enabled": true, "timezone": "UTC", "working_hours": [\#(days.joined(separator: ","))]}"#)
            #expect(patched.status == .ok)
            // Created Monday 16:00, answered Tuesday 10:00: 18 hours, 2 of them working hours.
            clock.advance(by: 7 * 3600)
            let contact = try await seeder.contact("Grace")
            let conversation = try await client.conversation(inbox: inbox, contact: contact)
            clock.advance(by: 18 * 3600)
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(conversation)/messages", json: #"{"content": "Morning"}"#)
            let events = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(conversation)/reporting_events").array
            #expect(events.map { $0["value"] as? Double } == [64_800])
            #expect(events.map { $0["value_in_business_hours"] as? Double } == [7200])

            let range = "since=\(Self.mondayStart)&until=\(Self.mondayStart + 7 * Self.day)"
            let plain = try await self.unchecked(client, "/api/v2/accounts/1/reports/summary?type=account&\(range)")
            #expect(plain.object["avg_first_response_time"] as? String == "64800.0")
            let business = try await self.unchecked(client, "/api/v2/accounts/1/reports/summary?type=account&\(range)&business_hours=true")
            #expect(business.object["avg_first_response_time"] as? String == "7200.0")
            let series = try await client.chatwoot(
                .get, "/api/v2/accounts/1/reports?metric=avg_first_response_time&type=inbox&id=\(inbox)&\(range)&business_hours=true")
            #expect(series.array.map { $0["value"] as? String }.prefix(2) == ["0.0", "7200.0"])
            let inboxes = try await client.chatwoot(.get, "/api/v2/accounts/1/summary_reports/inbox?\(range)&business_hours=true")
            #expect(inboxes.array.first { $0["id"] as? Int == inbox }?["avg_first_response_time"] as? Double == 7200)
        }
    }

    @Test("Reports: timeseries by period and scope, summary, summary reports, distribution, matrix, outgoing counts, live metrics")
    func reports() async throws {
        try await run { client, seeder, clock in
            let alpha = try await seeder.inbox("Alpha")
            let beta = try await seeder.inbox("Beta")
            let team = try await seeder.team("Tier 2")
            let agent = try await client.chatwootUser("Xena Agent")
            try await seeder.member(inbox: alpha, user: agent.id)
            let contact = try await seeder.contact("Lin")
            // Monday: a conversation in Alpha for the agent and the team, labelled; the agent answers after 10 minutes.
            let first = try await client.conversation(inbox: alpha, contact: contact, extra: #", "assignee_id": \#(agent.id), "team_id": \#(team)"#)
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(first)/labels", json: #"{"labels": ["vip"]}"#)
            clock.advance(by: 600)
            let sent = try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations/\(first)/messages", token: agent.token, json: #"{"content": "On it"}"#)
            #expect(sent.status == .ok)
            // Tuesday: one in Beta, answered after 30 minutes by the administrator, resolved an hour after it began.
            clock.advance(by: Double(Self.day) - 600)
            let second = try await client.conversation(inbox: beta, contact: contact)
            try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations/\(second)/messages", json: #"{"content": "Hi", "message_type": "incoming"}"#)
            clock.advance(by: 1800)
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(second)/messages", json: #"{"content": "Hello"}"#)
            clock.advance(by: 1800)
            try await client.chatwoot(.post, "/api/v1/accounts/1/conversations/\(second)/toggle_status", json: #"{"status": "resolved"}"#)

            let range = "since=\(Self.mondayStart)&until=\(Self.mondayStart + 3 * Self.day)"
            let days = [Self.mondayStart, Self.mondayStart + Self.day, Self.mondayStart + 2 * Self.day]
            func counts(_ query: String) async throws -> [Int] {
                let response = try await self.unchecked(client, "/api/v2/accounts/1/reports?\(query)&\(range)")
                #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
                #expect(response.array.map { $0["timestamp"] as? Int } == days, "\(query)")
                return response.array.map { $0["value"] as? Int ?? -1 }
            }
            #expect(try await counts("metric=conversations_count&type=account") == [1, 1, 0])
            #expect(try await counts("metric=incoming_messages_count&type=account") == [0, 1, 0])
            #expect(try await counts("metric=outgoing_messages_count&type=account") == [1, 1, 0])
            #expect(try await counts("metric=resolutions_count&type=account") == [0, 1, 0])
            #expect(try await counts("metric=conversations_count&type=inbox&id=\(beta)") == [0, 1, 0])
            #expect(try await counts("metric=conversations_count&type=team&id=\(team)") == [1, 0, 0])
            #expect(try await counts("metric=conversations_count&type=agent&id=\(agent.id)") == [1, 0, 0])
            #expect(try await counts("metric=outgoing_messages_count&type=agent&id=\(agent.id)") == [1, 0, 0])

            // Averages: decimal strings with the number of events averaged.
            let averages = try await client.chatwoot(.get, "/api/v2/accounts/1/reports?metric=avg_first_response_time&type=account&\(range)")
            #expect(averages.array.map { $0["value"] as? String } == ["600.0", "1800.0", "0.0"])
            #expect(averages.array.map { $0["count"] as? Int } == [1, 1, 0])
            let agentAverages = try await client.chatwoot(
                .get, "/api/v2/accounts/1/reports?metric=avg_first_response_time&type=agent&id=\(agent.id)&\(range)")
            #expect(agentAverages.array.map { $0["value"] as? String } == ["600.0", "0.0", "0.0"])
            let resolution = try await client.chatwoot(.get, "/api/v2/accounts/1/reports?metric=avg_resolution_time&type=account&\(range)")
            #expect(resolution.array.map { $0["value"] as? String } == ["0.0", "3600.0", "0.0"])

            // Periods: a week starting on Monday, a month, an hour; the time zone moves the day boundaries.
            let weeks = try await self.unchecked(client, "/api/v2/accounts/1/reports?metric=conversations_count&type=account&group_by=week&\(range)")
            #expect(weeks.array.map { $0["value"] as? Int } == [2])
            #expect(weeks.array.map { $0["timestamp"] as? Int } == [Self.mondayStart])
            let months = try await self.unchecked(
                client, "/api/v2/accounts/1/reports?metric=conversations_count&type=account&group_by=month&\(range)")
            #expect(months.array.map { $0["timestamp"] as? Int } == [1_793_491_200])  // 1 November 2026
            #expect(months.array.map { $0["value"] as? Int } == [2])
            let shifted = try await self.unchecked(
                client,
                "/api/v2/accounts/1/reports?metric=conversations_count&type=account&timezone_offset=-10&since=\(Self.mondayStart)&until=\(Self.mondayStart + 2 * Self.day)"
            )
            // At UTC-10 Monday 09:00 UTC is Sunday 23:00 and Tuesday 09:00 UTC is Monday 23:00.
            #expect(shifted.array.map { $0["value"] as? Int } == [1, 1, 0])
            #expect(shifted.array.first?["timestamp"] as? Int == Self.mondayStart - Self.day + 36_000)

            // The label report names the label by the id the matrix gives it.
            let matrix = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/inbox_label_matrix?\(range)")
            #expect((matrix.object["inboxes"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Alpha", "Beta"])
            let labels = try #require(matrix.object["labels"] as? [[String: Any]])
            #expect(labels.map { $0["title"] as? String } == ["vip"])
            #expect(matrix.object["matrix"] as? [[Int]] == [[1], [0]])
            let vip = try #require(labels.first?["id"] as? Int)
            #expect(try await counts("metric=conversations_count&type=label&id=\(vip)") == [1, 0, 0])
            let onlyBeta = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/inbox_label_matrix?inbox_ids[]=\(beta)&label_ids[]=\(vip)")
            #expect(onlyBeta.object["matrix"] as? [[Int]] == [[0]])

            // Summary: this range and the one before it.
            let summary = try await self.unchecked(client, "/api/v2/accounts/1/reports/summary?type=account&\(range)")
            #expect(summary.object["conversations_count"] as? Int == 2)
            #expect(summary.object["incoming_messages_count"] as? Int == 1)
            #expect(summary.object["outgoing_messages_count"] as? Int == 2)
            #expect(summary.object["resolutions_count"] as? Int == 1)
            #expect(summary.object["avg_first_response_time"] as? String == "1200.0")
            #expect(summary.object["avg_resolution_time"] as? String == "3600.0")
            let previous = try #require(summary.object["previous"] as? [String: Any])
            #expect(previous["conversations_count"] as? Int == 0)
            #expect(previous["avg_first_response_time"] is NSNull)
            let inboxSummary = try await self.unchecked(client, "/api/v2/accounts/1/reports/summary?type=inbox&id=\(alpha)&\(range)")
            #expect(inboxSummary.object["conversations_count"] as? Int == 1)
            #expect(inboxSummary.object["avg_first_response_time"] as? String == "600.0")

            // Summary reports by agent, inbox and team.
            let agents = try await client.chatwoot(.get, "/api/v2/accounts/1/summary_reports/agent?\(range)")
            let xena = try #require(agents.array.first { $0["id"] as? Int == agent.id })
            #expect(xena["conversations_count"] as? Int == 1)
            #expect(xena["avg_first_response_time"] as? Double == 600)
            #expect(xena["avg_resolution_time"] is NSNull)
            let admin = try #require(agents.array.first { $0["id"] as? Int == 1 })
            #expect(admin["avg_first_response_time"] as? Double == 1800)
            let inboxes = try await client.chatwoot(.get, "/api/v2/accounts/1/summary_reports/inbox?\(range)")
            #expect(inboxes.array.map { $0["id"] as? Int } == [alpha, beta])
            #expect(inboxes.array.map { $0["resolved_conversations_count"] as? Int } == [0, 1])
            #expect(inboxes.array.map { $0["avg_resolution_time"] as? Double } == [nil, 3600])
            let teams = try await client.chatwoot(.get, "/api/v2/accounts/1/summary_reports/team?\(range)")
            #expect(teams.array.map { $0["conversations_count"] as? Int } == [1])
            #expect(teams.array.map { $0["avg_first_response_time"] as? Double } == [600])

            // Channels, first response distribution, outgoing messages.
            let channels = try await client.chatwoot(.get, "/api/v2/accounts/1/summary_reports/channel?\(range)")
            let api = try #require(channels.object["Channel::Api"] as? [String: Int])
            #expect(api == ["open": 1, "resolved": 1, "pending": 0, "snoozed": 0, "total": 2])
            let tooLong = try await client.chatwoot(
                .get, "/api/v2/accounts/1/summary_reports/channel?since=\(Self.mondayStart)&until=\(Self.mondayStart + 200 * Self.day)")
            #expect(tooLong.status == .badRequest)
            #expect(tooLong.object["error"] is String)
            let distribution = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/first_response_time_distribution?\(range)")
            #expect(distribution.object["Channel::Api"] as? [String: Int] == ["0-1h": 2, "1-4h": 0, "4-8h": 0, "8-24h": 0, "24h+": 0])
            func outgoing(_ group: String) async throws -> [String: Int] {
                let response = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/outgoing_messages_count?group_by=\(group)&\(range)")
                #expect(response.status == .ok)
                return Dictionary(
                    uniqueKeysWithValues: response.array.map { ($0["name"] as? String ?? "", $0["outgoing_messages_count"] as? Int ?? 0) })
            }
            #expect(try await outgoing("inbox") == ["Alpha": 1, "Beta": 1])
            #expect(try await outgoing("agent") == ["Xena Agent": 1])
            #expect(try await outgoing("team") == ["Tier 2": 1])
            #expect(try await outgoing("label") == ["vip": 1])

            // Live metrics: a third conversation, open, unassigned and unanswered, the next week.
            clock.advance(by: Double(5 * Self.day))
            _ = try await client.conversation(inbox: beta, contact: contact)
            let live = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/conversations?type=account")
            #expect(live.status == .ok)
            #expect(live.object["open"] as? Int == 2)
            #expect(live.object["unattended"] as? Int == 1)
            #expect(live.object["unassigned"] as? Int == 1)
            let perAgent = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/conversations/?type=agent")
            #expect(perAgent.status == .ok)
            #expect(perAgent.array.first?["id"] as? Int == agent.id)
            #expect((perAgent.array.first?["metric"] as? [String: Int]) == ["open": 1, "unattended": 0])
            let one = try await client.chatwoot(.get, "/api/v2/accounts/1/reports/conversations/?type=agent&user_id=1")
            #expect(one.array.map { $0["id"] as? Int } == [1])
        }
    }

    @Test("A bot's handoff is recorded once and starts the first response; a bot's resolution without a user's reply is the bot's")
    func bots() async throws {
        try await run { client, seeder, clock in
            let bot = try await client.chatwoot(.post, "/api/v1/accounts/1/agent_bots", json: #"{"name": "Triage"}"#)
            let botID = try #require(bot.object["id"] as? Int)
            let botToken = try #require(bot.object["access_token"] as? String)
            let inbox = try await seeder.inbox("Bot desk")
            try await seeder.connect(bot: botID, inbox: inbox)
            let contact = try await seeder.contact("Ivy")
            let handed = try await client.conversation(inbox: inbox, contact: contact, extra: #", "status": "pending""#)
            let path = "/api/v1/accounts/1/conversations/\(handed)"
            clock.advance(by: 300)
            let opened = try await client.chatwoot(.post, path + "/toggle_status", token: botToken, json: #"{"status": "open"}"#)
            #expect(opened.status == .ok)
            // Pending again and opened by the bot again: still one handoff.
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "pending"}"#)
            try await client.chatwoot(.post, path + "/toggle_status", token: botToken, json: #"{"status": "open"}"#)
            clock.advance(by: 60)
            try await client.chatwoot(.post, path + "/messages", json: #"{"content": "A human now"}"#)
            let events = try await client.chatwoot(.get, path + "/reporting_events").array
            #expect(events.map { $0["name"] as? String } == ["conversation_bot_handoff", "first_response"])
            #expect(events.map { $0["value"] as? Double } == [300, 60])
            #expect(events.last?["event_start_time"] as? String == "2026-11-02T09:05:00.000Z")

            // The bot resolves a conversation no user answered: a resolution and a bot resolution.
            let solo = try await client.conversation(inbox: inbox, contact: contact)
            clock.advance(by: 120)
            try await client.chatwoot(
                .post, "/api/v1/accounts/1/conversations/\(solo)/toggle_status", token: botToken, json: #"{"status": "resolved"}"#)
            let resolved = try await client.chatwoot(.get, "/api/v1/accounts/1/conversations/\(solo)/reporting_events").array
            #expect(resolved.map { $0["name"] as? String } == ["conversation_resolved", "conversation_bot_resolved"])
            // The user-answered one resolved: no bot resolution.
            try await client.chatwoot(.post, path + "/toggle_status", json: #"{"status": "resolved"}"#)
            let range = "since=\(Self.mondayStart)&until=\(Self.mondayStart + Self.day)"
            let handoffs = try await self.unchecked(client, "/api/v2/accounts/1/reports?metric=bot_handoffs_count&type=account&\(range)")
            #expect(handoffs.array.map { $0["value"] as? Int } == [1])
            let botResolutions = try await self.unchecked(client, "/api/v2/accounts/1/reports?metric=bot_resolutions_count&type=account&\(range)")
            #expect(botResolutions.array.map { $0["value"] as? Int } == [1])
            let resolutions = try await self.unchecked(client, "/api/v2/accounts/1/reports?metric=resolutions_count&type=account&\(range)")
            #expect(resolutions.array.map { $0["value"] as? Int } == [2])
        }
    }

    @Test("Reports refuse agents (401), unknown metrics, types and groupings (422), malformed times (400), others' objects (404)")
    func refusals() async throws {
        try await run { client, seeder, _ in
            let agent = try await client.chatwootUser("Plain Agent")
            for path in [
                "reports?metric=conversations_count&type=account", "reports/summary?type=account", "reports/conversations?type=account",
                "summary_reports/agent", "summary_reports/inbox", "summary_reports/team", "summary_reports/channel",
                "reports/first_response_time_distribution", "reports/inbox_label_matrix", "reports/outgoing_messages_count?group_by=inbox",
            ] {
                let refused = try await client.chatwoot(.get, "/api/v2/accounts/1/\(path)", token: agent.token)
                #expect(refused.status == .unauthorized, "\(path)")
                #expect(refused.object["error"] as? String == "You are not authorized to do this action", "\(path)")
                #expect(try await self.unchecked(client, "/api/v2/accounts/1/\(path)").status == .ok, "\(path)")
            }
            func status(_ path: String) async throws -> HTTPResponse.Status {
                try await client.chatwoot(.get, "/api/v2/accounts/1/\(path)").status
            }
            let bad = try await client.chatwoot(.get, "/api/v2/accounts/1/reports?metric=happiness&type=account")
            #expect(bad.status == .unprocessableContent)
            #expect((bad.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "metric")
            #expect(try await status("reports?type=account") == .unprocessableContent)
            #expect(try await status("reports?metric=conversations_count&type=planet") == .unprocessableContent)
            #expect(try await status("reports?metric=conversations_count") == .unprocessableContent)
            #expect(try await status("reports?metric=conversations_count&type=account&since=yesterday&until=1") == .badRequest)
            #expect(try await status("reports?metric=conversations_count&type=account&timezone_offset=east") == .badRequest)
            #expect(try await status("reports?metric=conversations_count&type=inbox&id=999") == .notFound)
            #expect(try await status("reports?metric=conversations_count&type=inbox") == .notFound)
            #expect(try await status("reports?metric=conversations_count&type=label&id=1") == .notFound)
            #expect(try await status("reports?metric=conversations_count&type=agent&id=abc") == .notFound)
            #expect(try await status("reports/summary?type=team&id=5") == .notFound)
            #expect(try await status("reports/summary?type=account&since=x&until=y") == .badRequest)
            #expect(try await status("reports/conversations") == .unprocessableContent)
            #expect(try await status("reports/conversations?type=inbox") == .unprocessableContent)
            #expect(try await status("reports/outgoing_messages_count") == .unprocessableContent)
            #expect(try await status("reports/outgoing_messages_count?group_by=planet") == .unprocessableContent)
            #expect(try await status("reports/inbox_label_matrix?inbox_ids[]=x") == .badRequest)
            #expect(
                try await status("reports?metric=conversations_count&type=account&group_by=hour&since=0&until=\(Self.mondayStart)")
                    == .unprocessableContent)
            // Another account's inbox is not found; an empty account reports nothing.
            let other = try await client.chatwootAccount("Faraway")
            let theirInbox = try await seeder.inbox(account: other, "Theirs")
            #expect(try await status("reports?metric=conversations_count&type=inbox&id=\(theirInbox)") == .notFound)
            let empty = try await self.unchecked(
                client, "/api/v2/accounts/\(other)/reports/summary?type=account", token: try await seeder.token(account: other))
            #expect(empty.object["conversations_count"] as? Int == 0)
        }
    }

    /// A report answer checked against the swagger but for what Chatwoot answers differently (decision 318): counts
    /// as numbers where the swagger's timeseries `value` is a string, and null averages where nothing happened.
    private func unchecked(
        _ client: any TestClientProtocol, _ uri: String, token: String = TestConfiguration.bootstrapKey,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: [.apiAccessToken: token])
        if response.status == .ok {
            let violations = ChatwootSwagger.violations("GET", uri, status: 200, body: Data(buffer: response.body)).filter {
                !($0.contains("].value is") && $0.hasSuffix("not string")) && !$0.hasSuffix("is null, not nullable")
            }
            #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
        }
        return response
    }
}

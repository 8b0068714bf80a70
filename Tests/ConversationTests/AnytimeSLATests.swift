import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing
import WireModels

@testable import Conversation

/// Working time, holidays and SLA policies (seed 000 L1075–L1215; spec §3.12, §3.13, §5.17; decisions 252–261), and
/// the SLA targets of conversations, whose breaches the scheduler finds as the test moves the clock. The clock starts
/// on Friday 2027-01-15 08:00 UTC.
@Suite("conversation: working time, holidays and SLA")
struct AnytimeSLATests {
    static func day(_ working: AnytimeWorkingTime) -> String {
        "\(working.dayOfWeek) \(working.isBusinessDay) \(working.startHour):\(working.startMin)-\(working.endHour):\(working.endMin)"
    }

    @Test("Working time: Monday to Friday 09:00–17:00 until changed; a PUT changes the days it names, per site")
    func workingTime() async throws {
        try await AnytimeTestClient.run { api in
            let initial = try await api.get("/workingTime").decode([AnytimeWorkingTime].self)
            #expect(initial.map(\.dayOfWeek) == ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"])
            #expect(initial.map(\.isBusinessDay) == [false, true, true, true, true, true, false])
            #expect(Self.day(initial[1]) == "monday true 9:0-17:0")
            let change =
                #"{"workingTimes": [{"dayOfWeek": "Saturday", "isBusinessDay": true, "startHour": 10, "endHour": 14, "endMin": 30}, {"dayOfWeek": "monday", "endHour": 24, "endMin": 0}]}"#
            let put = try await api.put("/workingTime", change)
            #expect(put.status == .noContent && put.body.readableBytes == 0)
            let changed = try await api.get("/workingTime").decode([AnytimeWorkingTime].self)
            #expect(Self.day(changed[6]) == "saturday true 10:0-14:30")
            #expect(Self.day(changed[1]) == "monday true 9:0-24:0")
            #expect(Self.day(changed[2]) == "tuesday true 9:0-17:0")
            // Another site keeps the default.
            #expect(
                Self.day(try await api.get("/workingTime", as: AgentDirectory.otherSite).decode([AnytimeWorkingTime].self)[6])
                    == "saturday false 9:0-17:0")

            let cases: [(String, String)] = [
                (#"{}"#, "workingTimes"),
                (#"{"workingTimes": [{"dayOfWeek": "funday"}]}"#, "workingTimes[0].dayOfWeek"),
                (#"{"workingTimes": [{"isBusinessDay": true}]}"#, "workingTimes[0].dayOfWeek"),
                (#"{"workingTimes": [{"dayOfWeek": "monday"}, {"dayOfWeek": "MONDAY"}]}"#, "workingTimes[1].dayOfWeek"),
                (#"{"workingTimes": [{"dayOfWeek": "monday", "startHour": 24}]}"#, "workingTimes[0].startHour"),
                (#"{"workingTimes": [{"dayOfWeek": "monday", "startMin": 60}]}"#, "workingTimes[0].startMin"),
                (#"{"workingTimes": [{"dayOfWeek": "monday", "endHour": 24, "endMin": 30}]}"#, "workingTimes[0].endMin"),
                (#"{"workingTimes": [{"dayOfWeek": "tuesday", "startHour": 18}]}"#, "workingTimes[0].endHour"),
                (#"{"workingTimes": [{"dayOfWeek": "tuesday", "startHour": "nine"}]}"#, "startHour"),
                (#"{"workingTimes": [{"dayOfWeek": "tuesday", "isBusinessDay": "yes"}]}"#, "isBusinessDay"),
                (#"{"workingTimes": "all"}"#, "workingTimes"),
                (
                    #"{"workingTimes": ["#
                        + ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].map {
                            #"{"dayOfWeek": "\#($0)", "isBusinessDay": false}"#
                        }
                        .joined(separator: ",") + "]}", "workingTimes"
                ),
            ]
            for (body, field) in cases {
                let reply = try await api.put("/workingTime", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            // Nothing of the refused changes was stored.
            #expect(try await api.get("/workingTime").decode([AnytimeWorkingTime].self) == changed)
        }
    }

    @Test("Holidays: created as a UTC day, one a date (409), updated in part, deleted by path or query; other sites' are 404")
    func holidays() async throws {
        try await AnytimeTestClient.run { api in
            let created = try await api.post("/holidays", #"{"id": "ignored", "title": "New Year", "date": "2027-01-01T15:30:00+02:00"}"#)
            #expect(created.status == .created)
            let holiday = try created.decode(AnytimeHoliday.self)
            #expect(holiday.id != "ignored" && holiday.title == "New Year" && holiday.date == "2027-01-01T00:00:00.000Z")
            #expect(try await api.get("/holidays/\(holiday.id)").decode(AnytimeHoliday.self) == holiday)
            #expect(try await api.post("/holidays", #"{"title": "Again", "date": "2027-01-01"}"#).status == .conflict)
            let second = try await api.post("/holidays", #"{"title": "Spring", "date": "2027-04-05"}"#).decode(AnytimeHoliday.self)
            #expect(try await api.get("/holidays").decode([AnytimeHoliday].self).map(\.title) == ["New Year", "Spring"])
            #expect(try await api.put("/holidays/\(second.id)", #"{"date": "2027-01-01"}"#).status == .conflict)
            let moved = try await api.put("/holidays/\(second.id)", #"{"date": "2026-12-31"}"#).decode(AnytimeHoliday.self)
            #expect(moved.title == "Spring" && moved.date == "2026-12-31T00:00:00.000Z")
            #expect(try await api.get("/holidays").decode([AnytimeHoliday].self).map(\.title) == ["Spring", "New Year"])

            let other = AgentDirectory.otherSite
            #expect(try await api.get("/holidays/\(holiday.id)", as: other).status == .notFound)
            #expect(try await api.put("/holidays/\(holiday.id)", #"{"title": "Mine"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/holidays/\(holiday.id)", as: other).status == .notFound)
            #expect(try await api.get("/holidays", as: other).decode([AnytimeHoliday].self).isEmpty)

            let cases: [(String, String)] = [
                (#"{"date": "2027-02-01"}"#, "title"),
                (#"{"title": "X"}"#, "date"),
                (#"{"title": "  ", "date": "2027-02-01"}"#, "title"),
                (#"{"title": "X", "date": "tomorrow"}"#, "date"),
                (#"{"title": "X", "date": "2027-02-30"}"#, "date"),
                (#"{"title": 7, "date": "2027-02-01"}"#, "title"),
                (#"{"title": "\#(String(repeating: "a", count: 257))", "date": "2027-02-01"}"#, "title"),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/holidays", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            #expect(try await api.delete("/holidays/\(holiday.id)").status == .noContent)
            #expect(try await api.get("/holidays/\(holiday.id)").status == .notFound)
            #expect(try await api.delete("/holidays?id=\(second.id)").status == .noContent)
            #expect(try await api.delete("/holidays").status == .badRequest)
            #expect(try await api.get("/holidays").decode([AnytimeHoliday].self).isEmpty)
        }
    }

    @Test("SLA policies: created last in order with their conditions, updated in part, moved up and down, deleted; bad input is a 400")
    func policies() async throws {
        try await AnytimeTestClient.run { api in
            let first = try await api.post(
                "/SLAPolicies",
                #"{"firstRespondWithin": 1, "nextRespondWithin": 2, "resolveRespondWithin": 8, "isBusinessHours": true, "conditions": {"when": "all", "list": [{"fieldId": "priority", "matchType": "is", "value": "Urgent"}]}}"#
            )
            #expect(first.status == .created)
            let urgent = try first.decode(AnytimeSLAPolicy.self)
            #expect(urgent.isEnabled && urgent.isBusinessHours && urgent.orderNum == 1)
            #expect(urgent.firstRespondWithin == 1 && urgent.nextRespondWithin == 2 && urgent.resolveRespondWithin == 8)
            #expect(urgent.conditions.list.map(\.value) == ["urgent"] && urgent.conditions.list.first?.type == .sla)
            let fallback = try await api.post("/SLAPolicies", #"{"resolveRespondWithin": 24, "businessHours": "calenderHours"}"#)
                .decode(AnytimeSLAPolicy.self)
            #expect(!fallback.isBusinessHours && fallback.orderNum == 2 && fallback.firstRespondWithin == 0 && fallback.conditions.list.isEmpty)
            #expect(try await api.get("/SLAPolicies/\(urgent.id)").decode(AnytimeSLAPolicy.self) == urgent)

            let updated = try await api.put("/SLAPolicies/\(fallback.id)", #"{"businessHours": "businessHours", "isEnabled": false}"#)
                .decode(AnytimeSLAPolicy.self)
            #expect(updated.isBusinessHours && !updated.isEnabled && updated.resolveRespondWithin == 24)
            #expect(try await api.put("/slaPolicies/\(fallback.id)/sort", #"{"type": "up"}"#).status == .noContent)
            #expect(try await api.get("/SLAPolicies").decode([AnytimeSLAPolicy].self).map(\.id) == [fallback.id, urgent.id])
            #expect(try await api.put("/SLAPolicies/\(fallback.id)/sort", #"{"type": "up"}"#).status == .noContent)
            #expect(try await api.get("/SLAPolicies").decode([AnytimeSLAPolicy].self).map(\.orderNum) == [1, 2])
            #expect(try await api.put("/SLAPolicies/\(fallback.id)/sort", #"{"type": "down"}"#).status == .noContent)
            #expect(try await api.get("/SLAPolicies").decode([AnytimeSLAPolicy].self).map(\.id) == [urgent.id, fallback.id])

            let other = AgentDirectory.otherSite
            #expect(try await api.get("/SLAPolicies/\(urgent.id)", as: other).status == .notFound)
            #expect(try await api.put("/SLAPolicies/\(urgent.id)", #"{"isEnabled": false}"#, as: other).status == .notFound)
            #expect(try await api.put("/SLAPolicies/\(urgent.id)/sort", #"{"type": "up"}"#, as: other).status == .notFound)
            #expect(try await api.delete("/SLAPolicies/\(urgent.id)", as: other).status == .notFound)
            #expect(try await api.get("/SLAPolicies", as: other).decode([AnytimeSLAPolicy].self).isEmpty)

            let cases: [(String, String)] = [
                (#"{"firstRespondWithin": -1}"#, "firstRespondWithin"),
                (#"{"nextRespondWithin": 9000}"#, "nextRespondWithin"),
                (#"{"resolveRespondWithin": "soon"}"#, "resolveRespondWithin"),
                (#"{"isBusinessHours": "yes"}"#, "isBusinessHours"),
                (#"{"businessHours": "officeHours"}"#, "businessHours"),
                (#"{"businessHours": "calendarHours", "isBusinessHours": true}"#, "businessHours"),
                (#"{"conditions": {"list": [{"fieldId": "priority", "matchType": "contains", "value": "high"}]}}"#, "conditions.list[0].matchType"),
                (#"{"conditions": {"list": [{"fieldId": "nothing", "matchType": "is", "value": "x"}]}}"#, "conditions.list[0].fieldId"),
                (#"{"conditions": {"list": [{"fieldId": "priority", "matchType": "sometimes", "value": "x"}]}}"#, "matchType"),
                (
                    #"{"conditions": {"when": "logicalExpression", "logicExpression": "1 and 2", "list": [{"fieldId": "priority", "matchType": "is", "value": "low"}]}}"#,
                    "conditions.logicExpression"
                ),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/SLAPolicies", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            for body in [#"{"type": "left"}"#, #"{}"#] {
                let reply = try await api.put("/SLAPolicies/\(urgent.id)/sort", body)
                #expect(reply.status == .badRequest && reply.message.contains("type"), "\(reply.status) \(reply.text)")
            }
            #expect(try await api.delete("/SLAPolicies/\(urgent.id)").status == .noContent)
            let left = try await api.get("/SLAPolicies").decode([AnytimeSLAPolicy].self)
            #expect(left.map(\.id) == [fallback.id] && left.map(\.orderNum) == [1])
            #expect(try await api.get("/SLAPolicies/\(urgent.id)").status == .notFound)
        }
    }

    /// Waits (up to 5 s) for the scheduler to have written what `check` looks for.
    func eventually(_ check: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func conversation(_ api: AnytimeTestClient, _ id: Int) async throws -> AnytimeConversation {
        try await api.get("/conversations/\(id)?include=eventLogs").decode(AnytimeConversation.self)
    }

    func contactWrites(_ api: AnytimeTestClient, _ id: Int, at time: String) async throws {
        try await api.attach(
            id,
            #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "email", "body": "any news?", "time": "\#(time)"}"#
        )
    }

    @Test("The first matching policy sets the targets; the contact's answer starts next response, the agent's reply meets it")
    func targets() async throws {
        try await AnytimeTestClient.run { api in
            _ = try await api.post(
                "/SLAPolicies",
                #"{"nextRespondWithin": 1, "resolveRespondWithin": 4, "conditions": {"list": [{"fieldId": "priority", "matchType": "is", "value": "urgent"}]}}"#
            )
            let business = try await api.post("/SLAPolicies", #"{"nextRespondWithin": 2, "resolveRespondWithin": 8, "isBusinessHours": true}"#)
                .decode(AnytimeSLAPolicy.self)
            let policies = try await api.get("/SLAPolicies").decode([AnytimeSLAPolicy].self)

            // Urgent: the first policy, in calendar hours from 08:00; an agent-made conversation has no first-response target.
            let urgent = try await api.create(extra: #""priority": "urgent","#)
            #expect(urgent.slaPolicyId == policies[0].id)
            #expect(urgent.firstRespondBreachAt == nil && urgent.nextRespondBreachAt == nil)
            #expect(urgent.resolveBreachAt == "2027-01-15T12:00:00.000Z")
            // Normal: the second, in business hours (Friday 09:00–17:00): 8 hours end at Friday's close.
            let normal = try await api.create()
            #expect(normal.slaPolicyId == business.id && normal.resolveBreachAt == "2027-01-15T17:00:00.000Z")

            // The contact answers at 08:30: next response due an hour later; in business hours two hours from 09:00.
            try await self.contactWrites(api, urgent.id, at: "2027-01-15T08:30:00Z")
            #expect(try await self.conversation(api, urgent.id).nextRespondBreachAt == "2027-01-15T09:30:00.000Z")
            try await self.contactWrites(api, normal.id, at: "2027-01-15T08:30:00Z")
            #expect(try await self.conversation(api, normal.id).nextRespondBreachAt == "2027-01-15T11:00:00.000Z")
            // A second contact message does not move a running target.
            try await self.contactWrites(api, urgent.id, at: "2027-01-15T08:40:00Z")
            #expect(try await self.conversation(api, urgent.id).nextRespondBreachAt == "2027-01-15T09:30:00.000Z")

            // The agent replies: the next-response target is met and cleared; the sort by nextSLABreach follows.
            let reply = #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "On its way"}]}"#
            #expect(try await api.post("/conversations/\(urgent.id)/messages", reply).status == .created)
            let answered = try await self.conversation(api, urgent.id)
            #expect(answered.nextRespondBreachAt == nil && answered.resolveBreachAt == "2027-01-15T12:00:00.000Z")
            let sorted = try await api.get("/conversations?sortBy=nextSLABreach&sortOrder=ascending&timeTo=2027-01-16T00:00:00Z").decode(
                AnytimeConversationPage.self)
            #expect(sorted.conversations.map(\.id) == [normal.id, urgent.id])

            // Raising the priority matches the first policy again: targets counted again from their anchors.
            let raised = try await api.put("/conversations/\(normal.id)", #"{"priority": "urgent"}"#).decode(AnytimeConversation.self)
            #expect(raised.slaPolicyId == policies[0].id)
            #expect(raised.resolveBreachAt == "2027-01-15T12:00:00.000Z" && raised.nextRespondBreachAt == "2027-01-15T09:30:00.000Z")

            // Closing stops every target.
            let closed = try await api.put("/conversations/\(urgent.id)", #"{"status": "closed"}"#).decode(AnytimeConversation.self)
            #expect(closed.resolveBreachAt == nil && closed.nextRespondBreachAt == nil && closed.firstRespondBreachAt == nil)
            #expect(closed.slaPolicyId == policies[0].id)

            // Another site's policies govern nothing here, and its conversations get none of these.
            let elsewhere = try await api.create(as: AgentDirectory.otherSite)
            #expect(elsewhere.slaPolicyId == nil && elsewhere.resolveBreachAt == nil)
        }
    }

    @Test("A contact's ticket gets a first-response target; the scheduler logs each target that passes unmet, once, and not one met")
    func breaches() async throws {
        try await AnytimeTestClient.run { api in
            let policy = try await api.post("/SLAPolicies", #"{"firstRespondWithin": 1, "nextRespondWithin": 1, "resolveRespondWithin": 3}"#)
                .decode(AnytimeSLAPolicy.self)
            // A ticket opened by a contact's message (outreach's auto-attach route, the contact answering).
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[HTTPField.Name("X-Internal-Token")!] = TestConfiguration.internalToken
            let body = #"""
                {"contactId": "contact-1", "preferredTicket": "newTicket", "subject": "Help",
                 "message": {"sentById": "contact-1", "sentByType": "contact", "type": "text", "channelId": "SMS", "body": "Hello?",
                             "originalId": "sms-1", "metadata": {}, "time": "2027-01-15T08:00:00.000Z"}}
                """#
            let response = try await api.client.execute(
                uri: "/internal/sites/10000/contactTicketMessages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let ticket = try JSONDecoder().decode(ContactTicketAnswer.self, from: Data(buffer: response.body)).ticketId
            let opened = try await self.conversation(api, ticket)
            #expect(opened.slaPolicyId == policy.id)
            #expect(opened.firstRespondBreachAt == "2027-01-15T09:00:00.000Z" && opened.resolveBreachAt == "2027-01-15T11:00:00.000Z")
            let slaLogs = { (conversation: AnytimeConversation) in (conversation.eventLogs ?? []).filter { $0.text.contains("breached") } }
            #expect(slaLogs(opened).isEmpty)

            // Met in time: the agent replies at 08:30; nothing is breached when 09:00 passes.
            api.clock.advance(by: 1800)
            let reply = #"{"type": "message", "channelId": "sms", "contents": [{"type": "text", "text": "Hi!"}]}"#
            #expect(try await api.post("/conversations/\(ticket)/messages", reply).status == .created)
            #expect(try await self.conversation(api, ticket).firstRespondBreachAt == nil)
            // The contact answers at 08:45: next response due 09:45, which passes unmet by 10:00.
            try await self.contactWrites(api, ticket, at: "2027-01-15T08:45:00Z")
            api.clock.advance(by: 1800)
            try await Task.sleep(for: .milliseconds(300))
            #expect(slaLogs(try await self.conversation(api, ticket)).isEmpty)
            api.clock.advance(by: 3600)
            #expect(try await self.eventually { slaLogs(try await self.conversation(api, ticket)).count == 1 })
            let first = slaLogs(try await self.conversation(api, ticket))
            #expect(first.first?.text.contains("Next response") == true && first.first?.text.contains("2027-01-15T09:45:00.000Z") == true)
            // The target stays on the conversation until it is met; resolution passes at 11:00, each logged once.
            #expect(try await self.conversation(api, ticket).nextRespondBreachAt == "2027-01-15T09:45:00.000Z")
            api.clock.advance(by: 3600)
            #expect(try await self.eventually { slaLogs(try await self.conversation(api, ticket)).count == 2 })
            try await Task.sleep(for: .milliseconds(300))
            let logs = slaLogs(try await self.conversation(api, ticket))
            #expect(logs.count == 2 && logs.last?.text.contains("Resolution") == true)

            // Closed before its resolution time, a conversation has nothing to breach.
            let made = try await api.create()
            #expect(made.resolveBreachAt == "2027-01-15T14:00:00.000Z")
            #expect(try await api.put("/conversations/\(made.id)", #"{"status": "closed"}"#).status == .ok)
            api.clock.advance(by: 4 * 3600)
            try await Task.sleep(for: .milliseconds(400))
            #expect(slaLogs(try await self.conversation(api, made.id)).isEmpty)
        }
    }

    @Test("Business-hours targets skip holidays; deleting or disabling a policy hands its conversations to the next match")
    func holidaysAndRematch() async throws {
        try await AnytimeTestClient.run { api in
            #expect(try await api.post("/holidays", #"{"title": "Closed", "date": "2027-01-15"}"#).status == .created)
            let business = try await api.post("/SLAPolicies", #"{"resolveRespondWithin": 2, "isBusinessHours": true}"#).decode(AnytimeSLAPolicy.self)
            let calendar = try await api.post("/SLAPolicies", #"{"resolveRespondWithin": 2}"#).decode(AnytimeSLAPolicy.self)
            // Friday is a holiday: two business hours from Monday 09:00.
            let made = try await api.create()
            #expect(made.slaPolicyId == business.id && made.resolveBreachAt == "2027-01-18T11:00:00.000Z")
            let disabled = try await api.put("/SLAPolicies/\(business.id)", #"{"isEnabled": false}"#)
            #expect(disabled.status == .ok)
            let moved = try await self.conversation(api, made.id)
            #expect(moved.slaPolicyId == calendar.id && moved.resolveBreachAt == "2027-01-15T10:00:00.000Z")
            #expect(try await api.delete("/SLAPolicies/\(calendar.id)").status == .noContent)
            let none = try await self.conversation(api, made.id)
            #expect(none.slaPolicyId == nil && none.resolveBreachAt == nil)
            // With no target left, nothing is breached later.
            api.clock.advance(by: 3 * 86400)
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await self.conversation(api, made.id).eventLogs?.contains { $0.text.contains("breached") } == false)
        }
    }
}

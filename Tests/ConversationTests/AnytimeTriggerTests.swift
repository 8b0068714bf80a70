import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import Synchronization
import TestSupport
import Testing
import WireModels

@testable import Conversation

/// Triggers (seed 000 L963–L1073; spec §3.11, §5.16, §5.25, §6 T1–T7; decisions 272–279): the seven operations, and the
/// triggers running on their events, in order, without cascading, the time-based one on the clock the test moves. The
/// clock starts on Friday 2027-01-15 08:00 UTC.
@Suite("conversation: triggers")
struct AnytimeTriggerTests {
    static let setUrgent =
        #"{"description": "Urgent", "event": "conversationCreated", "ifSetValue": true, "autoUpdate": [{"fieldId": "priority", "value": "urgent"}]}"#

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

    func fired(_ conversation: AnytimeConversation, _ description: String) -> Int {
        (conversation.eventLogs ?? []).filter { $0.text == "Trigger '\(description)' fired" }.count
    }

    @Test("Create, list, get, update, sort, enable and delete; orderNum is the list's order; other sites see none of it")
    func operations() async throws {
        try await AnytimeTestClient.run { api in
            let created = try await api.post(
                "/triggers",
                #"{"description": "Welcome", "event": " conversationStatusChanged", "conditions": {"when": "any", "list": [{"fieldId": "status", "matchType": "is", "value": "Closed"}, {"fieldId": "tagIds", "matchType": "contains", "value": "vip"}]}, "ifSendEmail": true, "ifSendToContacts": true, "subject": "Thanks", "plainText": "Bye", "ifShowInConversationCorrespondences": true}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let first = try created.decode(AnytimeTrigger.self)
            #expect(first.event == .conversationStatusChanged && first.isEnabled && first.orderNum == 1 && first.description == "Welcome")
            #expect(first.conditions.when == .any && first.conditions.list.map(\.value) == ["closed", "vip"])
            #expect(first.conditions.list.allSatisfy { $0.type == .trigger } && !first.ifSetValue && first.autoUpdate.isEmpty)
            #expect(first.ifSendEmail && first.ifSendToContacts && !first.ifSendToAgents && first.subject == "Thanks" && first.plainText == "Bye")
            let second = try await api.post("/triggers", Self.setUrgent).decode(AnytimeTrigger.self)
            #expect(second.orderNum == 2 && second.autoUpdate.map(\.fieldId) == ["priority"] && second.autoUpdate.map(\.triggerId) == [second.id])
            #expect(try await api.get("/triggers/\(first.id)").decode(AnytimeTrigger.self) == first)
            #expect(try await api.get("/triggers").decode([AnytimeTrigger].self).map(\.id) == [first.id, second.id])

            // A partial update keeps what it leaves out; lists given replace the stored ones.
            let updated = try await api.put("/triggers/\(first.id)", #"{"description": "Goodbye", "conditions": {"list": []}}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            let changed = try updated.decode(AnytimeTrigger.self)
            #expect(
                changed.description == "Goodbye" && changed.conditions.list.isEmpty && changed.subject == "Thanks" && changed.event == first.event)

            // Sort: down then up; at the edge a no-op.
            #expect(try await api.put("/triggers/\(first.id)/sort", #"{"type": "down"}"#).status == .noContent)
            #expect(try await api.get("/triggers").decode([AnytimeTrigger].self).map(\.id) == [second.id, first.id])
            #expect(try await api.put("/triggers/\(first.id)/sort", #"{"type": "down"}"#).status == .noContent)
            #expect(try await api.put("/triggers/\(first.id)/sort", #"{"type": "UP"}"#).status == .noContent)
            let sorted = try await api.get("/triggers").decode([AnytimeTrigger].self)
            #expect(sorted.map(\.id) == [first.id, second.id] && sorted.map(\.orderNum) == [1, 2])

            // Enable toggles only isEnabled.
            #expect(try await api.put("/triggers/\(second.id)/enable", #"{"isEnabled": false}"#).status == .noContent)
            let disabled = try await api.get("/triggers/\(second.id)").decode(AnytimeTrigger.self)
            #expect(!disabled.isEnabled && disabled.autoUpdate == second.autoUpdate && disabled.description == second.description)

            // Other sites: nothing listed, every id 404.
            let other = AgentDirectory.otherSite
            #expect(try await api.get("/triggers", as: other).decode([AnytimeTrigger].self).isEmpty)
            #expect(try await api.get("/triggers/\(first.id)", as: other).status == .notFound)
            #expect(try await api.put("/triggers/\(first.id)", #"{"description": "x"}"#, as: other).status == .notFound)
            #expect(try await api.put("/triggers/\(first.id)/sort", #"{"type": "up"}"#, as: other).status == .notFound)
            #expect(try await api.put("/triggers/\(first.id)/enable", #"{"isEnabled": true}"#, as: other).status == .notFound)
            #expect(try await api.delete("/triggers/\(first.id)", as: other).status == .notFound)
            #expect(try await api.get("/triggers/\(first.id)", as: nil).status == .unauthorized)

            // Delete renumbers what is left.
            #expect(try await api.delete("/triggers/\(first.id)").status == .noContent)
            #expect(try await api.get("/triggers/\(first.id)").status == .notFound)
            let left = try await api.get("/triggers").decode([AnytimeTrigger].self)
            #expect(left.map(\.id) == [second.id] && left.map(\.orderNum) == [1])
        }
    }

    @Test("Bad input answers 400 naming the member; nothing is stored")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            let long = String(repeating: "x", count: 1001)
            let cases: [(String, String)] = [
                (#"{"event": "conversationCreated"}"#, "description"),
                (#"{"description": "x"}"#, "event"),
                (#"{"description": "x", "event": "conversationDeleted"}"#, "event"),
                (#"{"description": "x", "event": 3}"#, "event"),
                (#"{"description": "\#(long)", "event": "conversationCreated"}"#, "description"),
                (#"{"description": "x", "event": "conversationCreated", "isEnabled": "yes"}"#, "isEnabled"),
                (#"{"description": "x", "event": "conversationCreated", "ifSetValue": true}"#, "autoUpdate"),
                (
                    #"{"description": "x", "event": "conversationCreated", "autoUpdate": [{"fieldId": "priority", "value": "soon"}]}"#,
                    "autoUpdate[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationCreated", "autoUpdate": [{"fieldId": "status", "value": "gone"}]}"#,
                    "autoUpdate[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationCreated", "autoUpdate": [{"fieldId": "subject", "value": " "}]}"#,
                    "autoUpdate[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationCreated", "autoUpdate": [{"fieldId": "nope", "value": "1"}]}"#,
                    "autoUpdate[0].fieldId"
                ),
                (#"{"description": "x", "event": "conversationCreated", "autoUpdate": [{"value": "1"}]}"#, "autoUpdate[0].fieldId"),
                (#"{"description": "x", "event": "conversationCreated", "autoUpdate": "priority"}"#, "autoUpdate"),
                (#"{"description": "x", "event": "conversationCreated", "ifSendEmail": true, "plainText": "b"}"#, "subject"),
                (#"{"description": "x", "event": "conversationCreated", "ifSendEmail": true, "subject": "s"}"#, "plainText"),
                (#"{"description": "x", "event": "conversationCreated", "subject": "\#(String(repeating: "s", count: 1001))"}"#, "subject"),
                (
                    #"{"description": "x", "event": "conversationCreated", "ifSendEmail": true, "ifSendToAgents": true, "subject": "s", "plainText": "b"}"#,
                    "recipientAgentIds"
                ),
                (#"{"description": "x", "event": "conversationCreated", "recipientAgentIds": ["999"]}"#, "recipientAgentIds[0]"),
                (#"{"description": "x", "event": "conversationCreated", "recipientAgentIds": [""]}"#, "recipientAgentIds[0]"),
                (#"{"description": "x", "event": "conversationCreated", "attachments": [{"id": "not-a-guid"}]}"#, "attachments[0].id"),
                (#"{"description": "x", "event": "conversationCreated", "attachments": [{"id": "\#(UUID().uuidString)"}]}"#, "attachments[0].id"),
                (
                    #"{"description": "x", "event": "conversationCreated", "conditions": {"list": [{"fieldId": "priority", "matchType": "is", "value": "soon"}]}}"#,
                    "conditions.list[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationCreated", "conditions": {"list": [{"fieldId": "priority", "matchType": "sometimes", "value": "low"}]}}"#,
                    "matchType"
                ),
                (
                    #"{"description": "x", "event": "conversationCreated", "conditions": {"when": "logicalExpression", "logicExpression": "1 and 2", "list": [{"fieldId": "priority", "matchType": "is", "value": "low"}]}}"#,
                    "conditions.logicExpression"
                ),
                (
                    #"{"description": "x", "event": "conversationCreated", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "2"}]}}"#,
                    "conditions.list[0].fieldId"
                ),
                (#"{"description": "x", "event": "conversationStatusLastForCertainTime"}"#, "conditions.list"),
                (
                    #"{"description": "x", "event": "conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "two"}]}}"#,
                    "conditions.list[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "is", "value": "2"}]}}"#,
                    "conditions.list[0].matchType"
                ),
                // Under an hour (decision 296): two such triggers flipping the status would fire every sweep.
                (
                    #"{"description": "x", "event": "conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "0"}]}}"#,
                    "conditions.list[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "0.0001"}]}}"#,
                    "conditions.list[0].value"
                ),
                (
                    #"{"description": "x", "event": "conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "2"}, {"fieldId": "statusDurationHours", "matchType": "isLessThan", "value": "0.5"}]}}"#,
                    "conditions.list[1].value"
                ),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/triggers", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
            }
            #expect(try await api.get("/triggers").decode([AnytimeTrigger].self).isEmpty)
            let made = try await api.post("/triggers", Self.setUrgent).decode(AnytimeTrigger.self)
            for (body, field) in [
                (#"{"type": "sideways"}"#, "type"), (#"{}"#, "type"),
            ] {
                let reply = try await api.put("/triggers/\(made.id)/sort", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.text)")
            }
            #expect(try await api.put("/triggers/\(made.id)/enable", #"{}"#).status == .badRequest)
            #expect(try await api.put("/triggers/\(made.id)/enable", #"{"isEnabled": "no"}"#).status == .badRequest)
            #expect(try await api.put("/triggers/\(made.id)", #"{"ifSendEmail": true}"#).message.contains("subject"))
            #expect(try await api.get("/triggers/\(made.id)").decode(AnytimeTrigger.self) == made)
            #expect(try await api.get("/triggers/\(String(repeating: "a", count: 100))").status == .notFound)
        }
    }

    @Test("Pipeline order: a conversationCreated trigger sets priority=urgent, and the SLA policy for urgent then governs the conversation")
    func pipelineOrder() async throws {
        try await AnytimeTestClient.run { api in
            let urgent = try await api.post(
                "/SLAPolicies",
                #"{"resolveRespondWithin": 4, "conditions": {"list": [{"fieldId": "priority", "matchType": "is", "value": "urgent"}]}}"#
            ).decode(AnytimeSLAPolicy.self)
            _ = try await api.post("/SLAPolicies", #"{"resolveRespondWithin": 48}"#)
            #expect(try await api.post("/triggers", Self.setUrgent).status == .created)
            let made = try await api.create()
            #expect(made.priority == .urgent && made.slaPolicyId == urgent.id && made.resolveBreachAt == "2027-01-15T12:00:00.000Z")
            let logs = try await self.conversation(api, made.id).eventLogs?.map(\.text) ?? []
            #expect(logs.contains("Priority changed from normal to urgent.") && logs.contains("Trigger 'Urgent' fired"))
            // The portal's submissions go through the same pipeline.
            let other = try await api.create(as: AgentDirectory.otherSite)
            #expect(other.priority == .normal)
        }
    }

    @Test("Triggers run in orderNum order, each seeing what the one before set; moved up, the other wins")
    func order() async throws {
        try await AnytimeTestClient.run { api in
            func trigger(_ name: String, _ priority: String) -> String {
                #"{"description": "\#(name)", "event": "conversationCreated", "conditions": {"list": [{"fieldId": "priority", "matchType": "is", "value": "normal"}]}, "ifSetValue": true, "autoUpdate": [{"fieldId": "priority", "value": "\#(priority)"}]}"#
            }
            _ = try await api.post("/triggers", trigger("High", "high"))
            let low = try await api.post("/triggers", trigger("Low", "low")).decode(AnytimeTrigger.self)
            let first = try await api.create()
            #expect(first.priority == .high)
            let logs = try await self.conversation(api, first.id)
            #expect(self.fired(logs, "High") == 1 && self.fired(logs, "Low") == 0)
            #expect(try await api.put("/triggers/\(low.id)/sort", #"{"type": "up"}"#).status == .noContent)
            #expect(try await api.create().priority == .low)
            // Disabled, a trigger does not run.
            #expect(try await api.put("/triggers/\(low.id)/enable", #"{"isEnabled": false}"#).status == .noContent)
            #expect(try await api.create().priority == .high)
        }
    }

    @Test("Each event: status and assignee changes, agent replies (not notes), contact replies; trigger changes raise none (no cascading)")
    func events() async throws {
        try await AnytimeTestClient.run { api in
            func trigger(_ name: String, _ event: String, _ field: String, _ value: String, conditions: String = "[]") async throws {
                let reply = try await api.post(
                    "/triggers",
                    #"{"description": "\#(name)", "event": "\#(event)", "conditions": {"list": \#(conditions)}, "ifSetValue": true, "autoUpdate": [{"fieldId": "\#(field)", "value": "\#(value)"}]}"#
                )
                #expect(reply.status == .created, "\(reply.text)")
            }
            try await trigger("Hold", "conversationCreated", "status", "onHold")
            try await trigger("Status", "conversationStatusChanged", "tagIds", "status-changed")
            try await trigger("Assignee", "conversationAssigneeChanged", "subject", "Reassigned")
            try await trigger("Replied", "agentReplied", "priority", "low")
            try await trigger(
                "Received", "conversationReplyReceived", "priority", "urgent",
                conditions: #"[{"fieldId": "lastRepliedByType", "matchType": "is", "value": "contact"}]"#)
            // Created: onHold by the trigger, which raises no status change.
            let made = try await api.create()
            #expect(made.status == .onHold && made.tagIds.isEmpty)
            // A PUT of the status raises it.
            let closed = try await api.put("/conversations/\(made.id)", #"{"status": "closed"}"#).decode(AnytimeConversation.self)
            #expect(closed.tagIds == ["status-changed"])
            // Assignee.
            let assigned = try await api.put("/conversations/\(made.id)", #"{"assignedAgentId": "2"}"#).decode(AnytimeConversation.self)
            #expect(assigned.subject == "Reassigned")
            // A note is not a reply; a message is.
            let note = #"{"type": "note", "channelId": "email", "contents": [{"type": "text", "text": "psst"}]}"#
            #expect(try await api.post("/conversations/\(made.id)/messages", note).status == .created)
            #expect(try await self.conversation(api, made.id).priority == .normal)
            let reply = #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "On its way"}]}"#
            #expect(try await api.post("/conversations/\(made.id)/messages", reply).status == .created)
            #expect(try await self.conversation(api, made.id).priority == .low)
            // The contact writes (reopening the closed conversation: a status change too).
            try await api.attach(
                made.id, #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "email", "body": "Thanks"}"#)
            let answered = try await self.conversation(api, made.id)
            #expect(answered.priority == .urgent && answered.status == .pendingInternal)
            #expect(self.fired(answered, "Status") == 2 && self.fired(answered, "Received") == 1 && self.fired(answered, "Assignee") == 1)
            #expect(self.fired(answered, "Hold") == 1 && self.fired(answered, "Replied") == 1)
            // A trashed conversation runs no triggers.
            #expect(try await api.delete("/conversations/\(made.id)").status == .noContent)
        }
    }

    @Test("A ticket outreach opens raises conversationCreated only; its next contact message a reply, an agent's attached message agentReplied")
    func ticketEvents() async throws {
        try await AnytimeTestClient.run { api in
            for (name, event) in [("Created", "conversationCreated"), ("Reply", "conversationReplyReceived"), ("Agent", "agentReplied")] {
                let reply = try await api.post(
                    "/triggers",
                    #"{"description": "\#(name)", "event": "\#(event)", "ifSetValue": true, "autoUpdate": [{"fieldId": "tagIds", "value": "\#(name)"}]}"#
                )
                #expect(reply.status == .created, "\(reply.text)")
            }
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[HTTPField.Name("X-Internal-Token")!] = TestConfiguration.internalToken
            func send(_ original: String, preferred: String) async throws -> Int {
                let body = #"""
                    {"contactId": "contact-1", "preferredTicket": "\#(preferred)", "subject": "Help",
                     "message": {"sentById": "contact-1", "sentByType": "contact", "type": "text", "channelId": "SMS", "body": "Hello?",
                                 "originalId": "\#(original)", "metadata": {}}}
                    """#
                let response = try await api.client.execute(
                    uri: "/internal/sites/10000/contactTicketMessages", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return try JSONDecoder().decode(ContactTicketAnswer.self, from: Data(buffer: response.body)).ticketId
            }
            let ticket = try await send("sms-1", preferred: "newTicket")
            var logs = try await api.get("/conversations/\(ticket)?include=eventLogs").decode(AnytimeConversation.self)
            #expect(self.fired(logs, "Created") == 1 && self.fired(logs, "Reply") == 0 && logs.tagIds == ["Created"])
            #expect(try await send("sms-2", preferred: "existing") == ticket)
            logs = try await api.get("/conversations/\(ticket)?include=eventLogs").decode(AnytimeConversation.self)
            #expect(self.fired(logs, "Reply") == 1 && logs.tagIds == ["Reply"])
            try await api.attach(
                ticket, #"{"sentById": "1", "sentByType": "agent", "type": "text", "metadata": {}, "channelId": "sms", "body": "On it"}"#)
            logs = try await api.get("/conversations/\(ticket)?include=eventLogs").decode(AnytimeConversation.self)
            #expect(self.fired(logs, "Agent") == 1 && logs.tagIds == ["Agent"])
        }
    }

    @Test("Loop guard: a status-changed trigger that changes the status runs once for the change that raised it")
    func loopGuard() async throws {
        try await AnytimeTestClient.run { api in
            _ = try await api.post(
                "/triggers",
                #"{"description": "Bounce", "event": "conversationStatusChanged", "ifSetValue": true, "autoUpdate": [{"fieldId": "status", "value": "pendingExternal"}, {"fieldId": "priority", "value": "high"}]}"#
            )
            let made = try await api.create()
            let changed = try await api.put("/conversations/\(made.id)", #"{"status": "pendingInternal"}"#).decode(AnytimeConversation.self)
            #expect(changed.status == .pendingExternal && changed.priority == .high)
            #expect(self.fired(try await self.conversation(api, made.id), "Bounce") == 1)
        }
    }

    @Test("Loop guard: a status set by a reply trigger raises no conversationStatusChanged when the message reopened nothing")
    func replyTriggerStatusRaisesNoStatusChange() async throws {
        try await AnytimeTestClient.run { api in
            for body in [
                #"{"description": "Hold", "event": "conversationReplyReceived", "ifSetValue": true, "autoUpdate": [{"fieldId": "status", "value": "onHold"}]}"#,
                #"{"description": "Status", "event": "conversationStatusChanged", "ifSetValue": true, "autoUpdate": [{"fieldId": "tagIds", "value": "changed"}]}"#,
            ] {
                let reply = try await api.post("/triggers", body)
                #expect(reply.status == .created, "\(reply.text)")
            }
            let made = try await api.create()
            #expect(made.status == .new)
            // The contact writes on a new conversation: no reopening, so only the reply trigger runs (it sets onHold).
            try await api.attach(
                made.id, #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "email", "body": "Hello"}"#)
            let held = try await self.conversation(api, made.id)
            #expect(held.status == .onHold && held.tagIds.isEmpty)
            #expect(self.fired(held, "Hold") == 1 && self.fired(held, "Status") == 0)
            // Closed, the contact's message reopens it: that change raises the status trigger, once.
            #expect(try await api.put("/conversations/\(made.id)", #"{"status": "closed"}"#).status == .ok)
            try await api.attach(
                made.id, #"{"sentById": "c1", "sentByType": "contact", "type": "text", "metadata": {}, "channelId": "email", "body": "Again"}"#)
            let reopened = try await self.conversation(api, made.id)
            #expect(self.fired(reopened, "Status") == 2 && self.fired(reopened, "Hold") == 2 && reopened.tagIds == ["changed"])
        }
    }

    @Test("A time-based trigger fires at the millisecond its status comes of age, not a sweep later")
    func statusLastsToTheMillisecond() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.post(
                "/triggers",
                #"{"description": "Stale", "event": "conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "2"}]}, "ifSetValue": true, "autoUpdate": [{"fieldId": "priority", "value": "high"}]}"#
            )
            #expect(made.status == .created, "\(made.text)")
            let conversation = try await api.create()
            // Due two hours and one millisecond on: the sweep then must see the status older than two hours.
            api.clock.advance(by: 7200.001)
            #expect(try await self.eventually { self.fired(try await self.conversation(api, conversation.id), "Stale") == 1 })
        }
    }

    @Test("An email the server accepted: only its record is tried again while the database fails, and then given up without a throw")
    func sentIsRecordedNotResent() async throws {
        struct DatabaseDown: Error {}
        let writes = TriggerMailWrites()
        // Fails twice, then the database is back: recorded at the third write.
        let tried = await TriggerMail.recordSent("e-1", pause: .milliseconds(1)) {
            if writes.next() < 3 { throw DatabaseDown() }
        }
        #expect(tried == 3 && writes.count == 3)
        // Never back: it gives up without throwing, so the delivery job does not run (and send) again.
        let given = await TriggerMail.recordSent("e-2", pause: .milliseconds(1), tries: 4) { throw DatabaseDown() }
        #expect(given == 4)
    }

    @Test("Re-arming the clock writes only the job columns: a trigger changed meanwhile keeps its change")
    func rearmingKeepsConcurrentChanges() async throws {
        try await withTestDatabase(migrations: ConversationMigrations.all) { database in
            let trigger = TriggerRow(
                id: "t-1", siteId: "10000", description: "Stale", isEnabled: true, event: "conversationStatusLastForCertainTime", combination: "all",
                logicExpression: nil, ifSetValue: false, ifSendEmail: false, ifSendToContacts: false, ifSendToAgents: false, recipientAgentIds: "[]",
                subject: "", htmlText: "", plainText: "", attachments: "[]", ifShowInCorrespondences: false, orderNum: 0, createdTime: 0, jobId: nil,
                jobDue: nil)
            _ = try await database.transaction { tx in try await tx.triggers.insert(trigger) }
            // The clock read the trigger; a PUT and a disable commit; then the clock stores its job.
            var read = try #require(try await database.read { tx in try await tx.triggers.trigger(id: "t-1", site: "10000") })
            try await database.transaction { [read] tx in
                var changed = read
                (changed.description, changed.isEnabled) = ("Renamed", false)
                try await tx.triggers.update(changed)
            }
            try await database.transaction { [read] tx in
                var armed = read
                try await TriggerClock.arm(&armed, at: 1_800_000_000_000, tx: tx)
                try await tx.triggers.armed(armed)
            }
            read = try #require(try await database.read { tx in try await tx.triggers.trigger(id: "t-1", site: "10000") })
            #expect(read.description == "Renamed" && !read.isEnabled && read.jobDue == 1_800_000_000_000 && read.jobId != nil)
        }
    }

    @Test("Custom fields are set as their type takes them; the email is shown in the conversation and, with no SMTP server, skipped visibly")
    func customFieldsAndCorrespondence() async throws {
        try await AnytimeTestClient.run { api in
            let field = try await api.post("/fields", #"{"type": "integer", "name": "Score"}"#).decode(AnytimeField.self)
            let bad = try await api.post(
                "/triggers",
                #"{"description": "x", "event": "conversationCreated", "autoUpdate": [{"fieldId": "\#(field.id)", "value": "many"}]}"#)
            #expect(bad.status == .badRequest && bad.message.contains("autoUpdate[0].value"), "\(bad.text)")
            let made = try await api.post(
                "/triggers",
                #"{"description": "Score", "event": "conversationCreated", "ifSetValue": true, "autoUpdate": [{"fieldId": "Score", "value": "7"}], "ifSendEmail": true, "ifSendToAgents": false, "ifSendToContacts": true, "subject": "We got it", "htmlText": "<p>Hi</p>", "plainText": "Hi", "ifShowInConversationCorrespondences": true}"#
            )
            #expect(made.status == .created, "\(made.text)")
            // An agent-made conversation has no contact: no email, so none is shown (decision 299); said so in the log.
            let conversation = try await api.create()
            #expect(conversation.customFields.first { $0.id == field.id }?.value == "7")
            let messages = try await api.get("/conversations/\(conversation.id)/messages").decode([AnytimeMessage].self)
            #expect(!messages.contains { $0.senderType == .system })
            let logs = try await self.conversation(api, conversation.id).eventLogs?.map(\.text) ?? []
            #expect(logs.contains("Trigger 'Score' email to the contact not sent: the conversation has no contact."))

            // With a contact, the email is queued and, no server being configured, recorded as skipped.
            let related = try await api.put("/conversations/\(conversation.id)", #"{"relatedType": "contact", "relatedId": "c-1"}"#)
            #expect(related.status == .ok)
            _ = try await api.post(
                "/triggers",
                #"{"description": "Mail", "event": "agentReplied", "ifSendEmail": true, "ifSendToContacts": true, "subject": "Reply", "htmlText": "<p>See</p>", "plainText": "See the portal", "ifShowInConversationCorrespondences": true}"#
            )
            let reply = #"{"type": "message", "channelId": "email", "contents": [{"type": "text", "text": "On its way"}]}"#
            #expect(try await api.post("/conversations/\(conversation.id)/messages", reply).status == .created)
            #expect(
                try await self.eventually {
                    try await self.conversation(api, conversation.id).eventLogs?.contains {
                        $0.text == "Trigger 'Mail' email to the contact skipped: no SMTP server is configured."
                    } == true
                })
            // Shown in the conversation as the system's message, which records that it did not go.
            let shown = try #require(
                try await api.get("/conversations/\(conversation.id)/messages").decode([AnytimeMessage].self).last { $0.senderType == .system })
            #expect(shown.directType == .send && shown.subject == "Reply" && shown.contents.map(\.type) == [.htmlText, .text])
            #expect(shown.sendStatus == .failed)
        }
    }

    @Test("conversationStatusLastForCertainTime fires once a status episode, when the status has lasted longer than its hours")
    func statusLasts() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await api.post(
                "/triggers",
                #"{"description": "Stale", "event": " conversationStatusLastForCertainTime", "conditions": {"list": [{"fieldId": "statusDurationHours", "matchType": "isMoreThan", "value": "2"}, {"fieldId": "status", "matchType": "is", "value": "new"}]}, "ifSetValue": true, "autoUpdate": [{"fieldId": "priority", "value": "high"}]}"#
            )
            #expect(made.status == .created, "\(made.text)")
            let fresh = try await api.create()
            let pending = try await api.create()
            #expect(try await api.put("/conversations/\(pending.id)", #"{"status": "pendingInternal"}"#).status == .ok)
            // An hour in: nothing.
            api.clock.advance(by: 3600)
            try await Task.sleep(for: .milliseconds(300))
            #expect(self.fired(try await self.conversation(api, fresh.id), "Stale") == 0)
            // Past two hours: the new one fires, the pending one does not match.
            api.clock.advance(by: 3601)
            #expect(try await self.eventually { self.fired(try await self.conversation(api, fresh.id), "Stale") == 1 })
            #expect(try await self.conversation(api, fresh.id).priority == .high)
            #expect(self.fired(try await self.conversation(api, pending.id), "Stale") == 0)
            // Once an episode, however long it lasts.
            api.clock.advance(by: 5 * 3600)
            try await Task.sleep(for: .milliseconds(400))
            #expect(self.fired(try await self.conversation(api, fresh.id), "Stale") == 1)
            // Back to new: a new episode, which fires again two hours on.
            #expect(try await api.put("/conversations/\(pending.id)", #"{"status": "new"}"#).status == .ok)
            api.clock.advance(by: 3600)
            try await Task.sleep(for: .milliseconds(300))
            #expect(self.fired(try await self.conversation(api, pending.id), "Stale") == 0)
            api.clock.advance(by: 3601)
            #expect(try await self.eventually { self.fired(try await self.conversation(api, pending.id), "Stale") == 1 })
            // Disabled, it sweeps no more.
            #expect(try await api.put("/triggers/\(try made.decode(AnytimeTrigger.self).id)/enable", #"{"isEnabled": false}"#).status == .noContent)
            let later = try await api.create()
            api.clock.advance(by: 3 * 3600)
            try await Task.sleep(for: .milliseconds(400))
            #expect(self.fired(try await self.conversation(api, later.id), "Stale") == 0)
        }
    }
}

/// Counts calls from a `@Sendable` closure.
final class TriggerMailWrites: Sendable {
    let value = Mutex(0)

    var count: Int { self.value.withLock { $0 } }

    /// The count after this call.
    func next() -> Int {
        self.value.withLock {
            $0 += 1
            return $0
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import Conversation

@Suite("Anytime API: views, view and condition filters, unread counts")
struct AnytimeViewTests {
    @Test("A view is created with server-made ids and types, listed without conditions, updated partially, and deleted")
    func lifecycle() async throws {
        try await AnytimeTestClient.run { api in
            let reply = try await api.post(
                "/views",
                #"{"name": " Urgent mail ", "conditions": {"when": "all", "list": [{"type": "trigger", "fieldId": "Priority", "matchType": "isMoreThan", "value": "High"}, {"fieldId": "channelId", "matchType": "is", "value": "EMAIL"}]}}"#
            )
            #expect(reply.status == .created, "\(reply.text)")
            let view = try reply.decode(AnytimeView.self)
            #expect(view.name == "Urgent mail" && !view.isPrivate && view.createdById == "1")
            let conditions = try #require(view.conditions)
            #expect(conditions.when == .all && conditions.logicExpression == nil)
            #expect(conditions.list.map(\.type) == [.view, .view] && conditions.list.map(\.orderNum) == [1, 2])
            #expect(conditions.list.map(\.fieldId) == ["priority", "channelId"] && conditions.list.map(\.value) == ["high", "email"])
            #expect(Set(conditions.list.map(\.id)).count == 2)

            let listed = try await api.get("/views").decode([AnytimeView].self)
            #expect(listed.map(\.id) == [view.id] && listed[0].conditions == nil)
            #expect(try await api.get("/views/\(view.id)").decode(AnytimeView.self) == view)

            // Partial: the name alone keeps the conditions; conditions given replace them.
            let renamed = try await api.put("/views/\(view.id)", #"{"name": "Hot"}"#).decode(AnytimeView.self)
            #expect(renamed.name == "Hot" && renamed.conditions == view.conditions)
            let replaced = try await api.put(
                "/views/\(view.id)",
                #"{"conditions": {"when": "logicalExpression", "logicExpression": "1 or not 2", "list": [{"fieldId": "status", "matchType": "is", "value": "closed", "orderNum": 1}, {"fieldId": "tagIds", "matchType": "contains", "value": "vip", "orderNum": 2}]}}"#
            ).decode(AnytimeView.self)
            #expect(replaced.name == "Hot" && replaced.conditions?.when == .logicalExpression && replaced.conditions?.logicExpression == "1 or not 2")
            #expect(replaced.conditions?.list.map(\.fieldId) == ["status", "tagIds"])
            #expect(try await api.get("/views/\(view.id)").decode(AnytimeView.self) == replaced)

            #expect(try await api.delete("/views/\(view.id)").status == .noContent)
            #expect(try await api.get("/views/\(view.id)").status == .notFound)
            #expect(try await api.delete("/views/\(view.id)").status == .notFound)
            #expect(try await api.get("/views").decode([AnytimeView].self).isEmpty)
        }
    }

    @Test("A private view is its maker's alone (404 to a colleague); a public one any agent may change; another site sees neither")
    func visibility() async throws {
        try await AnytimeTestClient.run { api in
            let colleague = AgentDirectory.colleague
            let mine = try await api.post("/views", #"{"name": "Mine", "isPrivate": true}"#).decode(AnytimeView.self)
            let shared = try await api.post("/views", #"{"name": "Shared"}"#).decode(AnytimeView.self)
            #expect(mine.isPrivate && !shared.isPrivate)
            #expect(try await api.get("/views").decode([AnytimeView].self).map(\.id) == [mine.id, shared.id])
            #expect(try await api.get("/views", as: colleague).decode([AnytimeView].self).map(\.id) == [shared.id])
            #expect(try await api.get("/views/\(mine.id)", as: colleague).status == .notFound)
            #expect(try await api.put("/views/\(mine.id)", #"{"name": "Taken"}"#, as: colleague).status == .notFound)
            #expect(try await api.delete("/views/\(mine.id)", as: colleague).status == .notFound)
            #expect(try await api.get("/conversations?viewId=\(mine.id)", as: colleague).status == .notFound)
            #expect(try await api.get("/conversations/unreadCount?viewIds=\(mine.id)", as: colleague).status == .notFound)
            #expect(try await api.get("/views/\(mine.id)").decode(AnytimeView.self).name == "Mine")

            let renamed = try await api.put("/views/\(shared.id)", #"{"name": "Team"}"#, as: colleague)
            #expect(renamed.status == .ok)
            #expect(try renamed.decode(AnytimeView.self).name == "Team")
            #expect(try await api.put("/views/\(shared.id)", #"{"isPrivate": true}"#, as: colleague).status == .forbidden)

            let other = AgentDirectory.otherSite
            #expect(try await api.get("/views", as: other).decode([AnytimeView].self).isEmpty)
            for id in [mine.id, shared.id] {
                #expect(try await api.get("/views/\(id)", as: other).status == .notFound)
                #expect(try await api.put("/views/\(id)", #"{"name": "x"}"#, as: other).status == .notFound)
                #expect(try await api.delete("/views/\(id)", as: other).status == .notFound)
                #expect(try await api.get("/conversations?viewId=\(id)", as: other).status == .notFound)
            }
            #expect(try await api.delete("/views/\(shared.id)", as: colleague).status == .noContent)
        }
    }

    /// Four conversations: #a urgent+vip, #b high, #c normal closed+vip, #d low (created a minute after the others).
    static func seed(_ api: AnytimeTestClient) async throws -> [AnytimeConversation] {
        let a = try await api.create(subject: "Broken screen", extra: #""priority": "urgent", "tagIds": ["vip"],"#)
        let b = try await api.create(subject: "Invoice copy", extra: #""priority": "high","#)
        let c = try await api.create(subject: "Screen protector", extra: #""status": "closed", "tagIds": ["vip", "old"],"#)
        api.clock.advance(by: 60)
        let d = try await api.create(subject: "Hello", extra: #""priority": "low", "assignedAgentId": "2","#)
        return [a, b, c, d]
    }

    func ids(_ api: AnytimeTestClient, _ query: String, as agent: AgentDirectory.Agent = AgentDirectory.admin) async throws -> [Int] {
        let reply = try await api.get("/conversations?\(query)", as: agent)
        guard reply.status == .ok else { throw AnytimeTestClient.ReplyError(message: "\(query): \(reply.status) \(reply.text)") }
        let page = try reply.decode(AnytimeConversationPage.self)
        #expect(page.total == page.conversations.count, "\(query)")
        return page.conversations.map(\.id).sorted()
    }

    func view(_ api: AnytimeTestClient, _ conditions: String) async throws -> String {
        let reply = try await api.post("/views", #"{"name": "v", "conditions": \#(conditions)}"#)
        guard reply.status == .created else { throw AnytimeTestClient.ReplyError(message: "\(reply.status) \(reply.text)") }
        return try reply.decode(AnytimeView.self).id
    }

    @Test("viewId lists what the view's conditions match (all, any, a logical expression, none), with the other filters")
    func viewFilter() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await Self.seed(api)
            let (a, b, c, d) = (made[0].id, made[1].id, made[2].id, made[3].id)
            let urgentOrHigh = try await self.view(api, #"{"list": [{"fieldId": "priority", "matchType": "isMoreThan", "value": "normal"}]}"#)
            #expect(try await self.ids(api, "viewId=\(urgentOrHigh)") == [a, b])
            let both = try await self.view(
                api,
                #"{"when": "all", "list": [{"fieldId": "tagIds", "matchType": "contains", "value": "vip"}, {"fieldId": "subject", "matchType": "contains", "value": "SCREEN"}]}"#
            )
            #expect(try await self.ids(api, "viewId=\(both)") == [a, c])
            let either = try await self.view(
                api,
                #"{"when": "any", "list": [{"fieldId": "status", "matchType": "is", "value": "closed"}, {"fieldId": "assignedAgentId", "matchType": "is", "value": "2"}]}"#
            )
            #expect(try await self.ids(api, "viewId=\(either)") == [c, d])
            let expression = try await self.view(
                api,
                #"{"when": "logicalExpression", "logicExpression": "(1 AND NOT 2) or 3", "list": [{"fieldId": "tagIds", "matchType": "contains", "value": "vip", "orderNum": 1}, {"fieldId": "status", "matchType": "is", "value": "closed", "orderNum": 2}, {"fieldId": "priority", "matchType": "is", "value": "low", "orderNum": 3}]}"#
            )
            #expect(try await self.ids(api, "viewId=\(expression)") == [a, d])
            let unassigned = try await self.view(api, #"{"list": [{"fieldId": "assignedAgentId", "matchType": "is", "value": ""}]}"#)
            #expect(try await self.ids(api, "viewId=\(unassigned)") == [a, b, c])
            let notVip = try await self.view(api, #"{"list": [{"fieldId": "tagIds", "matchType": "notContains", "value": "vip"}]}"#)
            #expect(try await self.ids(api, "viewId=\(notVip)") == [b, d])
            let later = try await self.view(
                api, #"{"list": [{"fieldId": "createdTime", "matchType": "after", "value": "\#(made[0].createdTime)"}]}"#)
            #expect(try await self.ids(api, "viewId=\(later)") == [d])
            let earlier = try await self.view(
                api, #"{"list": [{"fieldId": "createdTime", "matchType": "before", "value": "\#(made[3].createdTime)"}]}"#)
            #expect(try await self.ids(api, "viewId=\(earlier)") == [a, b, c])
            let everything = try await self.view(api, #"{"when": "any", "list": []}"#)
            #expect(try await self.ids(api, "viewId=\(everything)") == [a, b, c, d])

            // The view AND the other filters; deleted conversations never show.
            #expect(try await self.ids(api, "viewId=\(both)&keywords=protector") == [c])
            #expect(try await self.ids(api, "viewId=\(both)&tagId=old") == [c])
            #expect(try await api.delete("/conversations/\(a)").status == .noContent)
            #expect(try await self.ids(api, "viewId=\(both)") == [c])
            #expect(try await api.get("/conversations?viewId=nope").status == .notFound)
        }
    }

    @Test("conditions[i][field|matchType|value] filter the list in SQL, all of them, alone or beside a view")
    func queryConditions() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await Self.seed(api)
            let (a, b, c, d) = (made[0].id, made[1].id, made[2].id, made[3].id)
            #expect(try await self.ids(api, "conditions[0][field]=status&conditions[0][matchType]=isNot&conditions[0][value]=closed") == [a, b, d])
            #expect(
                try await self.ids(
                    api,
                    "conditions[0][field]=priority&conditions[0][matchType]=isLessThan&conditions[0][value]=urgent"
                        + "&conditions[1][field]=subject&conditions[1][matchType]=notContains&conditions[1][value]=hello") == [b, c])
            #expect(try await self.ids(api, "conditions[0][field]=isRead&conditions[0][matchType]=is&conditions[0][value]=true") == [a, b, c, d])
            #expect(try await api.put("/conversations/\(b)/unread").status == .noContent)
            #expect(try await self.ids(api, "conditions[0][field]=isRead&conditions[0][matchType]=is&conditions[0][value]=false") == [b])
            let vip = try await self.view(api, #"{"list": [{"fieldId": "tagIds", "matchType": "contains", "value": "vip"}]}"#)
            #expect(
                try await self.ids(api, "viewId=\(vip)&conditions[0][field]=status&conditions[0][matchType]=is&conditions[0][value]=closed") == [c])
        }
    }

    @Test("Conditions on custom fields by id or name: text, numbers compared as numbers, checkboxes; a field deleted since has no value")
    func customFields() async throws {
        try await AnytimeTestClient.run { api in
            let region = try await api.post("/fields", #"{"type": "text", "name": "Region"}"#).decode(AnytimeField.self)
            let score = try await api.post("/fields", #"{"type": "integer", "name": "Score"}"#).decode(AnytimeField.self)
            let vip = try await api.post("/fields", #"{"type": "checkbox", "name": "VIP"}"#).decode(AnytimeField.self)
            func values(_ pairs: [(AnytimeField, String)]) -> String {
                #""customFields": [\#(pairs.map { #"{"id": "\#($0.0.id)", "value": "\#($0.1)"}"# }.joined(separator: ", "))],"#
            }
            let a = try await api.create(extra: values([(region, "North"), (score, "9"), (vip, "true")])).id
            let b = try await api.create(extra: values([(region, "South"), (score, "10")])).id
            let c = try await api.create(extra: values([(score, "100"), (vip, "false")])).id
            let d = try await api.create().id
            // 9 < 10 < 100 as numbers (as text "9" would sort last).
            let high = try await self.view(api, #"{"list": [{"fieldId": "\#(score.id)", "matchType": "isMoreThan", "value": "9.5"}]}"#)
            #expect(try await self.ids(api, "viewId=\(high)") == [b, c])
            let north = try await self.view(api, #"{"list": [{"fieldId": "region", "matchType": "is", "value": "NORTH"}]}"#)
            #expect(try await self.ids(api, "viewId=\(north)") == [a])
            let view = try await api.get("/views/\(north)").decode(AnytimeView.self)
            #expect(view.conditions?.list.first?.fieldId == region.id)
            #expect(try await self.ids(api, "conditions[0][field]=VIP&conditions[0][matchType]=is&conditions[0][value]=true") == [a])
            #expect(try await self.ids(api, "conditions[0][field]=Region&conditions[0][matchType]=isNot&conditions[0][value]=north") == [b, c, d])
            #expect(
                try await self.ids(api, "conditions[0][field]=score&conditions[0][matchType]=isLessThan&conditions[0][value]=50") == [a, b])
            for (body, field) in [
                (#"{"fieldId": "\#(score.id)", "matchType": "isMoreThan", "value": "lots"}"#, "conditions.list[0].value"),
                (#"{"fieldId": "\#(vip.id)", "matchType": "is", "value": "yes"}"#, "conditions.list[0].value"),
                (#"{"fieldId": "\#(region.id)", "matchType": "isMoreThan", "value": "1"}"#, "conditions.list[0].matchType"),
            ] {
                let reply = try await api.post("/views", #"{"name": "v", "conditions": {"list": [\#(body)]}}"#)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(body): \(reply.text)")
            }
            // Another site's custom fields are unknown here.
            let theirs = try await api.post("/fields", #"{"type": "text", "name": "Planet"}"#, as: AgentDirectory.otherSite).decode(AnytimeField.self)
            let unknown = try await api.post(
                "/views", #"{"name": "v", "conditions": {"list": [{"fieldId": "\#(theirs.id)", "matchType": "is", "value": "x"}]}}"#)
            #expect(unknown.status == .badRequest && unknown.message.contains("conditions.list[0].fieldId"), "\(unknown.text)")
            #expect(try await api.delete("/fields/\(region.id)").status == .noContent)
            #expect(try await self.ids(api, "viewId=\(north)") == [])
        }
    }

    @Test("unreadCount: the site's unread conversations, and per view those unread and those with an unread mention of the caller")
    func unreadCount() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await Self.seed(api)
            let (a, b, c) = (made[0].id, made[1].id, made[2].id)
            let vip = try await self.view(api, #"{"list": [{"fieldId": "tagIds", "matchType": "contains", "value": "vip"}]}"#)
            let everything = try await self.view(api, #"{"list": []}"#)
            for id in [a, b, c] { #expect(try await api.put("/conversations/\(id)/unread").status == .noContent) }
            // A note on #a mentions the colleague; one on #b mentions the admin.
            for (id, agent) in [(a, "2"), (b, "1")] {
                let note = try await api.post(
                    "/conversations/\(id)/messages",
                    #"{"type": "note", "channelId": "email", "mentionedAgentIds": ["\#(agent)"], "contents": [{"type": "text", "text": "look"}]}"#)
                #expect(note.status == .created, "\(note.text)")
            }
            let counts = try await api.get("/conversations/unreadCount?viewIds=\(vip)&viewIds=\(everything)").decode(AnytimeUnreadCounts.self)
            #expect(counts.allCount == 3)
            #expect(
                counts.views == [
                    AnytimeViewUnreadCount(viewId: vip, unreadCount: 2, unreadMentionedCount: 0),
                    AnytimeViewUnreadCount(viewId: everything, unreadCount: 3, unreadMentionedCount: 1),
                ])
            let theirs = try await api.get("/conversations/unreadCount?viewIds=\(vip),\(everything)", as: AgentDirectory.colleague)
                .decode(AnytimeUnreadCounts.self)
            #expect(theirs.views.map(\.unreadMentionedCount) == [1, 1])
            // No viewIds: every view the caller sees. Read and deleted conversations leave the counts.
            #expect(try await api.put("/conversations/\(a)/read", as: AgentDirectory.colleague).status == .noContent)
            #expect(try await api.delete("/conversations/\(c)").status == .noContent)
            let after = try await api.get("/conversations/unreadCount").decode(AnytimeUnreadCounts.self)
            #expect(after.allCount == 1 && after.views.map(\.viewId) == [vip, everything] && after.views.map(\.unreadCount) == [0, 1])
            #expect(try await api.get("/conversations/unreadCount", as: AgentDirectory.otherSite).decode(AnytimeUnreadCounts.self).allCount == 0)
            #expect(try await api.get("/conversations/unreadCount?viewIds=nope").status == .notFound)
            #expect(try await api.get("/conversations/unreadCount?viewIds=\(vip)", as: AgentDirectory.otherSite).status == .notFound)
        }
    }

    @Test("allCount is kept by triggers: it follows reads, the trash, restores, permanent deletes and merges (decision 373)")
    func keptUnreadCount() async throws {
        try await AnytimeTestClient.run { api in
            let made = try await Self.seed(api).map(\.id)
            func allCount() async throws -> Int { try await api.get("/conversations/unreadCount").decode(AnytimeUnreadCounts.self).allCount }
            for id in made { #expect(try await api.put("/conversations/\(id)/unread").status == .noContent) }
            #expect(try await allCount() == 4)
            #expect(try await api.put("/conversations/\(made[3])/read").status == .noContent)
            #expect(try await allCount() == 3)
            for id in made[0...1] { #expect(try await api.delete("/conversations/\(id)").status == .noContent) }
            #expect(try await allCount() == 1)
            #expect(try await api.post("/deletedConversations/\(made[0])/restore", "").status == .ok)
            #expect(try await api.delete("/deletedConversations/\(made[1])").status == .noContent)
            #expect(try await allCount() == 2)
            // Merging moves the source to the trash.
            let merged = try await api.post("/conversations/\(made[2])/merge", #"{"sourceId": \#(made[0])}"#)
            #expect(merged.status == .ok, "\(merged.text)")
            #expect(try await allCount() == 1)
            #expect(try await api.get("/conversations/unreadCount", as: AgentDirectory.otherSite).decode(AnytimeUnreadCounts.self).allCount == 0)
        }
    }

    @Test("Bad views and bad list conditions are a 400 naming the member: missing, wrong type, unknown enum, oversize, invalid")
    func validation() async throws {
        try await AnytimeTestClient.run { api in
            func list(_ conditions: String) -> String { #"{"name": "v", "conditions": {"list": [\#(conditions)]}}"# }
            let cases: [(String, String)] = [
                (#"{"isPrivate": true}"#, "name"),
                (#"{"name": "  "}"#, "name"),
                (#"{"name": 12}"#, "name"),
                (#"{"name": "\#(String(repeating: "n", count: 257))"}"#, "name"),
                (#"{"name": "v", "isPrivate": "yes"}"#, "isPrivate"),
                (#"{"name": "v", "conditions": {"when": "most"}}"#, "when"),
                (#"{"name": "v", "conditions": {"list": "all"}}"#, "list"),
                (list(#"{"fieldId": "priority", "matchType": "sortOf", "value": "high"}"#), "matchType"),
                (list(#"{"fieldId": "mood", "matchType": "is", "value": "happy"}"#), "conditions.list[0].fieldId"),
                (list(#"{"matchType": "is", "value": "x"}"#), "conditions.list[0].fieldId"),
                (list(#"{"fieldId": "subject", "value": "x"}"#), "conditions.list[0].matchType"),
                (list(#"{"fieldId": "subject", "matchType": "before", "value": "x"}"#), "conditions.list[0].matchType"),
                (list(#"{"fieldId": "status", "matchType": "is", "value": "asleep"}"#), "conditions.list[0].value"),
                (list(#"{"fieldId": "createdTime", "matchType": "after", "value": "yesterday"}"#), "conditions.list[0].value"),
                (list(#"{"fieldId": "subject", "matchType": "is", "value": 5}"#), "value"),
                (list(#"{"fieldId": "subject", "matchType": "is", "value": "\#(String(repeating: "v", count: 1001))"}"#), "conditions.list[0].value"),
                (
                    list(
                        #"{"fieldId": "subject", "matchType": "is", "value": "a", "orderNum": 1}, {"fieldId": "subject", "matchType": "is", "value": "b", "orderNum": 1}"#
                    ),
                    "conditions.list[1].orderNum"
                ),
                (
                    #"{"name": "v", "conditions": {"when": "logicalExpression", "list": [{"fieldId": "subject", "matchType": "is", "value": "a"}]}}"#,
                    "conditions.logicExpression"
                ),
                (
                    #"{"name": "v", "conditions": {"when": "logicalExpression", "logicExpression": "1 and 2", "list": [{"fieldId": "subject", "matchType": "is", "value": "a"}]}}"#,
                    "conditions.logicExpression"
                ),
                (
                    #"{"name": "v", "conditions": {"when": "logicalExpression", "logicExpression": "1 and (", "list": [{"fieldId": "subject", "matchType": "is", "value": "a"}]}}"#,
                    "conditions.logicExpression"
                ),
                (
                    list(Array(repeating: #"{"fieldId": "subject", "matchType": "is", "value": "a"}"#, count: 51).joined(separator: ",")),
                    "conditions.list"
                ),
            ]
            for (body, field) in cases {
                let reply = try await api.post("/views", body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(field): \(reply.status) \(reply.text)")
                #expect(reply.object["code"] != nil)
            }
            #expect(try await api.get("/views").decode([AnytimeView].self).isEmpty)
            let view = try await api.post("/views", #"{"name": "v"}"#).decode(AnytimeView.self)
            let put = try await api.put("/views/\(view.id)", #"{"name": ""}"#)
            #expect(put.status == .badRequest && put.message.contains("name"), "\(put.text)")
            for (query, field) in [
                ("conditions[0][field]=bogus&conditions[0][matchType]=is&conditions[0][value]=x", "conditions[0][field]"),
                ("conditions[0][field]=status&conditions[0][matchType]=near&conditions[0][value]=x", "conditions[0][matchType]"),
                ("conditions[0][field]=status&conditions[0][matchType]=is&conditions[0][value]=asleep", "conditions[0][value]"),
                ("conditions[0][field]=priority&conditions[0][matchType]=after&conditions[0][value]=high", "conditions[0][matchType]"),
                ("conditions[0][matchType]=is&conditions[0][value]=x", "conditions[0][field]"),
                ("conditions[x][field]=status", "conditions"),
            ] {
                let reply = try await api.get("/conversations?\(query)")
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(query): \(reply.status) \(reply.text)")
            }
            let long = try await api.get("/conversations/unreadCount?viewIds=\(String(repeating: "v", count: 65))")
            #expect(long.status == .badRequest && long.message.contains("viewIds"), "\(long.text)")
        }
    }
}

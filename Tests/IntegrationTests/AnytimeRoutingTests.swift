import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

import struct WireModels.VerifiedAgent

@testable import Conversation
@testable import LiveChatConfig

/// Routing and auto allocation of the Anytime API (spec §3.9, §3.10, §5.14, §5.15, §6 R1–R9, AA1–AA4; decisions
/// 264–271) against a real livechat-config, whose agents, departments and statuses they use. Site 10000 has agents
/// 1 (the administrator, away), 2 Ann and 3 Bob (online, department 1 Billing), 4 Cid (offline, department 2 Support)
/// and 5 Dee (online, department 2); site 20000 has only its administrator.
@Suite("Anytime routing and auto allocation against the real livechat-config")
struct AnytimeRoutingTests {
    static let admin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)
    static let other = basicAuthorization("admin@other.example", "other-key-0123456789")

    /// What a test talks to: conversation on the site's administrator by default.
    struct API {
        let conversation: any TestClientProtocol
        let liveChat: any TestClientProtocol
        /// conversation's clock: each conversation is made a second after the one before.
        var clock: ManualClock? = nil

        struct Reply {
            var status: HTTPResponse.Status
            var json: Any?
            var object: [String: Any] { self.json as? [String: Any] ?? [:] }
            var array: [[String: Any]] { self.json as? [[String: Any]] ?? [] }
            var message: String { self.object["message"] as? String ?? "" }
        }

        @discardableResult
        func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil, other: Bool = false) async throws -> Reply {
            let uri = "/api/v3/anytime" + path + (path.contains("?") ? "&" : "?") + "siteId=\(other ? "20000" : "10000")"
            let headers: HTTPFields = [
                .authorization: other ? AnytimeRoutingTests.other : AnytimeRoutingTests.admin, .contentType: "application/json",
            ]
            let response = try await self.conversation.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            return Reply(
                status: response.status, json: try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: .fragmentsAllowed))
        }

        /// A new conversation (by email, from the administrator) with `extra` members; its wire object.
        func create(_ subject: String, extra: String = "") async throws -> [String: Any] {
            self.clock?.advance(by: 1)
            let reply = try await self.send(
                .post, "/conversations",
                #"{"subject": "\#(subject)", \#(extra) "message": {"channelId": "email", "contents": [{"type": "text", "text": "Hi"}]}}"#)
            try #require(reply.status == .created, "create: \(reply.status) \(reply.json ?? "")")
            return reply.object
        }

        /// Whether the conversation has no agent.
        static func unassigned(_ conversation: [String: Any]) -> Bool {
            conversation["assignedAgentId"] == nil || conversation["assignedAgentId"] is NSNull
        }

        func logs(_ id: Any?) async throws -> [String] {
            try await self.send(.get, "/conversations/\(id ?? "")/eventLogs").array.compactMap { $0["text"] as? String }
        }
    }

    static func liveChat(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: String) async throws {
        let response = try await client.execute(
            uri: path + "?siteId=10000", method: method, headers: [.authorization: Self.admin, .contentType: "application/json"],
            body: ByteBuffer(string: body))
        try #require(response.status.code < 300, "\(method) \(path): \(response.status) \(String(buffer: response.body))")
    }

    /// livechat-config with the agents and departments above, and conversation using it.
    static func run(_ body: @Sendable (API) async throws -> Void) async throws {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            for name in ["ann", "bob", "cid", "dee"] {
                try await Self.liveChat(
                    liveChatClient, .post, "/api/v1/livechat/admin/agents",
                    #"{"email": "\#(name)@example.com", "displayName": "\#(name)", "apiKey": "\#(name)-key-0123456789"}"#)
            }
            try await Self.liveChat(liveChatClient, .post, "/api/v1/livechat/departments", #"{"name": "Billing", "agents": [2, 3]}"#)
            try await Self.liveChat(liveChatClient, .post, "/api/v1/livechat/departments", #"{"name": "Support", "agents": [4, 5]}"#)
            for (agent, status) in [(1, "away"), (2, "online"), (3, "online"), (4, "offline"), (5, "online")] {
                try await Self.liveChat(liveChatClient, .put, "/api/v1/livechat/agents/\(agent)", #"{"status": "\#(status)"}"#)
            }
            let site = try await liveChatClient.execute(
                uri: "/internal/sites", method: .post,
                headers: [HTTPField.Name("X-Internal-Token")!: TestConfiguration.internalToken, .contentType: "application/json"],
                body: ByteBuffer(
                    string:
                        #"{"id": "20000", "name": "Other", "administrator": {"email": "admin@other.example", "displayName": "Other", "apiKey": "other-key-0123456789"}}"#
                ))
            try #require(site.status.code < 300, "site: \(site.status) \(String(buffer: site.body))")
            let url = ConfigValue(.string("http://127.0.0.1:\(liveChatClient.port!)"), isSecret: false)
            let clock = ManualClock()
            let conversation = try await Conversation.buildApplication(
                reader: TestConfiguration.reader(["peers.livechatConfig.url": url]), clock: clock.wallClock)
            try await conversation.test(.router) { client in try await body(API(conversation: client, liveChat: liveChatClient, clock: clock)) }
        }
    }

    @Test("Routing: the singleton under any id, both names of the fallback's id, priorities by name or number; 400s name the field")
    func routingSettings() async throws {
        try await Self.run { api in
            let initial = try await api.send(.get, "/routing").object
            #expect(initial["isEnabled"] as? Bool == false && initial["type"] as? String == "simple")
            #expect((initial["customRules"] as? [Any])?.isEmpty == true)

            #expect(try await api.send(.put, "/routing/enable", #"{"isEnabled": true}"#).status == .noContent)
            let updated = try await api.send(
                .put, "/routing/anything",
                #"{"type": "simple", "simpleRouteType": "agent", "simpleRouteToId": "2", "simpleRouteWithPriority": 0, "matchFailedType": "department", "matchFailedToId": "1", "matchFailedWithPriority": "LOW", "orderNum": 7}"#
            )
            #expect(updated.status == .ok)
            #expect(updated.object["isEnabled"] as? Bool == true && updated.object["simpleRouteToId"] as? String == "2")
            #expect(updated.object["simpleRouteWithPriority"] as? String == "urgent" && updated.object["matchFailedWithPriority"] as? String == "low")
            #expect(updated.object["matchFailedrouteToId"] as? String == "1" && updated.object["matchFailedType"] as? String == "department")
            let read = try await api.send(.get, "/routing").object
            #expect(read["simpleRouteToId"] as? String == "2" && read["isEnabled"] as? Bool == true)
            // Members left out keep their value.
            let partial = try await api.send(.put, "/routing", #"{"matchFailedrouteToId": "2"}"#).object
            #expect(partial["matchFailedrouteToId"] as? String == "2" && partial["simpleRouteToId"] as? String == "2")
            // The other site has its own routing, still off.
            #expect(try await api.send(.get, "/routing", other: true).object["isEnabled"] as? Bool == false)

            let refused: [(String, String, String)] = [
                ("/routing/1", #"{"simpleRouteToId": "99"}"#, "simpleRouteToId"),
                ("/routing/1", #"{"simpleRouteType": "department", "simpleRouteToId": "9"}"#, "simpleRouteToId"),
                ("/routing/1", #"{"simpleRouteType": "team"}"#, "simpleRouteType"),
                ("/routing/1", #"{"simpleRouteWithPriority": "asap"}"#, "simpleRouteWithPriority"),
                ("/routing/1", #"{"simpleRouteWithPriority": 7}"#, "simpleRouteWithPriority"),
                ("/routing/1", #"{"matchFailedWithPriority": true}"#, "matchFailedWithPriority"),
                ("/routing/1", #"{"type": "complex"}"#, "type"),
                ("/routing/1", #"{"isEnabled": "yes"}"#, "isEnabled"),
                ("/routing/1", #"{"matchFailedToId": "1", "matchFailedrouteToId": "2"}"#, "matchFailedToId"),
                ("/routing/1", #"{"simpleRouteToId": "\#(String(repeating: "9", count: 70))"}"#, "simpleRouteToId"),
                ("/routing/enable", #"{}"#, "isEnabled"),
            ]
            for (path, body, field) in refused {
                let reply = try await api.send(.put, path, body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(body): \(reply.status) \(reply.message)")
            }
            #expect(try await api.send(.get, "/routing").object["simpleRouteToId"] as? String == "2")
        }
    }

    @Test("Custom rules: created last, read, updated in part, enabled, sorted up and down, deleted with renumbering; other sites' are 404")
    func customRules() async throws {
        try await Self.run { api in
            let first = try await api.send(
                .post, "/routing/customRules",
                #"{"name": "VIP", "routeType": "agent", "routeToId": "3", "routeWithPriority": "high", "conditions": {"when": "all", "list": [{"fieldId": "subject", "matchType": "contains", "value": "vip"}]}}"#
            )
            #expect(first.status == .created)
            let firstId = try #require(first.object["id"] as? String)
            #expect(first.object["orderNum"] as? Int == 1 && first.object["routingId"] as? String == "10000")
            #expect(first.object["isEnabled"] as? Bool == true && first.object["routeWithPriority"] as? String == "high")
            let conditions = (first.object["conditions"] as? [String: Any])?["list"] as? [[String: Any]]
            #expect(conditions?.first?["type"] as? String == "routingRule" && conditions?.first?["value"] as? String == "vip")
            let second = try await api.send(
                .post, "/routing/customRules", #"{"name": "Billing", "routeType": "department", "routeToId": "1", "routeWithPriority": 3}"#)
            let secondId = try #require(second.object["id"] as? String)
            #expect(second.object["orderNum"] as? Int == 2 && second.object["routeWithPriority"] as? String == "low")

            #expect(try await api.send(.get, "/routing/customRules/\(firstId)").object["name"] as? String == "VIP")
            let renamed = try await api.send(.put, "/routing/customRules/\(firstId)", #"{"name": "Very important"}"#).object
            #expect(renamed["name"] as? String == "Very important" && renamed["routeToId"] as? String == "3")
            #expect((((renamed["conditions"] as? [String: Any])?["list"]) as? [Any])?.count == 1)
            let disabled = try await api.send(.put, "/routing/customRules/\(firstId)/enable", #"{"isEnabled": false}"#)
            #expect(disabled.status == .ok && disabled.object["isEnabled"] as? Bool == false)

            func order() async throws -> [String] {
                try await api.send(.get, "/routing").object["customRules"].flatMap { $0 as? [[String: Any]] }?.compactMap { $0["id"] as? String }
                    ?? []
            }
            #expect(try await order() == [firstId, secondId])
            #expect(try await api.send(.put, "/routing/customRules/\(secondId)/sort", #"{"type": "up"}"#).status == .noContent)
            #expect(try await order() == [secondId, firstId])
            #expect(try await api.send(.put, "/routing/customRules/\(secondId)/sort", #"{"type": "UP"}"#).status == .noContent)
            #expect(try await order() == [secondId, firstId])
            #expect(try await api.send(.put, "/routing/customRules/\(secondId)/sort", #"{"type": "down"}"#).status == .noContent)
            #expect(try await order() == [firstId, secondId])

            let refused: [(HTTPRequest.Method, String, String, String)] = [
                (.post, "/routing/customRules", #"{"routeType": "agent", "routeToId": "2"}"#, "name"),
                (.post, "/routing/customRules", #"{"name": "  ", "routeType": "agent", "routeToId": "2"}"#, "name"),
                (.post, "/routing/customRules", #"{"name": "x", "routeToId": "2"}"#, "routeType"),
                (.post, "/routing/customRules", #"{"name": "x", "routeType": "agent"}"#, "routeToId"),
                (.post, "/routing/customRules", #"{"name": "x", "routeType": "agent", "routeToId": "9"}"#, "routeToId"),
                (.post, "/routing/customRules", #"{"name": "x", "routeType": "department", "routeToId": "3"}"#, "routeToId"),
                (.post, "/routing/customRules", #"{"name": "x", "routeType": "team", "routeToId": "2"}"#, "routeType"),
                (
                    .post, "/routing/customRules", #"{"name": "x", "routeType": "agent", "routeToId": "2", "routeWithPriority": "soon"}"#,
                    "routeWithPriority"
                ),
                (
                    .post, "/routing/customRules",
                    #"{"name": "x", "routeType": "agent", "routeToId": "2", "conditions": {"list": [{"fieldId": "nothing", "matchType": "is", "value": "1"}]}}"#,
                    "conditions"
                ),
                (
                    .post, "/routing/customRules", #"{"name": "\#(String(repeating: "n", count: 300))", "routeType": "agent", "routeToId": "2"}"#,
                    "name"
                ),
                (.put, "/routing/customRules/\(firstId)", #"{"routeToId": "99"}"#, "routeToId"),
                (.put, "/routing/customRules/\(firstId)", #"{"isEnabled": 1}"#, "isEnabled"),
                (.put, "/routing/customRules/\(firstId)/enable", #"{}"#, "isEnabled"),
                (.put, "/routing/customRules/\(firstId)/sort", #"{"type": "left"}"#, "type"),
                (.put, "/routing/customRules/\(firstId)/sort", #"{}"#, "type"),
            ]
            for (method, path, body, field) in refused {
                let reply = try await api.send(method, path, body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(path) \(body): \(reply.status) \(reply.message)")
            }
            // Other sites' rules are not found, whatever the verb.
            #expect(try await api.send(.get, "/routing/customRules/\(firstId)", other: true).status == .notFound)
            #expect(try await api.send(.put, "/routing/customRules/\(firstId)", #"{"name": "Mine"}"#, other: true).status == .notFound)
            #expect(try await api.send(.put, "/routing/customRules/\(firstId)/enable", #"{"isEnabled": true}"#, other: true).status == .notFound)
            #expect(try await api.send(.put, "/routing/customRules/\(firstId)/sort", #"{"type": "up"}"#, other: true).status == .notFound)
            #expect(try await api.send(.delete, "/routing/customRules/\(firstId)", other: true).status == .notFound)
            #expect(try await api.send(.get, "/routing/customRules/nothing").status == .notFound)

            #expect(try await api.send(.delete, "/routing/customRules/\(firstId)").status == .noContent)
            #expect(try await api.send(.get, "/routing/customRules/\(firstId)").status == .notFound)
            #expect(try await api.send(.get, "/routing/customRules/\(secondId)").object["orderNum"] as? Int == 1)
        }
    }

    @Test("New conversations: simple routing, the first matching enabled rule by order (a rule moved up wins), the fallback; skipped when assigned")
    func routingPipeline() async throws {
        try await Self.run { api in
            // Off: nothing happens.
            let untouched = try await api.create("Refund please")
            #expect(API.unassigned(untouched))

            try await api.send(.put, "/routing/enable", #"{"isEnabled": true}"#)
            try await api.send(
                .put, "/routing/1", #"{"type": "simple", "simpleRouteType": "agent", "simpleRouteToId": "5", "simpleRouteWithPriority": "high"}"#)
            let simple = try await api.create("Anything")
            // Dee's only department comes with her.
            #expect(simple["assignedAgentId"] as? String == "5" && simple["assignedDepartmentId"] as? String == "2")
            #expect(simple["priority"] as? String == "high")
            #expect(try await api.logs(simple["id"]).contains { $0.contains("Routed to agent '5'") })
            // Inbound email goes through the same pipeline.
            let mail = try await api.send(
                .post, "/inboundEmails",
                #"{"from": "carol@customer.test", "subject": "By mail", "contents": [{"type": "text", "text": "Hello"}]}"#)
            let mailed = (mail.object["conversation"] as? [String: Any]) ?? [:]
            #expect(mail.status.code < 300 && mailed["assignedAgentId"] as? String == "5" && mailed["priority"] as? String == "high")
            let assigned = try await api.create("Mine", extra: #""assignedAgentId": "3","#)
            #expect(assigned["assignedAgentId"] as? String == "3" && assigned["priority"] as? String == "normal")

            try await api.send(
                .put, "/routing/1",
                #"{"type": "customRules", "matchFailedType": "department", "matchFailedToId": "2", "matchFailedWithPriority": "low"}"#)
            let refunds =
                #"{"when": "all", "list": [{"fieldId": "subject", "matchType": "contains", "value": "refund"}]}"#
            let toAnn = try await api.send(
                .post, "/routing/customRules",
                #"{"name": "Refunds to Ann", "routeType": "agent", "routeToId": "2", "routeWithPriority": "urgent", "conditions": \#(refunds)}"#
            ).object
            let toBilling = try await api.send(
                .post, "/routing/customRules",
                #"{"name": "Refunds to Billing", "routeType": "department", "routeToId": "1", "conditions": \#(refunds)}"#
            ).object
            let first = try await api.create("A refund")
            #expect(first["assignedAgentId"] as? String == "2" && first["priority"] as? String == "urgent")
            #expect(try await api.logs(first["id"]).contains { $0.contains("Refunds to Ann") })
            // Moved up, the department rule wins; without allocation nobody gets it yet.
            try await api.send(.put, "/routing/customRules/\(toBilling["id"] as? String ?? "")/sort", #"{"type": "up"}"#)
            let second = try await api.create("Another refund")
            #expect(second["assignedDepartmentId"] as? String == "1" && second["priority"] as? String == "normal")
            #expect(API.unassigned(second))
            // A disabled rule is passed over.
            try await api.send(.put, "/routing/customRules/\(toBilling["id"] as? String ?? "")/enable", #"{"isEnabled": false}"#)
            #expect(try await api.create("Third refund")["assignedAgentId"] as? String == "2")
            // No rule matches: the fallback.
            let fallback = try await api.create("Hello")
            #expect(fallback["assignedDepartmentId"] as? String == "2" && fallback["priority"] as? String == "low")
            #expect(try await api.logs(fallback["id"]).contains { $0.contains("match-failed") })
            _ = toAnn
        }
    }

    @Test("Auto allocation settings: both name sets in, object names out, department names from the directory; 400s name the field")
    func allocationSettings() async throws {
        try await Self.run { api in
            let initial = try await api.send(.get, "/autoAllocation").object
            #expect(initial["isEnabled"] as? Bool == false && initial["defaultRule"] as? String == "loadBalancing")
            #expect(try await api.send(.put, "/autoAllocation/enable", #"{"isEnabled": true}"#).status == .noContent)
            let updated = try await api.send(
                .put, "/autoAllocation",
                #"{"allocationRuleSettings": [{"departmentId": "1", "departmentName": "ignored", "allocationRule": "roundRobin", "preferLastAssignee": true}], "defaultRule": "roundRobin", "defaultPreferLastAssignee": true, "ifEnableConversationLimitForEachAgent": true, "conversationLimitForAllAgents": 5, "allocationAgentPreferences": [{"agentId": "3", "maxConcurrentCount": 2, "isAcceptAllocation": false}], "ifExcludePendingExternal": true, "excludeOnHold": true}"#
            )
            #expect(updated.status == .ok)
            let settings = updated.object
            #expect(settings["isEnabled"] as? Bool == true && settings["defaultRule"] as? String == "roundRobin")
            let rules = settings["departmentAllocationRule"] as? [[String: Any]]
            #expect(rules?.first?["departmentName"] as? String == "Billing" && rules?.first?["allocationRule"] as? String == "roundRobin")
            let preferences = settings["agentPreferences"] as? [[String: Any]]
            #expect(preferences?.first?["maxConcurrentCount"] as? Int == 2 && preferences?.first?["isAcceptAllocation"] as? Bool == false)
            #expect(settings["excludePendingExternal"] as? Bool == true && settings["excludeOnHold"] as? Bool == true)
            #expect(settings["conversationLimitForAllAgents"] as? Int == 5 && settings["ifEnableConversationLimitForEachAgent"] as? Bool == true)
            #expect(try await api.send(.get, "/autoAllocation").object["defaultPreferLastAssignee"] as? Bool == true)
            // Left out keeps; the other site is its own.
            let partial = try await api.send(.put, "/autoAllocation", #"{"defaultRule": "loadBalancing"}"#).object
            #expect((partial["departmentAllocationRule"] as? [Any])?.count == 1 && partial["defaultRule"] as? String == "loadBalancing")
            #expect(try await api.send(.get, "/autoAllocation", other: true).object["isEnabled"] as? Bool == false)

            let refused: [(String, String, String)] = [
                ("/autoAllocation", #"{"departmentAllocationRule": [{"departmentId": "7"}]}"#, "departmentAllocationRule[0].departmentId"),
                ("/autoAllocation", #"{"departmentAllocationRule": [{"allocationRule": "roundRobin"}]}"#, "departmentAllocationRule[0].departmentId"),
                (
                    "/autoAllocation", #"{"departmentAllocationRule": [{"departmentId": "1"}, {"departmentId": "1"}]}"#,
                    "departmentAllocationRule[1].departmentId"
                ),
                ("/autoAllocation", #"{"departmentAllocationRule": [{"departmentId": "1", "allocationRule": "random"}]}"#, "allocationRule"),
                ("/autoAllocation", #"{"agentPreferences": [{"agentId": "42"}]}"#, "agentPreferences[0].agentId"),
                ("/autoAllocation", #"{"allocationAgentPreferences": [{"agentId": "2", "maxConcurrentCount": -1}]}"#, "maxConcurrentCount"),
                ("/autoAllocation", #"{"conversationLimitForAllAgents": -3}"#, "conversationLimitForAllAgents"),
                ("/autoAllocation", #"{"conversationLimitForAllAgents": "many"}"#, "conversationLimitForAllAgents"),
                ("/autoAllocation", #"{"defaultRule": "random"}"#, "defaultRule"),
                ("/autoAllocation", #"{"excludeOnHold": true, "ifExcludeOnHold": false}"#, "ifExcludeOnHold"),
                ("/autoAllocation", #"{"isEnabled": "on"}"#, "isEnabled"),
                ("/autoAllocation/enable", #"{}"#, "isEnabled"),
            ]
            for (path, body, field) in refused {
                let reply = try await api.send(.put, path, body)
                #expect(reply.status == .badRequest && reply.message.contains(field), "\(body): \(reply.status) \(reply.message)")
            }
            #expect(try await api.send(.get, "/autoAllocation").object["conversationLimitForAllAgents"] as? Int == 5)
            // A limit for every agent turned on with none set would be 0: nobody could ever be allocated.
            let unset = try await api.send(.put, "/autoAllocation", #"{"ifEnableConversationLimitForEachAgent": true}"#, other: true)
            #expect(unset.status == .badRequest && unset.message.contains("conversationLimitForAllAgents"), "\(unset.message)")
            let set = try await api.send(
                .put, "/autoAllocation", #"{"ifEnableConversationLimitForEachAgent": true, "conversationLimitForAllAgents": 3}"#, other: true)
            #expect(set.status == .ok && set.object["conversationLimitForAllAgents"] as? Int == 3)
        }
    }

    @Test("Load balancing: online agents who accept, fewest open conversations, ties to the longest waiting; limits, exclusions")
    func loadBalancing() async throws {
        try await Self.run { api in
            try await api.send(.put, "/autoAllocation", #"{"isEnabled": true, "defaultRule": "loadBalancing"}"#)
            // Agents 2, 3 and 5 are online; 1 is away and 4 offline, never chosen.
            var made: [[String: Any]] = []
            for index in 0..<6 { made.append(try await api.create("Question \(index)")) }
            #expect(made.map { $0["assignedAgentId"] as? String ?? "-" } == ["2", "3", "5", "2", "3", "5"])
            #expect(try await api.logs(made[0]["id"]).contains { $0.contains("Auto allocated to agent '2'") && $0.contains("loadBalancing") })
            // Ann's first closed: she has the fewest. Then all hold 2 and the tie goes to who waited longest (Bob, not
            // the lowest id), then Dee.
            try await api.send(.put, "/conversations/\(made[0]["id"] ?? "")", #"{"status": "closed"}"#)
            let annAgain = try await api.create("Ann, fewest")
            #expect(annAgain["assignedAgentId"] as? String == "2")
            #expect(try await api.create("Bob waited longest")["assignedAgentId"] as? String == "3")
            #expect(try await api.create("Then Dee")["assignedAgentId"] as? String == "5")

            // Ann holds 2, Bob and Dee 3. Bob refuses allocation, Dee may hold 3, everyone else 2: nobody is free.
            try await api.send(
                .put, "/autoAllocation",
                #"{"ifEnableConversationLimitForEachAgent": true, "conversationLimitForAllAgents": 2, "agentPreferences": [{"agentId": "3", "isAcceptAllocation": false}, {"agentId": "5", "maxConcurrentCount": 3}]}"#
            )
            let full = try await api.create("Nobody free")
            #expect(API.unassigned(full))
            #expect(try await api.logs(full["id"]).contains { $0.contains("no online agent with capacity") })

            // On-hold and pending-external conversations stop counting when left out; closed ones never count.
            let annOpen = [made[3]["id"] ?? "", annAgain["id"] ?? ""]
            try await api.send(.put, "/conversations/\(annOpen[0])", #"{"status": "onHold"}"#)
            #expect(API.unassigned(try await api.create("Still full")))
            try await api.send(.put, "/autoAllocation", #"{"excludeOnHold": true}"#)
            let annThird = try await api.create("Ann again")
            #expect(annThird["assignedAgentId"] as? String == "2")
            try await api.send(.put, "/conversations/\(annOpen[1])", #"{"status": "pendingExternal"}"#)
            #expect(API.unassigned(try await api.create("Pending external still counts")))
            try await api.send(.put, "/autoAllocation", #"{"ifExcludePendingExternal": true}"#)
            #expect(try await api.create("Ann once more")["assignedAgentId"] as? String == "2")
            try await api.send(.put, "/conversations/\(annThird["id"] ?? "")", #"{"status": "closed"}"#)
            #expect(try await api.create("Ann after closing")["assignedAgentId"] as? String == "2")
            #expect(API.unassigned(try await api.create("Full again")))
        }
    }

    @Test("Round robin per pool with a durable pointer; a department's rule over the default; prefer the last assignee; unassigning allocates again")
    func roundRobinAndLastAssignee() async throws {
        try await Self.run { api in
            try await api.send(
                .put, "/autoAllocation",
                #"{"isEnabled": true, "defaultRule": "loadBalancing", "departmentAllocationRule": [{"departmentId": "1", "allocationRule": "roundRobin"}]}"#
            )
            var billing: [String] = []
            for index in 0..<5 {
                let made = try await api.create("Billing \(index)", extra: #""assignedDepartmentId": "1","#)
                #expect(made["assignedDepartmentId"] as? String == "1")
                billing.append(made["assignedAgentId"] as? String ?? "-")
            }
            // Only Ann and Bob are in Billing; round robin ignores their loads.
            #expect(billing == ["2", "3", "2", "3", "2"])
            // Support: Cid is offline, so Dee.
            #expect(try await api.create("Support", extra: #""assignedDepartmentId": "2","#)["assignedAgentId"] as? String == "5")

            // Prefer the last assignee: the contact's earlier conversation went to Bob.
            try await api.send(.put, "/autoAllocation", #"{"defaultPreferLastAssignee": true}"#)
            let earlier = try await api.create("Earlier", extra: #""assignedAgentId": "3","#)
            try await api.send(.put, "/conversations/\(earlier["id"] ?? "")", #"{"relatedType": "contact", "relatedId": "c-1"}"#)
            let later = try await api.create("Later", extra: #""assignedAgentId": "5","#)
            let id = later["id"] ?? ""
            try await api.send(.put, "/conversations/\(id)", #"{"relatedType": "contact", "relatedId": "c-1"}"#)
            let reallocated = try await api.send(.put, "/conversations/\(id)", #"{"assignedAgentId": ""}"#).object
            #expect(reallocated["assignedAgentId"] as? String == "3")
            #expect(try await api.logs(id).contains { $0.contains("last assignee") })
            // Without the preference, load balancing picks the least loaded (Dee: 1 open, Ann 3, Bob 3).
            try await api.send(.put, "/autoAllocation", #"{"defaultPreferLastAssignee": false}"#)
            try await api.send(.put, "/conversations/\(id)", #"{"assignedAgentId": "3"}"#)
            #expect(try await api.send(.put, "/conversations/\(id)", #"{"assignedAgentId": ""}"#).object["assignedAgentId"] as? String == "5")
            // The batch update unassigns too: allocated again, Dee (1 open) before Ann and Bob (3 each).
            try await api.send(.put, "/conversations/\(id)", #"{"assignedAgentId": "2"}"#)
            let batch = try await api.send(.put, "/conversations", #"{"ids": [\#(id)], "assignedAgentId": ""}"#)
            #expect(batch.status == .ok && batch.array.first?["assignedAgentId"] as? String == "5")
            // An agent set by the PUT is kept as given.
            #expect(try await api.send(.put, "/conversations/\(id)", #"{"assignedAgentId": "2"}"#).object["assignedAgentId"] as? String == "2")
        }
    }

    @Test("livechat-config failing while allocation is on: the conversation is still made, unassigned, logged; settings naming departments are a 503")
    func directoryDown() async throws {
        // A livechat-config that still verifies credentials but fails every directory read.
        let router = Router()
        router.post("/internal/auth/verify") { _, _ -> Response in
            let verified = VerifiedAgent(
                siteId: "10000", agentId: "1", name: "admin", email: "admin@example.com", isAdministrator: true, permissions: [])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(verified))))
        }
        router.get("/internal/sites/{siteId}/agents") { _, _ in HTTPResponse.Status.internalServerError }
        router.get("/internal/sites/{siteId}/departments") { _, _ in HTTPResponse.Status.internalServerError }
        let failing = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await failing.test(.live) { liveChatClient in
            let url = ConfigValue(.string("http://127.0.0.1:\(liveChatClient.port!)"), isSecret: false)
            let conversation = try await Conversation.buildApplication(reader: TestConfiguration.reader(["peers.livechatConfig.url": url]))
            try await conversation.test(.router) { client in
                let api = API(conversation: client, liveChat: liveChatClient, clock: nil)
                // Off, nobody is asked: creation works as ever.
                #expect(API.unassigned(try await api.create("Before")))
                #expect(try await api.send(.put, "/autoAllocation/enable", #"{"isEnabled": true}"#).status == .noContent)
                let made = try await api.create("During the outage")
                #expect(API.unassigned(made))
                #expect(try await api.logs(made["id"]).contains { $0.contains("Auto allocation skipped") && $0.contains("livechat-config") })
                let refused = try await api.send(.put, "/autoAllocation", #"{"departmentAllocationRule": [{"departmentId": "1"}]}"#)
                #expect(refused.status == .serviceUnavailable && refused.message.contains("livechat-config"))
                let routed = try await api.send(.put, "/routing/1", #"{"simpleRouteType": "agent", "simpleRouteToId": "2"}"#)
                #expect(routed.status == .serviceUnavailable && routed.message.contains("livechat-config"))
            }
        }
    }
}

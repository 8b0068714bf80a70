import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing
import WireModels

@testable import LiveChatConfig

@Suite("livechat-config chat runtime and history")
struct ChatRuntimeTests {
    static func load(_ id: Int, online: Bool = true, accepts: Bool = true, chats: Int = 0, max: Int = 3) -> LiveChatAgentRecord {
        LiveChatAgentRecord(
            id: id, email: "", displayName: "", isActive: true, status: online ? "online" : "away", maxChatsCount: max, isAcceptAllocation: accepts,
            ongoingChats: chats)
    }

    @Test(
        "Allocation picks the right agent under each rule and limit",
        arguments: [
            // Load balancing: fewest chats, lowest id on ties; offline, refusing and full agents never.
            (LiveChatAllocationRule.loadBalancing, [load(1, chats: 2), load(2, chats: 1), load(3, chats: 1)], nil, nil, false, nil, 2),
            (.loadBalancing, [load(1, online: false), load(2, accepts: false), load(3, chats: 3, max: 3)], nil, nil, false, nil, nil),
            (.loadBalancing, [load(1, chats: 2, max: 5), load(2, chats: 0)], nil, nil, false, 2, 2),
            (.loadBalancing, [load(1, chats: 2, max: 5), load(2, chats: 3, max: 5)], nil, nil, false, 2, nil),
            // Round robin: the next id after the last, wrapping around.
            (.roundRobin, [load(1), load(2), load(3)], 2, nil, false, nil, 3),
            (.roundRobin, [load(1), load(2), load(3)], 3, nil, false, nil, 1),
            (.roundRobin, [load(1), load(2, online: false), load(3)], 1, nil, false, nil, 3),
            (.roundRobin, [load(1), load(2)], nil, nil, false, nil, 1),
            // Capability weighted: the lowest share of each agent's own limit.
            (.capabilityWeighted, [load(1, chats: 2, max: 4), load(2, chats: 2, max: 8)], nil, nil, false, nil, 2),
            (.capabilityWeighted, [load(1, chats: 1, max: 2), load(2, chats: 3, max: 6)], nil, nil, false, nil, 2),
            // The visitor's last agent first when preferred and able.
            (.loadBalancing, [load(1), load(2, chats: 2)], nil, 2, true, nil, 2),
            (.loadBalancing, [load(1), load(2, chats: 3)], nil, 2, true, nil, 1),
            (.loadBalancing, [load(1), load(2, chats: 2)], nil, 2, false, nil, 1),
        ] as [(LiveChatAllocationRule, [LiveChatAgentRecord], Int?, Int?, Bool, Int?, Int?)])
    func allocation(
        rule: LiveChatAllocationRule, agents: [LiveChatAgentRecord], lastAllocated: Int?, lastChatted: Int?, preferLast: Bool, maxForAll: Int?,
        expected: Int?
    ) {
        let policy = Allocator.Policy(rule: rule, isLastChattedPreferred: preferLast, maxChatsForAll: maxForAll)
        #expect(Allocator.choose(from: agents, policy: policy, lastAllocated: lastAllocated, lastChatted: lastChatted)?.id == expected)
    }

    @Test("Card numbers are masked to their last four digits")
    func masking() {
        #expect(CardMasking.masked("my card is 4111 1111 1111 1234, ok") == "my card is ****1234, ok")
        #expect(CardMasking.masked("order 12345 on 2026-01-01") == "order 12345 on 2026-01-01")
    }

    static var window: String {
        let formatter = ISO8601DateFormatter()
        return
            "timeFrom=\(formatter.string(from: Date().addingTimeInterval(-3600)))&timeTo=\(formatter.string(from: Date().addingTimeInterval(3600)))"
    }

    /// Starts a visitor's chat through the public extension.
    static func startChat(_ client: any TestClientProtocol, campaign: Int, visitor: String, extra: String = "") async throws -> [String: Any] {
        let response = try await client.execute(
            uri: "/api/v1/livechat/visitor/chats", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(
                string:
                    #"{"siteId": "10000", "campaignId": \#(campaign), "visitorId": "\#(visitor)", "name": "Visitor \#(visitor)", "email": "\#(visitor)@example.com"\#(extra)}"#
            )
        )
        return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? ["status": "HTTP \(response.status.code)"]
    }

    static func visitor(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String, body: String? = nil
    ) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.visitorToken: token]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: "/api/v1/livechat/visitor" + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ).status
    }

    @Test("A chat started through the runtime is allocated, fires chatStarted, chatEnded and chatWrappedUp to a receiver, and shows in the history")
    func chatLifecycle() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await buildApplication(reader: TestConfiguration.reader()).test(.live) { client in
                let chat = LiveChatTestClient(client: client)
                let campaign = try await chat.createCampaign("Sales")
                let ann = try await chat.createAgent("ann@example.com")
                let bob = try await chat.createAgent("bob@example.com")
                for agent in [ann, bob] {
                    #expect(
                        try await chat.put("/agents/\(agent.id)", #"{"status": "online", "maxChatsCount": 1}"#, as: agent.credential).status == .ok)
                }
                for event in ["chatStarted", "chatEnded", "chatWrappedUp"] {
                    #expect(try await chat.post("/webhooks", #"{"event": "\#(event)", "targetUrl": "\#(hook)"}"#).status == .ok)
                }

                // Load balancing: Ann (lowest id, no chats), then Bob; a third visitor waits.
                let first = try await Self.startChat(client, campaign: campaign, visitor: "v1")
                #expect(first["status"] as? String == "active" && first["agentId"] as? Int == ann.id)
                let second = try await Self.startChat(client, campaign: campaign, visitor: "v2")
                #expect(second["agentId"] as? Int == bob.id)
                let third = try await Self.startChat(client, campaign: campaign, visitor: "v3")
                #expect(third["status"] as? String == "queued" && third["agentId"] == nil)
                #expect(try await chat.get("/agents/\(ann.id)").object["ongoingChats"] as? Int == 1)

                let id = first["chatId"] as? Int ?? 0
                let token = first["visitorToken"] as? String ?? ""
                #expect(
                    try await Self.visitor(client, .post, "/chats/\(id)/messages", token: token, body: #"{"content": "Do you ship to Lyon?"}"#)
                        == .noContent)
                #expect(try await Self.visitor(client, .post, "/chats/\(id)/messages", token: "wrong", body: #"{"content": "x"}"#) == .notFound)
                #expect(try await chat.post("/console/chats/\(id)/messages", #"{"content": "We do."}"#, as: bob.credential).status == .forbidden)
                #expect(
                    try await chat.post("/console/chats/\(id)/messages", #"{"content": "We do, in two days."}"#, as: ann.credential).status
                        == .noContent)
                #expect(try await chat.post("/console/chats/\(id)/end", "{}", as: ann.credential).status == .noContent)
                #expect(
                    try await Self.visitor(
                        client, .post, "/chats/\(id)/postChat", token: token, body: #"{"ratingGrade": "5", "ratingComment": "Quick"}"#) == .noContent)
                #expect(try await chat.post("/console/chats/\(id)/wrapup", #"{"category": "Nope"}"#, as: ann.credential).status == .badRequest)
                #expect(
                    try await chat.post("/console/chats/\(id)/wrapup", #"{"category": "sales", "comment": "Shipping question"}"#, as: ann.credential)
                        .status == .noContent)

                // The third visitor's chat is accepted by hand once Ann is free.
                let queued = third["chatId"] as? Int ?? 0
                #expect(try await chat.post("/console/chats/\(queued)/accept", "{}", as: ann.credential).status == .noContent)
                #expect(try await chat.post("/console/chats/\(queued)/accept", "{}", as: bob.credential).status == .conflict)

                let history = try await chat.get("/chats?\(Self.window)").object
                #expect(history["total"] as? Int == 3)
                let chats = history["chats"] as? [[String: Any]] ?? []
                let answered = chats.first { $0["id"] as? Int == id } ?? [:]
                #expect(answered["agents"] as? [String] == ["ann@example.com"] && answered["email"] as? String == "v1@example.com")
                #expect((answered["chatTranscript"] as? [[String: Any]])?.map { $0["type"] as? String } == ["system", "visitor", "agent", "system"])
                #expect(answered[path: "wrapup.category"] as? String == "sales" && answered[path: "postChat.ratingGrade"] as? String == "5")
                #expect((answered["waitingTime"] as? String)?.hasPrefix("00:00:0") == true && answered["endTime"] != nil)
                #expect(
                    (try await chat.get("/chats?\(Self.window)&categoryId=1").object["chats"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])
                #expect(try await chat.get("/chats?\(Self.window)&keywords=LYON").object["total"] as? Int == 1)
                #expect(try await chat.get("/chats?\(Self.window)&agentId=\(bob.id)").object["total"] as? Int == 1)
                let byCondition = try await chat.get(
                    "/chats?\(Self.window)&conditions[0][field]=agent&conditions[0][operate]=is&conditions[0][value]=BOB@example.com")
                #expect(byCondition.object["total"] as? Int == 1)
                #expect(
                    try await chat.get("/chats?\(Self.window)&conditions[0][field]=shoe&conditions[0][operate]=is&conditions[0][value]=x").status
                        == .badRequest)
                let single = try await chat.get("/chats/\(id)?timezone=%2B08:00").object
                #expect((single["requestTime"] as? String)?.hasSuffix("+08:00") == true)

                // Webhooks: delivered through the outbox, signed, with the chat as data.
                var events: [String] = []
                for _ in 0..<100 {
                    events = receiver.received.compactMap {
                        (try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any])?["event"] as? String
                    }
                    if events.count >= 5 { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(events.sorted() == ["chatEnded", "chatStarted", "chatStarted", "chatStarted", "chatWrappedUp"])
                let started = receiver.received.first { $0.body.contains("\"chatStarted\"") && $0.body.contains("\"id\":\(id),") }
                #expect(started?.headers[HTTPField.Name("webhook-signature")!]?.hasPrefix("v1,") == true)
                #expect(started?.body.contains("\"siteId\":10000") == true)

                // Every delivery and its attempts can be read back over HTTP, by this site only.
                let deliveries = try await chat.get("/webhookDeliveries?status=delivered").array
                #expect(deliveries.count == 5)
                #expect(Set(deliveries.compactMap { $0["event"] as? String }) == ["chatStarted", "chatEnded", "chatWrappedUp"])
                let wrapped = try #require(try await chat.get("/webhookDeliveries?event=CHATWRAPPEDUP").array.first)
                let detail = try await chat.get("/webhookDeliveries/\(wrapped["id"] as? String ?? "")").object
                #expect(detail["status"] as? String == "delivered" && detail["targetUrl"] as? String == hook)
                #expect((detail["attempts"] as? [[String: Any]])?.map { $0["statusCode"] as? Int } == [200])
                #expect(receiver.received.contains { $0.headers[HTTPField.Name("webhook-id")!] == wrapped["id"] as? String })
                #expect(try await chat.get("/webhookDeliveries?status=lost").status == .badRequest)
                #expect(try await chat.get("/webhookDeliveries?limit=0").status == .badRequest)
                let foreign = try await OtherSite.administrator(client: client)
                let foreignList = try await chat.get("/webhookDeliveries", as: foreign)
                #expect(foreignList.status == .ok && foreignList.array.isEmpty)
                #expect(try await chat.get("/webhookDeliveries/\(wrapped["id"] as? String ?? "")", as: foreign).status == .notFound)
                #expect(try await chat.get("/webhookDeliveries", as: bob.credential).status == .forbidden)
            }
        }
    }

    @Test(
        "Bans refuse a visitor; rules route by the visitor's facts; missed and refused chats are listed apart; offline messages and agent chats are searchable"
    )
    func routingAndRecords() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Support")
            let ann = try await chat.createAgent("ann@example.com")
            let bob = try await chat.createAgent("bob@example.com")
            for agent in [ann, bob] { _ = try await chat.put("/agents/\(agent.id)", #"{"status": "online"}"#, as: agent.credential) }
            #expect(try await chat.post("/bans", #"{"type": "ip", "ipAddress": "203.0.113.0/24"}"#).status == .ok)
            let banned = try await Self.startChat(client, campaign: campaign, visitor: "b1", extra: #", "ipAddress": "203.0.113.9""#)
            #expect(banned["code"] as? Int == 403000)

            _ = try await chat.put(
                "/campaigns/\(campaign)/routingRules",
                #"{"isEnable": true, "type": "rules", "failType": "offlineMessage", "fail": {"offlineMessageEmails": "help@example.com"}}"#)
            _ = try await chat.post(
                "/campaigns/\(campaign)/routingRules/customRules",
                #"{"name": "France", "isEnable": true, "routeToObject": "agent", "routeToId": \#(bob.id), "conditions": {"when": "all", "list": [{"number": 1, "field": "country", "operator": "is", "value": "France"}]}}"#
            )
            let french = try await Self.startChat(client, campaign: campaign, visitor: "f1", extra: #", "visitor": {"country": "france"}"#)
            #expect(french["agentId"] as? Int == bob.id)
            let frenchID = french["chatId"] as? Int ?? 0
            #expect(try await chat.post("/console/chats/\(frenchID)/transfer", #"{"agentId": \#(ann.id)}"#, as: ann.credential).status == .forbidden)
            let transferred = try await chat.post("/console/chats/\(frenchID)/transfer", #"{"agentId": \#(ann.id)}"#, as: bob.credential)
            #expect(transferred.status == .ok && transferred.object["agentId"] as? Int == ann.id)
            #expect(try await chat.post("/console/chats/\(frenchID)/messages", #"{"content": "Bonjour"}"#, as: bob.credential).status == .forbidden)
            #expect(try await chat.post("/console/chats/\(frenchID)/messages", #"{"content": "Bonjour"}"#, as: ann.credential).status == .noContent)
            #expect(try await chat.get("/console/chats", as: ann.credential).array.map { $0["id"] as? Int } == [frenchID])
            let elsewhere = try await Self.startChat(client, campaign: campaign, visitor: "g1", extra: #", "visitor": {"country": "Germany"}"#)
            #expect(elsewhere["status"] as? String == "offlineMessage" && elsewhere["chatId"] == nil)

            // Nobody online: chats wait; one is missed when the visitor leaves, one refused.
            _ = try await chat.put("/campaigns/\(campaign)/routingRules", #"{"isEnable": false}"#)
            for agent in [ann, bob] { _ = try await chat.put("/agents/\(agent.id)", #"{"status": "away"}"#, as: agent.credential) }
            let missed = try await Self.startChat(client, campaign: campaign, visitor: "m1")
            #expect(missed["status"] as? String == "queued")
            #expect(
                try await Self.visitor(client, .post, "/chats/\(missed["chatId"] as? Int ?? 0)/end", token: missed["visitorToken"] as? String ?? "")
                    == .noContent)
            let refused = try await Self.startChat(client, campaign: campaign, visitor: "r1")
            #expect(try await chat.post("/console/chats/\(refused["chatId"] as? Int ?? 0)/refuse", "{}", as: ann.credential).status == .noContent)
            let both = try await chat.get("/missedAndRefusedChats?\(Self.window)").object
            #expect(both["total"] as? Int == 2)
            let onlyRefused =
                try await chat.get("/missedAndRefusedChats?\(Self.window)&type=refused").object["missedAndRefusedChats"] as? [[String: Any]] ?? []
            #expect(onlyRefused.map { $0["type"] as? String } == ["refused"] && onlyRefused.first?[path: "chat.name"] as? String == "Visitor r1")
            #expect(try await chat.get("/missedAndRefusedChats?\(Self.window)&type=lost").status == .badRequest)
            let history = try await chat.get(
                "/chats?\(Self.window)&conditions[0][field]=transferred&conditions[0][operate]=is&conditions[0][value]=true"
            ).object
            #expect(
                history["total"] as? Int == 1
                    && (history["chats"] as? [[String: Any]])?.first?["agents"] as? [String] == ["ann@example.com", "bob@example.com"])

            let offline = try await client.execute(
                uri: "/api/v1/livechat/visitor/offlineMessages", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(
                    string:
                        #"{"siteId": "10000", "campaignId": \#(campaign), "visitorId": "o1", "name": "Olga", "email": "olga@example.com", "content": "Please call me back about my invoice"}"#
                )
            )
            #expect(offline.status == .ok)
            let messages = try await chat.get("/offlineMessages?\(Self.window)&campaignId=\(campaign)&keywords=invoice").object
            #expect(messages["total"] as? Int == 1 && (messages["offlineMessages"] as? [[String: Any]])?.first?["name"] as? String == "Olga")
            #expect(try await chat.get("/offlineMessages?\(Self.window)&campaignId=999").object["total"] as? Int == 0)

            let agentChat = try await chat.post(
                "/console/agentChats", #"{"agentIds": [\#(bob.id)], "content": "Can you take the French visitor?"}"#, as: ann.credential)
            let agentChatID = agentChat.object["id"] as? Int ?? 0
            #expect(
                try await chat.post("/console/agentChats/\(agentChatID)/messages", #"{"content": "Sure"}"#, as: bob.credential).status == .noContent)
            let agentChats =
                try await chat.get("/agentChats?\(Self.window)&agentId=\(bob.id)&keywords=french").object["agentChats"] as? [[String: Any]] ?? []
            #expect(agentChats.count == 1 && (agentChats.first?["transcript"] as? [Any])?.count == 2)
            #expect(Set(agentChats.first?["agents"] as? [String] ?? []) == ["ann@example.com", "bob@example.com"])
        }
    }

    @Test("History queries need their window, check pages and time zones, page by 10 up to 500 with links, and never show another site's chats")
    func historyQueries() async throws {
        try await buildApplication(reader: TestConfiguration.reader(["livechat.publicURL": "https://chat.example.com"])).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Sales")
            let ann = try await chat.createAgent("ann@example.com")
            _ = try await chat.put("/agents/\(ann.id)", #"{"status": "online", "maxChatsCount": 20}"#, as: ann.credential)
            var ids: [Int] = []
            for index in 0..<12 { ids.append(try await Self.startChat(client, campaign: campaign, visitor: "p\(index)")["chatId"] as? Int ?? 0) }

            let missing = try await chat.get("/chats?timeTo=2026-01-01T00:00:00Z")
            #expect(missing.status == .badRequest && missing.text.contains("timeFrom"))
            #expect(try await chat.get("/chats?timeFrom=yesterday&timeTo=2026-01-01T00:00:00Z").object["code"] as? Int == 400001)
            #expect(try await chat.get("/chats?\(Self.window)&timezone=Mars/Olympus").object["code"] as? Int == 400002)
            #expect(try await chat.get("/chats?\(Self.window)&pageSize=501").status == .badRequest)
            #expect(try await chat.get("/chats?\(Self.window)&pageIndex=0").status == .badRequest)
            #expect(try await chat.get("/chats?timeFrom=2026-02-01T00:00:00Z&timeTo=2026-01-01T00:00:00Z").status == .badRequest)

            let first = try await chat.get("/chats?\(Self.window)").object
            #expect(first["total"] as? Int == 12 && (first["chats"] as? [Any])?.count == 10)
            #expect(first["previousPage"] is NSNull)
            let next = first["nextPage"] as? String ?? ""
            #expect(next.hasPrefix("https://chat.example.com/api/v1/livechat/chats?") && next.contains("pageIndex=2"))
            let second = try await chat.get(String(next.dropFirst("https://chat.example.com/api/v1/livechat".count))).object
            #expect((second["chats"] as? [[String: Any]])?.map { $0["id"] as? Int } == Array(ids.suffix(2)))
            #expect(second["nextPage"] is NSNull && (second["previousPage"] as? String)?.contains("pageIndex=1") == true)
            #expect((try await chat.get("/chats?\(Self.window)&pageSize=500").object["chats"] as? [Any])?.count == 12)
            let shifted = try await chat.get("/chats?\(Self.window)&timezone=-05:00").object["chats"] as? [[String: Any]] ?? []
            #expect((shifted.first?["requestTime"] as? String)?.hasSuffix("-05:00") == true)
            #expect(try await chat.get("/chats?timeFrom=2020-01-01&timeTo=2020-01-02").object["total"] as? Int == 0)

            let foreign = try await OtherSite.administrator(client: client)
            #expect(try await chat.get("/chats/\(ids[0])", as: foreign).status == .notFound)
            #expect(try await chat.get("/chats?\(Self.window)", as: foreign).object["total"] as? Int == 0)
            let plain = try await chat.createAgent("plain@example.com")
            #expect(try await chat.get("/chats?\(Self.window)", as: plain.credential).status == .forbidden)

            // Values too large for their columns or their arithmetic are 400s, on every engine.
            #expect(try await chat.get("/chats?\(Self.window)&pageIndex=9223372036854775807").status == .badRequest)
            let longVisitor = try await Self.startChat(client, campaign: campaign, visitor: String(repeating: "v", count: 201))
            #expect(longVisitor["code"] as? Int == 400000)
            #expect(try await chat.put("/campaigns/\(campaign)/preChat", #"{"fields": [{"id": 1e300}]}"#).status == .badRequest)
            #expect(
                try await chat.post("/bans", #"{"type": "visitor", "visitorId": "\#(String(repeating: "x", count: 201))"}"#).status == .badRequest)
        }
    }
}

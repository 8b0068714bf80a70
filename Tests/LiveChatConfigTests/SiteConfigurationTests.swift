import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import LiveChatConfig

@Suite("livechat-config site configuration")
struct SiteConfigurationTests {
    @Test(
        "Routing: departments only while switched on, targets must exist, custom rules append in order, and a routed-to department cannot be deleted")
    func routing() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Sales")
            let department = try await chat.post("/departments", #"{"name": "Billing"}"#).object["id"] as? Int ?? 0
            let missing = try await chat.put(
                "/campaigns/\(campaign)/routingRules",
                #"{"isEnable": true, "type": "simple", "simpleRouteToObject": "department", "simpleRouteToId": 777}"#)
            #expect(missing.status == .badRequest && missing.text.contains("simpleRouteToId"))
            let routed = try await chat.put(
                "/campaigns/\(campaign)/RoutingRules", #"{"isEnable": true, "simpleRouteToId": \#(department), "rules": [{"name": "ignored"}]}"#)
            #expect(routed.status == .ok && routed.object["simpleRouteToId"] as? Int == department)
            let noEmails = try await chat.put("/campaigns/\(campaign)/routingrules", #"{"failType": "offlineMessage"}"#)
            #expect(noEmails.status == .badRequest && noEmails.text.contains("fail.offlineMessageEmails"))
            let failRoute = try await chat.put(
                "/campaigns/\(campaign)/routingRules", #"{"fail": {"routeToObject": "department", "routeToId": \#(department)}}"#)
            #expect(
                failRoute.object[path: "fail.routeTobject"] as? String == "department"
                    && failRoute.object[path: "fail.routeToId"] as? Int == department)

            let agent = try await chat.createAgent("vip@example.com")
            let first = try await chat.post(
                "/campaigns/\(campaign)/routingRules/customRules",
                #"{"name": "French", "isEnable": true, "routeToObject": "department", "routeToId": \#(department), "conditions": {"when": "any", "list": [{"number": 1, "field": "country", "operator": "is", "value": "France"}]}}"#
            ).object
            #expect(first["order"] as? Int == 1 && first["routePriority"] as? String == "normal")
            let second = try await chat.post(
                "/campaigns/\(campaign)/routingrules/customrules",
                #"{"name": "VIP", "isEnable": true, "routeToObject": "agent", "routeToId": \#(agent.id), "order": 0}"#
            ).object
            let badExpression = try await chat.post(
                "/campaigns/\(campaign)/routingRules/customRules",
                #"{"name": "Broken", "isEnable": true, "routeToObject": "agent", "routeToId": \#(agent.id), "conditions": {"when": "logicalExpression", "logicalExpression": "1 and 2", "list": [{"number": 1, "field": "country", "operator": "is", "value": "x"}]}}"#
            )
            #expect(badExpression.status == .badRequest && badExpression.text.contains("condition 2"))
            let rules = try await chat.get("/campaigns/\(campaign)/routingRules").object["rules"] as? [[String: Any]] ?? []
            #expect(rules.map { $0["name"] as? String } == ["VIP", "French"])
            #expect(
                try await chat.put("/campaigns/\(campaign)/routingRules/customRules/\(second["id"] as? Int ?? 0)", #"{"order": 5}"#).object["order"]
                    as? Int == 5)
            let ruleOfOtherCampaign = try await chat.createCampaign("Support")
            #expect(try await chat.get("/campaigns/\(ruleOfOtherCampaign)/routingRules/customRules/\(second["id"] as? Int ?? 0)").status == .notFound)

            let refused = try await chat.delete("/departments/\(department)")
            #expect(refused.status == .conflict)
            #expect(try await chat.put("/configs", #"{"isEnableDepartment": false}"#).status == .ok)
            let gated = try await chat.post(
                "/campaigns/\(campaign)/routingRules/customRules",
                #"{"name": "D", "isEnable": true, "routeToObject": "department", "routeToId": \#(department)}"#)
            #expect(gated.status == .badRequest && gated.text.contains("isEnableDepartment"))
        }
    }

    @Test("Department members and agents' departments are one relation, changed from either side")
    func membership() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let ann = try await chat.createAgent("ann@example.com")
            let bob = try await chat.createAgent("bob@example.com")
            let sales = try await chat.post("/departments", #"{"name": "Sales", "agents": [\#(ann.id)]}"#).object
            let salesID = sales["id"] as? Int ?? 0
            #expect(sales["agents"] as? [Int] == [ann.id] && sales["allocationRule"] as? String == "load banlancing")
            #expect(try await chat.get("/agents/\(ann.id)").object["departments"] as? [Int] == [salesID])
            #expect(try await chat.put("/agents/\(bob.id)", #"{"departments": [\#(salesID)], "maxChatsCount": 3, "status": "online"}"#).status == .ok)
            #expect(try await chat.get("/departments/\(salesID)").object["agents"] as? [Int] == [ann.id, bob.id])
            #expect(try await chat.put("/departments/\(salesID)", #"{"description": "Sells"}"#).object["agents"] as? [Int] == [ann.id, bob.id])
            #expect(try await chat.put("/departments/\(salesID)", #"{"agents": [\#(bob.id)]}"#).status == .ok)
            #expect(try await chat.get("/agents/\(ann.id)").object["departments"] as? [Int] == [])
            #expect(try await chat.post("/departments", #"{"name": "sales"}"#).status == .conflict)
            #expect(try await chat.post("/departments", #"{"name": "X", "agents": [99999]}"#).status == .badRequest)
            #expect(
                try await chat.post(
                    "/departments",
                    #"{"name": "Y", "allocationRule": "load balancing", "offlineMessageTo": "emailAddresses", "emailAddresses": "a@example.com; b@example.com"}"#
                ).status == .ok)
            #expect(
                try await chat.post("/departments", #"{"name": "Z", "offlineMessageTo": "emailAddresses", "emailAddresses": "nobody"}"#).status
                    == .badRequest)
            let backup = try await chat.post("/departments", #"{"name": "Backup", "backupDepartmentId": \#(salesID)}"#).object["id"] as? Int ?? 0
            #expect(try await chat.put("/departments/\(salesID)", #"{"backupDepartmentId": \#(salesID)}"#).status == .badRequest)
            #expect(try await chat.delete("/departments/\(salesID)").status == .ok)
            #expect(try await chat.get("/departments/\(backup)").object["backupDepartmentId"] as? Int == 0)
            #expect(try await chat.get("/agents/\(bob.id)").object["departments"] as? [Int] == [])
            let agent = try await chat.get("/agents/\(bob.id)").object
            #expect(agent["status"] as? String == "online" && agent["maxChatsCount"] as? Int == 3 && agent["ongoingChats"] as? Int == 0)
        }
    }

    @Test("Agents: their own settings without a permission, others' with Manage Settings; status must be a known status")
    func agents() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let ann = try await chat.createAgent("ann@example.com")
            let bob = try await chat.createAgent("bob@example.com")
            #expect(try await chat.get("/agents/\(ann.id)", as: ann.credential).status == .ok)
            #expect(try await chat.get("/agents/\(bob.id)", as: ann.credential).status == .forbidden)
            #expect(try await chat.put("/agents/\(ann.id)", #"{"status": "Lunch"}"#, as: ann.credential).status == .badRequest)
            #expect(try await chat.post("/customAwayStatus", #"{"name": "Lunch"}"#).status == .ok)
            #expect(try await chat.put("/agents/\(ann.id)", #"{"status": "lunch"}"#, as: ann.credential).object["status"] as? String == "Lunch")
            let lunch = try await chat.get("/customAwayStatus").array.first?["id"] as? Int ?? 0
            #expect(try await chat.delete("/customAwayStatus/\(lunch)").status == .ok)
            #expect(try await chat.get("/agents/\(ann.id)").object["status"] as? String == "away")
            #expect(try await chat.get("/agents/424242").status == .notFound)

            let disabled = try await chat.put("/admin/agents/\(bob.id)", #"{"isActive": false}"#)
            #expect(disabled.status == .ok && disabled.object["isActive"] as? Bool == false)
            try await Task.sleep(for: .seconds(0))
            #expect(try await chat.put("/admin/agents/\(ann.id)", #"{"apiKey": "short"}"#).status == .badRequest)
            let rekeyed = try await chat.put(
                "/admin/agents/\(ann.id)", #"{"apiKey": "a-brand-new-api-key-for-ann", "permissions": ["Manage Settings"]}"#)
            #expect(rekeyed.status == .ok)
            let newKey = basicAuthorization("ann@example.com", "a-brand-new-api-key-for-ann")
            #expect(try await chat.get("/agents/\(bob.id)", as: newKey).status == .ok)
            #expect(try await chat.get("/admin/agents", as: newKey).status == .forbidden)
            #expect(try await chat.get("/admin/agents").array.count == 3)
        }
    }

    @Test("Canned messages: private ones belong to their agent; categories form a tree without cycles; deleting one moves its messages to the root")
    func cannedMessages() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let ann = try await chat.createAgent("ann@example.com")
            let writer = try await chat.createAgent("writer@example.com", permissions: ["Manage Pulbic Canned Messages"])
            let root =
                try await chat.post("/cannedMessageCategories", #"{"name": "Sales", "parentId": 0, "isPrivate": "false"}"#).object["id"] as? Int ?? 0
            let child =
                try await chat.post("/cannedMessageCategories", #"{"name": "Pricing", "parentId": \#(root), "isPrivate": false}"#).object["id"]
                as? Int ?? 0
            #expect(try await chat.put("/cannedMessageCategories/\(root)", #"{"parentId": \#(child)}"#).status == .badRequest)
            #expect(
                try await chat.post("/cannedMessageCategories", #"{"name": "Loose", "parentId": 4242, "isPrivate": false}"#).status == .badRequest)
            #expect(try await chat.post("/cannedMessageCategories", #"{"name": "NoFlag", "parentId": 0}"#).status == .badRequest)

            let publicMessage = try await chat.post(
                "/cannedMessages", #"{"name": "Hi", "message": "Hello!", "categoryId": \#(child)}"#, as: writer.credential)
            #expect(publicMessage.status == .ok && publicMessage.object["isPrivate"] as? Bool == false)
            #expect(try await chat.post("/cannedMessages", #"{"name": "Hi", "message": "Hello!"}"#, as: ann.credential).status == .forbidden)
            let mine = try await chat.post("/cannedMessages", #"{"name": "Mine", "message": "My text", "isPrivate": true}"#, as: ann.credential)
            #expect(mine.status == .ok && mine.object["categoryId"] as? Int == 0)
            let mineID = mine.object["id"] as? Int ?? 0
            #expect(try await chat.get("/cannedMessages", as: writer.credential).array.map { $0["name"] as? String } == ["Hi"])
            #expect(try await chat.get("/cannedMessages/\(mineID)", as: writer.credential).status == .notFound)
            #expect(
                try await chat.put("/cannedMessages/\(mineID)", #"{"message": "Changed"}"#, as: ann.credential).object["message"] as? String
                    == "Changed")
            #expect(try await chat.post("/cannedMessages", #"{"name": "Nope", "message": "x", "categoryId": 999}"#).status == .badRequest)

            #expect(try await chat.delete("/cannedMessageCategories/\(root)").status == .ok)
            #expect(try await chat.get("/cannedMessageCategories/\(child)").status == .notFound)
            #expect(try await chat.get("/cannedMessages/\(publicMessage.object["id"] as? Int ?? 0)").object["categoryId"] as? Int == 0)
        }
    }

    @Test("Site switches: auto allocation's and SSO's isEnable are the config's; SSO needs base64 and a sign-in URL")
    func switches() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let config = try await chat.get("/configs").object
            #expect(config["siteId"] as? Int == 10000 && config["isEnableAutoAllocation"] as? Bool == true)
            #expect(try await chat.put("/autoAllocation", #"{"allocationRule": "round robin"}"#).status == .ok)
            let allocation = try await chat.put("/autoAllocation", #"{"isEnable": false, "maxChatForAllAgents": 3}"#).object
            #expect(allocation["isEnable"] as? Bool == false && allocation["allocationRule"] as? String == "round robin")
            #expect(try await chat.get("/configs").object["isEnableAutoAllocation"] as? Bool == false)
            #expect(try await chat.put("/configs", #"{"isEnableAutoAllocation": true, "siteId": 5}"#).object["siteId"] as? Int == 10000)
            #expect(try await chat.get("/autoAllocation").object["isEnable"] as? Bool == true)
            #expect(try await chat.put("/autoAllocation", #"{"maxChatForAllAgents": 0}"#).status == .badRequest)

            let campaign = try await chat.createCampaign("Sales")
            let certificate = Data("certificate".utf8).base64EncodedString()
            let badCertificate = try await chat.put("/visitorSSO", #"{"isEnable": false, "idpCertificate": "not base64!"}"#)
            #expect(badCertificate.status == .badRequest && badCertificate.text.contains("idpCertificate"))
            #expect(try await chat.put("/visitorSSO", #"{"isEnable": true}"#).status == .badRequest)
            let sso = try await chat.put(
                "/visitorSSO",
                #"""
                {"isEnable": true, "signInUrl": "https://idp.example.com/login", "idpCertificate": "\#(certificate)",
                 "dataMappings": [{"ssoAttribute": "mail", "comm100Field": "{!Visitor.Email}"}], "campaignSSOOptions": [{"campaignId": \#(campaign), "signInType": "Required"}]}
                """#
            ).object
            #expect(
                sso["isEnable"] as? Bool == true && (sso["campaignSSOOptions"] as? [[String: Any]])?.first?["signInType"] as? String == "required")
            #expect(try await chat.get("/configs").object["isEnableVisitorSSO"] as? Bool == true)
            #expect(try await chat.put("/visitorSSO", #"{"campaignSSOOptions": [{"campaignId": 9999}]}"#).status == .badRequest)

            #expect(try await chat.put("/configs", #"{"isEnableMultipleCampaigns": false}"#).status == .ok)
            #expect(try await chat.post("/campaigns", #"{"name": "Second", "language": "English"}"#).status == .conflict)
        }
    }

    @Test("Conversion actions, visitor segments, secure forms, webhooks and custom variables at every documented spelling")
    func siteObjects() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let action = try await chat.post(
                "/conversionsActions", #"{"name": "Bought", "type": "url", "matchType": "contains", "matchValue": "/thanks"}"#)
            #expect(action.status == .ok)
            let actionID = action.object["id"] as? Int ?? 0
            #expect(try await chat.get("/conversionActions/\(actionID)").object["matchType"] as? String == "contains")
            #expect(try await chat.put("/conversionActions/\(actionID)", #"{"type": "customVariable"}"#).status == .badRequest)
            #expect(
                try await chat.post("/conversionsActions", #"{"name": "Regex", "matchType": "regularExpression", "matchValue": "(["}"#).status
                    == .badRequest)

            let segment = try await chat.post(
                "/visitorSegments",
                #"""
                {"name": "Returning", "priority": 2, "notification": "None",
                 "conditions": {"when": "logicalExpression", "logicalExpression": "1 or not 2", "list": [
                   {"number": 1, "field": "visits", "operator": "moreThan", "value": "3"}, {"number": 2, "field": "customVariable.plan", "operator": "is", "value": "free"}]}}
                """#)
            #expect(segment.status == .ok && segment.object["notification"] as? String == "none")
            let segmentID = segment.object["id"] as? Int ?? 0
            #expect(try await chat.get("/visitorSegmentations/\(segmentID)").object["priority"] as? Int == 2)
            #expect(try await chat.put("/visitorSegmentations/\(segmentID)", #"{"notification": {"agents": [424242]}}"#).status == .badRequest)
            let badField = try await chat.post(
                "/visitorSegments",
                #"{"name": "Odd", "conditions": {"when": "all", "list": [{"number": 1, "field": "shoeSize", "operator": "is", "value": "9"}]}}"#)
            #expect(badField.status == .badRequest && badField.text.contains("shoeSize"))
            let badNumber = try await chat.post(
                "/visitorSegments",
                #"{"name": "Odd", "conditions": {"when": "all", "list": [{"number": 1, "field": "visits", "operator": "moreThan", "value": "lots"}]}}"#
            )
            #expect(badNumber.status == .badRequest)
            #expect(try await chat.delete("/visitorSegments/\(segmentID)").status == .ok)

            let form = try await chat.post("/secureForms", #"{"name": "Payment"}"#).object
            #expect(
                (form["fields"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == [
                    "cardNumber", "expirationDate", "cscOrCvv", "nameOnCard",
                ])
            #expect(try await chat.post("/secureForms", #"{"name": "Bad", "fields": [{"name": "Email", "type": "email"}]}"#).status == .badRequest)

            #expect(try await chat.post("/webhooks", #"{"event": "chatStarted", "targetUrl": "ftp://example.com"}"#).status == .badRequest)
            #expect(try await chat.post("/webhooks", #"{"event": "chatExploded", "targetUrl": "https://example.com/hook"}"#).status == .badRequest)
            let hook = try await chat.post("/webhooks", #"{"event": "ChatStarted", "targetUrl": "https://example.com/hook"}"#).object
            #expect(hook["event"] as? String == "chatStarted")
            #expect(
                try await chat.put("/webhooks/\(hook["id"] as? Int ?? 0)", #"{"event": "chatEnded"}"#).object["targetUrl"] as? String
                    == "https://example.com/hook")

            #expect(try await chat.post("/customVariables", #"{"name": "plan", "type": "text"}"#).status == .ok)
            #expect(try await chat.post("/customVariables", #"{"name": "PLAN", "type": "integer"}"#).status == .conflict)
            #expect(try await chat.post("/customVariables", #"{"name": "x", "type": "float"}"#).status == .badRequest)
            #expect(try await chat.get("/customVariables").array.count == 1)
        }
    }

    @Test("Without the section's permission an agent gets 403; another site's objects are 404; no credential is 401")
    func access() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Sales")
            let department = try await chat.post("/departments", #"{"name": "Billing"}"#).object["id"] as? Int ?? 0
            let plain = try await chat.createAgent("plain@example.com")
            for path in [
                "/campaigns", "/campaigns/\(campaign)/chatButton", "/departments", "/configs", "/autoAllocation", "/visitorSSO", "/webhooks",
                "/cannedMessages",
            ] {
                #expect(try await chat.get(path, as: plain.credential).status == .forbidden, "\(path)")
            }
            #expect(try await chat.get("/campaigns", as: "Basic bm9ib2R5Om5vdGhpbmc=").status == .unauthorized)

            // A second site, with its own administrator, through the bootstrap store.
            let other = try await chat.createAgent("other-admin@example.com", administrator: true)
            _ = other
            let foreign = try await OtherSite.administrator(client: client)
            #expect(try await chat.get("/campaigns/\(campaign)/chatButton", as: foreign).status == .notFound)
            #expect(try await chat.get("/departments/\(department)", as: foreign).status == .notFound)
            #expect(try await chat.get("/campaigns", as: foreign).array.isEmpty)
            #expect(try await chat.delete("/departments/\(department)", as: foreign).status == .notFound)
        }
    }
}

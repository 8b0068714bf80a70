import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import LiveChatConfig

/// The divergences from seed 001 found by the 2026-12-01 fidelity review (its `LC-n` ids), each held fixed.
@Suite("livechat-config follows the seed where the review found it did not")
struct SeedFidelityTests {
    @Test("LC-2: with departments off, routing that names no department target (id 0, the defaults) is accepted; a real department target is not")
    func routingWithDepartmentsOff() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Sales")
            let department = try await chat.post("/departments", #"{"name": "Billing"}"#).object["id"] as? Int ?? 0
            #expect(try await chat.put("/configs", #"{"isEnableDepartment": false}"#).status == .ok)
            let off = try await chat.put("/campaigns/\(campaign)/routingRules", #"{"isEnable": false}"#)
            #expect(off.status == .ok, "\(off.text)")
            let toDepartment = try await chat.put(
                "/campaigns/\(campaign)/routingRules", #"{"fail": {"routeToObject": "department", "routeToId": \#(department)}}"#)
            #expect(toDepartment.status == .badRequest && toDepartment.text.contains("isEnableDepartment"))
        }
    }

    @Test("LC-3: a conversion action with only its mandatory name is created (matchValue is optional, L848)")
    func conversionActionWithNameOnly() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let created = try await LiveChatTestClient(client: client).post("/conversionsActions", #"{"name": "Signed up"}"#)
            #expect(created.status == .ok, "\(created.text)")
            #expect(created.object["type"] as? String == "url" && created.object["matchValue"] as? String == "")
        }
    }

    @Test("LC-1: the mobile image ids the seed types as strings (L131–L132) are read from numeric strings and written as integers")
    func mobileImageIDs() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Mobile")
            let saved = try await chat.put(
                "/campaigns/\(campaign)/chatButton", #"{"image": {"mobile": {"onlineImageId": "5", "offlineImageId": 6}}}"#)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(saved.object[path: "image.mobile.onlineImageId"] as? Int == 5 && saved.object[path: "image.mobile.offlineImageId"] as? Int == 6)
            let wrong = try await chat.put("/campaigns/\(campaign)/chatButton", #"{"image.mobile.onlineImageId": "five"}"#)
            #expect(wrong.status == .badRequest && wrong.text.contains("onlineImageId"))
        }
    }

    @Test("LC-6: a condition's value is mandatory (L395); an empty string is a value")
    func conditionValueRequired() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let campaign = try await chat.createCampaign("Invite")
            let missing = try await chat.post(
                "/campaigns/\(campaign)/invitation/autoInvitations",
                #"{"name": "Hi", "conditions": {"when": "all", "list": [{"number": 1, "field": "country", "operator": "is"}]}}"#
            )
            #expect(missing.status == .badRequest && missing.text.contains("conditions.list[0].value"))
            let empty = try await chat.post(
                "/campaigns/\(campaign)/invitation/autoInvitations",
                #"{"name": "Hi", "conditions": {"when": "all", "list": [{"number": 1, "field": "country", "operator": "is", "value": ""}]}}"#
            )
            #expect(empty.status == .ok, "\(empty.text)")
        }
    }

    @Test("LC-15: /configs switches visitor SSO on only with the sign-in URL /visitorSSO requires")
    func visitorSSOThroughConfigs() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let bare = try await chat.put("/configs", #"{"isEnableVisitorSSO": true}"#)
            #expect(bare.status == .badRequest && bare.text.contains("signInUrl"))
            #expect(try await chat.put("/visitorSSO", #"{"isEnable": false, "signInUrl": "https://sso.example.com/login"}"#).status == .ok)
            #expect(try await chat.put("/configs", #"{"isEnableVisitorSSO": true}"#).status == .ok)
            #expect(try await chat.get("/visitorSSO").object["isEnable"] as? Bool == true)
            // Further changes to /visitorSSO keep working (they did not before: the URL was missing).
            #expect(try await chat.put("/visitorSSO", #"{"dataMappings": []}"#).status == .ok)
        }
    }

    @Test("LC-21: a protected route reached without credentials answers 401 with the Basic challenge, as a wrong credential does")
    func challengeWithoutCredentials() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let anonymous = try await client.execute(uri: "/api/v1/livechat/campaigns", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Basic realm=\"Comm100\"")
        }
    }

    @Test("LC-22: without the permission, a caller learns nothing: 403 before any lookup or validation, except for their own private objects")
    func permissionFirst() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let agent = try await chat.createAgent("plain@example.com")
            let department = try await chat.post("/departments", #"{"name": "Billing"}"#).object["id"] as? Int ?? 0
            #expect(try await chat.get("/departments/\(department)", as: agent.credential).status == .forbidden)
            #expect(try await chat.get("/departments/987654", as: agent.credential).status == .forbidden)
            #expect(try await chat.post("/departments", #"{"name": ""}"#, as: agent.credential).status == .forbidden)
            #expect(try await chat.get("/campaigns/987654/routingRules/customRules/1", as: agent.credential).status == .forbidden)

            // Private canned messages need no permission; public ones and unknown ids are 403.
            let own = try await chat.post("/cannedMessages", #"{"name": "Mine", "message": "Hello", "isPrivate": true}"#, as: agent.credential)
            #expect(own.status == .ok)
            let ownID = own.object["id"] as? Int ?? 0
            #expect(try await chat.get("/cannedMessages/\(ownID)", as: agent.credential).status == .ok)
            #expect(try await chat.put("/cannedMessages/\(ownID)", #"{"message": "Hi"}"#, as: agent.credential).status == .ok)
            #expect(try await chat.post("/cannedMessages", #"{"name": "Ours", "message": "Hello"}"#, as: agent.credential).status == .forbidden)
            let shared = try await chat.post("/cannedMessages", #"{"name": "Ours", "message": "Hello"}"#).object["id"] as? Int ?? 0
            #expect(try await chat.get("/cannedMessages/\(shared)", as: agent.credential).status == .forbidden)
            #expect(try await chat.get("/cannedMessages/987654", as: agent.credential).status == .forbidden)
            #expect(try await chat.delete("/cannedMessages/\(ownID)", as: agent.credential).status == .ok)
        }
    }

    @Test(
        "History queries decode through the form decoder: percent-encoded brackets, a plus kept in an offset, a repeated parameter is a 400 naming it"
    )
    func historyQueries() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let chat = LiveChatTestClient(client: client)
            let window = "timeFrom=2026-01-01T08:00:00+08:00&timeTo=2026-01-02T00:00:00Z"
            let encoded = try await chat.get(
                "/chats?\(window)&conditions%5B0%5D%5Bfield%5D=agent&conditions%5B0%5D%5Boperate%5D=is&conditions%5B0%5D%5Bvalue%5D=x")
            #expect(encoded.status == .ok, "\(encoded.text)")
            let twice = try await chat.get("/chats?\(window)&pageSize=1&pageSize=2")
            #expect(twice.status == .badRequest && twice.text.contains("pageSize"))
            let notNumber = try await chat.get("/chats?\(window)&agentId=bob")
            #expect(notNumber.status == .badRequest && notNumber.text.contains("'agentId' must be an integer"))
            let unknownField = try await chat.get("/chats?\(window)&conditions[1][field]=shoe")
            #expect(unknownField.status == .badRequest && unknownField.text.contains("conditions[1][field]"))
        }
    }
}

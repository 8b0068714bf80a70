import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import LiveChatConfig

@Suite("livechat-config seed coverage")
struct SeedCoverageTests {
    /// Every `METHOD path` heading of seed 001, with path parameters written `{}` (92 routes).
    static let seedRoutes: [String] = [
        "DELETE /api/v1/livechat/bans/{}",
        "DELETE /api/v1/livechat/campaigns/{}",
        "DELETE /api/v1/livechat/campaigns/{}/invitation/autoInvitations/{}",
        "DELETE /api/v1/livechat/campaigns/{}/routingrules/customrules/{}",
        "DELETE /api/v1/livechat/cannedMessageCategories/{}",
        "DELETE /api/v1/livechat/cannedMessages/{}",
        "DELETE /api/v1/livechat/customAwayStatus/{}",
        "DELETE /api/v1/livechat/customVariables/{}",
        "DELETE /api/v1/livechat/departments/{}",
        "DELETE /api/v1/livechat/secureForms/{}",
        "DELETE /api/v1/livechat/visitorSegmentations/{}",
        "DELETE /api/v1/livechat/webhooks/{}",
        "GET /api/v1/livechat/agentChats",
        "GET /api/v1/livechat/agents/{}",
        "GET /api/v1/livechat/autoAllocation",
        "GET /api/v1/livechat/bans",
        "GET /api/v1/livechat/bans/{}",
        "GET /api/v1/livechat/campaigns",
        "GET /api/v1/livechat/campaigns/{}/agentWrapup",
        "GET /api/v1/livechat/campaigns/{}/chatButton",
        "GET /api/v1/livechat/campaigns/{}/chatWindow",
        "GET /api/v1/livechat/campaigns/{}/code",
        "GET /api/v1/livechat/campaigns/{}/invitation",
        "GET /api/v1/livechat/campaigns/{}/invitation/autoInvitations/{}",
        "GET /api/v1/livechat/campaigns/{}/language",
        "GET /api/v1/livechat/campaigns/{}/offlineMessage",
        "GET /api/v1/livechat/campaigns/{}/postchat",
        "GET /api/v1/livechat/campaigns/{}/prechat",
        "GET /api/v1/livechat/campaigns/{}/routingrules",
        "GET /api/v1/livechat/campaigns/{}/routingrules/customrules/{}",
        "GET /api/v1/livechat/cannedMessageCategories",
        "GET /api/v1/livechat/cannedMessageCategories/{}",
        "GET /api/v1/livechat/cannedMessages",
        "GET /api/v1/livechat/cannedMessages/{}",
        "GET /api/v1/livechat/chats",
        "GET /api/v1/livechat/chats/{}",
        "GET /api/v1/livechat/configs",
        "GET /api/v1/livechat/conversionsActions",
        "GET /api/v1/livechat/conversionsActions/{}",
        "GET /api/v1/livechat/customAwayStatus",
        "GET /api/v1/livechat/customAwayStatus/{}",
        "GET /api/v1/livechat/customVariables",
        "GET /api/v1/livechat/departments",
        "GET /api/v1/livechat/departments/{}",
        "GET /api/v1/livechat/missedAndRefusedChats",
        "GET /api/v1/livechat/offlineMessages",
        "GET /api/v1/livechat/secureForms",
        "GET /api/v1/livechat/secureForms/{}",
        "GET /api/v1/livechat/visitorSSO",
        "GET /api/v1/livechat/visitorSegmentations",
        "GET /api/v1/livechat/visitorSegmentations/{}",
        "GET /api/v1/livechat/webhooks",
        "POST /api/v1/livechat/bans",
        "POST /api/v1/livechat/campaigns",
        "POST /api/v1/livechat/campaigns/{}/invitation/autoInvitations",
        "POST /api/v1/livechat/campaigns/{}/routingrules/customrules",
        "POST /api/v1/livechat/cannedMessageCategories",
        "POST /api/v1/livechat/cannedMessages",
        "POST /api/v1/livechat/conversionsActions",
        "POST /api/v1/livechat/customAwayStatus",
        "POST /api/v1/livechat/customVariables",
        "POST /api/v1/livechat/departments",
        "POST /api/v1/livechat/secureForms",
        "POST /api/v1/livechat/visitorSegmentations",
        "POST /api/v1/livechat/webhooks",
        "PUT /api/v1/livechat/agents/{}",
        "PUT /api/v1/livechat/autoAllocation",
        "PUT /api/v1/livechat/bans/{}",
        "PUT /api/v1/livechat/campaigns/{}",
        "PUT /api/v1/livechat/campaigns/{}/agentWrapup",
        "PUT /api/v1/livechat/campaigns/{}/chatButton",
        "PUT /api/v1/livechat/campaigns/{}/chatWindow",
        "PUT /api/v1/livechat/campaigns/{}/invitation",
        "PUT /api/v1/livechat/campaigns/{}/invitation/autoInvitations/{}",
        "PUT /api/v1/livechat/campaigns/{}/invitation/manualInvitation",
        "PUT /api/v1/livechat/campaigns/{}/language",
        "PUT /api/v1/livechat/campaigns/{}/offlineMessage",
        "PUT /api/v1/livechat/campaigns/{}/postchat",
        "PUT /api/v1/livechat/campaigns/{}/prechat",
        "PUT /api/v1/livechat/campaigns/{}/routingrules",
        "PUT /api/v1/livechat/campaigns/{}/routingrules/customrules/{}",
        "PUT /api/v1/livechat/cannedMessageCategories/{}",
        "PUT /api/v1/livechat/cannedMessages/{}",
        "PUT /api/v1/livechat/configs",
        "PUT /api/v1/livechat/conversionsActions/{}",
        "PUT /api/v1/livechat/customAwayStatus/{}",
        "PUT /api/v1/livechat/customVariables/{}",
        "PUT /api/v1/livechat/departments/{}",
        "PUT /api/v1/livechat/secureForms/{}",
        "PUT /api/v1/livechat/visitorSSO",
        "PUT /api/v1/livechat/visitorSegmentations/{}",
        "PUT /api/v1/livechat/webhooks/{}",
    ]

    @Test("Every route of the seed is in /openapi.json and is served (not 404 or 405), and none answers a 5xx")
    func everySeedRoute() async throws {
        #expect(Set(Self.seedRoutes).count == 92)
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get)
            let documented = Set(
                try ServiceChecks.documentedRoutes(document.body).map {
                    $0.replacingOccurrences(of: #"\{[^}]+\}"#, with: "{}", options: .regularExpression)
                })
            for route in Self.seedRoutes {
                #expect(documented.contains(route), "\(route) is not documented")
                let parts = route.split(separator: " ")
                let path = parts[1].replacingOccurrences(of: "{}", with: "1")
                let response = try await client.execute(
                    uri: path
                        + (path.contains("chats") || path.contains("Chats") || path.contains("offlineMessages")
                            ? "?timeFrom=2026-01-01T00:00:00Z&timeTo=2026-01-02T00:00:00Z" : ""),
                    method: HTTPRequest.Method(String(parts[0]))!,
                    headers: [.authorization: LiveChatTestClient.admin, .contentType: "application/json"],
                    body: parts[0] == "GET" || parts[0] == "DELETE" ? nil : ByteBuffer(string: "{}")
                )
                // An empty body or an unknown id is the client's 4xx, never a server error.
                #expect(response.status.code < 500, "\(route) answered \(response.status.code): \(String(buffer: response.body))")
                // Unknown ids are 404 in the vendor shape, never the router's bare 404 or a 405.
                #expect(response.status != .methodNotAllowed, "\(route)")
                if response.status == .notFound {
                    #expect(String(buffer: response.body).contains("not found."), "\(route) is not served")
                }
            }
        }
    }
}

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

@testable import Conversation

@Suite("conversation foundation")
struct ConversationTests {
    /// The seed 000 and seed 002 operations conversation serves so far (spec §3.1 #1–#7, #11–#19, §3.3 #20–#24, §3.5 #29;
    /// seed 002 L1355).
    static let served: Set<String> = [
        "GET /api/v3/anytime/conversations", "POST /api/v3/anytime/conversations", "GET /api/v3/anytime/conversations/{id}",
        "PUT /api/v3/anytime/conversations/{id}", "PUT /api/v3/anytime/conversations", "DELETE /api/v3/anytime/conversations/{id}",
        "DELETE /api/v3/anytime/conversations",
        "PUT /api/v3/anytime/conversations/{id}/read", "PUT /api/v3/anytime/conversations/{id}/unread",
        "GET /api/v3/anytime/conversations/{id}/eventLogs", "GET /api/v3/anytime/conversations/{id}/messages",
        "GET /api/v3/anytime/conversations/{id}/messages/{messageId}", "POST /api/v3/anytime/conversations/{id}/messages",
        "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}", "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}/resend",
        "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}/read", "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}/unread",
        "GET /api/v3/anytime/deletedConversations", "GET /api/v3/anytime/deletedConversations/{id}",
        "GET /api/v3/anytime/deletedConversations/{id}/messages", "POST /api/v3/anytime/deletedConversations/{id}/restore",
        "DELETE /api/v3/anytime/deletedConversations/{id}", "POST /ticketing/ticket/{id}/messages:attach",
        "GET /api/v3/anytime/portalConversations", "GET /api/v3/anytime/portalConversations/{id}",
        "GET /api/v3/anytime/portalConversations/{id}/messages", "POST /api/v3/anytime/portalConversations",
        "POST /api/v3/anytime/portalConversations/{id}/messages", "PUT /api/v3/anytime/portalConversations/{id}/close",
        "PUT /api/v3/anytime/portalConversations/{id}/read", "PUT /api/v3/anytime/portalConversations/{id}/reopen",
        "PUT /api/v3/anytime/portalConversations/{id}/unread", "POST /api/v3/anytime/attachments", "PUT /api/v3/anytime/attachments/{guid}",
        "DELETE /api/v3/anytime/attachments/{guid}",
        // Channels, channel accounts, fields, blocked senders and junk (§3.14–§3.18), and the inbound email extension.
        "GET /api/v3/anytime/channels", "GET /api/v3/anytime/channelAccounts", "POST /api/v3/anytime/channelAccounts",
        "PUT /api/v3/anytime/channelAccounts/{id}", "DELETE /api/v3/anytime/channelAccounts/{id}", "GET /api/v3/anytime/fields",
        "POST /api/v3/anytime/fields", "GET /api/v3/anytime/fields/{id}", "PUT /api/v3/anytime/fields/{id}", "DELETE /api/v3/anytime/fields/{id}",
        "PUT /api/v3/anytime/fields/mapping", "GET /api/v3/anytime/blockedSenders", "PUT /api/v3/anytime/blockedSenders",
        "DELETE /api/v3/anytime/blockedSenders", "GET /api/v3/anytime/blockedSenders/{id}", "GET /api/v3/anytime/junks",
        "GET /api/v3/anytime/junks/{id}", "PUT /api/v3/anytime/junks/{id}", "DELETE /api/v3/anytime/junks/{id}",
        "POST /api/v3/anytime/junks/{id}/notJunk", "POST /api/v3/anytime/inboundEmails",
        // Views, unread counts, drafts and merge (§3.1 #8, #10, §3.4, §3.8).
        "GET /api/v3/anytime/views", "POST /api/v3/anytime/views", "GET /api/v3/anytime/views/{id}", "PUT /api/v3/anytime/views/{id}",
        "DELETE /api/v3/anytime/views/{id}", "GET /api/v3/anytime/conversations/unreadCount", "GET /api/v3/anytime/conversations/{id}/draft",
        "POST /api/v3/anytime/conversations/{id}/draft", "PUT /api/v3/anytime/conversations/{id}/draft",
        "DELETE /api/v3/anytime/conversations/{id}/draft", "POST /api/v3/anytime/conversations/{id}/merge",
        "GET /api/v3/anytime/conversations/{id}/agents",
        // Working time, holidays and SLA policies (§3.12, §3.13).
        "GET /api/v3/anytime/workingTime", "PUT /api/v3/anytime/workingTime", "GET /api/v3/anytime/holidays", "POST /api/v3/anytime/holidays",
        "GET /api/v3/anytime/holidays/{id}", "PUT /api/v3/anytime/holidays/{id}", "DELETE /api/v3/anytime/holidays/{id}",
        "DELETE /api/v3/anytime/holidays", "GET /api/v3/anytime/SLAPolicies", "POST /api/v3/anytime/SLAPolicies",
        "GET /api/v3/anytime/SLAPolicies/{id}", "PUT /api/v3/anytime/SLAPolicies/{id}", "DELETE /api/v3/anytime/SLAPolicies/{id}",
        "PUT /api/v3/anytime/SLAPolicies/{id}/sort",
        // Triggers (§3.11).
        "GET /api/v3/anytime/triggers", "POST /api/v3/anytime/triggers", "GET /api/v3/anytime/triggers/{id}", "PUT /api/v3/anytime/triggers/{id}",
        "PUT /api/v3/anytime/triggers/{id}/sort", "PUT /api/v3/anytime/triggers/{id}/enable", "DELETE /api/v3/anytime/triggers/{id}",
        // Reports and their CSV exports (§3.19), with `realtime/today` as bytime's alias (spec §6 RP1).
        "GET /api/v3/anytime/reports/realtime/now", "GET /api/v3/anytime/reports/realtime/bytime", "GET /api/v3/anytime/reports/realtime/today",
        "GET /api/v3/anytime/reports/realtime/departments", "GET /api/v3/anytime/reports/realtime/agents", "GET /api/v3/anytime/reports/volume",
        "GET /api/v3/anytime/reports/volume/export", "GET /api/v3/anytime/reports/channel", "GET /api/v3/anytime/reports/channel/export",
        "GET /api/v3/anytime/reports/efficiency", "GET /api/v3/anytime/reports/efficiency/export", "GET /api/v3/anytime/reports/sla",
        "GET /api/v3/anytime/reports/sla/export",
        // Routing and auto allocation (§3.9, §3.10).
        "GET /api/v3/anytime/routing", "PUT /api/v3/anytime/routing/enable", "PUT /api/v3/anytime/routing/{id}", "PUT /api/v3/anytime/routing",
        "PUT /api/v3/anytime/routing/customRules/{id}/enable", "POST /api/v3/anytime/routing/customRules",
        "GET /api/v3/anytime/routing/customRules/{id}", "PUT /api/v3/anytime/routing/customRules/{id}",
        "DELETE /api/v3/anytime/routing/customRules/{id}", "PUT /api/v3/anytime/routing/customRules/{id}/sort",
        "GET /api/v3/anytime/autoAllocation", "PUT /api/v3/anytime/autoAllocation/enable", "PUT /api/v3/anytime/autoAllocation",
    ]

    /// Seed 000's 110 operations (spec §3.1–§3.19, one per documented section), with the paths §6 fixes: routing's
    /// delete is DELETE (R5), a trigger's enable `/enable` (T1), SLA sort `/SLAPolicies/{id}/sort` (S3), holiday delete
    /// by id (W2), `realtime/bytime` (RP1).
    static let seedOperations: [String] = [
        "GET /api/v3/anytime/conversations", "GET /api/v3/anytime/conversations/{id}", "POST /api/v3/anytime/conversations",
        "PUT /api/v3/anytime/conversations/{id}", "PUT /api/v3/anytime/conversations", "PUT /api/v3/anytime/conversations/{id}/read",
        "PUT /api/v3/anytime/conversations/{id}/unread", "POST /api/v3/anytime/conversations/{id}/merge",
        "GET /api/v3/anytime/conversations/{id}/agents",
        "GET /api/v3/anytime/conversations/unreadCount", "DELETE /api/v3/anytime/conversations/{id}", "DELETE /api/v3/anytime/conversations",
        "GET /api/v3/anytime/conversations/{id}/messages", "GET /api/v3/anytime/conversations/{id}/messages/{messageId}",
        "POST /api/v3/anytime/conversations/{id}/messages",
        "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}", "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}/resend",
        "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}/read",
        "PUT /api/v3/anytime/conversations/{id}/messages/{messageId}/unread", "GET /api/v3/anytime/deletedConversations",
        "GET /api/v3/anytime/deletedConversations/{id}",
        "GET /api/v3/anytime/deletedConversations/{id}/messages", "POST /api/v3/anytime/deletedConversations/{id}/restore",
        "DELETE /api/v3/anytime/deletedConversations/{id}",
        "GET /api/v3/anytime/conversations/{id}/draft", "POST /api/v3/anytime/conversations/{id}/draft",
        "PUT /api/v3/anytime/conversations/{id}/draft",
        "DELETE /api/v3/anytime/conversations/{id}/draft", "GET /api/v3/anytime/conversations/{id}/eventLogs",
        "GET /api/v3/anytime/portalConversations/{id}",
        "GET /api/v3/anytime/portalConversations", "POST /api/v3/anytime/portalConversations", "PUT /api/v3/anytime/portalConversations/{id}/close",
        "PUT /api/v3/anytime/portalConversations/{id}/reopen", "GET /api/v3/anytime/portalConversations/{id}/messages",
        "POST /api/v3/anytime/portalConversations/{id}/messages",
        "PUT /api/v3/anytime/portalConversations/{id}/read", "PUT /api/v3/anytime/portalConversations/{id}/unread",
        "POST /api/v3/anytime/attachments",
        "PUT /api/v3/anytime/attachments/{guid}", "DELETE /api/v3/anytime/attachments/{guid}", "GET /api/v3/anytime/views",
        "POST /api/v3/anytime/views", "GET /api/v3/anytime/views/{id}", "PUT /api/v3/anytime/views/{id}",
        "DELETE /api/v3/anytime/views/{id}", "GET /api/v3/anytime/routing", "PUT /api/v3/anytime/routing/enable",
        "PUT /api/v3/anytime/routing/{id}", "PUT /api/v3/anytime/routing/customRules/{id}/enable", "POST /api/v3/anytime/routing/customRules",
        "GET /api/v3/anytime/routing/customRules/{id}", "PUT /api/v3/anytime/routing/customRules/{id}",
        "DELETE /api/v3/anytime/routing/customRules/{id}",
        "PUT /api/v3/anytime/routing/customRules/{id}/sort", "GET /api/v3/anytime/autoAllocation", "PUT /api/v3/anytime/autoAllocation/enable",
        "PUT /api/v3/anytime/autoAllocation", "GET /api/v3/anytime/triggers", "GET /api/v3/anytime/triggers/{id}",
        "POST /api/v3/anytime/triggers", "PUT /api/v3/anytime/triggers/{id}", "PUT /api/v3/anytime/triggers/{id}/sort",
        "PUT /api/v3/anytime/triggers/{id}/enable", "DELETE /api/v3/anytime/triggers/{id}", "GET /api/v3/anytime/SLAPolicies",
        "GET /api/v3/anytime/SLAPolicies/{id}", "POST /api/v3/anytime/SLAPolicies", "PUT /api/v3/anytime/SLAPolicies/{id}",
        "DELETE /api/v3/anytime/SLAPolicies/{id}", "PUT /api/v3/anytime/SLAPolicies/{id}/sort", "GET /api/v3/anytime/workingTime",
        "PUT /api/v3/anytime/workingTime", "GET /api/v3/anytime/holidays", "GET /api/v3/anytime/holidays/{id}",
        "POST /api/v3/anytime/holidays", "PUT /api/v3/anytime/holidays/{id}", "DELETE /api/v3/anytime/holidays/{id}",
        "GET /api/v3/anytime/fields", "GET /api/v3/anytime/fields/{id}", "POST /api/v3/anytime/fields",
        "PUT /api/v3/anytime/fields/{id}", "DELETE /api/v3/anytime/fields/{id}", "PUT /api/v3/anytime/fields/mapping",
        "GET /api/v3/anytime/blockedSenders", "GET /api/v3/anytime/blockedSenders/{id}", "PUT /api/v3/anytime/blockedSenders",
        "DELETE /api/v3/anytime/blockedSenders", "GET /api/v3/anytime/junks", "GET /api/v3/anytime/junks/{id}",
        "PUT /api/v3/anytime/junks/{id}", "POST /api/v3/anytime/junks/{id}/notJunk", "DELETE /api/v3/anytime/junks/{id}",
        "GET /api/v3/anytime/channelAccounts", "POST /api/v3/anytime/channelAccounts", "PUT /api/v3/anytime/channelAccounts/{id}",
        "DELETE /api/v3/anytime/channelAccounts/{id}", "GET /api/v3/anytime/channels", "GET /api/v3/anytime/reports/realtime/now",
        "GET /api/v3/anytime/reports/realtime/bytime", "GET /api/v3/anytime/reports/realtime/departments",
        "GET /api/v3/anytime/reports/realtime/agents",
        "GET /api/v3/anytime/reports/volume/export", "GET /api/v3/anytime/reports/volume", "GET /api/v3/anytime/reports/channel/export",
        "GET /api/v3/anytime/reports/channel", "GET /api/v3/anytime/reports/efficiency/export", "GET /api/v3/anytime/reports/efficiency",
        "GET /api/v3/anytime/reports/sla/export", "GET /api/v3/anytime/reports/sla",
    ]

    @Test("Every one of seed 000's 110 operations and Ticketing attach is served and documented")
    func seedCoverage() {
        #expect(Self.seedOperations.count == 110 && Set(Self.seedOperations).count == 110)
        let missing = Self.seedOperations.filter { !Self.served.contains($0) }
        #expect(missing.isEmpty, "not served: \(missing)")
        #expect(Self.served.contains("POST /ticketing/ticket/{id}/messages:attach"))
    }

    @Test("Readiness names livechat-config when it cannot be reached; every served operation is in /openapi.json and nothing else")
    func platformRoutes() async throws {
        let port = TestConfiguration.refusingPort
        let app = try await buildApplication(
            reader: TestConfiguration.reader(["peers.livechatConfig.url": .init(.string("http://127.0.0.1:\(port)"), isSecret: false)]))
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains("livechat-config"))
            let document = try ServiceChecks.documentedRoutes(try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(
                document
                    == Self.served.union([
                        "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "POST /internal/sites/{siteId}/contactTicketMessages",
                        "GET /api/v3/anytime/attachments/{guid}/download",
                    ]))
        }
    }
}

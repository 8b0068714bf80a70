import Foundation
import HTTPTypes
import Testing

/// The status history the reports read (decision 280) in the order things happened, when a contact's change in the
/// portal fires a trigger that changes the status again.
@Suite("Portal status changes and the triggers they fire, in the reports")
struct PortalStatusHistoryTests {
    @Test("A contact closes in the portal and a trigger reopens it: the reports see one close and one reopen")
    func closeThenTriggerReopens() async throws {
        try await ConversationIncludeTests.run { conversation, outreach in
            let contact = try await ConversationIncludeTests.call(
                outreach, .post, "/contact/contacts",
                #"{"name": "Ada", "contactIdentities": [{"contactIdentityType": "SMS", "value": "+15550100077"}]}"#)
            let contactId = try #require(contact["id"] as? String)
            try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/triggers",
                #"{"description": "Reopen closed", "event": "conversationStatusChanged", "conditions": {"when": "all", "list": [{"fieldId": "status", "matchType": "is", "value": "closed"}]}, "ifSetValue": true, "autoUpdate": [{"fieldId": "status", "value": "pendingInternal"}]}"#
            )
            let submitted = try await ConversationIncludeTests.call(
                conversation, .post, "/api/v3/anytime/portalConversations",
                #"{"subject": "Broken", "contactId": "\#(contactId)", "message": {"contents": [{"type": "text", "text": "Hi"}]}}"#)
            let id = try #require(submitted["id"] as? Int)
            let closed = try await ConversationIncludeTests.call(
                conversation, .put, "/api/v3/anytime/portalConversations/\(id)/close", #"{"contactId": "\#(contactId)"}"#)
            #expect(closed["isClosed"] as? Bool == false, "the trigger reopened it: \(closed)")
            let seen = try await ConversationIncludeTests.call(conversation, .get, "/api/v3/anytime/conversations/\(id)")
            #expect(seen["status"] as? String == "pendingInternal")
            let today = try await ConversationIncludeTests.call(conversation, .get, "/api/v3/anytime/reports/realtime/bytime?days=1")
            #expect(today["resolvedConversations"] as? Int == 1, "\(today)")
            #expect(today["reopenedConversations"] as? Int == 1, "\(today)")
        }
    }
}

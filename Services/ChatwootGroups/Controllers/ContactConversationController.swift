import Hummingbird
import ServiceKit
import WireModels

extension ChatwootContactConversations: ResponseEncodable {}

/// A contact's conversations (`/api/v1/accounts/{account_id}/contacts/{id}/conversations`), rendered as the
/// conversation list renders them; agents see those of their inboxes only.
struct ContactConversationController {
    let access: ChatwootAccess
    let conversations: ConversationSQLRepository

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Contacts").get(
            "/{account_id}/contacts/{id}/conversations", "Contact Conversations", returns: ChatwootContactConversations.self, use: self.list)
    }

    /// The contact's newest 20 conversations the caller may see.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootContactConversations {
        let caller = try await self.access.member(context)
        let rows = try await self.conversations.conversations(ofContact: try ChatwootAccess.id(context, "id"), caller)
        return ChatwootContactConversations(payload: try await self.conversations.render(rows))
    }
}

import Hummingbird
import ServiceKit
import WireModels

extension ConversationController {
    /// The swagger's `GET /accounts/{account_id}/conversations/{conversation_id}/messages` (tag `Conversation`, without
    /// `/api/v1`): Chatwoot has no such route; it is served as the messages list it documents (decision 348).
    func addSwaggerMessagesRoute(to root: Endpoints<AuthenticatedContext>) {
        root.tagged("Conversation").get(
            "/{account_id}/conversations/{conversation_id}/messages", "Get messages from a conversation", returns: ChatwootMessageList.self,
            query: [
                QueryParameter("before", "Messages before this id (20)", .integer), QueryParameter("after", "Messages after this id (100)", .integer),
            ], use: self.listMessages)
    }
}

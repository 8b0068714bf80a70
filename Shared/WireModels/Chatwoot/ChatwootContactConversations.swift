/// `GET /contacts/{id}/conversations` (swagger `contact_conversations_response`): the contact's conversations as the
/// conversation list renders them.
public struct ChatwootContactConversations: Codable, Sendable, Equatable {
    public var payload: [ChatwootConversation]

    public init(payload: [ChatwootConversation]) {
        self.payload = payload
    }
}

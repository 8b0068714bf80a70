import WireModels

/// The internal calls outreach-contact makes to conversation (ARCHITECTURE §3).
public struct ConversationClient: Sendable {
    public let client: InternalClient

    public init(client: InternalClient) { self.client = client }

    /// Puts `message` onto a ticket of its contact and answers the ticket's id; 503 naming conversation when it
    /// cannot be reached or refuses.
    public func attach(_ message: ContactTicketMessage, site: String) async throws -> Int {
        let path = "/internal/sites/\(site)/contactTicketMessages"
        guard let answer = try await self.client.post(path, message, as: ContactTicketAnswer.self) else {
            throw self.client.unavailable("answered 404 to POST \(path)")
        }
        return answer.ticketId
    }
}

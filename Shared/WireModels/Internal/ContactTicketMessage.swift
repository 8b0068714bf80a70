/// `POST /internal/sites/{siteId}/contactTicketMessages` on conversation: outreach-contact puts a sent outreach
/// message onto a ticket of its contact (outreach-contact spec §5.6, auto-attach `whenTheMessageIsSent`).
public struct ContactTicketMessage: Codable, Sendable, Equatable {
    /// The outreach contact the ticket is about.
    public var contactId: String
    /// `newTicket` (a ticket of its own) or `existing` (the contact's latest open ticket, or a new one).
    public var preferredTicket: String
    /// The subject of a ticket opened for it.
    public var subject: String
    /// The message, as `POST /ticketing/ticket/{id}/messages:attach` takes it; its `originalId` makes the call
    /// idempotent: sent again, it answers the ticket it already landed on.
    public var message: TicketMessageInput

    public init(contactId: String, preferredTicket: String, subject: String, message: TicketMessageInput) {
        self.contactId = contactId
        self.preferredTicket = preferredTicket
        self.subject = subject
        self.message = message
    }
}

/// The ticket a ``ContactTicketMessage`` landed on.
public struct ContactTicketAnswer: Codable, Sendable, Equatable {
    public var ticketId: Int

    public init(ticketId: Int) { self.ticketId = ticketId }
}

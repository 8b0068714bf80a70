import Foundation

/// An outreach message (seed 002 "OutreachMessage Object", L1447–L1467) as the server writes it, with the examples'
/// `channel` and the list filter's `campaignRecordId` (spec §6 #17–#18): times ISO 8601 in UTC, `failedReason` `""`
/// when there is none, members that are unset written as `null`.
public struct Comm100OutreachMessage: Codable, Sendable, Equatable {
    public var id: String
    public var sentTime: String
    public var channel: String
    public var channelAccountId: String
    public var contactId: String
    public var message: String
    public var from: String
    public var to: String
    public var status: String
    public var failedReason: String
    public var campaignId: String?
    public var campaignRecordId: String?
    public var campaignSentTime: String?
    public var isMessageAutoAttachedToTicket: Bool
    public var preferredTicketToAutoAttach: String
    public var timeToAutoAttachToTicket: String
    /// The ticket's id as text (tickets have integer ids; spec §6 #27).
    public var attachedToTicketId: String?
    public var callbackURL: String?

    public init(
        id: String, sentTime: String, channel: String, channelAccountId: String, contactId: String, message: String, from: String, to: String,
        status: String, failedReason: String, campaignId: String?, campaignRecordId: String?, campaignSentTime: String?,
        isMessageAutoAttachedToTicket: Bool, preferredTicketToAutoAttach: String, timeToAutoAttachToTicket: String, attachedToTicketId: String?,
        callbackURL: String?
    ) {
        self.id = id
        self.sentTime = sentTime
        self.channel = channel
        self.channelAccountId = channelAccountId
        self.contactId = contactId
        self.message = message
        self.from = from
        self.to = to
        self.status = status
        self.failedReason = failedReason
        self.campaignId = campaignId
        self.campaignRecordId = campaignRecordId
        self.campaignSentTime = campaignSentTime
        self.isMessageAutoAttachedToTicket = isMessageAutoAttachedToTicket
        self.preferredTicketToAutoAttach = preferredTicketToAutoAttach
        self.timeToAutoAttachToTicket = timeToAutoAttachToTicket
        self.attachedToTicketId = attachedToTicketId
        self.callbackURL = callbackURL
    }

    enum CodingKeys: String, CodingKey {
        case id, sentTime, channel, channelAccountId, contactId, message, from, to, status, failedReason, campaignId, campaignRecordId
        case campaignSentTime, isMessageAutoAttachedToTicket, preferredTicketToAutoAttach, timeToAutoAttachToTicket, attachedToTicketId
        case callbackURL
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try self.encodeMembers(into: &container)
    }

    func encodeMembers(into container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(self.id, forKey: .id)
        try container.encode(self.sentTime, forKey: .sentTime)
        try container.encode(self.channel, forKey: .channel)
        try container.encode(self.channelAccountId, forKey: .channelAccountId)
        try container.encode(self.contactId, forKey: .contactId)
        try container.encode(self.message, forKey: .message)
        try container.encode(self.from, forKey: .from)
        try container.encode(self.to, forKey: .to)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.failedReason, forKey: .failedReason)
        try container.encode(self.campaignId, forKey: .campaignId)
        try container.encode(self.campaignRecordId, forKey: .campaignRecordId)
        try container.encode(self.campaignSentTime, forKey: .campaignSentTime)
        try container.encode(self.isMessageAutoAttachedToTicket, forKey: .isMessageAutoAttachedToTicket)
        try container.encode(self.preferredTicketToAutoAttach, forKey: .preferredTicketToAutoAttach)
        try container.encode(self.timeToAutoAttachToTicket, forKey: .timeToAutoAttachToTicket)
        try container.encode(self.attachedToTicketId, forKey: .attachedToTicketId)
        try container.encode(self.callbackURL, forKey: .callbackURL)
    }
}

/// The Outreach Callback (L661–L697): the message as it now is, plus its site as a string (`"siteId": "10000"`).
public struct Comm100OutreachCallback: Codable, Sendable, Equatable {
    public var siteId: String
    public var message: Comm100OutreachMessage

    public init(siteId: String, message: Comm100OutreachMessage) {
        self.siteId = siteId
        self.message = message
    }

    enum SiteKey: String, CodingKey { case siteId }

    public init(from decoder: any Decoder) throws {
        self.siteId = try decoder.container(keyedBy: SiteKey.self).decode(String.self, forKey: .siteId)
        self.message = try Comm100OutreachMessage(from: decoder)
    }

    /// One flat object: `siteId` beside the message's members.
    public func encode(to encoder: any Encoder) throws {
        var site = encoder.container(keyedBy: SiteKey.self)
        try site.encode(self.siteId, forKey: .siteId)
        try self.message.encode(to: encoder)
    }
}

/// `POST /outreach/messages` and `PUT /outreach/messages/{id}` (L522–L659): members in any case, booleans as the seed
/// writes them. Which members a request must hold is the route's to decide.
public struct Comm100OutreachMessageInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var sentTime: String?
    public var channel: String?
    public var channelAccountId: String?
    public var contactId: String?
    public var message: String?
    public var from: String?
    public var to: String?
    public var status: String?
    public var failedReason: String?
    public var campaignId: String?
    public var campaignRecordId: String?
    public var campaignSentTime: String?
    public var isMessageAutoAttachedToTicket: Bool?
    public var preferredTicketToAutoAttach: String?
    public var timeToAutoAttachToTicket: String?
    public var attachedToTicketId: String?
    public var callbackURL: String?

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.sentTime = try members.decode(String.self, "sentTime")
        self.channel = try members.decode(String.self, "channel")
        self.channelAccountId = try members.decode(String.self, "channelAccountId")
        self.contactId = try members.decode(String.self, "contactId")
        self.message = try members.decode(String.self, "message")
        self.from = try members.decode(OutreachText.self, "from")?.value
        self.to = try members.decode(OutreachText.self, "to")?.value
        self.status = try members.decode(String.self, "status")
        self.failedReason = try members.decode(String.self, "failedReason")
        self.campaignId = try members.decode(String.self, "campaignId")
        self.campaignRecordId = try members.decode(String.self, "campaignRecordId")
        self.campaignSentTime = try members.decode(String.self, "campaignSentTime")
        self.isMessageAutoAttachedToTicket = try members.decode(OutreachBool.self, "isMessageAutoAttachedToTicket")?.value
        self.preferredTicketToAutoAttach = try members.decode(String.self, "preferredTicketToAutoAttach")
        self.timeToAutoAttachToTicket = try members.decode(String.self, "timeToAutoAttachToTicket", "timeToAutoCreateNewTicket")
        self.attachedToTicketId = try members.decode(OutreachText.self, "attachedToTicketId")?.value
        self.callbackURL = try members.decode(String.self, "callbackURL")
    }
}

/// A page of messages (L414–L440).
public struct Comm100OutreachMessagePage: Codable, Sendable, Equatable {
    public var messages: [Comm100OutreachMessage]
    public var previousPage: String?
    public var nextPage: String?
    public var total: Int

    public init(messages: [Comm100OutreachMessage], previousPage: String?, nextPage: String?, total: Int) {
        self.messages = messages
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case messages, previousPage, nextPage, total
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.messages, forKey: .messages)
        try container.encode(self.previousPage, forKey: .previousPage)
        try container.encode(self.nextPage, forKey: .nextPage)
        try container.encode(self.total, forKey: .total)
    }
}

/// `GET /outreach/unattachedMessages/` (L444–L483): the messages only, no page members.
public struct Comm100OutreachMessageList: Codable, Sendable, Equatable {
    public var messages: [Comm100OutreachMessage]

    public init(messages: [Comm100OutreachMessage]) { self.messages = messages }
}

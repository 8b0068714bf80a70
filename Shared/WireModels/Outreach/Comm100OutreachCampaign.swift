import Foundation

/// An outreach campaign (seed 002 "OutreachCampaign Object", L1408–L1425) as the server writes it: booleans as JSON
/// booleans, `scheduledStartTime` ISO 8601 in UTC or `null` (spec §2.9–§2.10), the seed's `contactFilterLogicalExpresssion`
/// (three s) as the wire name (§6 #8).
public struct Comm100OutreachCampaign: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var channel: String
    public var channelAccountId: String
    public var message: String
    public var isMessageAutoAttachedToTicket: Bool
    public var preferredTicketToAutoAttach: String
    public var timeToAutoAttachToTicket: String
    public var contactFilterConditionMetType: String
    public var contactFilterLogicalExpresssion: String
    public var contactFilterConditions: [Comm100OutreachFilterCondition]
    public var scheduledStartTime: String?

    public init(
        id: String, name: String, description: String, channel: String, channelAccountId: String, message: String,
        isMessageAutoAttachedToTicket: Bool, preferredTicketToAutoAttach: String, timeToAutoAttachToTicket: String,
        contactFilterConditionMetType: String, contactFilterLogicalExpresssion: String, contactFilterConditions: [Comm100OutreachFilterCondition],
        scheduledStartTime: String?
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.channel = channel
        self.channelAccountId = channelAccountId
        self.message = message
        self.isMessageAutoAttachedToTicket = isMessageAutoAttachedToTicket
        self.preferredTicketToAutoAttach = preferredTicketToAutoAttach
        self.timeToAutoAttachToTicket = timeToAutoAttachToTicket
        self.contactFilterConditionMetType = contactFilterConditionMetType
        self.contactFilterLogicalExpresssion = contactFilterLogicalExpresssion
        self.contactFilterConditions = contactFilterConditions
        self.scheduledStartTime = scheduledStartTime
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, channel, channelAccountId, message, isMessageAutoAttachedToTicket, preferredTicketToAutoAttach
        case timeToAutoAttachToTicket, contactFilterConditionMetType, contactFilterLogicalExpresssion, contactFilterConditions
        case scheduledStartTime
    }

    /// `scheduledStartTime` is written as `null` when unset, not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.description, forKey: .description)
        try container.encode(self.channel, forKey: .channel)
        try container.encode(self.channelAccountId, forKey: .channelAccountId)
        try container.encode(self.message, forKey: .message)
        try container.encode(self.isMessageAutoAttachedToTicket, forKey: .isMessageAutoAttachedToTicket)
        try container.encode(self.preferredTicketToAutoAttach, forKey: .preferredTicketToAutoAttach)
        try container.encode(self.timeToAutoAttachToTicket, forKey: .timeToAutoAttachToTicket)
        try container.encode(self.contactFilterConditionMetType, forKey: .contactFilterConditionMetType)
        try container.encode(self.contactFilterLogicalExpresssion, forKey: .contactFilterLogicalExpresssion)
        try container.encode(self.contactFilterConditions, forKey: .contactFilterConditions)
        try container.encode(self.scheduledStartTime, forKey: .scheduledStartTime)
    }
}

/// A campaign's contact filter condition as the server writes it (L1427–L1435 plus the examples' `id` and
/// `campaignId`, spec §6 #9): camelCase keys, the operator in the seed's spelling, `order` a number.
public struct Comm100OutreachFilterCondition: Codable, Sendable, Equatable {
    public var id: String
    public var campaignId: String
    public var fieldName: String
    public var `operator`: String
    public var value: String
    public var order: Int

    public init(id: String, campaignId: String, fieldName: String, operator: String, value: String, order: Int) {
        self.id = id
        self.campaignId = campaignId
        self.fieldName = fieldName
        self.operator = `operator`
        self.value = value
        self.order = order
    }
}

/// `POST /outreach/campaigns/` and `PUT /outreach/campaigns/{id}` (L163–L326): members in any case, booleans as the seed
/// writes them (`"yes"`), the misnamed `timeToAutoCreateNewTicket` (L148) and the corrected `…Expression` read as aliases
/// (spec §6 #7–#8). `scheduledStartTime` `""` is read as absent-and-cleared: `clearsScheduledStartTime` tells them apart.
public struct Comm100OutreachCampaignInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var description: String?
    public var channel: String?
    public var channelAccountId: String?
    public var message: String?
    public var isMessageAutoAttachedToTicket: Bool?
    public var preferredTicketToAutoAttach: String?
    public var timeToAutoAttachToTicket: String?
    public var contactFilterConditionMetType: String?
    public var contactFilterLogicalExpression: String?
    public var contactFilterConditions: [Comm100ContactFilterCondition]?
    /// The text as sent; nil when the member is absent.
    public var scheduledStartTime: String?
    /// Whether the body names `scheduledStartTime` (as `null` or `""` too), so a PUT can clear it.
    public var namesScheduledStartTime: Bool

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.name = try members.decode(String.self, "name")
        self.description = try members.decode(String.self, "description")
        self.channel = try members.decode(String.self, "channel")
        self.channelAccountId = try members.decode(String.self, "channelAccountId")
        self.message = try members.decode(String.self, "message")
        self.isMessageAutoAttachedToTicket = try members.decode(OutreachBool.self, "isMessageAutoAttachedToTicket")?.value
        self.preferredTicketToAutoAttach = try members.decode(String.self, "preferredTicketToAutoAttach")
        self.timeToAutoAttachToTicket = try members.decode(String.self, "timeToAutoAttachToTicket", "timeToAutoCreateNewTicket")
        self.contactFilterConditionMetType = try members.decode(String.self, "contactFilterConditionMetType")
        self.contactFilterLogicalExpression = try members.decode(
            String.self, "contactFilterLogicalExpresssion", "contactFilterLogicalExpression")
        self.contactFilterConditions = try members.decode([Comm100ContactFilterCondition].self, "contactFilterConditions")
        self.scheduledStartTime = try members.decode(String.self, "scheduledStartTime")
        self.namesScheduledStartTime = members.contains("scheduledStartTime")
    }
}

/// A page of campaigns (L95–L119).
public struct Comm100OutreachCampaignPage: Codable, Sendable, Equatable {
    public var campaigns: [Comm100OutreachCampaign]
    public var previousPage: String?
    public var nextPage: String?
    public var total: Int

    public init(campaigns: [Comm100OutreachCampaign], previousPage: String?, nextPage: String?, total: Int) {
        self.campaigns = campaigns
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case campaigns, previousPage, nextPage, total
    }

    /// Page links are written as `null` at the edges (L116).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.campaigns, forKey: .campaigns)
        try container.encode(self.previousPage, forKey: .previousPage)
        try container.encode(self.nextPage, forKey: .nextPage)
        try container.encode(self.total, forKey: .total)
    }
}

/// One `:send` of a campaign (L1437–L1444): its own id, when it was sent, and the campaign as it was then.
public struct Comm100OutreachCampaignRecord: Codable, Sendable, Equatable {
    public var id: String
    public var sentTime: String
    public var campaign: Comm100OutreachCampaign

    public init(id: String, sentTime: String, campaign: Comm100OutreachCampaign) {
        self.id = id
        self.sentTime = sentTime
        self.campaign = campaign
    }
}

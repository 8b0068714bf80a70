import Foundation

/// An outbound message (seed 002 "OutboundMessage object", L1532–L1546; spec §4.10): the answer of
/// `POST /outboundunichannel/messages/` and the body of the unichannel callback (L1327–L1353). Every member is sent
/// (spec §6 #55): `originMessageid` is the carrier's id (`""` until the carrier has accepted the message),
/// `channelCarrier` is the carrier it goes through, `sentTime` is ISO 8601 UTC with milliseconds once handed over.
public struct Comm100OutboundMessage: Codable, Sendable, Equatable {
    public var id: String
    public var originMessageid: String
    public var channelAccountId: String
    public var channelCarrier: String
    public var contactId: String?
    public var message: String
    public var attachments: [Comm100Attachment]
    public var to: String
    /// `queued`, `sending`, `sent`, `failed`, `delivered` or `undelivered`.
    public var status: String
    /// `""` unless `failed` or `undelivered`.
    public var failedReason: String
    public var callbackURL: String?
    public var sentTime: String?

    public init(
        id: String, originMessageid: String, channelAccountId: String, channelCarrier: String, contactId: String?, message: String,
        attachments: [Comm100Attachment], to: String, status: String, failedReason: String, callbackURL: String?, sentTime: String?
    ) {
        self.id = id
        self.originMessageid = originMessageid
        self.channelAccountId = channelAccountId
        self.channelCarrier = channelCarrier
        self.contactId = contactId
        self.message = message
        self.attachments = attachments
        self.to = to
        self.status = status
        self.failedReason = failedReason
        self.callbackURL = callbackURL
        self.sentTime = sentTime
    }
}

/// An attachment of an outbound message (L1548–L1556): `type` one of `video`, `audio`, `image`, `file`; `url` where it
/// is downloaded. Members are read in any case.
public struct Comm100Attachment: Codable, Sendable, Equatable {
    public var type: String
    public var url: String
    public var size: Int?
    public var name: String?

    public init(type: String, url: String, size: Int? = nil, name: String? = nil) {
        self.type = type
        self.url = url
        self.size = size
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.type = try members.decode(String.self, "type") ?? ""
        self.url = try members.decode(String.self, "url") ?? ""
        self.size = try members.decode(OutreachInt.self, "size")?.value
        self.name = try members.decode(String.self, "name")
    }

    enum CodingKeys: String, CodingKey {
        case type, url, size, name
    }
}

/// `POST /outboundunichannel/messages/` (L1282–L1325): what the client sends, members in any case; checked by the
/// service (spec §5.5), so everything is optional here and a missing member is a 400 naming it.
public struct Comm100OutboundMessageInput: Decodable, Sendable, Equatable {
    public var channelAccountId: String?
    /// `twilio` or `telnyxsms` (typed Guid in the table, L1291; spec §6 #51).
    public var channelCarrier: String?
    public var contactId: String?
    public var to: String?
    public var message: String?
    public var attachments: [Comm100Attachment]?
    public var callbackURL: String?

    public init(
        channelAccountId: String?, channelCarrier: String? = nil, contactId: String? = nil, to: String?, message: String?,
        attachments: [Comm100Attachment]? = nil, callbackURL: String? = nil
    ) {
        self.channelAccountId = channelAccountId
        self.channelCarrier = channelCarrier
        self.contactId = contactId
        self.to = to
        self.message = message
        self.attachments = attachments
        self.callbackURL = callbackURL
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.channelAccountId = try members.decode(String.self, "channelAccountId")
        self.channelCarrier = try members.decode(String.self, "channelCarrier")
        self.contactId = try members.decode(String.self, "contactId")
        // A number written without quotes is still a number to send to.
        self.to = try members.decode(OutreachText.self, "to")?.value
        self.message = try members.decode(String.self, "message")
        self.attachments = try members.decode([Comm100Attachment].self, "attachments")
        self.callbackURL = try members.decode(String.self, "callbackURL")
    }
}

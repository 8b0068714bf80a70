import Foundation

/// A channel account (Switchboard extension: the seed refers to `channelAccountId` but defines no registry, spec
/// §6 #65): the number a site sends SMS from and the carrier it sends through. Its carrier credentials are never
/// sent back: `credentialsSet` names the members that are stored. `callbackSecret` signs the unichannel callbacks
/// of its messages (Standard Webhooks), so receivers can check them.
public struct Comm100ChannelAccount: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// `sms`.
    public var channel: String
    /// `twilio` or `telnyxsms`.
    public var carrier: String
    /// The E.164 number (or a Twilio Messaging Service SID) messages are sent from.
    public var from: String
    public var credentialsSet: [String]
    public var callbackSecret: String
    public var createTime: String
    public var lastUpdatedTime: String

    public init(
        id: String, name: String, channel: String, carrier: String, from: String, credentialsSet: [String], callbackSecret: String,
        createTime: String, lastUpdatedTime: String
    ) {
        self.id = id
        self.name = name
        self.channel = channel
        self.carrier = carrier
        self.from = from
        self.credentialsSet = credentialsSet
        self.callbackSecret = callbackSecret
        self.createTime = createTime
        self.lastUpdatedTime = lastUpdatedTime
    }
}

/// `POST` and `PUT /outboundunichannel/channelAccounts`: members in any case; on `PUT`, members left out keep their
/// value, and credential members left out keep theirs.
public struct Comm100ChannelAccountInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var channel: String?
    public var carrier: String?
    public var from: String?
    public var credentials: Comm100CarrierCredentialsInput?
    public var callbackSecret: String?

    public init(
        name: String?, channel: String? = "sms", carrier: String?, from: String?, credentials: Comm100CarrierCredentialsInput?,
        callbackSecret: String? = nil
    ) {
        self.name = name
        self.channel = channel
        self.carrier = carrier
        self.from = from
        self.credentials = credentials
        self.callbackSecret = callbackSecret
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.name = try members.decode(String.self, "name")
        self.channel = try members.decode(String.self, "channel")
        self.carrier = try members.decode(String.self, "carrier", "channelCarrier")
        self.from = try members.decode(OutreachText.self, "from")?.value
        self.credentials = try members.decode(Comm100CarrierCredentialsInput.self, "credentials")
        self.callbackSecret = try members.decode(String.self, "callbackSecret")
    }
}

/// A carrier's credentials as an administrator writes them. Twilio: `accountSID` and `authToken`. Telnyx: `apiKey`,
/// `webhookPublicKey` (base64 of the Ed25519 key Telnyx signs webhooks with) and optionally `messagingProfileID`.
public struct Comm100CarrierCredentialsInput: Decodable, Sendable, Equatable {
    public var accountSID: String?
    public var authToken: String?
    public var apiKey: String?
    public var messagingProfileID: String?
    public var webhookPublicKey: String?

    public init(
        accountSID: String? = nil, authToken: String? = nil, apiKey: String? = nil, messagingProfileID: String? = nil,
        webhookPublicKey: String? = nil
    ) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.apiKey = apiKey
        self.messagingProfileID = messagingProfileID
        self.webhookPublicKey = webhookPublicKey
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.accountSID = try members.decode(String.self, "accountSID")
        self.authToken = try members.decode(String.self, "authToken")
        self.apiKey = try members.decode(String.self, "apiKey")
        self.messagingProfileID = try members.decode(String.self, "messagingProfileID")
        self.webhookPublicKey = try members.decode(String.self, "webhookPublicKey")
    }
}

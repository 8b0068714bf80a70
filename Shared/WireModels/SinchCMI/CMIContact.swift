// Sinch CMI contacts: `GET /contacts`, `GET /contacts/{contactId}` (seed 004 L1415–L1705; notes `spec/sinch-cmi.md`
// §4.11, §5.1–§5.6). Remarks (`/contacts/{id}/remarks`) are `text/plain` and have no wire type.
//
// XML (docs/cmi-xml.md): one contact is `<contact>`, a list is `<contacts><contact>…</contact>…</contacts>`. Field
// elements carry the JSON names (all camelCase: `contactGroupId`, `typeDetails`, `arrivalTime`, …);
// `requiredAgent` nests as `<requiredAgent><id>…</id><name>…</name><type>…</type>…</requiredAgent>`. No arrays.

/// A phone call, chat or email in the normalised contacts view (seed L1497–L1548, L1622–L1673).
public struct CMIContact: Codable, Sendable, Equatable {
    public static let xmlRootName = "contact"
    public static let xmlListRootName = "contacts"

    /// 32 upper-case hex characters; changes when the contact is transferred.
    public var id: String
    /// 32 to 36 characters; stays the same across transfers (hyphenated for chats and emails per the seed, as
    /// stored otherwise; notes §6 A16).
    public var contactGroupId: String
    public var channel: CMIContactChannel
    public var type: CMIContactType
    /// The original type from the database that answered, e.g. `IVR`, `ChatIn Text`, `EMAILIN`, `EMAIL`.
    public var typeDetails: String
    /// Chats only. The seed lists text, video, sms, facebook, wechat, whatsapp, but chats take any sub type
    /// (`telegram`, seed L664), so this passes any value through (notes §6 A13).
    public var subtype: String?
    public var status: CMIContactStatus
    /// The original status from the database that answered, e.g. `Handled_AOT`, `InProcess`, `Open`.
    public var statusDetails: String
    /// A phone number or email address.
    public var source: String
    /// A phone number or email address.
    public var destination: String
    /// Left out when there is no agent.
    public var agentId: String?
    public var agentName: String?
    /// The queue the contact was created in; left out when there is none.
    public var queueId: String?
    public var queueName: String?
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (one example has no milliseconds), kept as text.
    public var arrivalTime: String
    /// Left out while the contact has not ended.
    public var disconnectTime: String?
    /// Milliseconds from `arrivalTime` to `disconnectTime` or to now.
    public var totalDuration: Int
    /// `true` for a phone call with a recording, otherwise left out (never `false`; notes §6 A34).
    public var record: Bool?
    /// `true` when the contact has a script result, otherwise left out.
    public var script: Bool?
    /// The email or chat subject.
    public var subject: String?
    /// The required or preferred agent of a queuing or pending contact.
    public var requiredAgent: CMIRequiredAgent?
    /// `statistics=true` only: when an agent was connected; left out if never connected.
    public var connectTime: String?
    /// `statistics=true` only: milliseconds from arrival to connect, disconnect or now.
    public var waitingDuration: Int?
    /// `statistics=true` only: milliseconds from connect to disconnect or now.
    public var handlingDuration: Int?
    /// `statistics=true` only: milliseconds from disconnect to the end of wrap-up or now.
    public var wrapUpTotalDuration: Int?

    public init(
        id: String,
        contactGroupId: String,
        channel: CMIContactChannel,
        type: CMIContactType,
        typeDetails: String,
        subtype: String? = nil,
        status: CMIContactStatus,
        statusDetails: String,
        source: String,
        destination: String,
        agentId: String? = nil,
        agentName: String? = nil,
        queueId: String? = nil,
        queueName: String? = nil,
        arrivalTime: String,
        disconnectTime: String? = nil,
        totalDuration: Int,
        record: Bool? = nil,
        script: Bool? = nil,
        subject: String? = nil,
        requiredAgent: CMIRequiredAgent? = nil,
        connectTime: String? = nil,
        waitingDuration: Int? = nil,
        handlingDuration: Int? = nil,
        wrapUpTotalDuration: Int? = nil
    ) {
        self.id = id
        self.contactGroupId = contactGroupId
        self.channel = channel
        self.type = type
        self.typeDetails = typeDetails
        self.subtype = subtype
        self.status = status
        self.statusDetails = statusDetails
        self.source = source
        self.destination = destination
        self.agentId = agentId
        self.agentName = agentName
        self.queueId = queueId
        self.queueName = queueName
        self.arrivalTime = arrivalTime
        self.disconnectTime = disconnectTime
        self.totalDuration = totalDuration
        self.record = record
        self.script = script
        self.subject = subject
        self.requiredAgent = requiredAgent
        self.connectTime = connectTime
        self.waitingDuration = waitingDuration
        self.handlingDuration = handlingDuration
        self.wrapUpTotalDuration = wrapUpTotalDuration
    }

    enum CodingKeys: String, CodingKey {
        case id
        case contactGroupId
        case channel
        case type
        case typeDetails
        case subtype
        case status
        case statusDetails
        case source
        case destination
        case agentId
        case agentName
        case queueId
        case queueName
        case arrivalTime
        case disconnectTime
        case totalDuration
        case record
        case script
        case subject
        case requiredAgent
        case connectTime
        case waitingDuration
        case handlingDuration
        case wrapUpTotalDuration
    }
}

/// The channel of a contact (seed L1500).
public enum CMIContactChannel: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case phone = "PHONE"
    case chat = "CHAT"
    case email = "EMAIL"
}

/// The normalised type of a contact (seed L1501).
public enum CMIContactType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case callIn = "CallIn"
    case callOut = "CallOut"
    case chatIn = "ChatIn"
    case chatOut = "ChatOut"
    case emailIn = "EmailIn"
    case emailOut = "EmailOut"
}

/// The normalised status of a contact (seed L1506).
public enum CMIContactStatus: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case pending = "Pending"
    case inQueue = "InQueue"
    case inProcess = "InProcess"
    case handled = "Handled"
    case abandoned = "Abandoned"
}

/// The required or preferred agent of a queuing or pending contact (seed L1530–L1539).
public struct CMIRequiredAgent: Codable, Sendable, Equatable {
    public static let requiredType = 1
    public static let preferredType = 2

    public var id: String
    public var name: String
    /// `1` for a required agent, `2` for a preferred one (a number in the seed).
    public var type: Int
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var expirationTime: String?

    public init(id: String, name: String, type: Int, expirationTime: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.expirationTime = expirationTime
    }

    enum CodingKeys: String, CodingKey {
        case id
        case name
        case type
        case expirationTime
    }
}

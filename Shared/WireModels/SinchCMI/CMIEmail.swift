// Sinch CMI emails: `GET /emails`, `GET /emails/{emailId}` (seed 004 L12–L340; notes `spec/sinch-cmi.md` §4.1–§4.4).
//
// XML (docs/cmi-xml.md; notes §6.2, no XML in the seed itself): one email is `<email>`, a list is
// `<emails><email>…</email>…</emails>`. Every field is a child element named exactly as the JSON field
// (`from_queue`, `channel_type`, `case_id`, `mime_type`, …). The arrays `attachments`, `to_address`,
// `cc_address` and `bcc_address` have no wrapper: each item is one repeated element named after the field,
// e.g. `<attachments><id>…</id><filename>…</filename>…</attachments><attachments>…</attachments>`.
// Objects nest as elements: `<from_queue><id>…</id><name>…</name></from_queue>`,
// `<from_address><name>…</name><address>…</address></from_address>`.

/// An email as `GET /emails` and `GET /emails/{emailId}` return it (seed L39–L89, L224–L274).
public struct CMIEmail: Codable, Sendable, Equatable {
    public static let xmlRootName = "email"
    public static let xmlListRootName = "emails"

    /// 32 upper-case hex characters.
    public var id: String
    /// The queue the email belongs to.
    public var fromQueue: CMIQueueRef
    /// `email` in every example; a free string in the seed.
    public var channelType: String
    /// `inbound` or `outbound` in the examples; a free string in the seed.
    public var channelSubType: String
    /// Required in the seed, absent from its examples (notes §6 A10): optional here, always set by the service.
    public var type: CMIEmailType?
    /// The operative type: ACTION, EMAIL, EMAILOUT, TASK, OII_EMAIL, XRI. Required, absent from the examples.
    public var typeDetails: String?
    /// A free string in the seed (example `handled`, lower case; notes §6 A11).
    public var status: String
    /// The operative status: Deleted, Handled, Closed, Pending, Sent, Open, Forwarded. Required, absent from
    /// the examples.
    public var statusDetails: String?
    public var caseId: String?
    public var cid: String?
    /// The email subject.
    public var title: String
    /// The email body (HTML in the examples).
    public var content: String
    public var remarks: String?
    /// Attachment metadata only; the seed has no download endpoint.
    public var attachments: [CMIAttachmentInfo]?
    /// The source email address.
    public var originator: String
    /// The queue or recipient address.
    public var destination: String
    public var fromAddress: CMIEmailAddress
    public var toAddress: [CMIEmailAddress]
    public var ccAddress: [CMIEmailAddress]?
    public var bccAddress: [CMIEmailAddress]?
    /// Left out when no agent has handled the email ("Null value not returned").
    public var agentId: String?
    public var agentName: String?
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text so it round-trips exactly.
    public var dateCreated: String

    public init(
        id: String,
        fromQueue: CMIQueueRef,
        channelType: String,
        channelSubType: String,
        type: CMIEmailType? = nil,
        typeDetails: String? = nil,
        status: String,
        statusDetails: String? = nil,
        caseId: String? = nil,
        cid: String? = nil,
        title: String,
        content: String,
        remarks: String? = nil,
        attachments: [CMIAttachmentInfo]? = nil,
        originator: String,
        destination: String,
        fromAddress: CMIEmailAddress,
        toAddress: [CMIEmailAddress],
        ccAddress: [CMIEmailAddress]? = nil,
        bccAddress: [CMIEmailAddress]? = nil,
        agentId: String? = nil,
        agentName: String? = nil,
        dateCreated: String
    ) {
        self.id = id
        self.fromQueue = fromQueue
        self.channelType = channelType
        self.channelSubType = channelSubType
        self.type = type
        self.typeDetails = typeDetails
        self.status = status
        self.statusDetails = statusDetails
        self.caseId = caseId
        self.cid = cid
        self.title = title
        self.content = content
        self.remarks = remarks
        self.attachments = attachments
        self.originator = originator
        self.destination = destination
        self.fromAddress = fromAddress
        self.toAddress = toAddress
        self.ccAddress = ccAddress
        self.bccAddress = bccAddress
        self.agentId = agentId
        self.agentName = agentName
        self.dateCreated = dateCreated
    }

    enum CodingKeys: String, CodingKey {
        case id
        case fromQueue = "from_queue"
        case channelType = "channel_type"
        case channelSubType = "channel_sub_type"
        case type
        case typeDetails
        case status
        case statusDetails
        case caseId = "case_id"
        case cid
        case title
        case content
        case remarks
        case attachments
        case originator
        case destination
        case fromAddress = "from_address"
        case toAddress = "to_address"
        case ccAddress = "cc_address"
        case bccAddress = "bcc_address"
        case agentId
        case agentName
        case dateCreated = "date_created"
    }
}

/// The normalised email type (seed L45).
public enum CMIEmailType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case emailIn = "EmailIn"
    case emailOut = "EmailOut"
}

/// One attachment's metadata (seed L59–L65).
public struct CMIAttachmentInfo: Codable, Sendable, Equatable {
    public var id: String
    public var filename: String
    public var mimeType: String
    /// Bytes.
    public var size: Int
    /// Who attached the file. The seed's L65 sits between `size` and the email's own `originator` and is absent
    /// from every example (notes §6 A14): read as an optional attachment field.
    public var originator: CMIAttachmentOriginator?

    public init(id: String, filename: String, mimeType: String, size: Int, originator: CMIAttachmentOriginator? = nil) {
        self.id = id
        self.filename = filename
        self.mimeType = mimeType
        self.size = size
        self.originator = originator
    }

    enum CodingKeys: String, CodingKey {
        case id
        case filename
        case mimeType = "mime_type"
        case size
        case originator
    }
}

/// Who attached a file (seed L65: `one of customer, agent`).
public enum CMIAttachmentOriginator: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case customer
    case agent
}

/// A named email address (`from_address`, `to_address`, `cc_address`, `bcc_address`; seed L70–L84).
public struct CMIEmailAddress: Codable, Sendable, Equatable {
    /// Required in the seed but left out by most examples (`{"address": "Mr.Boss@Big.Company.corp"}`).
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    enum CodingKeys: String, CodingKey {
        case name
        case address
    }
}

/// A queue reference as emails and chats return it (`from_queue`; seed L40–L42, L600–L602).
public struct CMIQueueRef: Codable, Sendable, Equatable {
    /// 32 upper-case hex characters.
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id
        case name
    }
}

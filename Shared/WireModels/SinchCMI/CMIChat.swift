// Sinch CMI chats: `GET /chats`, `GET /chats/{chatId}` (output, `CMIChat`) and `POST /chats` (input, `CMINewChat`)
// (seed 004 L554–L949; notes `spec/sinch-cmi.md` §4.6–§4.7, §5.8).
//
// XML (docs/cmi-xml.md): one chat is `<chat>`, a list is `<chats><chat>…</chat>…</chats>`; the POST body uses the same
// root `<chat>` (notes §6.2). Field elements carry the JSON names (`channel_type`, `channel_sub_type`,
// `date_created`, `from_queue`, `system_message`, …). `participants` has no wrapper: each participant is a repeated
// `<participants><alias>…</alias><uniquekey>…</uniquekey></participants>` element. The transcript keeps the JSON
// nesting: `<transcript><messages>…</messages><messages>…</messages></transcript>`, one repeated `<messages>` element
// per transcript line.
//
// Transcript time: the schema says `timestamp`, most examples say `timeStamp` (notes §6 A8). Both decode (any
// capitalisation); only `timestamp` is ever encoded.

/// A chat as `GET /chats` and `GET /chats/{chatId}` return it (seed L585–L621, L786–L822).
public struct CMIChat: Codable, Sendable, Equatable {
    public static let xmlRootName = "chat"
    public static let xmlListRootName = "chats"

    public var id: String
    /// `chat` or `chatout`; a free string in the output schema.
    public var channelType: String
    /// e.g. `text`, `video`, `sms`, `whatsapp`; a free string in the seed.
    public var channelSubType: String
    /// Required in the seed, absent from its examples (notes §6 A10): optional here, always set by the service.
    public var type: CMIChatType?
    /// The operative type (`Chat`, `ChatOut`). Required, absent from the examples.
    public var typeDetails: String?
    /// Required, absent from the examples.
    public var status: CMIChatStatus?
    /// The operative status. Required, absent from the examples.
    public var statusDetails: String?
    /// The source address: a phone number or email address.
    public var originator: String
    /// A phone number or email address (the examples keep a leading space; stored verbatim, notes §6 A32).
    public var destination: String
    /// Not in the output schema, but `""` in every example (notes §6 A9); the service always sets it.
    public var title: String?
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var dateCreated: String
    public var fromQueue: CMIQueueRef
    /// Only when one chat is fetched.
    public var participants: [CMIChatParticipant]?
    /// Only when one chat is fetched.
    public var transcript: CMIChatTranscript?
    /// Left out when there is no agent.
    public var agentId: String?
    public var agentName: String?

    public init(
        id: String,
        channelType: String,
        channelSubType: String,
        type: CMIChatType? = nil,
        typeDetails: String? = nil,
        status: CMIChatStatus? = nil,
        statusDetails: String? = nil,
        originator: String,
        destination: String,
        title: String? = nil,
        dateCreated: String,
        fromQueue: CMIQueueRef,
        participants: [CMIChatParticipant]? = nil,
        transcript: CMIChatTranscript? = nil,
        agentId: String? = nil,
        agentName: String? = nil
    ) {
        self.id = id
        self.channelType = channelType
        self.channelSubType = channelSubType
        self.type = type
        self.typeDetails = typeDetails
        self.status = status
        self.statusDetails = statusDetails
        self.originator = originator
        self.destination = destination
        self.title = title
        self.dateCreated = dateCreated
        self.fromQueue = fromQueue
        self.participants = participants
        self.transcript = transcript
        self.agentId = agentId
        self.agentName = agentName
    }

    enum CodingKeys: String, CodingKey {
        case id
        case channelType = "channel_type"
        case channelSubType = "channel_sub_type"
        case type
        case typeDetails
        case status
        case statusDetails
        case originator
        case destination
        case title
        case dateCreated = "date_created"
        case fromQueue = "from_queue"
        case participants
        case transcript
        case agentId
        case agentName
    }
}

/// The normalised chat type (seed L588).
public enum CMIChatType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case chatIn = "ChatIn"
    case chatOut = "ChatOut"
}

/// The normalised chat status (seed L591).
public enum CMIChatStatus: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case inQueue = "InQueue"
    case inProcess = "InProcess"
    case handled = "Handled"
    case abandoned = "Abandoned"
}

/// One participant of a chat (seed L603–L607, L672–L674).
public struct CMIChatParticipant: Codable, Sendable, Equatable {
    /// The display name; may be `""` (the system participant).
    public var alias: String
    /// An address, or `Sinch Contact Center` for the system.
    public var uniquekey: String

    public init(alias: String, uniquekey: String) {
        self.alias = alias
        self.uniquekey = uniquekey
    }

    enum CodingKeys: String, CodingKey {
        case alias
        case uniquekey
    }
}

/// The `transcript` object of a chat: `{"messages": [...]}` (seed L608–L618).
public struct CMIChatTranscript: Codable, Sendable, Equatable {
    public var messages: [CMIChatTranscriptMessage]

    public init(messages: [CMIChatTranscriptMessage]) {
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case messages
    }
}

/// One transcript line of a stored chat; the seed's `ChatTranscript` item (seed L611–L617).
public struct CMIChatTranscriptMessage: Codable, Sendable, Equatable {
    public var message: String
    public var originator: String
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text. Decoded from `timestamp` or `timeStamp`.
    public var timestamp: String
    public var systemMessage: Bool
    public var type: CMIChatTranscriptType

    public init(message: String, originator: String, timestamp: String, systemMessage: Bool, type: CMIChatTranscriptType) {
        self.message = message
        self.originator = originator
        self.timestamp = timestamp
        self.systemMessage = systemMessage
        self.type = type
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.message = try container.decode(String.self, forKey: .message)
        self.originator = try container.decode(String.self, forKey: .originator)
        // Without either spelling, `timestamp` is reported missing (and a schema walk sees the member as required).
        self.timestamp = try decodeTranscriptTimestamp(from: decoder) ?? container.decode(String.self, forKey: .timestamp)
        self.systemMessage = try container.decode(Bool.self, forKey: .systemMessage)
        self.type = try container.decode(CMIChatTranscriptType.self, forKey: .type)
    }

    enum CodingKeys: String, CodingKey {
        case message
        case originator
        case timestamp
        case systemMessage = "system_message"
        case type
    }
}

/// What a transcript line holds (seed L617: `one of text, attachment`).
public enum CMIChatTranscriptType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case text
    case attachment
}

/// The `POST /chats` body: a complete chat, inbound (`chat`) or outbound (`chatout`) (seed L662–L685).
public struct CMINewChat: Codable, Sendable, Equatable {
    public static let xmlRootName = "chat"
    public static let xmlListRootName = "chats"

    /// `from_queue` on input: only `id` is in the schema. The examples also send `name`, which is ignored
    /// (as is their `date_created`; notes §6 A31).
    public struct FromQueue: Codable, Sendable, Equatable {
        public var id: String

        public init(id: String) {
            self.id = id
        }

        enum CodingKeys: String, CodingKey {
            case id
        }
    }

    public var channelType: CMINewChatChannelType
    /// "For example text, sms, whatsapp, telegram": a free string.
    public var channelSubType: String
    public var originator: String
    public var destination: String
    /// At most 256 characters; may be `""`.
    public var title: String
    public var fromQueue: FromQueue
    public var participants: [CMIChatParticipant]?
    public var transcript: CMINewChatTranscript

    public init(
        channelType: CMINewChatChannelType,
        channelSubType: String,
        originator: String,
        destination: String,
        title: String,
        fromQueue: FromQueue,
        participants: [CMIChatParticipant]? = nil,
        transcript: CMINewChatTranscript
    ) {
        self.channelType = channelType
        self.channelSubType = channelSubType
        self.originator = originator
        self.destination = destination
        self.title = title
        self.fromQueue = fromQueue
        self.participants = participants
        self.transcript = transcript
    }

    enum CodingKeys: String, CodingKey {
        case channelType = "channel_type"
        case channelSubType = "channel_sub_type"
        case originator
        case destination
        case title
        case fromQueue = "from_queue"
        case participants
        case transcript
    }
}

/// `channel_type` of a new chat (seed L662: `one of chat, chatout`).
public enum CMINewChatChannelType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case chat
    case chatout
}

/// The `transcript` object of a new chat (seed L676–L685).
public struct CMINewChatTranscript: Codable, Sendable, Equatable {
    public var messages: [CMINewChatTranscriptMessage]

    public init(messages: [CMINewChatTranscriptMessage]) {
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case messages
    }
}

/// One transcript line of a new chat; the seed's `NewChatTranscript` item (seed L678–L684).
public struct CMINewChatTranscriptMessage: Codable, Sendable, Equatable {
    public var message: String
    public var originator: String
    /// Server time when left out. Decoded from `timestamp` or `timeStamp`.
    public var timestamp: String?
    /// `false` when left out.
    public var systemMessage: Bool?
    /// Only `text` is allowed and it is the default (seed L684); `attachment` decodes and the service rejects it.
    public var type: CMIChatTranscriptType?

    public init(
        message: String,
        originator: String,
        timestamp: String? = nil,
        systemMessage: Bool? = nil,
        type: CMIChatTranscriptType? = nil
    ) {
        self.message = message
        self.originator = originator
        self.timestamp = timestamp
        self.systemMessage = systemMessage
        self.type = type
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.message = try container.decode(String.self, forKey: .message)
        self.originator = try container.decode(String.self, forKey: .originator)
        self.timestamp = try decodeTranscriptTimestamp(from: decoder)
        self.systemMessage = try container.decodeIfPresent(Bool.self, forKey: .systemMessage)
        self.type = try container.decodeIfPresent(CMIChatTranscriptType.self, forKey: .type)
    }

    enum CodingKeys: String, CodingKey {
        case message
        case originator
        case timestamp
        case systemMessage = "system_message"
        case type
    }
}

/// The transcript time of one line: `timestamp` when present, else any key that equals it ignoring case
/// (`timeStamp` in the seed's examples).
private func decodeTranscriptTimestamp(from decoder: any Decoder) throws -> String? {
    let container = try decoder.container(keyedBy: TranscriptKey.self)
    let exact = TranscriptKey(stringValue: "timestamp")
    if container.contains(exact) {
        return try container.decodeIfPresent(String.self, forKey: exact)
    }
    guard let key = container.allKeys.first(where: { $0.stringValue.lowercased() == "timestamp" }) else { return nil }
    return try container.decodeIfPresent(String.self, forKey: key)
}

/// Any key of a transcript line, to find the time under either spelling.
private struct TranscriptKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}

// Sinch CMI scheduled outbound messages: `GET /messages`, `GET /messages/{messageId}` and the `POST /messages` and
// `PUT /messages/{messageId}` bodies (seed 004 L1732–L2020; notes `spec/sinch-cmi.md` §4.13, §5.12, §6 A1–A6).
//
// XML (docs/cmi-xml.md; notes §6.2): one message is `<message>` (its text is the child `<message>` element), a list
// is `<messages><message>…</message>…</messages>`. Field elements carry the JSON names (`subType`, `sendTime`,
// `creationTime`, `maxRetryCount`, …). `destinations` is the one wrapped list of the CMI:
// `<destinations><destination><address>…</address><status>…</status></destination>…</destinations>`.
//
// JSON: the schema says `destinations` is an array, but every example nests it as
// `"destinations": {"destination": [...]}`, the JAXB wrapper shape (notes §6 A1). `CMIMessageDestinations` encodes
// that nested form, which is also the XML wrapper above, and decodes all three forms clients send: the nested
// array, a plain array, and `{"destination": {...}}` (one destination without an array).

/// A scheduled outbound message to one or more destinations (seed L1764–L1785, L1839–L1860, L1915–L1936,
/// L1974–L1995). The same type is the POST and PUT body.
public struct CMIMessage: Codable, Sendable, Equatable {
    public static let xmlRootName = "message"
    public static let xmlListRootName = "messages"

    /// Set by the system: "required" in the schema but absent from the POST examples (notes §6 A3).
    public var id: String?
    /// 1 to 2000 characters; a Reply Templates JSON string when `contentType` is `template`.
    public var message: String
    /// "This must be an existing chat queue address".
    public var source: String
    /// e.g. `sms`, `whatsapp`, `telegram`: a free string.
    public var subType: String
    /// When to send; `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var sendTime: String?
    /// Set by the system. The examples and the query parameters call it `creationTime` (seed L1802, L1751);
    /// this is what the service emits (notes §6 A2).
    public var creationTime: String?
    /// The schema's name for the creation time (seed L1774); kept so either spelling round-trips.
    public var creationDate: String?
    /// Default 5, at most 10.
    public var maxRetryCount: Int?
    /// Seconds; default 300, 60 to 3600.
    public var retryDelay: Int?
    /// Default `text`.
    public var contentType: CMIMessageContentType?
    public var destinations: CMIMessageDestinations

    public init(
        id: String? = nil,
        message: String,
        source: String,
        subType: String,
        sendTime: String? = nil,
        creationTime: String? = nil,
        creationDate: String? = nil,
        maxRetryCount: Int? = nil,
        retryDelay: Int? = nil,
        contentType: CMIMessageContentType? = nil,
        destinations: CMIMessageDestinations
    ) {
        self.id = id
        self.message = message
        self.source = source
        self.subType = subType
        self.sendTime = sendTime
        self.creationTime = creationTime
        self.creationDate = creationDate
        self.maxRetryCount = maxRetryCount
        self.retryDelay = retryDelay
        self.contentType = contentType
        self.destinations = destinations
    }

    enum CodingKeys: String, CodingKey {
        case id
        case message
        case source
        case subType
        case sendTime
        case creationTime
        case creationDate
        case maxRetryCount
        case retryDelay
        case contentType
        case destinations
    }
}

/// What `message` holds (seed L1779: `one of text, template`).
public enum CMIMessageContentType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case text
    case template
}

/// The `destinations` wrapper: `{"destination": [...]}` in JSON, `<destinations><destination>…` in XML.
public struct CMIMessageDestinations: Codable, Sendable, Equatable, ExpressibleByArrayLiteral {
    public var destination: [CMIMessageDestination]

    public init(_ destination: [CMIMessageDestination]) {
        self.destination = destination
    }

    public init(arrayLiteral elements: CMIMessageDestination...) {
        self.destination = elements
    }

    /// Reads the nested form, a plain array, or a single destination object under `destination`.
    public init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<CodingKeys>
        do {
            container = try decoder.container(keyedBy: CodingKeys.self)
        } catch let error as DecodingError {
            // The schema's plain array.
            guard case .typeMismatch = error, let plain = try? decoder.singleValueContainer().decode([CMIMessageDestination].self) else {
                throw error
            }
            self.destination = plain
            return
        }
        do {
            self.destination = try container.decodeIfPresent([CMIMessageDestination].self, forKey: .destination) ?? []
        } catch let error as DecodingError {
            // One destination without an array (what JAXB JSON writers make of a one-item list).
            guard case .typeMismatch = error, let single = try? container.decode(CMIMessageDestination.self, forKey: .destination) else {
                throw error
            }
            self.destination = [single]
        }
    }

    enum CodingKeys: String, CodingKey {
        case destination
    }
}

/// One recipient of a message and how far sending to it has got (seed L1781–L1785).
public struct CMIMessageDestination: Codable, Sendable, Equatable {
    /// 1 to 256 characters: "Phone number of the message recipient".
    public var address: String
    /// Set by the system; ignored on input.
    public var status: CMIDestinationStatus?

    public init(address: String, status: CMIDestinationStatus? = nil) {
        self.address = address
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case address
        case status
    }
}

/// Sending state of one destination (seed L1784: `one of ADDED, PROCESSING, FAILED, HANDLED`).
public enum CMIDestinationStatus: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case added = "ADDED"
    case processing = "PROCESSING"
    case failed = "FAILED"
    case handled = "HANDLED"
}

// Sinch CMI callbacks: `GET /callbacks`, `GET /callbacks/{callbackId}` (`CMICallback`), `POST /callbacks`
// (`CMINewCallback`) and `PUT /callbacks/{callbackId}` (`CMICallbackUpdate`) (seed 004 L1224–L1414; notes
// `spec/sinch-cmi.md` §4.10, §5.11).
//
// XML (docs/cmi-xml.md): every callback body, output or input, is `<callback>`; a list is
// `<callbacks><callback>…</callback>…</callbacks>`. Field elements carry the JSON names (all camelCase:
// `callbackQueueNumber`, `creationTime`, `customerNumber`, …). No arrays.

/// A callback request as the GETs return it (seed L1242–L1257, L1336–L1351).
public struct CMICallback: Codable, Sendable, Equatable {
    public static let xmlRootName = "callback"
    public static let xmlListRootName = "callbacks"

    public var id: String
    /// The callback queue's number, e.g. `"153"`.
    public var callbackQueueNumber: String
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var creationTime: String
    /// Left out when no user created the callback (e.g. the IVR did).
    public var creatorId: String?
    public var creatorName: String?
    /// The number to call back.
    public var customerNumber: String
    /// e.g. `<XML><Skills>ENGLISH=4</Skills></XML>`: text, escaped in XML like any other value.
    public var extraData: String?
    public var gwPrefix: String?
    public var failures: Int
    public var lastCallTime: String?
    /// A free string on output (seed L1252): the dialler's own values such as `ADDED` as well as
    /// `CMICallbackResult`'s (notes §6 A25).
    public var lastResult: String?
    public var maxCalls: Int
    public var nextCallTime: String?
    public var notes: String?
    public var originalQueueNumber: String
    public var originalQueueName: String?

    public init(
        id: String,
        callbackQueueNumber: String,
        creationTime: String,
        creatorId: String? = nil,
        creatorName: String? = nil,
        customerNumber: String,
        extraData: String? = nil,
        gwPrefix: String? = nil,
        failures: Int,
        lastCallTime: String? = nil,
        lastResult: String? = nil,
        maxCalls: Int,
        nextCallTime: String? = nil,
        notes: String? = nil,
        originalQueueNumber: String,
        originalQueueName: String? = nil
    ) {
        self.id = id
        self.callbackQueueNumber = callbackQueueNumber
        self.creationTime = creationTime
        self.creatorId = creatorId
        self.creatorName = creatorName
        self.customerNumber = customerNumber
        self.extraData = extraData
        self.gwPrefix = gwPrefix
        self.failures = failures
        self.lastCallTime = lastCallTime
        self.lastResult = lastResult
        self.maxCalls = maxCalls
        self.nextCallTime = nextCallTime
        self.notes = notes
        self.originalQueueNumber = originalQueueNumber
        self.originalQueueName = originalQueueName
    }

    enum CodingKeys: String, CodingKey {
        case id
        case callbackQueueNumber
        case creationTime
        case creatorId
        case creatorName
        case customerNumber
        case extraData
        case gwPrefix
        case failures
        case lastCallTime
        case lastResult
        case maxCalls
        case nextCallTime
        case notes
        case originalQueueNumber
        case originalQueueName
    }
}

/// The `POST /callbacks` body (seed L1304–L1309).
public struct CMINewCallback: Codable, Sendable, Equatable {
    public static let xmlRootName = "callback"
    public static let xmlListRootName = "callbacks"

    public var callbackQueueNumber: String
    public var customerNumber: String
    public var extraData: String?
    public var gwPrefix: String?
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var nextCallTime: String?
    public var notes: String?
    /// The queue the customer first called (not in the seed's body; its examples show it apart from the callback
    /// queue, 152 beside 153, L1261–L1275). Defaults to `callbackQueueNumber`.
    public var originalQueueNumber: String?

    public init(
        callbackQueueNumber: String,
        customerNumber: String,
        extraData: String? = nil,
        gwPrefix: String? = nil,
        nextCallTime: String? = nil,
        notes: String? = nil,
        originalQueueNumber: String? = nil
    ) {
        self.callbackQueueNumber = callbackQueueNumber
        self.customerNumber = customerNumber
        self.extraData = extraData
        self.gwPrefix = gwPrefix
        self.nextCallTime = nextCallTime
        self.notes = notes
        self.originalQueueNumber = originalQueueNumber
    }

    enum CodingKeys: String, CodingKey {
        case callbackQueueNumber
        case customerNumber
        case extraData
        case gwPrefix
        case nextCallTime
        case notes
        case originalQueueNumber
    }
}

/// The `PUT /callbacks/{callbackId}` body (seed L1387–L1400). Only `customerNumber`, `notes`, `lastResult` and
/// `nextCallTime` are applied; the other fields are accepted and ignored (seed L1380). `nextCallTime` is allowed
/// only with `lastResult` `CUSTOM_TIME` or `RESCHEDULE` (seed L1381).
public struct CMICallbackUpdate: Codable, Sendable, Equatable {
    public static let xmlRootName = "callback"
    public static let xmlListRootName = "callbacks"

    /// Ignored.
    public var id: String?
    /// Ignored.
    public var creationTime: String?
    public var customerNumber: String
    /// Ignored.
    public var extraData: String?
    /// Ignored.
    public var gwPrefix: String?
    /// Ignored.
    public var failures: Int?
    /// Ignored.
    public var lastCallTime: String?
    public var lastResult: CMICallbackResult
    /// Ignored.
    public var maxCalls: Int?
    public var nextCallTime: String?
    public var notes: String
    /// Ignored.
    public var originalQueueNumber: String?
    /// Ignored.
    public var originalQueueName: String?
    /// Ignored.
    public var callbackQueueNumber: String?

    public init(
        id: String? = nil,
        creationTime: String? = nil,
        customerNumber: String,
        extraData: String? = nil,
        gwPrefix: String? = nil,
        failures: Int? = nil,
        lastCallTime: String? = nil,
        lastResult: CMICallbackResult,
        maxCalls: Int? = nil,
        nextCallTime: String? = nil,
        notes: String,
        originalQueueNumber: String? = nil,
        originalQueueName: String? = nil,
        callbackQueueNumber: String? = nil
    ) {
        self.id = id
        self.creationTime = creationTime
        self.customerNumber = customerNumber
        self.extraData = extraData
        self.gwPrefix = gwPrefix
        self.failures = failures
        self.lastCallTime = lastCallTime
        self.lastResult = lastResult
        self.maxCalls = maxCalls
        self.nextCallTime = nextCallTime
        self.notes = notes
        self.originalQueueNumber = originalQueueNumber
        self.originalQueueName = originalQueueName
        self.callbackQueueNumber = callbackQueueNumber
    }

    enum CodingKeys: String, CodingKey {
        case id
        case creationTime
        case customerNumber
        case extraData
        case gwPrefix
        case failures
        case lastCallTime
        case lastResult
        case maxCalls
        case nextCallTime
        case notes
        case originalQueueNumber
        case originalQueueName
        case callbackQueueNumber
    }
}

/// The results a client may set with `PUT /callbacks/{callbackId}` (seed L1394).
public enum CMICallbackResult: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case successful = "SUCCESSFUL"
    case busy = "BUSY"
    case noAnswer = "NO_ANSWER"
    case voicemail = "VOICEMAIL"
    case customTime = "CUSTOM_TIME"
    case other = "OTHER"
    case handled = "HANDLED"
    case reschedule = "RESCHEDULE"
}

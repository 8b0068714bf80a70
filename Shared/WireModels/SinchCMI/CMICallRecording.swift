// Sinch CMI call recordings: `GET /callRecordings`, `GET /callRecordings/{callRecordingId}` (`CMICallRecording`) and
// `GET`/`POST /callRecordings/{callRecordingId}/listenLog` (`CMIListenLog`) (seed 004 L950–L1223; notes
// `spec/sinch-cmi.md` §4.8–§4.9, §5.10).
//
// XML (docs/cmi-xml.md): one recording is `<callRecording>`, a list is `<callRecordings><callRecording>…
// </callRecording>…</callRecordings>`. Field elements carry the JSON names (`call_id`, `owner_type`, `file_name`,
// `creation_time`, …). Inside a recording `listen_log` has no wrapper: each entry is a repeated `<listen_log>`
// element. A listen-log entry on its own (GET list item, POST body) is `<listenLog>`, and the list is
// `<listenLogs><listenLog>…</listenLog>…</listenLogs>`.

/// Metadata of one call recording (seed L985–L1010, L1080–L1105).
public struct CMICallRecording: Codable, Sendable, Equatable {
    public static let xmlRootName = "callRecording"
    public static let xmlListRootName = "callRecordings"

    public var id: String
    /// One call can have several recordings, one per owner.
    public var callId: String
    public var contactId: String
    public var ownerId: String
    public var ownerType: CMIRecordingOwnerType
    /// e.g. "Smith, Mark", "Direct Sales".
    public var ownerName: String
    /// A relative Windows-style path, e.g. `100\2017_07_00\05_12_01_14_SSR_100_<call_id>.wav`.
    public var fileName: String
    /// `""` in every example.
    public var filePath: String
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var creationTime: String
    /// "Required", but included only when one recording is fetched (seed L995–L996; notes §6 A23): `[]` there
    /// when empty, left out of lists.
    public var listenLog: [CMIListenLog]?

    public init(
        id: String,
        callId: String,
        contactId: String,
        ownerId: String,
        ownerType: CMIRecordingOwnerType,
        ownerName: String,
        fileName: String,
        filePath: String,
        creationTime: String,
        listenLog: [CMIListenLog]? = nil
    ) {
        self.id = id
        self.callId = callId
        self.contactId = contactId
        self.ownerId = ownerId
        self.ownerType = ownerType
        self.ownerName = ownerName
        self.fileName = fileName
        self.filePath = filePath
        self.creationTime = creationTime
        self.listenLog = listenLog
    }

    enum CodingKeys: String, CodingKey {
        case id
        case callId = "call_id"
        case contactId = "contact_id"
        case ownerId = "owner_id"
        case ownerType = "owner_type"
        case ownerName = "owner_name"
        case fileName = "file_name"
        case filePath = "file_path"
        case creationTime = "creation_time"
        case listenLog = "listen_log"
    }
}

/// Who a recording belongs to (seed L989: `one of user, queue, outbound campaign`; the space is kept).
public enum CMIRecordingOwnerType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case user
    case queue
    case outboundCampaign = "outbound campaign"
}

/// One entry of a recording's listen log: who listened and why (seed L997–L1010, L1151–L1163, L1199–L1211).
/// The same type is the `POST …/listenLog` body.
public struct CMIListenLog: Codable, Sendable, Equatable {
    public static let xmlRootName = "listenLog"
    public static let xmlListRootName = "listenLogs"

    /// Set by the server.
    public var id: String?
    /// The logged-on user's GUID; set by the server when posting.
    public var userGuid: String?
    /// The logged-on user's login name; set by the server when posting.
    public var userId: String?
    /// The logged-on user's display name; set by the server when posting.
    public var userName: String?
    /// Why the recording was listened to. Required when posting.
    public var description: String
    /// Required when posting; "required" in the schema but absent from the entries of the
    /// `GET /callRecordings/{id}` example (seed L1115–L1121), so optional here.
    public var userSessionId: String?
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text; server time when not given.
    public var timeStamp: String?

    public init(
        id: String? = nil,
        userGuid: String? = nil,
        userId: String? = nil,
        userName: String? = nil,
        description: String,
        userSessionId: String? = nil,
        timeStamp: String? = nil
    ) {
        self.id = id
        self.userGuid = userGuid
        self.userId = userId
        self.userName = userName
        self.description = description
        self.userSessionId = userSessionId
        self.timeStamp = timeStamp
    }

    enum CodingKeys: String, CodingKey {
        case id
        case userGuid = "user_guid"
        case userId = "user_id"
        case userName = "user_name"
        case description
        case userSessionId
        case timeStamp = "time_stamp"
    }
}

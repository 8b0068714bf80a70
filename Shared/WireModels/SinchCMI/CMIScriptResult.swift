// Sinch CMI script results: `GET /scriptResults`, `GET /scriptResults/{scriptResultId}` (seed 004 L341–L553;
// notes `spec/sinch-cmi.md` §4.5).
//
// XML (docs/cmi-xml.md): one result is `<scriptResult>`, a list is `<scriptResults><scriptResult>…</scriptResult>…
// </scriptResults>`. Field elements carry the JSON names (`script_id`, `contact_id`, `originalcontact_id`,
// `modificationtime`). The arrays have no wrapper: each question is a repeated `<scriptquestions>` element and each
// answer inside it a repeated `<scriptanswers>` element.

/// The answers given to one agent script during one contact (seed L364–L382, L484–L502).
public struct CMIScriptResult: Codable, Sendable, Equatable {
    public static let xmlRootName = "scriptResult"
    public static let xmlListRootName = "scriptResults"

    public var id: String
    public var scriptId: String
    /// The script's name, e.g. "Simple car selector".
    public var name: String
    public var contactId: String
    /// Equals `contactId` unless the contact was transferred.
    public var originalcontactId: String
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, kept as text.
    public var modificationtime: String
    public var scriptquestions: [CMIScriptResultQuestion]

    public init(
        id: String,
        scriptId: String,
        name: String,
        contactId: String,
        originalcontactId: String,
        modificationtime: String,
        scriptquestions: [CMIScriptResultQuestion]
    ) {
        self.id = id
        self.scriptId = scriptId
        self.name = name
        self.contactId = contactId
        self.originalcontactId = originalcontactId
        self.modificationtime = modificationtime
        self.scriptquestions = scriptquestions
    }

    enum CodingKeys: String, CodingKey {
        case id
        case scriptId = "script_id"
        case name
        case contactId = "contact_id"
        case originalcontactId = "originalcontact_id"
        case modificationtime
        case scriptquestions
    }
}

/// One question of a script result (seed L371–L378).
public struct CMIScriptResultQuestion: Codable, Sendable, Equatable {
    public var id: String
    /// The question text, e.g. "Current Car".
    public var data: String
    /// e.g. `multicombobox`; a free string in the seed.
    public var controltype: String
    /// e.g. `text`; a free string in the seed.
    public var datatype: String
    public var ordinal: Int
    public var scriptanswers: [CMIScriptResultAnswer]

    public init(id: String, data: String, controltype: String, datatype: String, ordinal: Int, scriptanswers: [CMIScriptResultAnswer]) {
        self.id = id
        self.data = data
        self.controltype = controltype
        self.datatype = datatype
        self.ordinal = ordinal
        self.scriptanswers = scriptanswers
    }

    enum CodingKeys: String, CodingKey {
        case id
        case data
        case controltype
        case datatype
        case ordinal
        case scriptanswers
    }
}

/// One answer to a script question (seed L378–L382).
public struct CMIScriptResultAnswer: Codable, Sendable, Equatable {
    public var id: String
    /// The answer text, e.g. "Volvo".
    public var answerdata: String
    public var ordinal: Int

    public init(id: String, answerdata: String, ordinal: Int) {
        self.id = id
        self.answerdata = answerdata
        self.ordinal = ordinal
    }

    enum CodingKeys: String, CodingKey {
        case id
        case answerdata
        case ordinal
    }
}

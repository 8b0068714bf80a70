/// A field of a Live Chat form: pre-chat, post-chat, offline message, agent wrap-up or secure form (seed 001, "Field").
public struct LiveChatField: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String?
    public var type: LiveChatFieldType?
    /// Read-only: derived from `type`.
    public var isSystem: Bool?
    public var isVisible: Bool?
    public var isRequired: Bool?
    /// The choices of a radio, select or checkbox list, one per line.
    public var options: String?

    public init(id: Int? = nil, name: String, type: LiveChatFieldType, isVisible: Bool = true, isRequired: Bool = false, options: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.isSystem = type.isSystem
        self.isVisible = isVisible
        self.isRequired = isRequired
        self.options = options
    }
}

/// The forms fields live in.
public enum LiveChatForm: String, Sendable, CaseIterable {
    case preChat, postChat, offlineMessage, agentWrapup, secureForm
}

/// The 22 field types of the seed, plus the wrap-up `category` (spec note §6 #25).
public enum LiveChatFieldType: String, LiveChatChoice {
    case name, email, phone, company, department, ticket, product
    case rating, comment
    case subject, content, attachment
    case cardNumber, expirationDate, cscOrCvv, nameOnCard
    case category
    case text, textarea, radio, checkbox, select, checkboxList

    public static var aliases: [String: Self] {
        ["productandservice": .product, "dropdown": .select, "drop-down": .select, "wrapupcategory": .category]
    }

    /// System types are provisioned with their form and can be neither removed nor retyped.
    public var isSystem: Bool { !Self.custom.contains(self) }

    /// The forms a field of this type may appear in (the seed's "Field Type" table).
    public var forms: Set<LiveChatForm> {
        switch self {
        case .name, .email, .phone, .company, .department, .ticket: [.preChat, .offlineMessage]
        case .product: [.preChat]
        case .rating, .comment: [.postChat]
        case .subject, .content, .attachment: [.offlineMessage]
        case .cardNumber, .expirationDate, .cscOrCvv, .nameOnCard: [.secureForm]
        case .category: [.agentWrapup]
        case .text, .textarea, .radio, .checkbox, .select, .checkboxList: Set(LiveChatForm.allCases)
        }
    }

    /// Types whose `options` list the choices, so they need at least one.
    public var needsOptions: Bool { [.radio, .select, .checkboxList].contains(self) }

    static let custom: Set<Self> = [.text, .textarea, .radio, .checkbox, .select, .checkboxList]
}

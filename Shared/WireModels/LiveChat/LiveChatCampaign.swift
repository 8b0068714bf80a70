import Foundation

/// A campaign: one complete chat deployment with its own button, window, forms, invitations, routing and
/// texts (seed 001, "Campaign").
public struct LiveChatCampaign: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String?
    public var description: String?
    /// The language name (`English`, `French`, ...) whose texts the campaign's language catalogue starts from.
    public var language: String?

    public init(id: Int? = nil, name: String? = nil, description: String? = nil, language: String? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.language = language
    }
}

/// `GET /campaigns/{id}/code`.
public struct LiveChatInstallationCode: Codable, Sendable, Equatable {
    public var code: String

    public init(code: String) { self.code = code }
}

/// How a field's contents are placed on a form.
public enum LiveChatFieldLayout: String, LiveChatChoice { case vertical, horizontal }

/// Where an image comes from.
public enum LiveChatImageSource: String, LiveChatChoice { case gallery, custom }

/// The chat button (seed 001, "Chat Button").
public struct LiveChatChatButton: Codable, Sendable, Equatable {
    public init() {}

    public enum Kind: String, LiveChatChoice { case adaptive, image, textLink }
    /// The seed's spelling (`buttom…`) on output; `bottom…` accepted.
    public enum Position: String, LiveChatChoice {
        case centered, topLeft, topMiddle, topRight, buttomLeft, buttomMiddle, buttomRight, leftMiddle, rightMiddle
        public static var aliases: [String: Self] { ["bottomleft": .buttomLeft, "bottommiddle": .buttomMiddle, "bottomright": .buttomRight] }
    }
    public enum MobileKind: String, LiveChatChoice { case text, image }
    public enum MobilePosition: String, LiveChatChoice {
        case bottomLeft, bottomMiddle, bottomRight, leftMiddle, RightMiddle, leftBottom, rightBottom
        public static var aliases: [String: Self] { ["buttomleft": .bottomLeft, "buttommiddle": .bottomMiddle, "buttomright": .bottomRight] }
    }
    public struct Adaptive: Codable, Sendable, Equatable {
        public var themeColor: String?
        public var icon: String?
    }
    public struct ImagePosition: Codable, Sendable, Equatable {
        public var type: Position?
        /// Horizontal offset: a number or a percentage (`10`, `10%`).
        public var x: String?
        public var y: String?
    }
    public struct Mobile: Codable, Sendable, Equatable {
        public var type: MobileKind?
        public var onlineText: String?
        public var offlineText: String?
        public var themeColor: String?
        /// The seed types the mobile image ids `string` (L131–L132) and the others `int`: written as integers,
        /// read from either (spec note §6 #15).
        public var onlineImageId: Int?
        public var offlineImageId: Int?
        public var position: MobilePosition?

        enum CodingKeys: String, CodingKey { case type, onlineText, offlineText, themeColor, onlineImageId, offlineImageId, position }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.type = try container.decodeIfPresent(MobileKind.self, forKey: .type)
            self.onlineText = try container.decodeIfPresent(String.self, forKey: .onlineText)
            self.offlineText = try container.decodeIfPresent(String.self, forKey: .offlineText)
            self.themeColor = try container.decodeIfPresent(String.self, forKey: .themeColor)
            self.onlineImageId = try container.decodeNumberIfPresent(forKey: .onlineImageId)
            self.offlineImageId = try container.decodeNumberIfPresent(forKey: .offlineImageId)
            self.position = try container.decodeIfPresent(MobilePosition.self, forKey: .position)
        }
    }
    public struct Image: Codable, Sendable, Equatable {
        public var type: LiveChatImageSource?
        public var onlineImageId: Int?
        public var offlineImageId: Int?
        public var isFloat: Bool?
        public var position: ImagePosition?
        public var mobile: Mobile?
    }
    public struct TextLink: Codable, Sendable, Equatable {
        public var text: String?
    }

    public var type: Kind?
    public var isHideOffline: Bool?
    public var isUseDomainRestriction: Bool?
    public var allowedDomains: [String]?
    public var adaptive: Adaptive?
    public var image: Image?
    public var textLink: TextLink?
}

/// The chat window (seed 001, "Chat Window").
public struct LiveChatChatWindow: Codable, Sendable, Equatable {
    public init() {}

    public enum Style: String, LiveChatChoice { case classic, simple, bubble }
    public enum Kind: String, LiveChatChoice { case embedded, popup }
    public enum HeaderKind: String, LiveChatChoice { case agentInfo, bannerImage, avatarAndLogo }
    public struct Popup: Codable, Sendable, Equatable { public var title: String? }
    public struct Email: Codable, Sendable, Equatable {
        public var isFromAgent: Bool?
        public var fromEmail: String?
        public var fromName: String?
    }
    public struct Options: Codable, Sendable, Equatable {
        public var isCanPrintTranscript: Bool?
        public var isCanEmailTranscript: Bool?
        public var email: Email?
        public var isCanSwitchToOffline: Bool?
        public var isCanSendFile: Bool?
        public var isCanAudioChat: Bool?
        public var isCanVideoChat: Bool?
    }
    public struct Advanced: Codable, Sendable, Equatable {
        public var isAutoEndChatWhenVisitorInactivity: Bool?
        /// Minutes.
        public var timeAutoEndChatWhenVisitorInactivity: Int?
        public var isAutoSendTranscriptToEmail: Bool?
        public var transcriptEmailAddress: String?
        public var transcriptEmailSubject: String?
        public var greetingMessage: String?
        public var isUseCustomJS: Bool?
        public var customJS: String?
    }
    public struct AgentInfo: Codable, Sendable, Equatable {
        public var isShowAvatar: Bool?
        public var isShowTitle: Bool?
        public var isShowBio: Bool?
    }
    public struct Banner: Codable, Sendable, Equatable {
        public var imageType: LiveChatImageSource?
        public var imageId: Int?
    }
    public struct AvatarAndLogo: Codable, Sendable, Equatable {
        public var isShowAvatar: Bool?
        public var isShowLogo: Bool?
        public var logoImageId: Int?
    }
    public struct Header: Codable, Sendable, Equatable {
        public var type: HeaderKind?
        public var agentInfo: AgentInfo?
        public var banner: Banner?
        public var avatarAndLogo: AvatarAndLogo?
    }
    public struct Body: Codable, Sendable, Equatable {
        public var isShowAvatar: Bool?
        public var isShowBackground: Bool?
        /// The seed's spelling; `backgroundImageId` is accepted on input.
        public var backgroudImageId: Int?
    }

    public var style: Style?
    public var color: String?
    public var type: Kind?
    public var customCSS: String?
    public var popup: Popup?
    public var options: Options?
    public var advanced: Advanced?
    public var header: Header?
    public var body: Body?
}

/// Team header shown above a form.
public struct LiveChatFormHeader: Codable, Sendable, Equatable {
    public var isShowTeamName: Bool?
    public var teamName: String?
    public var isShowAvatars: Bool?
    public var isShowAvatar: Bool?
}

/// The pre-chat form (seed 001, "Pre Chat").
public struct LiveChatPreChat: Codable, Sendable, Equatable {
    public init() {}

    public struct SocialLogin: Codable, Sendable, Equatable {
        public var isUseGoogle: Bool?
        public var isUseFacebook: Bool?
    }
    public var isEnable: Bool?
    public var header: LiveChatFormHeader?
    public var greetingMessage: String?
    public var socialLogin: SocialLogin?
    public var isRememberVisitorInfo: Bool?
    public var fieldLayout: LiveChatFieldLayout?
    public var fields: [LiveChatField]?
}

/// The post-chat survey (seed 001, "Post Chat").
public struct LiveChatPostChat: Codable, Sendable, Equatable {
    public init() {}

    public var isEnable: Bool?
    public var greetingMessage: String?
    public var fieldLayout: LiveChatFieldLayout?
    public var fields: [LiveChatField]?
}

/// The campaign's offline message window (seed 001's first "Offline Message JSON Format").
public struct LiveChatOfflineMessageSettings: Codable, Sendable, Equatable {
    public init() {}

    public struct Page: Codable, Sendable, Equatable {
        public var url: String?
        public var isOpenInNewWindow: Bool?
    }
    public var isUseOwnPage: Bool?
    public var page: Page?
    public var greetingMessage: String?
    public var header: LiveChatFormHeader?
    public var fieldLayout: LiveChatFieldLayout?
    public var fields: [LiveChatField]?
}

/// An invitation window: the message and the popup around it (seed 001, "Invitation Window").
public struct LiveChatInvitationWindow: Codable, Sendable, Equatable {
    public init() {}

    public enum Position: String, LiveChatChoice {
        case centered, centeredWithOverlay, topLeft, topMiddle, topRight, buttomLeft, buttomMiddle, buttomRight, leftMiddle, rightMiddle
        public static var aliases: [String: Self] { ["bottomleft": .buttomLeft, "bottommiddle": .buttomMiddle, "bottomright": .buttomRight] }
    }
    public struct Message: Codable, Sendable, Equatable {
        public var content: String?
        public var font: String?
        public var bold: Bool?
        public var fontsize: String?
        public var italic: Bool?
        public var color: String?
    }
    public struct Frame: Codable, Sendable, Equatable {
        public var x: Double?
        public var y: Double?
        public var width: Double?
        public var height: Double?
    }
    public struct Popup: Codable, Sendable, Equatable {
        public var position: Position?
        public var imageType: LiveChatImageSource?
        public var imageId: Int?
        public var messageFrame: Frame?
        public var closeFrame: Frame?
    }
    public var message: Message?
    public var popup: Popup?
}

/// `GET /campaigns/{id}/invitation`: the style, the auto invitations and the manual invitation.
public struct LiveChatInvitation: Codable, Sendable, Equatable {
    public enum Style: String, LiveChatChoice { case bubble, popup, chatwindow }
    public var style: Style?
    public var autoInvitations: [LiveChatAutoInvitation]?
    public var manualInvitation: LiveChatInvitationWindow?

    public init(style: Style?, autoInvitations: [LiveChatAutoInvitation]?, manualInvitation: LiveChatInvitationWindow?) {
        self.style = style
        self.autoInvitations = autoInvitations
        self.manualInvitation = manualInvitation
    }
}

/// An invitation shown when its conditions match a visitor (seed 001, "Auto Invitation").
public struct LiveChatAutoInvitation: Codable, Sendable, Equatable {
    public init() {}

    public var id: Int?
    public var name: String?
    public var isEnable: Bool?
    public var isPopupOnlyOneTime: Bool?
    public var invitationWindow: LiveChatInvitationWindow?
    public var conditions: LiveChatConditions?
}

/// Chat priority when routed.
public enum LiveChatPriority: String, LiveChatChoice { case lowest, low, normal, high, highest }

/// What a chat is routed to.
public enum LiveChatRouteTarget: String, LiveChatChoice { case department, agent }

/// A campaign's routing (seed 001, "Routing Rule").
public struct LiveChatRoutingRule: Codable, Sendable, Equatable {
    public init() {}

    public enum Kind: String, LiveChatChoice { case simple, rules }
    public enum FailKind: String, LiveChatChoice { case route, offlineMessage }
    public struct Fail: Codable, Sendable, Equatable {
        /// The seed's spelling; `routeToObject` is accepted on input.
        public var routeTobject: LiveChatRouteTarget?
        public var routeToId: Int?
        public var routePriority: LiveChatPriority?
        public var offlineMessageEmails: String?
    }
    public var isEnable: Bool?
    public var type: Kind?
    public var simpleRouteToObject: LiveChatRouteTarget?
    public var simpleRouteToId: Int?
    public var simpleRoutePriority: LiveChatPriority?
    /// Read-only here: managed through `/routingRules/customRules`.
    public var rules: [LiveChatCustomRule]?
    public var failType: FailKind?
    public var fail: Fail?
}

/// A rule of rule-based routing (seed 001, "Custom Rule").
public struct LiveChatCustomRule: Codable, Sendable, Equatable {
    public init() {}

    public var id: Int?
    public var order: Int?
    public var isEnable: Bool?
    public var name: String?
    public var conditions: LiveChatConditions?
    public var routeToObject: LiveChatRouteTarget?
    public var routeToId: Int?
    public var routePriority: LiveChatPriority?
}

/// A campaign's texts (seed 001, "Language").
public struct LiveChatCampaignLanguage: Codable, Sendable, Equatable {
    public init() {}

    public var isUseDefaultLanguageText: Bool?
    public var isRTL: Bool?
    public var languageTexts: [LiveChatLanguageText]?
}

/// One text of the catalogue; only `currentText` can change.
public struct LiveChatLanguageText: Codable, Sendable, Equatable {
    public enum Category: String, LiveChatChoice {
        case buttons, fields, prompts, systemMessages, audioChat, videoChat, screenSharing, transcriptEmail, mobile, embedded, chatbot
    }
    public var category: Category?
    public var name: String?
    public var defaultText: String?
    public var currentText: String?
    public var macros: String?

    public init(category: Category, name: String, defaultText: String, currentText: String, macros: String) {
        self.category = category
        self.name = name
        self.defaultText = defaultText
        self.currentText = currentText
        self.macros = macros
    }
}

/// `when`, an optional logical expression, and numbered conditions (seed 001, "Conditions").
public struct LiveChatConditions: Codable, Sendable, Equatable {
    public enum When: String, LiveChatChoice { case all, any, logicalExpression }
    public var when: When?
    public var logicalExpression: String?
    public var list: [LiveChatCondition]?

    public init(when: When, logicalExpression: String? = nil, list: [LiveChatCondition]) {
        self.when = when
        self.logicalExpression = logicalExpression
        self.list = list
    }
}

/// One numbered condition: a visitor field, an operator and a value.
public struct LiveChatCondition: Codable, Sendable, Equatable {
    public var number: Int?
    public var field: String?
    /// The models' key; the chats query's `operate` is accepted too.
    public var `operator`: String?
    public var value: String?

    public init(number: Int, field: String, operator: String, value: String) {
        self.number = number
        self.field = field
        self.operator = `operator`
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case number, field, `operator`, operate, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.number = try container.decodeIfPresent(Int.self, forKey: .number)
        self.field = try container.decodeIfPresent(String.self, forKey: .field)
        self.operator = try container.decodeIfPresent(String.self, forKey: .operator) ?? container.decodeIfPresent(String.self, forKey: .operate)
        self.value = try container.decodeIfPresent(String.self, forKey: .value)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(self.number, forKey: .number)
        try container.encodeIfPresent(self.field, forKey: .field)
        try container.encodeIfPresent(self.operator, forKey: .operator)
        try container.encodeIfPresent(self.value, forKey: .value)
    }
}

extension KeyedDecodingContainer {
    /// An integer sent as a number or as a numeric string (`5` or `"5"`).
    func decodeNumberIfPresent(forKey key: Key) throws -> Int? {
        if let number = try? self.decodeIfPresent(Int.self, forKey: key) { return number }
        guard let text = try self.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "'\(text)' is not a whole number.")
        }
        return number
    }
}

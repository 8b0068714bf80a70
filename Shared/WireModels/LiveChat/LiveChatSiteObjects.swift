/// How chats are spread over agents.
public enum LiveChatAllocationRule: String, LiveChatChoice {
    /// The seed's spelling; `load balancing` is accepted.
    case loadBalancing = "load banlancing"
    case roundRobin = "round robin"
    case capabilityWeighted = "capability weighted"
    public static var aliases: [String: Self] {
        ["load balancing": .loadBalancing, "loadbalancing": .loadBalancing, "roundrobin": .roundRobin, "capabilityweighted": .capabilityWeighted]
    }
}

/// A canned message (seed 001, "Canned Message").
public struct LiveChatCannedMessage: Codable, Sendable, Equatable {
    public init() {}

    public var id: Int?
    public var name: String?
    public var message: String?
    public var shortcuts: String?
    /// 0: uncategorised.
    public var categoryId: Int?
    /// A private message belongs to the agent who made it.
    public var isPrivate: Bool?
}

/// A canned message category; categories form a tree through `parentId` (0: the root).
public struct LiveChatCannedMessageCategory: Codable, Sendable, Equatable {
    public var id: Int?
    public var name: String?
    public var parentId: Int?
    /// The seed types it `string`; a boolean or `"true"`/`"false"` is accepted.
    public var isPrivate: Bool?

    enum CodingKeys: String, CodingKey { case id, name, parentId, isPrivate }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decodeIfPresent(Int.self, forKey: .id)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.parentId = try container.decodeIfPresent(Int.self, forKey: .parentId)
        if let flag = try? container.decodeIfPresent(Bool.self, forKey: .isPrivate) {
            self.isPrivate = flag
        } else if let text = try container.decodeIfPresent(String.self, forKey: .isPrivate) {
            guard let flag = Bool(text.lowercased()) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.isPrivate], debugDescription: "'\(text)' is not true or false."))
            }
            self.isPrivate = flag
        }
    }
}

/// A department (seed 001, "Department").
public struct LiveChatDepartment: Codable, Sendable, Equatable {
    public init() {}

    public enum OfflineMessageTo: String, LiveChatChoice { case allAgents, emailAddresses }
    public var id: Int?
    public var name: String?
    public var description: String?
    /// Member agent ids, kept consistent with each agent's `departments`.
    public var agents: [Int]?
    /// Agent group ids, stored as given (the seed defines no groups).
    public var groups: [Int]?
    public var allocationRule: LiveChatAllocationRule?
    public var isLastChattedPreferred: Bool?
    /// 0: none.
    public var backupDepartmentId: Int?
    public var offlineMessageTo: OfflineMessageTo?
    /// Comma- or semicolon-separated.
    public var emailAddresses: String?
}

/// The site's automatic chat allocation (seed 001, "Auto Allocation").
public struct LiveChatAutoAllocation: Codable, Sendable, Equatable {
    public init() {}

    public var isEnable: Bool?
    public var allocationRule: LiveChatAllocationRule?
    public var isLastChattedPreferred: Bool?
    public var isMaxChatForAllAgents: Bool?
    public var maxChatForAllAgents: Int?
    public var isAllocateChatWhenAgentInAudioVideo: Bool?
    public var isAllowAgentManualAcceptChat: Bool?
}

/// A conversion action (seed 001, "Conversion Action").
public struct LiveChatConversionAction: Codable, Sendable, Equatable {
    public init() {}

    public enum Kind: String, LiveChatChoice { case url, customVariable, api }
    public enum Match: String, LiveChatChoice { case `is`, contains, startsWith, endsWith, regularExpression }
    public var id: Int?
    public var name: String?
    public var isEnable: Bool?
    public var type: Kind?
    public var customVariable: String?
    public var matchType: Match?
    public var matchValue: String?
    public var isCaseSensitive: Bool?
    public var isAssignValue: Bool?
    public var isAssignValueFromCustomVariable: Bool?
    public var assignValue: String?
    public var customVariableForAssignValue: String?
}

/// A visitor segment (seed 001, "Visitor Segmentation").
public struct LiveChatVisitorSegment: Codable, Sendable, Equatable {
    public init() {}

    /// `"none"` or the agents to notify when a visitor enters the segment.
    public enum Notification: Codable, Sendable, Equatable {
        case none
        case agents([Int])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                guard text.lowercased() == "none" else {
                    throw DecodingError.dataCorrupted(
                        .init(codingPath: decoder.codingPath, debugDescription: "must be \"none\" or {\"agents\": [ids]}."))
                }
                self = .none
            } else {
                self = .agents(try container.decode([String: [Int]].self)["agents"] ?? [])
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .none: try container.encode("none")
            case .agents(let ids): try container.encode(["agents": ids])
            }
        }
    }
    public var id: Int?
    public var name: String?
    public var color: String?
    public var isEnable: Bool?
    /// Lower numbers win.
    public var priority: Int?
    public var description: String?
    public var conditions: LiveChatConditions?
    public var notification: Notification?
}

/// Visitor single sign-on (seed 001, "Visitor SSO").
public struct LiveChatVisitorSSO: Codable, Sendable, Equatable {
    public init() {}

    public struct DataMapping: Codable, Sendable, Equatable {
        public var ssoAttribute: String?
        public var comm100Field: String?
    }
    public struct CampaignOptions: Codable, Sendable, Equatable {
        public enum SignIn: String, LiveChatChoice { case no, optional, required }
        public var campaignId: Int?
        public var signInType: SignIn?
        public var isSkipPrechat: Bool?

        public init(campaignId: Int, signInType: SignIn, isSkipPrechat: Bool) {
            self.campaignId = campaignId
            self.signInType = signInType
            self.isSkipPrechat = isSkipPrechat
        }
    }
    public var siteId: Int?
    public var isEnable: Bool?
    public var signInUrl: String?
    /// Base64 of the identity provider's certificate.
    public var idpCertificate: String?
    public var idpCertificateFileName: String?
    public var dataMappings: [DataMapping]?
    public var campaignSSOOptions: [CampaignOptions]?
}

/// The site's feature switches (seed 001, "Live Chat Config").
public struct LiveChatConfig: Codable, Sendable, Equatable {
    public init() {}

    public var siteId: Int?
    public var isEnableMultipleCampaigns: Bool?
    public var isEnableAutoAllocation: Bool?
    public var isEnableCustomAwayStatus: Bool?
    public var isEnableDepartment: Bool?
    public var isEnableAutoTranslation: Bool?
    public var isEnableAudioAndVideoChat: Bool?
    public var isEnableVisitorSegmentation: Bool?
    public var isEnableVisitorSSO: Bool?
    public var isEnableCreditCardMasking: Bool?
    public var isEnableCustomVariables: Bool?
    public var isEnableSalesforce: Bool?
    public var isEnableZendesk: Bool?
    public var isEnableGoogleAnalytics: Bool?
    public var isEnableGotoMeeting: Bool?
    public var isEnableJoinme: Bool?
}

/// A secure (card payment) form (seed 001, "Secure Form").
public struct LiveChatSecureForm: Codable, Sendable, Equatable {
    public init() {}

    public var id: Int?
    public var name: String?
    public var description: String?
    public var fields: [LiveChatField]?
}

/// A webhook subscription (seed 001, "Webhook").
public struct LiveChatWebhook: Codable, Sendable, Equatable {
    public init() {}

    public enum Event: String, LiveChatChoice { case offlineMessageSubmitted, chatStarted, chatEnded, chatWrappedUp }
    public var id: Int?
    public var event: Event?
    public var targetUrl: String?
    /// Switchboard's addition: the secret deliveries are signed with (Standard Webhooks), made on creation
    /// unless the client sets one.
    public var secret: String?
}

/// A custom variable captured from the visitor's page (seed 001, "Custom Variable").
public struct LiveChatCustomVariable: Codable, Sendable, Equatable {
    public init() {}

    public enum Kind: String, LiveChatChoice { case text, integer, decimal }
    public var id: Int?
    public var name: String?
    public var type: Kind?
    public var value: String?
    public var hyperlink: String?
}

/// An agent's live chat settings and state (seed 001, "Agent").
public struct LiveChatAgent: Codable, Sendable, Equatable {
    public var id: Int?
    /// `online`, `away`, `offline` or a custom away status's name.
    public var status: String?
    /// Read-only: the chats the agent is in now.
    public var ongoingChats: Int?
    public var departments: [Int]?
    public var maxChatsCount: Int?
    public var isAcceptAllocation: Bool?

    public init(id: Int, status: String, ongoingChats: Int, departments: [Int], maxChatsCount: Int, isAcceptAllocation: Bool) {
        self.id = id
        self.status = status
        self.ongoingChats = ongoingChats
        self.departments = departments
        self.maxChatsCount = maxChatsCount
        self.isAcceptAllocation = isAcceptAllocation
    }
}

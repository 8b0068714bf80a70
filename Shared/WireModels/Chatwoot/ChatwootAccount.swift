/// An account as the Platform API returns it (swagger `platform_account`, Chatwoot's platform `_account` partial).
public struct ChatwootPlatformAccount: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var locale: String
    public var domain: String?
    public var supportEmail: String?
    public var enabledFeatures: [String: Bool]
    public var customAttributes: JSONValue
    public var limits: JSONValue
    public var status: String

    public init(
        id: Int, name: String, locale: String, domain: String?, supportEmail: String?, enabledFeatures: [String: Bool],
        customAttributes: JSONValue, limits: JSONValue, status: String
    ) {
        self.id = id
        self.name = name
        self.locale = locale
        self.domain = domain
        self.supportEmail = supportEmail
        self.enabledFeatures = enabledFeatures
        self.customAttributes = customAttributes
        self.limits = limits
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, name, locale, domain, limits, status
        case supportEmail = "support_email"
        case enabledFeatures = "enabled_features"
        case customAttributes = "custom_attributes"
    }
}

/// An account as its members see it (swagger `account_detail`; `GET` adds `account_show_response`'s members).
public struct ChatwootAccountDetail: Codable, Sendable, Equatable {
    /// The auto-resolve settings.
    public struct Settings: Codable, Sendable, Equatable {
        public var autoResolveAfter: Int?
        public var autoResolveMessage: String?
        public var autoResolveIgnoreWaiting: Bool?

        public init(autoResolveAfter: Int?, autoResolveMessage: String?, autoResolveIgnoreWaiting: Bool?) {
            self.autoResolveAfter = autoResolveAfter
            self.autoResolveMessage = autoResolveMessage
            self.autoResolveIgnoreWaiting = autoResolveIgnoreWaiting
        }

        enum CodingKeys: String, CodingKey {
            case autoResolveAfter = "auto_resolve_after"
            case autoResolveMessage = "auto_resolve_message"
            case autoResolveIgnoreWaiting = "auto_resolve_ignore_waiting"
        }
    }

    public var id: Int
    public var name: String
    public var locale: String
    public var domain: String?
    public var supportEmail: String?
    public var status: String
    public var createdAt: String
    public var cacheKeys: [String: Int]
    public var features: [String]
    public var settings: Settings
    public var customAttributes: JSONValue
    public var latestChatwootVersion: String?
    public var subscribedFeatures: [String]?

    public init(
        id: Int, name: String, locale: String, domain: String?, supportEmail: String?, status: String, createdAt: String,
        cacheKeys: [String: Int], features: [String], settings: Settings, customAttributes: JSONValue
    ) {
        self.id = id
        self.name = name
        self.locale = locale
        self.domain = domain
        self.supportEmail = supportEmail
        self.status = status
        self.createdAt = createdAt
        self.cacheKeys = cacheKeys
        self.features = features
        self.settings = settings
        self.customAttributes = customAttributes
    }

    enum CodingKeys: String, CodingKey {
        case id, name, locale, domain, status, features, settings
        case supportEmail = "support_email"
        case createdAt = "created_at"
        case cacheKeys = "cache_keys"
        case customAttributes = "custom_attributes"
        case latestChatwootVersion = "latest_chatwoot_version"
        case subscribedFeatures = "subscribed_features"
    }
}

/// A membership as the Platform API returns it (swagger `account_user` items).
public struct ChatwootAccountUser: Codable, Sendable, Equatable {
    public var accountId: Int
    public var userId: Int
    public var role: String
    public var inviterId: Int?
    public var createdAt: String
    public var updatedAt: String

    public init(accountId: Int, userId: Int, role: String, inviterId: Int?, createdAt: String, updatedAt: String) {
        self.accountId = accountId
        self.userId = userId
        self.role = role
        self.inviterId = inviterId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case role
        case accountId = "account_id"
        case userId = "user_id"
        case inviterId = "inviter_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// An integration hook (swagger `integrations_hook`, Chatwoot's `_hook` partial): `status` is whether it is enabled,
/// `inbox` the inbox of an inbox hook (`null` for an account hook).
public struct ChatwootIntegrationHook: Codable, Sendable, Equatable {
    /// The inbox an inbox hook belongs to.
    public struct Inbox: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String

        public init(id: Int, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var id: Int
    public var appId: String
    public var status: Bool
    public var inbox: Inbox?
    public var accountId: Int
    public var hookType: String
    public var settings: JSONValue

    public init(id: Int, appId: String, status: Bool, inbox: Inbox?, accountId: Int, hookType: String, settings: JSONValue) {
        self.id = id
        self.appId = appId
        self.status = status
        self.inbox = inbox
        self.accountId = accountId
        self.hookType = hookType
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case id, status, inbox, settings
        case appId = "app_id"
        case accountId = "account_id"
        case hookType = "hook_type"
    }

    /// Chatwoot's partial sends `inbox: null` for account hooks.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.appId, forKey: .appId)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.inbox, forKey: .inbox)
        try container.encode(self.accountId, forKey: .accountId)
        try container.encode(self.hookType, forKey: .hookType)
        try container.encode(self.settings, forKey: .settings)
    }
}

/// An integration app of Chatwoot's catalogue (swagger `integrations_app`, Chatwoot's `_app` partial): `enabled` when
/// the account has a hook of it (for webhooks: a webhook); `action` only for administrators.
public struct ChatwootIntegrationApp: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var shortDescription: String?
    public var hookType: String
    public var allowMultipleHooks: Bool
    public var enabled: Bool
    public var action: String?
    public var hooks: [ChatwootIntegrationHook]

    public init(
        id: String, name: String, description: String, shortDescription: String?, hookType: String, allowMultipleHooks: Bool, enabled: Bool,
        action: String?, hooks: [ChatwootIntegrationHook]
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.shortDescription = shortDescription
        self.hookType = hookType
        self.allowMultipleHooks = allowMultipleHooks
        self.enabled = enabled
        self.action = action
        self.hooks = hooks
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, enabled, action, hooks
        case shortDescription = "short_description"
        case hookType = "hook_type"
        case allowMultipleHooks = "allow_multiple_hooks"
    }
}

/// `GET /integrations/apps`: `{"payload": [...]}`.
public struct ChatwootIntegrationAppList: Codable, Sendable, Equatable {
    public var payload: [ChatwootIntegrationApp]

    public init(payload: [ChatwootIntegrationApp]) {
        self.payload = payload
    }
}

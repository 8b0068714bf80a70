/// A user as the Platform API returns it (swagger `user`, Chatwoot's platform `_user` partial).
public struct ChatwootPlatformUser: Codable, Sendable, Equatable {
    /// One membership of the user.
    public struct Account: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var role: String
        public var activeAt: String?

        public init(id: Int, name: String, role: String, activeAt: String?) {
            self.id = id
            self.name = name
            self.role = role
            self.activeAt = activeAt
        }

        enum CodingKeys: String, CodingKey {
            case id, name, role
            case activeAt = "active_at"
        }
    }

    public var id: Int
    public var accessToken: String
    public var accountId: Int?
    public var availableName: String
    public var avatarUrl: String
    public var confirmed: Bool
    public var displayName: String?
    public var messageSignature: String?
    public var email: String
    public var name: String
    public var provider: String
    public var pubsubToken: String
    public var customAttributes: JSONValue?
    public var role: String?
    public var uiSettings: JSONValue
    public var uid: String
    public var accounts: [Account]

    public init(
        id: Int, accessToken: String, displayName: String?, messageSignature: String?, email: String, name: String, pubsubToken: String,
        avatarUrl: String?, customAttributes: JSONValue?, uiSettings: JSONValue, accounts: [Account]
    ) {
        self.id = id
        self.accessToken = accessToken
        self.accountId = accounts.first?.id
        self.availableName = displayName ?? name
        self.avatarUrl = avatarUrl ?? ""
        self.confirmed = true
        self.displayName = displayName
        self.messageSignature = messageSignature
        self.email = email
        self.name = name
        self.provider = "email"
        self.pubsubToken = pubsubToken
        self.customAttributes = customAttributes
        self.role = accounts.first?.role
        self.uiSettings = uiSettings
        self.uid = email
        self.accounts = accounts
    }

    enum CodingKeys: String, CodingKey {
        case id, confirmed, email, name, provider, role, uid, accounts
        case accessToken = "access_token"
        case accountId = "account_id"
        case availableName = "available_name"
        case avatarUrl = "avatar_url"
        case displayName = "display_name"
        case messageSignature = "message_signature"
        case pubsubToken = "pubsub_token"
        case customAttributes = "custom_attributes"
        case uiSettings = "ui_settings"
    }
}

/// `GET /platform/api/v1/users/{id}/login`: a single-use sign-in link.
public struct ChatwootLoginLink: Codable, Sendable, Equatable {
    public var url: String

    public init(url: String) {
        self.url = url
    }
}

/// Chatwoot's `user` object as `GET /api/v1/profile` returns it.
public struct ChatwootProfile: Codable, Sendable, Equatable {
    /// One account the user belongs to.
    public struct Account: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var role: String
        public var status: String
        public var availability: String
        public var availabilityStatus: String
        public var autoOffline: Bool
        public var permissions: [String]

        public init(id: Int, name: String, role: String) {
            self.id = id
            self.name = name
            self.role = role
            self.status = "active"
            self.availability = "offline"
            self.availabilityStatus = "offline"
            self.autoOffline = true
            self.permissions = role == "administrator" ? ["administrator"] : ["agent"]
        }

        enum CodingKeys: String, CodingKey {
            case id, name, role, status, availability, permissions
            case availabilityStatus = "availability_status"
            case autoOffline = "auto_offline"
        }
    }

    public var id: Int
    public var accessToken: String
    public var accountId: Int
    public var availableName: String
    public var avatarUrl: String
    public var confirmed: Bool
    public var displayName: String?
    public var messageSignature: String?
    public var email: String
    public var name: String
    public var provider: String
    /// The token the user's `/cable` subscription streams (Chatwoot's dashboard subscribes with it).
    public var pubsubToken: String
    public var role: String
    public var uiSettings: JSONValue
    public var uid: String
    public var type: String?
    public var accounts: [Account]

    public init(
        id: Int, accessToken: String, accountId: Int, displayName: String?, messageSignature: String?,
        email: String, name: String, pubsubToken: String, role: String, uiSettings: JSONValue, type: String?, accounts: [Account]
    ) {
        self.id = id
        self.accessToken = accessToken
        self.accountId = accountId
        self.availableName = displayName ?? name
        self.avatarUrl = ""
        self.confirmed = true
        self.displayName = displayName
        self.messageSignature = messageSignature
        self.email = email
        self.name = name
        self.provider = "email"
        self.pubsubToken = pubsubToken
        self.role = role
        self.uiSettings = uiSettings
        self.uid = email
        self.type = type
        self.accounts = accounts
    }

    enum CodingKeys: String, CodingKey {
        case id, confirmed, email, name, provider, role, uid, type, accounts
        case accessToken = "access_token"
        case accountId = "account_id"
        case availableName = "available_name"
        case avatarUrl = "avatar_url"
        case displayName = "display_name"
        case messageSignature = "message_signature"
        case pubsubToken = "pubsub_token"
        case uiSettings = "ui_settings"
    }
}

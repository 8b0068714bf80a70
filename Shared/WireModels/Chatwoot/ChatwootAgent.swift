/// A user as an account lists its agents (swagger `agent`, Chatwoot's `_agent` partial).
public struct ChatwootAgent: Codable, Sendable, Equatable {
    public var id: Int
    public var accountId: Int
    public var availabilityStatus: String
    public var autoOffline: Bool
    public var confirmed: Bool
    public var email: String
    public var availableName: String
    public var name: String
    public var role: String
    public var thumbnail: String

    public init(
        id: Int, accountId: Int, availabilityStatus: String, autoOffline: Bool, email: String, name: String, displayName: String?, role: String
    ) {
        self.id = id
        self.accountId = accountId
        self.availabilityStatus = availabilityStatus
        self.autoOffline = autoOffline
        self.confirmed = true
        self.email = email
        self.availableName = displayName ?? name
        self.name = name
        self.role = role
        self.thumbnail = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, confirmed, email, name, role, thumbnail
        case accountId = "account_id"
        case availabilityStatus = "availability_status"
        case autoOffline = "auto_offline"
        case availableName = "available_name"
    }
}

/// A team (swagger `team`).
public struct ChatwootTeam: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var description: String?
    public var allowAutoAssign: Bool
    public var accountId: Int
    public var isMember: Bool

    public init(id: Int, name: String, description: String?, allowAutoAssign: Bool, accountId: Int, isMember: Bool) {
        self.id = id
        self.name = name
        self.description = description
        self.allowAutoAssign = allowAutoAssign
        self.accountId = accountId
        self.isMember = isMember
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case allowAutoAssign = "allow_auto_assign"
        case accountId = "account_id"
        case isMember = "is_member"
    }
}

/// Chatwoot's `{"payload": [...]}` envelope (inboxes, inbox members).
public struct ChatwootPayload<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var payload: [Item]

    public init(payload: [Item]) {
        self.payload = payload
    }
}

/// An agent bot (swagger `agent_bot`): account-scoped (`account_id`) or global.
public struct ChatwootAgentBot: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var description: String?
    public var thumbnail: String
    public var outgoingUrl: String?
    public var botType: String
    public var botConfig: JSONValue
    public var accountId: Int?
    public var accessToken: String?
    public var systemBot: Bool

    public init(
        id: Int, name: String, description: String?, thumbnail: String, outgoingUrl: String?, botType: String, botConfig: JSONValue,
        accountId: Int?, accessToken: String?
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.thumbnail = thumbnail
        self.outgoingUrl = outgoingUrl
        self.botType = botType
        self.botConfig = botConfig
        self.accountId = accountId
        self.accessToken = accessToken
        self.systemBot = accountId == nil
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, thumbnail
        case outgoingUrl = "outgoing_url"
        case botType = "bot_type"
        case botConfig = "bot_config"
        case accountId = "account_id"
        case accessToken = "access_token"
        case systemBot = "system_bot"
    }
}

/// Who made a request, whichever vendor scheme authenticated it.
public struct Identity: Sendable, Equatable {
    /// The scheme that produced the identity.
    public enum Kind: String, Sendable {
        /// A Comm100 agent (Basic `email:apikey` with `siteId`, or a bearer token).
        case agent
        /// A Chatwoot user's `api_access_token`.
        case user
        /// A Chatwoot agent bot's `api_access_token`.
        case agentBot
        /// A Chatwoot platform app's `api_access_token`.
        case platformApp
        /// A Sinch CMI user (HTTP Basic).
        case cmiUser
    }

    public var kind: Kind
    /// The tenant: Comm100 `siteId`, Chatwoot `account_id`; empty where the API has none (Sinch CMI).
    public var tenant: String
    /// The principal's id within its tenant.
    public var principalID: String
    public var name: String
    public var email: String
    public var isAdministrator: Bool
    public var permissions: Set<String>
    /// The principal's language (ISO 639-1), where the API translates values for it.
    public var language: String?

    public init(
        kind: Kind,
        tenant: String,
        principalID: String,
        name: String = "",
        email: String = "",
        isAdministrator: Bool = false,
        permissions: Set<String> = [],
        language: String? = nil
    ) {
        self.kind = kind
        self.tenant = tenant
        self.principalID = principalID
        self.name = name
        self.email = email
        self.isAdministrator = isAdministrator
        self.permissions = permissions
        self.language = language
    }

    /// Administrators hold every permission.
    public func has(permission: String) -> Bool {
        self.isAdministrator || self.permissions.contains(permission)
    }
}

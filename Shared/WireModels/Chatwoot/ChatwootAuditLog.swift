/// One audit log entry (swagger `audit_log`): `created_at` in epoch seconds.
public struct ChatwootAuditLog: Codable, Sendable, Equatable {
    public var id: Int
    public var auditableId: Int
    public var auditableType: String
    public var associatedId: Int
    public var associatedType: String
    public var userId: Int?
    public var userType: String?
    public var username: String?
    public var action: String
    public var auditedChanges: JSONValue
    public var version: Int
    public var comment: String?
    public var requestUuid: String
    public var createdAt: Int
    public var remoteAddress: String?

    public init(
        id: Int, auditableId: Int, auditableType: String, accountId: Int, userId: Int?, username: String?, action: String,
        auditedChanges: JSONValue, version: Int, requestUuid: String, createdAt: Int, remoteAddress: String?
    ) {
        self.id = id
        self.auditableId = auditableId
        self.auditableType = auditableType
        self.associatedId = accountId
        self.associatedType = "Account"
        self.userId = userId
        self.userType = userId == nil ? nil : "User"
        self.username = username
        self.action = action
        self.auditedChanges = auditedChanges
        self.version = version
        self.comment = nil
        self.requestUuid = requestUuid
        self.createdAt = createdAt
        self.remoteAddress = remoteAddress
    }

    enum CodingKeys: String, CodingKey {
        case id, username, action, version, comment
        case auditableId = "auditable_id"
        case auditableType = "auditable_type"
        case associatedId = "associated_id"
        case associatedType = "associated_type"
        case userId = "user_id"
        case userType = "user_type"
        case auditedChanges = "audited_changes"
        case requestUuid = "request_uuid"
        case createdAt = "created_at"
        case remoteAddress = "remote_address"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.auditableId, forKey: .auditableId)
        try container.encode(self.auditableType, forKey: .auditableType)
        try container.encode(self.associatedId, forKey: .associatedId)
        try container.encode(self.associatedType, forKey: .associatedType)
        try container.encodeIfPresent(self.userId, forKey: .userId)
        try container.encodeIfPresent(self.userType, forKey: .userType)
        try container.encodeIfPresent(self.username, forKey: .username)
        try container.encode(self.action, forKey: .action)
        try container.encode(self.auditedChanges, forKey: .auditedChanges)
        try container.encode(self.version, forKey: .version)
        // The swagger makes these two nullable; Chatwoot sends them as null.
        try container.encode(self.comment, forKey: .comment)
        try container.encode(self.requestUuid, forKey: .requestUuid)
        try container.encode(self.createdAt, forKey: .createdAt)
        try container.encode(self.remoteAddress, forKey: .remoteAddress)
    }
}

/// `GET /audit_logs`: a page of 15, newest first, with the total.
public struct ChatwootAuditLogPage: Codable, Sendable, Equatable {
    public var perPage: Int
    public var totalEntries: Int
    public var currentPage: Int
    public var auditLogs: [ChatwootAuditLog]

    public init(perPage: Int, totalEntries: Int, currentPage: Int, auditLogs: [ChatwootAuditLog]) {
        self.perPage = perPage
        self.totalEntries = totalEntries
        self.currentPage = currentPage
        self.auditLogs = auditLogs
    }

    enum CodingKeys: String, CodingKey {
        case perPage = "per_page"
        case totalEntries = "total_entries"
        case currentPage = "current_page"
        case auditLogs = "audit_logs"
    }
}

/// A canned response (swagger `canned_response`; Chatwoot renders the record: times as ISO 8601 text).
public struct ChatwootCannedResponse: Codable, Sendable, Equatable {
    public var id: Int
    public var accountId: Int
    public var shortCode: String
    public var content: String
    public var createdAt: String
    public var updatedAt: String

    public init(id: Int, accountId: Int, shortCode: String, content: String, createdAt: String, updatedAt: String) {
        self.id = id
        self.accountId = accountId
        self.shortCode = shortCode
        self.content = content
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, content
        case accountId = "account_id"
        case shortCode = "short_code"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A custom attribute definition (swagger `custom_attribute`, Chatwoot's `_custom_attribute_definition` partial):
/// display type and model by name, `attribute_values` the list's options.
public struct ChatwootCustomAttribute: Codable, Sendable, Equatable {
    public var id: Int
    public var attributeDisplayName: String
    public var attributeDisplayType: String
    public var attributeDescription: String?
    public var attributeKey: String
    public var regexPattern: String?
    public var regexCue: String?
    public var attributeValues: [String]
    public var attributeModel: String
    public var defaultValue: String?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: Int, attributeDisplayName: String, attributeDisplayType: String, attributeDescription: String?, attributeKey: String,
        regexPattern: String?, regexCue: String?, attributeValues: [String], attributeModel: String, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.attributeDisplayName = attributeDisplayName
        self.attributeDisplayType = attributeDisplayType
        self.attributeDescription = attributeDescription
        self.attributeKey = attributeKey
        self.regexPattern = regexPattern
        self.regexCue = regexCue
        self.attributeValues = attributeValues
        self.attributeModel = attributeModel
        self.defaultValue = nil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case attributeDisplayName = "attribute_display_name"
        case attributeDisplayType = "attribute_display_type"
        case attributeDescription = "attribute_description"
        case attributeKey = "attribute_key"
        case regexPattern = "regex_pattern"
        case regexCue = "regex_cue"
        case attributeValues = "attribute_values"
        case attributeModel = "attribute_model"
        case defaultValue = "default_value"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case id
    }
}

/// A saved filter (swagger `custom_filter`; Chatwoot names the type `filter_type`): one user's, in one account.
public struct ChatwootCustomFilter: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var filterType: String
    public var query: JSONValue
    public var createdAt: String
    public var updatedAt: String

    public init(id: Int, name: String, filterType: String, query: JSONValue, createdAt: String, updatedAt: String) {
        self.id = id
        self.name = name
        self.filterType = filterType
        self.query = query
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, query
        case filterType = "filter_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

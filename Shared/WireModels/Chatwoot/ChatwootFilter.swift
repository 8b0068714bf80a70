/// Chatwoot's filter payload (`POST /contacts/filter`, `/conversations/filter`, a custom filter's `query`):
/// conditions chained by each one's `query_operator` to the next.
public struct ChatwootFilterPayload: Codable, Sendable, Equatable {
    public var payload: [ChatwootFilterCondition]

    public init(payload: [ChatwootFilterCondition]) {
        self.payload = payload
    }
}

/// One condition: an attribute (standard, additional or a custom attribute's key), an operator, its values, and
/// `AND`/`OR` joining it to the next condition (nil on the last).
public struct ChatwootFilterCondition: Codable, Sendable, Equatable {
    public var attributeKey: String
    public var filterOperator: String
    /// Strings as documented; Chatwoot's dashboard also sends numbers, booleans and `{id, name}` objects, and a bare
    /// string where one value is meant.
    public var values: JSONValue?
    public var queryOperator: String?
    /// `contact_attribute` or `conversation_attribute`, which the dashboard sends with custom attributes.
    public var customAttributeType: String?

    public init(
        attributeKey: String, filterOperator: String, values: JSONValue? = nil, queryOperator: String? = nil, customAttributeType: String? = nil
    ) {
        self.attributeKey = attributeKey
        self.filterOperator = filterOperator
        self.values = values
        self.queryOperator = queryOperator
        self.customAttributeType = customAttributeType
    }

    enum CodingKeys: String, CodingKey {
        case values
        case attributeKey = "attribute_key"
        case filterOperator = "filter_operator"
        case queryOperator = "query_operator"
        case customAttributeType = "custom_attribute_type"
    }
}

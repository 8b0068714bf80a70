import Foundation

/// `POST /contact/contacts:query` (L773–L788). The seed's `filterLogicalExpresssion` (three s) is the wire name; the
/// corrected spelling is read too (spec §6 #8). Keys in any case.
public struct Comm100ContactQuery: Decodable, Sendable, Equatable {
    public var pageIndex: Int?
    public var pageSize: Int?
    public var sortBy: String?
    public var sortOrder: String?
    public var keywords: String?
    public var filterConditionMetType: String?
    public var filterLogicalExpression: String?
    public var filterConditions: [Comm100ContactFilterCondition]?

    public init(
        pageIndex: Int? = nil, pageSize: Int? = nil, sortBy: String? = nil, sortOrder: String? = nil, keywords: String? = nil,
        filterConditionMetType: String? = nil, filterLogicalExpression: String? = nil, filterConditions: [Comm100ContactFilterCondition]? = nil
    ) {
        self.pageIndex = pageIndex
        self.pageSize = pageSize
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.keywords = keywords
        self.filterConditionMetType = filterConditionMetType
        self.filterLogicalExpression = filterLogicalExpression
        self.filterConditions = filterConditions
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.pageIndex = try members.decode(OutreachInt.self, "pageIndex")?.value
        self.pageSize = try members.decode(OutreachInt.self, "pageSize")?.value
        self.sortBy = try members.decode(String.self, "sortBy")
        self.sortOrder = try members.decode(String.self, "sortOrder")
        self.keywords = try members.decode(String.self, "keywords")
        self.filterConditionMetType = try members.decode(String.self, "filterConditionMetType")
        self.filterLogicalExpression = try members.decode(String.self, "filterLogicalExpresssion", "filterLogicalExpression")
        self.filterConditions = try members.decode([Comm100ContactFilterCondition].self, "filterConditions")
    }
}

/// A contact filter condition (L1427–L1435) as clients send it: `fieldName`, `operator`, `value`, `order` in any case
/// (the seed's examples write `FieldName`, `"Order": "0"`, L109–L112); `id` and `campaignId` are the server's.
public struct Comm100ContactFilterCondition: Decodable, Sendable, Equatable {
    public var fieldName: String?
    public var `operator`: String?
    public var value: String?
    public var order: Int?

    public init(fieldName: String?, operator: String?, value: String?, order: Int?) {
        self.fieldName = fieldName
        self.operator = `operator`
        self.value = value
        self.order = order
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.fieldName = try members.decode(String.self, "fieldName")
        self.operator = try members.decode(String.self, "operator")
        self.value = try members.decode(OutreachText.self, "value")?.value
        self.order = try members.decode(OutreachInt.self, "order")?.value
        _ = try members.decode(String.self, "id")
        _ = try members.decode(String.self, "campaignId")
    }
}

import Foundation

/// A saved view of conversations (seed 000 L732–L739, spec §4): its conditions pick the conversations it shows. A
/// private view is seen only by the agent who made it. The list of views leaves `conditions` out (L759).
public struct AnytimeView: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var isPrivate: Bool
    public var createdById: String
    public var conditions: AnytimeConditions?

    public init(id: String, name: String, isPrivate: Bool, createdById: String, conditions: AnytimeConditions?) {
        self.id = id
        self.name = name
        self.isPrivate = isPrivate
        self.createdById = createdById
        self.conditions = conditions
    }
}

/// How a view's conditions combine (L741–L746): every one, any one, or `logicExpression` over their `orderNum`s.
public struct AnytimeConditions: Codable, Sendable, Equatable {
    public var when: AnytimeConditionsWhen
    public var logicExpression: String?
    public var list: [AnytimeCondition]

    public init(when: AnytimeConditionsWhen, logicExpression: String?, list: [AnytimeCondition]) {
        self.when = when
        self.logicExpression = logicExpression
        self.list = list
    }
}

/// `when` of conditions (L743).
public enum AnytimeConditionsWhen: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case all, any, logicalExpression
}

/// One condition (L748–L756): a field compared with a value.
public struct AnytimeCondition: Codable, Sendable, Equatable {
    public var id: String
    public var type: AnytimeConditionType
    public var fieldId: String
    public var matchType: AnytimeMatchType
    public var value: String
    public var orderNum: Int

    public init(id: String, type: AnytimeConditionType, fieldId: String, matchType: AnytimeMatchType, value: String, orderNum: Int) {
        self.id = id
        self.type = type
        self.fieldId = fieldId
        self.matchType = matchType
        self.value = value
        self.orderNum = orderNum
    }
}

/// What owns a condition (L751); set by the server.
public enum AnytimeConditionType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case view, trigger, sla, routingRule
}

/// `matchType` of a condition (L754), also of the list's `conditions[i][matchType]` (L234–L237).
public enum AnytimeMatchType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case contains, notContains, `is`, isNot, isMoreThan, isLessThan, before, after
}

/// `POST /views` and `PUT /views/{id}` (L766–L790): `name` is required on create; on update members left out keep
/// their value and `conditions`, when given, replaces the stored ones (spec §2.3).
public struct AnytimeViewInput: Codable, Sendable, Equatable {
    public var name: String?
    public var isPrivate: Bool?
    public var conditions: AnytimeConditionsInput?

    public init(name: String?, isPrivate: Bool? = nil, conditions: AnytimeConditionsInput? = nil) {
        self.name = name
        self.isPrivate = isPrivate
        self.conditions = conditions
    }
}

/// Conditions as a client sends them; `when` defaults to `all`.
public struct AnytimeConditionsInput: Codable, Sendable, Equatable {
    public var when: AnytimeConditionsWhen?
    public var logicExpression: String?
    public var list: [AnytimeConditionInput]?

    public init(when: AnytimeConditionsWhen? = nil, logicExpression: String? = nil, list: [AnytimeConditionInput]?) {
        self.when = when
        self.logicExpression = logicExpression
        self.list = list
    }
}

/// A condition as a client sends it: the server gives it its `id` and `type`; `orderNum` defaults to its place (from 1).
public struct AnytimeConditionInput: Codable, Sendable, Equatable {
    public var type: String?
    public var fieldId: String?
    public var matchType: AnytimeMatchType?
    public var value: String?
    public var orderNum: Int?

    public init(fieldId: String?, matchType: AnytimeMatchType?, value: String?, orderNum: Int? = nil) {
        self.fieldId = fieldId
        self.matchType = matchType
        self.value = value
        self.orderNum = orderNum
    }
}

/// `GET /conversations/unreadCount` (L538–L547): unread conversations of the site, and per view those unread and
/// those unread that mention the caller (the seed leaves the array's key unnamed: `views`, spec §6 C13).
public struct AnytimeUnreadCounts: Codable, Sendable, Equatable {
    public var allCount: Int
    public var views: [AnytimeViewUnreadCount]

    public init(allCount: Int, views: [AnytimeViewUnreadCount]) {
        self.allCount = allCount
        self.views = views
    }
}

/// One view's unread counts.
public struct AnytimeViewUnreadCount: Codable, Sendable, Equatable {
    public var viewId: String
    public var unreadCount: Int
    public var unreadMentionedCount: Int

    public init(viewId: String, unreadCount: Int, unreadMentionedCount: Int) {
        self.viewId = viewId
        self.unreadCount = unreadCount
        self.unreadMentionedCount = unreadMentionedCount
    }
}

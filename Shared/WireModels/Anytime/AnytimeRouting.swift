import Foundation

/// Where routing sends a conversation (L802–L827): an agent or a department.
public enum AnytimeRouteType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case department, agent
}

/// Routing's mode (L804): one target for every new conversation, or custom rules with a fallback.
public enum AnytimeRoutingType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case simple, customRules
}

/// The site's routing (L802–L813), a singleton without an id (spec §6 R1, R2): custom rules by `orderNum`;
/// `matchFailedrouteToId` keeps the seed's casing (R3).
public struct AnytimeRouting: Codable, Sendable, Equatable {
    public var isEnabled: Bool
    public var type: AnytimeRoutingType
    public var simpleRouteType: AnytimeRouteType?
    public var simpleRouteToId: String?
    public var simpleRouteWithPriority: AnytimePriority?
    public var customRules: [AnytimeRoutingRule]
    public var matchFailedType: AnytimeRouteType?
    public var matchFailedrouteToId: String?
    public var matchFailedWithPriority: AnytimePriority?

    public init(
        isEnabled: Bool, type: AnytimeRoutingType, simpleRouteType: AnytimeRouteType?, simpleRouteToId: String?,
        simpleRouteWithPriority: AnytimePriority?, customRules: [AnytimeRoutingRule], matchFailedType: AnytimeRouteType?,
        matchFailedrouteToId: String?, matchFailedWithPriority: AnytimePriority?
    ) {
        self.isEnabled = isEnabled
        self.type = type
        self.simpleRouteType = simpleRouteType
        self.simpleRouteToId = simpleRouteToId
        self.simpleRouteWithPriority = simpleRouteWithPriority
        self.customRules = customRules
        self.matchFailedType = matchFailedType
        self.matchFailedrouteToId = matchFailedrouteToId
        self.matchFailedWithPriority = matchFailedWithPriority
    }
}

/// A custom routing rule (L815–L827): the first enabled one by `orderNum` whose conditions a new conversation meets
/// routes it; `routingId` is the site's id (the routing is the site's singleton).
public struct AnytimeRoutingRule: Codable, Sendable, Equatable {
    public var id: String
    public var routingId: String
    public var orderNum: Int
    public var isEnabled: Bool
    public var name: String
    public var conditions: AnytimeConditions
    public var routeType: AnytimeRouteType
    public var routeToId: String
    public var routeWithPriority: AnytimePriority?

    public init(
        id: String, routingId: String, orderNum: Int, isEnabled: Bool, name: String, conditions: AnytimeConditions, routeType: AnytimeRouteType,
        routeToId: String, routeWithPriority: AnytimePriority?
    ) {
        self.id = id
        self.routingId = routingId
        self.orderNum = orderNum
        self.isEnabled = isEnabled
        self.name = name
        self.conditions = conditions
        self.routeType = routeType
        self.routeToId = routeToId
        self.routeWithPriority = routeWithPriority
    }
}

/// A priority as routing's inputs take it (spec §6 R6): `urgent`, `high`, `normal` or `low`, or the "priority enum
/// number" 0–3 (urgent = 0 … low = 3), as a number or numeric text. Kept as sent; the service checks it.
public struct AnytimePriorityValue: Codable, Sendable, Equatable, SchemaProviding {
    public var text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let number = try? container.decode(Int.self) {
            self.text = String(number)
        } else {
            throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "not a priority"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.text)
    }

    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema {
        var names = JSONSchema(type: .string)
        names.enum = AnytimePriority.allCases.map { .string($0.rawValue) }
        return .anyOf([names, JSONSchema(type: .integer)])
    }
    public static var schemaSample: Self? { Self("normal") }
}

/// `PUT /routing/{id}` and `PUT /routing` (L844–L858): members left out keep their value; `matchFailedToId` (the
/// parameter's name) and `matchFailedrouteToId` (the object's) are the same member (spec §6 R3); `orderNum` is
/// ignored (R4), and custom rules change only through their own endpoints.
public struct AnytimeRoutingInput: Codable, Sendable, Equatable {
    public var isEnabled: Bool?
    public var type: AnytimeRoutingType?
    public var simpleRouteType: AnytimeRouteType?
    public var simpleRouteToId: String?
    public var simpleRouteWithPriority: AnytimePriorityValue?
    public var matchFailedType: AnytimeRouteType?
    public var matchFailedToId: String?
    public var matchFailedrouteToId: String?
    public var matchFailedWithPriority: AnytimePriorityValue?
    public var orderNum: Int?

    public init(
        isEnabled: Bool? = nil, type: AnytimeRoutingType? = nil, simpleRouteType: AnytimeRouteType? = nil, simpleRouteToId: String? = nil,
        simpleRouteWithPriority: AnytimePriorityValue? = nil, matchFailedType: AnytimeRouteType? = nil, matchFailedToId: String? = nil,
        matchFailedrouteToId: String? = nil, matchFailedWithPriority: AnytimePriorityValue? = nil, orderNum: Int? = nil
    ) {
        self.isEnabled = isEnabled
        self.type = type
        self.simpleRouteType = simpleRouteType
        self.simpleRouteToId = simpleRouteToId
        self.simpleRouteWithPriority = simpleRouteWithPriority
        self.matchFailedType = matchFailedType
        self.matchFailedToId = matchFailedToId
        self.matchFailedrouteToId = matchFailedrouteToId
        self.matchFailedWithPriority = matchFailedWithPriority
        self.orderNum = orderNum
    }
}

/// `POST /routing/customRules` and `PUT /routing/customRules/{id}` (L868–L889): `name`, `routeType` and `routeToId`
/// are required on create; on update members left out keep their value and `conditions`, when given, replaces the
/// stored ones. A new rule goes last; `orderNum` changes only through sort.
public struct AnytimeRoutingRuleInput: Codable, Sendable, Equatable {
    public var name: String?
    public var isEnabled: Bool?
    public var conditions: AnytimeConditionsInput?
    public var routeType: AnytimeRouteType?
    public var routeToId: String?
    public var routeWithPriority: AnytimePriorityValue?

    public init(
        name: String? = nil, isEnabled: Bool? = nil, conditions: AnytimeConditionsInput? = nil, routeType: AnytimeRouteType? = nil,
        routeToId: String? = nil, routeWithPriority: AnytimePriorityValue? = nil
    ) {
        self.name = name
        self.isEnabled = isEnabled
        self.conditions = conditions
        self.routeType = routeType
        self.routeToId = routeToId
        self.routeWithPriority = routeWithPriority
    }
}

/// `PUT /routing/enable`, `PUT /routing/customRules/{id}/enable` and `PUT /autoAllocation/enable`: `isEnabled` is required.
public struct AnytimeIsEnabledInput: Codable, Sendable, Equatable {
    public var isEnabled: Bool?

    public init(isEnabled: Bool?) {
        self.isEnabled = isEnabled
    }
}

/// How auto allocation picks among a pool's agents (L920–L926).
public enum AnytimeAllocationRuleType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case loadBalancing, roundRobin
}

/// A department's own allocation rule (L920–L926); `departmentName` comes from the directory.
public struct AnytimeAllocationRule: Codable, Sendable, Equatable {
    public var departmentId: String
    public var departmentName: String
    public var allocationRule: AnytimeAllocationRuleType
    public var preferLastAssignee: Bool

    public init(departmentId: String, departmentName: String, allocationRule: AnytimeAllocationRuleType, preferLastAssignee: Bool) {
        self.departmentId = departmentId
        self.departmentName = departmentName
        self.allocationRule = allocationRule
        self.preferLastAssignee = preferLastAssignee
    }
}

/// An agent's allocation preference (L928–L933): `maxConcurrentCount` overrides the limit for all agents when set.
public struct AnytimeAgentPreference: Codable, Sendable, Equatable {
    public var agentId: String
    public var maxConcurrentCount: Int?
    public var isAcceptAllocation: Bool

    public init(agentId: String, maxConcurrentCount: Int?, isAcceptAllocation: Bool) {
        self.agentId = agentId
        self.maxConcurrentCount = maxConcurrentCount
        self.isAcceptAllocation = isAcceptAllocation
    }
}

/// The site's auto allocation settings (L907–L918; spec §5.15).
public struct AnytimeAutoAllocation: Codable, Sendable, Equatable {
    public var isEnabled: Bool
    public var departmentAllocationRule: [AnytimeAllocationRule]
    public var defaultRule: AnytimeAllocationRuleType
    public var defaultPreferLastAssignee: Bool
    public var ifEnableConversationLimitForEachAgent: Bool
    public var conversationLimitForAllAgents: Int
    public var agentPreferences: [AnytimeAgentPreference]
    public var excludePendingExternal: Bool
    public var excludeOnHold: Bool

    public init(
        isEnabled: Bool, departmentAllocationRule: [AnytimeAllocationRule], defaultRule: AnytimeAllocationRuleType, defaultPreferLastAssignee: Bool,
        ifEnableConversationLimitForEachAgent: Bool, conversationLimitForAllAgents: Int, agentPreferences: [AnytimeAgentPreference],
        excludePendingExternal: Bool, excludeOnHold: Bool
    ) {
        self.isEnabled = isEnabled
        self.departmentAllocationRule = departmentAllocationRule
        self.defaultRule = defaultRule
        self.defaultPreferLastAssignee = defaultPreferLastAssignee
        self.ifEnableConversationLimitForEachAgent = ifEnableConversationLimitForEachAgent
        self.conversationLimitForAllAgents = conversationLimitForAllAgents
        self.agentPreferences = agentPreferences
        self.excludePendingExternal = excludePendingExternal
        self.excludeOnHold = excludeOnHold
    }
}

/// A department's rule as a client sends it; `departmentName` is ignored (the directory's is shown).
public struct AnytimeAllocationRuleInput: Codable, Sendable, Equatable {
    public var departmentId: String?
    public var departmentName: String?
    public var allocationRule: AnytimeAllocationRuleType?
    public var preferLastAssignee: Bool?

    public init(
        departmentId: String? = nil, departmentName: String? = nil, allocationRule: AnytimeAllocationRuleType? = nil, preferLastAssignee: Bool? = nil
    ) {
        self.departmentId = departmentId
        self.departmentName = departmentName
        self.allocationRule = allocationRule
        self.preferLastAssignee = preferLastAssignee
    }
}

/// An agent's preference as a client sends it.
public struct AnytimeAgentPreferenceInput: Codable, Sendable, Equatable {
    public var agentId: String?
    public var maxConcurrentCount: Int?
    public var isAcceptAllocation: Bool?

    public init(agentId: String? = nil, maxConcurrentCount: Int? = nil, isAcceptAllocation: Bool? = nil) {
        self.agentId = agentId
        self.maxConcurrentCount = maxConcurrentCount
        self.isAcceptAllocation = isAcceptAllocation
    }
}

/// `PUT /autoAllocation` (L950–L961): members left out keep their value; a list given replaces the stored one. Takes
/// the object's names and the documented parameter names alike (spec §6 AA1): `departmentAllocationRule` or
/// `allocationRuleSettings`, `agentPreferences` or `allocationAgentPreferences`, `excludePendingExternal` or
/// `ifExcludePendingExternal`, `excludeOnHold` or `ifExcludeOnHold`.
public struct AnytimeAutoAllocationInput: Codable, Sendable, Equatable {
    public var isEnabled: Bool?
    public var departmentAllocationRule: [AnytimeAllocationRuleInput]?
    public var allocationRuleSettings: [AnytimeAllocationRuleInput]?
    public var defaultRule: AnytimeAllocationRuleType?
    public var defaultPreferLastAssignee: Bool?
    public var ifEnableConversationLimitForEachAgent: Bool?
    public var conversationLimitForAllAgents: Int?
    public var agentPreferences: [AnytimeAgentPreferenceInput]?
    public var allocationAgentPreferences: [AnytimeAgentPreferenceInput]?
    public var excludePendingExternal: Bool?
    public var ifExcludePendingExternal: Bool?
    public var excludeOnHold: Bool?
    public var ifExcludeOnHold: Bool?

    public init(
        isEnabled: Bool? = nil, departmentAllocationRule: [AnytimeAllocationRuleInput]? = nil,
        allocationRuleSettings: [AnytimeAllocationRuleInput]? = nil,
        defaultRule: AnytimeAllocationRuleType? = nil, defaultPreferLastAssignee: Bool? = nil, ifEnableConversationLimitForEachAgent: Bool? = nil,
        conversationLimitForAllAgents: Int? = nil, agentPreferences: [AnytimeAgentPreferenceInput]? = nil,
        allocationAgentPreferences: [AnytimeAgentPreferenceInput]? = nil, excludePendingExternal: Bool? = nil, ifExcludePendingExternal: Bool? = nil,
        excludeOnHold: Bool? = nil, ifExcludeOnHold: Bool? = nil
    ) {
        self.isEnabled = isEnabled
        self.departmentAllocationRule = departmentAllocationRule
        self.allocationRuleSettings = allocationRuleSettings
        self.defaultRule = defaultRule
        self.defaultPreferLastAssignee = defaultPreferLastAssignee
        self.ifEnableConversationLimitForEachAgent = ifEnableConversationLimitForEachAgent
        self.conversationLimitForAllAgents = conversationLimitForAllAgents
        self.agentPreferences = agentPreferences
        self.allocationAgentPreferences = allocationAgentPreferences
        self.excludePendingExternal = excludePendingExternal
        self.ifExcludePendingExternal = ifExcludePendingExternal
        self.excludeOnHold = excludeOnHold
        self.ifExcludeOnHold = ifExcludeOnHold
    }
}

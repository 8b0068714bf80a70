import Conditions
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// A view's input checked (spec §5.10, decisions 219–220): a name of at most 256 characters, and conditions whose
/// fields, match types, values, `orderNum`s and logical expression are all valid.
struct ViewDefinition: Sendable {
    static let maxName = 256

    var name: String?
    var isPrivate: Bool?
    var conditions: ConditionList?

    /// Conditions as they are stored: `logicExpression` only with `when: logicalExpression`.
    struct ConditionList: Sendable {
        var when: AnytimeConditionsWhen
        var logicExpression: String?
        var list: [ConversationConditions.Checked]
    }

    /// `custom`: the site's fields, for conditions on custom fields.
    init(_ input: AnytimeViewInput, creating: Bool, custom: [FieldDefinition]) throws {
        if let text = input.name {
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw ServiceError.invalid("name", "Field 'name' cannot be empty.") }
            self.name = try AnytimeLimits.bounded(name, "name", limit: Self.maxName)
        } else if creating {
            throw ServiceError.missing("name")
        }
        self.isPrivate = input.isPrivate
        self.conditions = try input.conditions.map { try Self.conditions($0, custom: custom) }
    }

    /// Whether `input` names a field that is not a system field (the site's fields must then be read to check it).
    static func needsCustomFields(_ input: AnytimeViewInput) -> Bool {
        ConversationConditions.needsCustomFields((input.conditions?.list ?? []).compactMap(\.fieldId))
    }

    static func conditions(_ input: AnytimeConditionsInput, custom: [FieldDefinition]) throws -> ConditionList {
        let list = input.list ?? []
        guard list.count <= ConversationConditions.maxConditions else {
            throw ServiceError.invalid(
                "conditions.list", "Field 'conditions.list' may hold at most \(ConversationConditions.maxConditions) conditions.")
        }
        var checked: [ConversationConditions.Checked] = []
        var numbers = Set<Int>()
        for (index, condition) in list.enumerated() {
            let member = "conditions.list[\(index)]"
            let orderNum = condition.orderNum ?? index + 1
            guard (1...1000).contains(orderNum) else {
                throw ServiceError.invalid("\(member).orderNum", "Field '\(member).orderNum' must be between 1 and 1000.")
            }
            guard numbers.insert(orderNum).inserted else {
                throw ServiceError.invalid("\(member).orderNum", "Field '\(member).orderNum' repeats \(orderNum); each condition needs its own.")
            }
            checked.append(
                try ConversationConditions.check(
                    field: condition.fieldId, matchType: condition.matchType, value: condition.value, orderNum: orderNum, custom: custom,
                    name: { "\(member).\($0)" }))
        }
        checked.sort { $0.orderNum < $1.orderNum }
        let when = input.when ?? .all
        _ = try ConversationConditions.combination(when, expression: input.logicExpression, conditions: checked, member: "conditions.logicExpression")
        let expression = when == .logicalExpression ? input.logicExpression?.trimmingCharacters(in: .whitespaces) : nil
        return ConditionList(when: when, logicExpression: expression, list: checked)
    }
}

extension ViewDefinition {
    /// The SQL predicate of a stored view's conditions; nil when it has none (it shows every conversation).
    static func predicate(of view: ViewRow, tx: Tx) async throws -> (any SQLExpression)? {
        let rows = try await tx.views.conditions(of: view.id)
        let custom =
            ConversationConditions.needsCustomFields(rows.map(\.fieldId)) ? try await FieldCatalog.all(site: view.siteId, tx: tx) : []
        let conditions = rows.map { $0.checked(custom: custom) }
        let combination = try ConversationConditions.combination(
            view.when, expression: view.logicExpression, conditions: conditions, member: "viewId")
        return try ConversationConditions.predicate(conditions, combination: combination)
    }
}

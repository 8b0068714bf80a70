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

    init(_ input: AnytimeViewInput, creating: Bool) throws {
        if let text = input.name {
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw ServiceError.invalid("name", "Field 'name' cannot be empty.") }
            self.name = try AnytimeLimits.bounded(name, "name", limit: Self.maxName)
        } else if creating {
            throw ServiceError.missing("name")
        }
        self.isPrivate = input.isPrivate
        self.conditions = try input.conditions.map { try Self.conditions($0) }
    }

    static func conditions(_ input: AnytimeConditionsInput) throws -> ConditionList {
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
                    field: condition.fieldId, matchType: condition.matchType, value: condition.value, orderNum: orderNum,
                    name: { "\(member).\($0)" }))
        }
        checked.sort { $0.orderNum < $1.orderNum }
        let when = input.when ?? .all
        _ = try ConversationConditions.combination(when, expression: input.logicExpression, conditions: checked, member: "conditions.logicExpression")
        let expression = when == .logicalExpression ? input.logicExpression?.trimmingCharacters(in: .whitespaces) : nil
        return ConditionList(when: when, logicExpression: expression, list: checked)
    }
}

extension ViewSQLRepository {
    /// The SQL predicate of a stored view's conditions; nil when it has none (it shows every conversation).
    func predicate(of view: ViewRow) async throws -> (any SQLExpression)? {
        let conditions = try await self.conditions(of: view.id).map(\.checked)
        let combination = try ConversationConditions.combination(
            view.when, expression: view.logicExpression, conditions: conditions, member: "viewId")
        return try ConversationConditions.predicate(conditions, combination: combination)
    }
}

import Foundation

/// Numbered conditions over a subject's fields, combined by `all`, `any` or a logical expression such as
/// `(1 and 2) or not 3`. Comm100's auto invitations, routing rules and visitor segments use it, and so can
/// any service whose API filters with the same structure.
public struct ConditionSet: Sendable, Equatable {
    /// How the conditions combine.
    public enum Combination: Sendable, Equatable {
        case all
        case any
        case expression(LogicalExpression)
    }

    public var combination: Combination
    public var conditions: [Condition]

    /// Checks the numbers, operators, values and expression; the error names what is wrong.
    ///
    /// - Parameter fields: the field names a condition may use (lowercased); nil accepts any. Names with a
    ///   `prefix.` in `openPrefixes` (such as `customVariable.`) are accepted whatever follows.
    public init(
        when: String, logicalExpression: String?, conditions: [Condition], fields: Set<String>? = nil, openPrefixes: [String] = []
    ) throws(ConditionError) {
        var numbers = Set<Int>()
        for condition in conditions {
            guard condition.number >= 1 else { throw ConditionError("Condition number \(condition.number) must be 1 or more.") }
            guard numbers.insert(condition.number).inserted else { throw ConditionError("Condition number \(condition.number) is used twice.") }
            if let fields {
                let name = condition.field.lowercased()
                let open = openPrefixes.contains { name.hasPrefix($0.lowercased()) && name.count > $0.count }
                guard fields.contains(name) || open else {
                    throw ConditionError("Condition \(condition.number) uses the unknown field '\(condition.field)'.")
                }
            }
            try condition.checkValue()
        }
        switch when.lowercased() {
        case "all": self.combination = .all
        case "any": self.combination = .any
        case "logicalexpression":
            guard let text = logicalExpression, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConditionError("A logical expression is required when 'when' is logicalExpression.")
            }
            let expression = try LogicalExpression.parse(text)
            if let unknown = expression.numbers.subtracting(numbers).sorted().first {
                throw ConditionError("The logical expression refers to condition \(unknown), which is not in the list.")
            }
            self.combination = .expression(expression)
        default:
            throw ConditionError("'when' must be all, any or logicalExpression, not '\(when)'.")
        }
        self.conditions = conditions
    }

    /// Whether a subject with these field values matches. An empty list never matches, so a rule nobody
    /// filled in routes nothing.
    public func matches(_ facts: Facts) -> Bool {
        guard !self.conditions.isEmpty else { return false }
        switch self.combination {
        case .all: return self.conditions.allSatisfy { $0.matches(facts) }
        case .any: return self.conditions.contains { $0.matches(facts) }
        case .expression(let expression):
            let outcomes = Dictionary(uniqueKeysWithValues: self.conditions.map { ($0.number, $0.matches(facts)) })
            return expression.evaluate { outcomes[$0] ?? false }
        }
    }
}

/// A subject's field values by case-insensitive name.
public struct Facts: Sendable {
    private var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public subscript(field: String) -> String? { self.values[field.lowercased()] }
}

/// Why a condition set is invalid, in words a client can act on.
public struct ConditionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

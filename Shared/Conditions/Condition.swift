import Foundation

/// One numbered comparison of a field with a value.
public struct Condition: Sendable, Equatable {
    public var number: Int
    public var field: String
    public var comparison: Comparison
    public var value: String

    public init(number: Int, field: String, operator name: String, value: String) throws(ConditionError) {
        guard let comparison = Comparison(name: name) else {
            throw ConditionError(
                "Condition \(number) has the unknown operator '\(name)'; use one of \(Comparison.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        self.number = number
        self.field = field
        self.comparison = comparison
        self.value = value
    }

    /// Numeric operators need a number and regular expressions must compile.
    func checkValue() throws(ConditionError) {
        if self.comparison.isNumeric, Double(self.value.trimmingCharacters(in: .whitespaces)) == nil {
            throw ConditionError(
                "Condition \(self.number) compares with '\(self.comparison.rawValue)', so its value must be a number, not '\(self.value)'.")
        }
        if self.comparison == .regularExpression, (try? NSRegularExpression(pattern: self.value)) == nil {
            throw ConditionError("Condition \(self.number) has an invalid regular expression '\(self.value)'.")
        }
    }

    /// Text compares case-insensitively; a missing field is empty text, and is never more or less than a number.
    public func matches(_ facts: Facts) -> Bool {
        let actual = facts[self.field] ?? ""
        let text = actual.lowercased()
        let wanted = self.value.lowercased()
        switch self.comparison {
        case .is: return text == wanted
        case .isNot: return text != wanted
        case .contains: return text.contains(wanted)
        case .notContains: return !text.contains(wanted)
        case .regularExpression:
            guard let pattern = try? NSRegularExpression(pattern: self.value, options: .caseInsensitive) else { return false }
            return pattern.firstMatch(in: actual, range: NSRange(actual.startIndex..., in: actual)) != nil
        case .moreThan, .lessThan, .notMoreThan, .notLessThan:
            guard let number = Double(actual.trimmingCharacters(in: .whitespaces)),
                let limit = Double(self.value.trimmingCharacters(in: .whitespaces))
            else {
                return false
            }
            switch self.comparison {
            case .moreThan: return number > limit
            case .lessThan: return number < limit
            case .notMoreThan: return number <= limit
            default: return number >= limit
            }
        }
    }

    /// The comparisons, named as Comm100 names them, with the spellings its APIs use as aliases.
    public enum Comparison: String, Sendable, CaseIterable {
        case `is`, isNot, contains, notContains, moreThan, lessThan, notMoreThan, notLessThan, regularExpression

        static let aliases: [String: Comparison] = [
            "equals": .is, "equal": .is, "=": .is, "isnot": .isNot, "notequal": .isNot, "!=": .isNot, "include": .contains, "includes": .contains,
            "notinclude": .notContains, "exclude": .notContains, "doesnotcontain": .notContains, "morethan": .moreThan, "greaterthan": .moreThan,
            "ismorethan": .moreThan, ">": .moreThan, "lessthan": .lessThan, "islessthan": .lessThan, "<": .lessThan, "notmorethan": .notMoreThan,
            "<=": .notMoreThan, "notlessthan": .notLessThan, ">=": .notLessThan, "regex": .regularExpression, "regularexpression": .regularExpression,
        ]

        /// Reads any case, with or without spaces (`not contains`, `Include`, `morethan`).
        public init?(name: String) {
            let key = name.lowercased().replacingOccurrences(of: " ", with: "")
            guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) ?? Self.aliases[key] else { return nil }
            self = match
        }

        var isNumeric: Bool { [.moreThan, .lessThan, .notMoreThan, .notLessThan].contains(self) }
    }
}

/// A boolean expression over condition numbers: `and`, `or`, `not` and parentheses, in any case.
/// `not` binds tighter than `and`, which binds tighter than `or`.
public indirect enum LogicalExpression: Sendable, Equatable {
    case condition(Int)
    case not(LogicalExpression)
    case and(LogicalExpression, LogicalExpression)
    case or(LogicalExpression, LogicalExpression)

    /// The condition numbers the expression refers to.
    public var numbers: Set<Int> {
        switch self {
        case .condition(let number): [number]
        case .not(let inner): inner.numbers
        case .and(let left, let right), .or(let left, let right): left.numbers.union(right.numbers)
        }
    }

    public func evaluate(_ outcome: (Int) -> Bool) -> Bool {
        switch self {
        case .condition(let number): outcome(number)
        case .not(let inner): !inner.evaluate(outcome)
        case .and(let left, let right): left.evaluate(outcome) && right.evaluate(outcome)
        case .or(let left, let right): left.evaluate(outcome) || right.evaluate(outcome)
        }
    }

    /// Parses `text`; the error says where it goes wrong.
    public static func parse(_ text: String) throws(ConditionError) -> LogicalExpression {
        var parser = Parser(tokens: try Self.tokens(text))
        let expression = try parser.disjunction()
        if let extra = parser.peek { throw ConditionError("Unexpected '\(extra.text)' in the logical expression.") }
        return expression
    }

    enum Token: Equatable {
        case number(Int)
        case and, or, not, open, close

        var text: String {
            switch self {
            case .number(let number): String(number)
            case .and: "and"
            case .or: "or"
            case .not: "not"
            case .open: "("
            case .close: ")"
            }
        }
    }

    static func tokens(_ text: String) throws(ConditionError) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "(" || character == ")" {
                tokens.append(character == "(" ? .open : .close)
                index = text.index(after: index)
            } else if character.isNumber || character.isLetter {
                var end = index
                while end < text.endIndex, text[end].isNumber || text[end].isLetter { end = text.index(after: end) }
                let word = text[index..<end].lowercased()
                switch word {
                case "and": tokens.append(.and)
                case "or": tokens.append(.or)
                case "not": tokens.append(.not)
                default:
                    guard let number = Int(word) else { throw ConditionError("'\(word)' is not a condition number, and, or or not.") }
                    tokens.append(.number(number))
                }
                index = end
            } else {
                throw ConditionError("The logical expression may not contain '\(character)'.")
            }
        }
        guard !tokens.isEmpty else { throw ConditionError("The logical expression is empty.") }
        return tokens
    }

    /// Recursive descent over the grammar `or := and ("or" and)*`, `and := unary ("and" unary)*`,
    /// `unary := "not" unary | number | "(" or ")"`.
    struct Parser {
        var tokens: [Token]
        var position = 0

        var peek: Token? { self.position < self.tokens.count ? self.tokens[self.position] : nil }

        mutating func disjunction() throws(ConditionError) -> LogicalExpression {
            var left = try self.conjunction()
            while self.peek == .or {
                self.position += 1
                left = .or(left, try self.conjunction())
            }
            return left
        }

        mutating func conjunction() throws(ConditionError) -> LogicalExpression {
            var left = try self.unary()
            while self.peek == .and {
                self.position += 1
                left = .and(left, try self.unary())
            }
            return left
        }

        mutating func unary() throws(ConditionError) -> LogicalExpression {
            guard let token = self.peek else { throw ConditionError("The logical expression ends too early.") }
            self.position += 1
            switch token {
            case .not: return .not(try self.unary())
            case .number(let number): return .condition(number)
            case .open:
                let inner = try self.disjunction()
                guard self.peek == .close else { throw ConditionError("A '(' in the logical expression is not closed.") }
                self.position += 1
                return inner
            default:
                throw ConditionError("Unexpected '\(token.text)' in the logical expression.")
            }
        }
    }
}

import Conditions
import Foundation
import SQLKit

/// A field conditions may name, allow-listed by the service, and how it reads in SQL.
public struct FilterField: Sendable {
    /// How clients spell it (matched in any case).
    public let name: String
    let kind: Kind

    enum Kind: Sendable {
        /// `text` is the value as text; `number` the value as a number, when numeric comparisons can run in SQL.
        case column(text: any SQLExpression, number: (any SQLExpression)?)
        /// A name looked up by id (an agent's, a department's): the condition is evaluated in Swift against every
        /// known name, and `match` turns the ids whose names hold (and whether an unknown id's empty name holds)
        /// into a predicate.
        case lookup(names: [Int64: String], match: @Sendable (_ ids: [Int64], _ unknownMatches: Bool) -> any SQLExpression)
        /// A yes/no fact about the row, `1` or `0` as text: `is`/`isNot` on it compile to the predicate itself (or its
        /// `NOT`), so an index can serve it; other comparisons read its text. `probe` states the same fact for where
        /// it is negated.
        case flag(any SQLExpression, probe: any SQLExpression)
    }

    /// A text column (NULL reads as empty text).
    public static func text(_ name: String, _ column: any SQLExpression) -> FilterField {
        FilterField(name: name, kind: .column(text: column, number: nil))
    }

    /// An integer column: compared as text by `is`/`contains`, as a number by `moreThan` and the like.
    public static func integer(_ name: String, _ column: any SQLExpression) -> FilterField {
        FilterField(name: name, kind: .column(text: SQLCast(column, as: "TEXT"), number: column))
    }

    /// A value computed in SQL as text (`CASE … END`, a subquery), with an optional numeric form.
    public static func expression(_ name: String, text: any SQLExpression, number: (any SQLExpression)? = nil) -> FilterField {
        FilterField(name: name, kind: .column(text: text, number: number))
    }

    /// A yes/no fact about the row (`1` when `predicate` holds, else `0`): `is 1` compiles to `predicate` as it is
    /// (an indexed `IN`, an `EXISTS`), `is 0` and `isNot 1` to `NOT probe`, instead of a `CASE` no index can serve.
    /// `probe` (by default `predicate`) is the same fact tested row by row, for where it is negated (`isNot`, under a
    /// logical expression's `NOT`): an uncorrelated `IN` there would read every row that holds it to exclude a few.
    public static func flag(_ name: String, _ predicate: any SQLExpression, probe: (any SQLExpression)? = nil) -> FilterField {
        FilterField(name: name, kind: .flag(predicate, probe: probe ?? predicate))
    }

    /// A name looked up by id; see ``Kind/lookup(names:match:)``.
    public static func lookup(
        _ name: String, names: [Int64: String], match: @escaping @Sendable (_ ids: [Int64], _ unknownMatches: Bool) -> any SQLExpression
    ) -> FilterField {
        FilterField(name: name, kind: .lookup(names: names, match: match))
    }
}

/// Compiles conditions (Comm100's `conditions[i][field|operate|value]`, with `all`, `any` or a logical expression)
/// to one SQL predicate, as far as they map to the fields' SQL. Text compares case-insensitively and NULL is empty
/// text, as ``Condition/matches(_:)`` does in Swift; a regular expression, or a number compared with a text column,
/// stays in Swift (``Compiled/residual``).
public struct ConditionFilter: Sendable {
    let fields: [String: FilterField]

    public init(_ fields: [FilterField]) {
        self.fields = Dictionary(fields.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// What runs in SQL and what is left for Swift.
    public struct Compiled: Sendable {
        /// Rows must satisfy this; nil: no condition reached SQL.
        public var predicate: (any SQLExpression)?
        /// Conditions Swift must still check on each row (all of them must hold); empty when SQL did everything.
        public var residual: [Condition]
        /// True when the combination could not be split, so Swift must evaluate the whole set (`any` or an
        /// expression with a condition SQL cannot run).
        public var residualIsWholeSet: Bool
    }

    /// `conditions` combined by `combination`.
    public func compile(_ conditions: [Condition], combination: ConditionSet.Combination = .all) -> Compiled {
        let compiled = Dictionary(conditions.map { ($0.number, self.predicate(for: $0)) }, uniquingKeysWith: { first, _ in first })
        let byNumber = Dictionary(conditions.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        switch combination {
        case .all:
            let mapped = conditions.compactMap { compiled[$0.number] ?? nil }
            return Compiled(
                predicate: mapped.isEmpty ? nil : Self.joined(mapped, by: .and),
                residual: conditions.filter { compiled[$0.number] ?? nil == nil }, residualIsWholeSet: false
            )
        case .any:
            let mapped = conditions.compactMap { compiled[$0.number] ?? nil }
            guard mapped.count == conditions.count else { return Compiled(predicate: nil, residual: conditions, residualIsWholeSet: true) }
            return Compiled(
                predicate: mapped.isEmpty ? SQLLiteral.boolean(false) : Self.joined(mapped, by: .or), residual: [], residualIsWholeSet: false)
        case .expression(let expression):
            guard conditions.allSatisfy({ compiled[$0.number] ?? nil != nil }) else {
                return Compiled(predicate: nil, residual: conditions, residualIsWholeSet: true)
            }
            let tree = Self.tree(expression) { number, negated in byNumber[number].flatMap { self.predicate(for: $0, negated: negated) } }
            return Compiled(predicate: tree, residual: [], residualIsWholeSet: false)
        }
    }

    /// One condition in SQL, or nil when it cannot run there; `negated` when a `NOT` will be put around it.
    public func predicate(for condition: Condition, negated: Bool = false) -> (any SQLExpression)? {
        guard let field = self.fields[condition.field.lowercased()] else { return nil }
        switch field.kind {
        case .flag(let predicate, let probe):
            let wanted = condition.value.trimmingCharacters(in: .whitespaces)
            switch (condition.comparison, wanted) {
            case (.is, "1"), (.isNot, "0"): return negated ? probe : predicate
            case (.is, "0"), (.isNot, "1"): return SQLNot(negated ? predicate : probe)
            default:
                let text = SQLFlagText(predicate)
                return self.predicate(for: condition, text: text, number: SQLCast(text, as: "INTEGER"))
            }
        case .lookup(let names, let match):
            let ids = names.filter { condition.matches(Facts([condition.field: $0.value])) }.keys.sorted()
            return match(ids, condition.matches(Facts([:])))
        case .column(let text, let number):
            return self.predicate(for: condition, text: text, number: number)
        }
    }

    /// `condition` on a value read as `text` (and as `number`, for numeric comparisons, when there is one).
    func predicate(for condition: Condition, text: any SQLExpression, number: (any SQLExpression)?) -> (any SQLExpression)? {
        let wanted = condition.value.lowercased()
        let lowered = SQLFunction("LOWER", args: SQLFunction("COALESCE", args: text, SQLLiteral.string("")))
        switch condition.comparison {
        case .is: return SQLBinaryExpression(lowered, .equal, SQLBind(wanted))
        case .isNot: return SQLBinaryExpression(lowered, .notEqual, SQLBind(wanted))
        case .contains: return SQLLike(lowered, containing: wanted, negated: false)
        case .notContains: return SQLLike(lowered, containing: wanted, negated: true)
        case .regularExpression: return nil
        case .moreThan, .lessThan, .notMoreThan, .notLessThan:
            guard let number else { return nil }
            guard let limit = Double(condition.value.trimmingCharacters(in: .whitespaces)) else { return SQLLiteral.boolean(false) }
            let op: SQLBinaryOperator =
                switch condition.comparison {
                case .moreThan: .greaterThan
                case .lessThan: .lessThan
                case .notMoreThan: .lessThanOrEqual
                default: .greaterThanOrEqual
                }
            return SQLBinaryExpression(number, op, SQLBind(limit))
        }
    }

    /// The predicates joined by `op`, in parentheses so a builder's `where` cannot split them.
    static func joined(_ predicates: [any SQLExpression], by op: SQLBinaryOperator) -> any SQLExpression {
        SQLGroupExpression(
            predicates.dropFirst().reduce(SQLGroupExpression(predicates[0]) as any SQLExpression) {
                SQLBinaryExpression(left: $0, op: op, right: SQLGroupExpression($1))
            })
    }

    /// `expression` in SQL; `leaf` is told whether an odd number of `NOT`s will be around the condition.
    static func tree(
        _ expression: LogicalExpression, negated: Bool = false, _ leaf: (_ number: Int, _ negated: Bool) -> (any SQLExpression)?
    ) -> any SQLExpression {
        switch expression {
        case .condition(let number): SQLGroupExpression(leaf(number, negated) ?? SQLLiteral.boolean(false))
        case .not(let inner): SQLNot(tree(inner, negated: !negated, leaf))
        case .and(let left, let right):
            SQLGroupExpression(
                SQLBinaryExpression(left: tree(left, negated: negated, leaf), op: SQLBinaryOperator.and, right: tree(right, negated: negated, leaf)))
        case .or(let left, let right):
            SQLGroupExpression(
                SQLBinaryExpression(left: tree(left, negated: negated, leaf), op: SQLBinaryOperator.or, right: tree(right, negated: negated, leaf)))
        }
    }
}

/// `expression LIKE '%text%' ESCAPE '\'` with `%`, `_` and `\` in `text` escaped, so they match themselves; SQLKit
/// has no ESCAPE clause and no ILIKE (callers lower both sides).
public struct SQLLike: SQLExpression {
    let expression: any SQLExpression
    let pattern: String
    let negated: Bool

    public init(_ expression: any SQLExpression, containing text: String, negated: Bool = false) {
        self.expression = expression
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        self.pattern = "%" + escaped + "%"
        self.negated = negated
    }

    public func serialize(to serializer: inout SQLSerializer) {
        self.expression.serialize(to: &serializer)
        serializer.write(self.negated ? " NOT LIKE " : " LIKE ")
        SQLBind(self.pattern).serialize(to: &serializer)
        serializer.write(" ESCAPE '\\'")
    }
}

/// `CASE WHEN predicate THEN '1' ELSE '0' END`: a predicate as text conditions can compare.
struct SQLFlagText: SQLExpression {
    let predicate: any SQLExpression
    init(_ predicate: any SQLExpression) { self.predicate = predicate }
    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE WHEN ")
        self.predicate.serialize(to: &serializer)
        serializer.write(" THEN '1' ELSE '0' END")
    }
}

/// `NOT (expression)`.
public struct SQLNot: SQLExpression {
    let expression: any SQLExpression
    public init(_ expression: any SQLExpression) { self.expression = expression }
    public func serialize(to serializer: inout SQLSerializer) {
        serializer.write("NOT ")
        SQLGroupExpression(self.expression).serialize(to: &serializer)
    }
}

/// `CAST(expression AS type)`; `type` is a fixed SQL type name, never client text.
public struct SQLCast: SQLExpression {
    let expression: any SQLExpression
    let type: String
    public init(_ expression: any SQLExpression, as type: StaticString) {
        self.expression = expression
        self.type = "\(type)"
    }
    public func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CAST(")
        self.expression.serialize(to: &serializer)
        serializer.write(" AS \(self.type))")
    }
}

/// `EXISTS (SELECT 1 FROM … WHERE …)`, built with SQLKit's subquery builder.
public struct SQLExists: SQLExpression {
    let subquery: any SQLExpression

    public init(_ build: (any SQLSubqueryClauseBuilder) -> any SQLSubqueryClauseBuilder) {
        self.subquery = SQLSubquery.select { build($0.column(SQLLiteral.numeric("1"))) }
    }

    public func serialize(to serializer: inout SQLSerializer) {
        serializer.write("EXISTS ")
        self.subquery.serialize(to: &serializer)
    }
}

/// `text` as a JSON document in one column, for values read and written whole (settings, a chat's pre-chat
/// answers): stored as text on both engines, so neither's JSON type decides how it reads back.
public struct JSONText<Value: Codable & Sendable>: Codable, Sendable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.value = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: try JSONEncoder().encode(self.value), as: UTF8.self))
    }
}

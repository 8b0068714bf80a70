import Conditions
import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// The contact filter language of spec §5.7 (`filterConditions`, `filterConditionMetType`, `filterLogicalExpresssion`),
/// shared by `contacts:query` and campaign audiences: checked here (every mistake a 400 naming the condition), then
/// combined by the shared conditions engine and compiled by ServiceKit's `ConditionFilter` to one SQL predicate over
/// `contacts`, so the page and its count run in the database.
///
/// Each condition gets an engine field of its own (`#<order>`) whose SQL reads what that condition compares: the
/// column or the field's stored value, its day for `Is` on dates, or a flag the database computes where the engine's
/// comparisons need help (numbers equal, any identity matching; decisions 129–131).
struct ContactFilter {
    /// The operators of L1433, as the seed spells them.
    enum Operator: String, CaseIterable {
        case contains = "Contains"
        case doesNotContain = "Does Not Contain"
        case `is` = "Is"
        case isNot = "Is Not"
        case isMoreThan = "Is More Than"
        case isLessThan = "Is Less Than"
        case before = "Before"
        case after = "After"

        /// Any case, spaces optional (`is`, `doesnotcontain`).
        init?(spelling: String) {
            let key = spelling.lowercased().filter { !$0.isWhitespace }
            guard let match = Self.allCases.first(where: { $0.rawValue.lowercased().filter { !$0.isWhitespace } == key }) else { return nil }
            self = match
        }
    }

    /// What a condition's field is, for the operators it allows and the SQL it reads.
    enum Subject {
        case name
        case time(column: String, dayColumn: String)
        case value(FieldDefinition)
        case identity(Comm100IdentityType)
    }

    static let maxConditions = 100
    /// Bounds on an expression, so neither the parser's recursion nor the SQL's nesting grows without limit.
    static let maxExpressionLength = 2000
    static let maxExpressionDepth = 20
    static let maxExpressionTerms = 200

    /// Where the error messages say the conditions are (`filterConditions`, `contactFilterConditions`).
    let member: String
    let fields: [FieldDefinition]

    /// The predicate for `conditions` combined by `metType`; nil when there are none (every contact matches, even
    /// with `any`, spec §5.7).
    func predicate(
        metType: String?, expression: String?, conditions: [Comm100ContactFilterCondition], metTypeMember: String, expressionMember: String
    ) throws -> (any SQLExpression)? {
        let combination = try self.combinationKind(metType, member: metTypeMember)
        guard !conditions.isEmpty else { return nil }
        guard conditions.count <= Self.maxConditions else {
            throw ServiceError.invalid(self.member, "Field '\(self.member)' may hold at most \(Self.maxConditions) conditions.")
        }
        var engineConditions: [Condition] = []
        var filterFields: [FilterField] = []
        var orders = Set<Int>()
        for (index, input) in conditions.enumerated() {
            let order = input.order ?? index
            let label = "\(self.member)[\(index)]"
            guard order >= 0 else { throw ServiceError.invalid("\(label).order", "Field '\(label).order' must be 0 or more.") }
            guard orders.insert(order).inserted else {
                throw ServiceError.invalid("\(label).order", "Field '\(label).order' repeats the order \(order); each condition needs its own.")
            }
            let (condition, field) = try self.compiled(input, order: order, label: label)
            engineConditions.append(condition)
            filterFields.append(field)
        }
        let engineCombination: ConditionSet.Combination
        switch combination {
        case .all: engineCombination = .all
        case .any: engineCombination = .any
        case .expression:
            engineCombination = .expression(try self.expression(expression, orders: orders, member: expressionMember))
        }
        let compiled = ConditionFilter(filterFields).compile(engineConditions, combination: engineCombination)
        // Every condition above has SQL, so nothing is left for Swift.
        guard compiled.residual.isEmpty, let predicate = compiled.predicate else {
            throw ServiceError(.internalServerError, message: "A contact filter condition did not compile to SQL.")
        }
        return predicate
    }

    enum CombinationKind { case all, any, expression }

    func combinationKind(_ text: String?, member: String) throws -> CombinationKind {
        switch (text ?? "").trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "all": return .all
        case "any": return .any
        case "logicalexpression": return .expression
        default:
            throw ServiceError.invalid(member, "Field '\(member)' must be all, any or logicalExpression, not '\(FieldValues.shortened(text ?? ""))'.")
        }
    }

    /// `(0 AND 1) OR NOT 2`, with `&&`, `||` and `!` as synonyms; every number an existing condition's `order`.
    func expression(_ text: String?, orders: Set<Int>, member: String) throws -> LogicalExpression {
        let source = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !source.isEmpty else {
            throw ServiceError.invalid(member, "Field '\(member)' is required when the conditions combine by logicalExpression.")
        }
        var (depth, deepest) = (0, 0)
        for character in source {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            deepest = max(deepest, depth)
        }
        let terms = source.split { !$0.isLetter && !$0.isNumber }.count + source.filter { $0 == "!" }.count
        guard source.count <= Self.maxExpressionLength, deepest <= Self.maxExpressionDepth, terms <= Self.maxExpressionTerms else {
            throw ServiceError.invalid(
                member,
                "Field '\(member)' is too long or nested too deeply (at most \(Self.maxExpressionLength) characters, \(Self.maxExpressionTerms) "
                    + "words and \(Self.maxExpressionDepth) levels of parentheses).")
        }
        let words = source.replacingOccurrences(of: "&&", with: " and ").replacingOccurrences(of: "||", with: " or ")
            .replacingOccurrences(of: "!", with: " not ")
        let expression: LogicalExpression
        do {
            expression = try LogicalExpression.parse(words)
        } catch {
            throw ServiceError.invalid(member, "Field '\(member)' is not a valid logical expression: \(error.description)")
        }
        if let unknown = expression.numbers.subtracting(orders).sorted().first {
            throw ServiceError.invalid(member, "Field '\(member)' refers to condition \(unknown), but no condition has that order.")
        }
        return expression
    }

    /// The subject a condition's `fieldName` names (case-insensitive): the contact's name or times, or a field.
    func subject(_ name: String, label: String) throws -> Subject {
        switch name.lowercased() {
        case "name": return .name
        case "createtime": return .time(column: "create_time", dayColumn: "create_day")
        case "lastupdatedtime": return .time(column: "last_updated_time", dayColumn: "last_updated_day")
        default:
            guard let field = self.fields.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw ServiceError.invalid(
                    "\(label).fieldName", "Field '\(label).fieldName' names no contact field: '\(FieldValues.shortened(name))'.")
            }
            if let type = field.identityType { return .identity(type) }
            return .value(field)
        }
    }

    /// One condition as the engine's condition on its own field `#order`, and that field's SQL.
    func compiled(_ input: Comm100ContactFilterCondition, order: Int, label: String) throws -> (Condition, FilterField) {
        guard let fieldName = input.fieldName?.trimmingCharacters(in: .whitespaces), !fieldName.isEmpty else {
            throw ServiceError.missing("\(label).fieldName")
        }
        guard let spelling = input.operator else { throw ServiceError.missing("\(label).operator") }
        guard let op = Operator(spelling: spelling) else {
            throw ServiceError.invalid(
                "\(label).operator",
                "Field '\(label).operator' must be one of \(Operator.allCases.map(\.rawValue).joined(separator: ", ")), not '\(FieldValues.shortened(spelling))'."
            )
        }
        guard let value = input.value else { throw ServiceError.missing("\(label).value") }
        let subject = try self.subject(fieldName, label: label)
        let key = "#\(order)"
        let refuse = { (kind: String, allowed: [Operator]) -> ServiceError in
            .invalid(
                "\(label).operator",
                "Field '\(label).operator' cannot be '\(op.rawValue)' on the \(kind) '\(fieldName)'; use \(allowed.map(\.rawValue).joined(separator: ", "))."
            )
        }
        func condition(_ name: String, _ wanted: String) throws -> Condition {
            try Condition(number: order, field: key, operator: name, value: wanted)
        }
        let textOperators: [Operator] = [.is, .isNot, .contains, .doesNotContain]
        switch subject {
        case .name:
            guard textOperators.contains(op) else { throw refuse("text", textOperators) }
            if op == .is || op == .isNot {
                // `name_key` is the lower-cased name, indexed with the site (decision 184).
                let equal = SQLBinaryExpression(SQLColumn("name_key", table: "contacts"), .equal, SQLBind(value.lowercased()))
                return (try condition(op == .is ? "is" : "isNot", "1"), .flag(key, equal))
            }
            return (try condition(Self.engineName(op), value), .text(key, SQLColumn("name", table: "contacts")))
        case .time(let column, let dayColumn):
            return try self.time(
                op, value, order: order, key: key, label: label, number: SQLColumn(column, table: "contacts"),
                day: SQLColumn(dayColumn, table: "contacts"), refuse: { refuse("time", $0) })
        case .identity(let type):
            return try self.identity(op, value, type: type, order: order, key: key, refuse: { refuse("identity", $0) })
        case .value(let field):
            return try self.value(
                op, value, field: field, order: order, key: key, label: label, refuse: { refuse("\(field.type.rawValue) field", $0) })
        }
    }

    /// The engine's name for a text operator.
    static func engineName(_ op: Operator) -> String {
        switch op {
        case .is: "is"
        case .isNot: "isNot"
        case .contains: "contains"
        case .doesNotContain: "notContains"
        case .isMoreThan, .after: "moreThan"
        case .isLessThan, .before: "lessThan"
        }
    }

    /// Dates and times: `Is`/`Is Not` compare the UTC day; `Before`/`After` the instant, where a date alone means the
    /// whole day (before its first instant, after its last; decision 129).
    func time(
        _ op: Operator, _ value: String, order: Int, key: String, label: String, number: any SQLExpression, day: any SQLExpression,
        refuse: ([Operator]) -> ServiceError
    ) throws -> (Condition, FilterField) {
        let allowed: [Operator] = [.is, .isNot, .before, .after]
        guard allowed.contains(op) else { throw refuse(allowed) }
        guard let parsed = ContactTime.parse(value) else {
            throw ServiceError.invalid(
                "\(label).value", "Field '\(label).value' must be a date or a date and time, not '\(FieldValues.shortened(value))'.")
        }
        let field = FilterField.expression(key, text: SQLCast(day, as: "TEXT"), number: number)
        switch op {
        case .is, .isNot:
            return (try Condition(number: order, field: key, operator: op == .is ? "is" : "isNot", value: String(parsed.day)), field)
        case .before:
            return (try Condition(number: order, field: key, operator: "lessThan", value: String(parsed.milliseconds)), field)
        default:
            let (name, limit) =
                parsed.isDateOnly ? ("notLessThan", parsed.milliseconds + ContactTime.dayMilliseconds) : ("moreThan", parsed.milliseconds)
            return (try Condition(number: order, field: key, operator: name, value: String(limit)), field)
        }
    }

    /// Identities: `Is`/`Contains` hold when any identity of the type matches, `Is Not`/`Does Not Contain` when none
    /// does; `Is ""` when the contact has no identity of the type (decision 130).
    func identity(
        _ op: Operator, _ value: String, type: Comm100IdentityType, order: Int, key: String, refuse: ([Operator]) -> ServiceError
    ) throws -> (Condition, FilterField) {
        let allowed: [Operator] = [.is, .isNot, .contains, .doesNotContain]
        guard allowed.contains(op) else { throw refuse(allowed) }
        let wanted = IdentityRules.key(value, type: type)
        let identityColumn = { (name: String) in SQLColumn(name, table: "contact_identities") }
        var matching: (any SQLExpression)?
        var positive = op == .is || op == .contains
        if wanted.isEmpty {
            // `Is ""`: no identity of the type; `Is Not ""`: at least one. Containing "" is always true.
            if op == .is || op == .isNot { positive.toggle() }
        } else if op == .is || op == .isNot {
            matching = SQLBinaryExpression(identityColumn("value_key"), .equal, SQLBind(wanted))
        } else {
            matching = SQLLike(identityColumn("value_key"), containing: wanted)
        }
        // Row by row, by the contact's identities.
        let exists = SQLExists { query in
            let narrowed = query.from("contact_identities").where(identityColumn("contact_id"), .equal, SQLColumn("id", table: "contacts"))
                .where(identityColumn("identity_type"), .equal, SQLBind(type.rawValue))
            return matching.map { narrowed.where($0) } ?? narrowed
        }
        var flag = FilterField.flag(key, exists)
        if !wanted.isEmpty && (op == .is || op == .isNot) {
            // The contacts holding the value, found at once by the (identity_type, value_key) index (decision 184).
            let holders = SQLContactAmong {
                $0.column(identityColumn("contact_id")).from("contact_identities")
                    .where(identityColumn("identity_type"), .equal, SQLBind(type.rawValue))
                    .where(identityColumn("value_key"), .equal, SQLBind(wanted))
            }
            flag = FilterField.flag(key, holders, probe: exists)
        }
        return (try Condition(number: order, field: key, operator: positive ? "is" : "isNot", value: "1"), flag)
    }

    /// A field's stored value, by its type (spec §5.7 "Operators by field type").
    func value(
        _ op: Operator, _ value: String, field: FieldDefinition, order: Int, key: String, label: String, refuse: ([Operator]) -> ServiceError
    ) throws -> (Condition, FilterField) {
        let text = Self.stored("text_value", of: field)
        switch field.type {
        case .text, .textArea, .email, .url, .radio, .dropdownlist, .timezone:
            let allowed: [Operator] = [.is, .isNot, .contains, .doesNotContain]
            guard allowed.contains(op) else { throw refuse(allowed) }
            let wanted = value.lowercased()
            if (op == .is || op == .isNot) && !wanted.isEmpty {
                // The contacts whose value it is, by the (field_id, LOWER(text_value)) index (decision 184); `Is ""` also
                // holds without a value, so it reads the value as before.
                let holders = Self.holders(of: field, key: key) {
                    $0.where(SQLFunction("LOWER", args: SQLColumn("text_value", table: "contact_values")), .equal, SQLBind(wanted))
                }
                return (try Condition(number: order, field: key, operator: op == .is ? "is" : "isNot", value: "1"), holders)
            }
            return (try Condition(number: order, field: key, operator: Self.engineName(op), value: value), .text(key, text))
        case .checkbox:
            let allowed: [Operator] = [.is, .isNot]
            guard allowed.contains(op) else { throw refuse(allowed) }
            guard let flag = try? FieldValues.stored(value, for: field, member: "\(label).value")?.text else {
                throw ServiceError.invalid("\(label).value", "Field '\(label).value' must be true or false for the checkbox '\(field.name)'.")
            }
            // An unset checkbox is unchecked.
            let checked = SQLFunction("COALESCE", args: text, SQLLiteral.string("false"))
            return (try Condition(number: order, field: key, operator: Self.engineName(op), value: flag), .text(key, checked))
        case .checkboxlist:
            let allowed: [Operator] = [.is, .isNot, .contains, .doesNotContain]
            guard allowed.contains(op) else { throw refuse(allowed) }
            let chosen = try FieldValues.stored(value, for: field, member: "\(label).value")?.text ?? ""
            if op == .is || op == .isNot {
                return (try Condition(number: order, field: key, operator: Self.engineName(op), value: chosen), .text(key, text))
            }
            guard !chosen.contains(",") else {
                throw ServiceError.invalid("\(label).value", "Field '\(label).value' must name one option for '\(op.rawValue)'.")
            }
            // `,a,b,` contains `,a,`: whole options only.
            let comma = SQLLiteral.string(",")
            let listed = SQLBinaryExpression(
                left: SQLBinaryExpression(left: comma, op: SQLRaw("||"), right: SQLFunction("COALESCE", args: text, SQLLiteral.string(""))),
                op: SQLRaw("||"), right: comma)
            return (try Condition(number: order, field: key, operator: Self.engineName(op), value: ",\(chosen),"), .expression(key, text: listed))
        case .integer, .float:
            let allowed: [Operator] = [.is, .isNot, .isMoreThan, .isLessThan]
            guard allowed.contains(op) else { throw refuse(allowed) }
            // Compared as numbers: `45.0` is 45 for an integer field too.
            guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw ServiceError.invalid(
                    "\(label).value", "Field '\(label).value' must be a number for the \(field.type.rawValue) field '\(field.name)'.")
            }
            let stored = Self.stored("number_value", of: field)
            if op == .is || op == .isNot {
                // By the (field_id, number_value) index (decision 184).
                let holders = Self.holders(of: field, key: key) {
                    $0.where(SQLColumn("number_value", table: "contact_values"), .equal, SQLBind(number))
                }
                return (try Condition(number: order, field: key, operator: op == .is ? "is" : "isNot", value: "1"), holders)
            }
            return (
                try Condition(number: order, field: key, operator: Self.engineName(op), value: String(number)),
                .expression(key, text: text, number: stored)
            )
        case .date, .dateTime:
            return try self.time(
                op, value, order: order, key: key, label: label, number: Self.stored("number_value", of: field),
                day: Self.stored("day_value", of: field),
                refuse: refuse)
        }
    }

    /// The contacts whose value of `field` `narrow` keeps, as a flag: found at once by an index of `contact_values`, or
    /// where negated, tested row by row by its primary key (decision 184).
    static func holders(
        of field: FieldDefinition, key: String, _ narrow: @escaping (any SQLSubqueryClauseBuilder) -> any SQLSubqueryClauseBuilder
    ) -> FilterField {
        let value = { (name: String) in SQLColumn(name, table: "contact_values") }
        let holders = SQLContactAmong {
            narrow($0.column(value("contact_id")).from("contact_values").where(value("field_id"), .equal, SQLBind(field.id)))
        }
        let probe = SQLExists {
            narrow(
                $0.from("contact_values").where(value("contact_id"), .equal, SQLColumn("id", table: "contacts"))
                    .where(value("field_id"), .equal, SQLBind(field.id)))
        }
        return .flag(key, holders, probe: probe)
    }

    /// `(SELECT <column> FROM contact_values WHERE contact_id = contacts.id AND field_id = ?)`: one value or NULL.
    static func stored(_ column: String, of field: FieldDefinition) -> any SQLExpression {
        SQLSubquery.select {
            $0.column(SQLColumn(column, table: "contact_values")).from("contact_values")
                .where(SQLColumn("contact_id", table: "contact_values"), .equal, SQLColumn("id", table: "contacts"))
                .where(SQLColumn("field_id", table: "contact_values"), .equal, SQLBind(field.id))
        }
    }
}

/// `contacts.id` among the contact ids a subquery of its own selects (not correlated with the contact, so it runs once,
/// by its index, and the contacts are then found by their primary key): `IN (SELECT …)` on SQLite;
/// `= ANY (ARRAY(SELECT …))` on PostgreSQL, whose planner turns an `IN` under `OR` or `NOT` into a subplan tested
/// against every contact of the site, but probes the primary key for an array, under `OR` too (decision 184).
struct SQLContactAmong: SQLExpression {
    let subquery: any SQLExpression

    init(_ build: (any SQLSubqueryClauseBuilder) -> any SQLSubqueryClauseBuilder) {
        self.subquery = SQLSubquery.select(build)
    }

    func serialize(to serializer: inout SQLSerializer) {
        SQLColumn("id", table: "contacts").serialize(to: &serializer)
        if serializer.dialect.name == "postgresql" {
            serializer.write(" = ANY (ARRAY")
            self.subquery.serialize(to: &serializer)
            serializer.write(")")
        } else {
            serializer.write(" IN ")
            self.subquery.serialize(to: &serializer)
        }
    }
}

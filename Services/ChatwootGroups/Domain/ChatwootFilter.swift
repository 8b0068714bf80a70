import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Compiles Chatwoot's filter payload (spec §5.4) to one SQL predicate, as Chatwoot's `FilterService` builds its
/// `WHERE`: each condition checked against the entity's attributes (`lib/filters/filter_keys.yml`) or the account's
/// custom attribute definitions, then the conditions chained by their `query_operator`s with SQL's precedence (`AND`
/// before `OR`: `a AND b OR c` is `(a AND b) OR c`). Generic over the entity: contacts and conversations each give
/// their attribute table. Problems are Chatwoot's 422 `{"error": ...}` with its messages.
struct ChatwootFilter: Sendable {
    /// How values compare for `equal_to`/`not_equal_to`: contacts compare the first value (`= :value`), conversations
    /// any of them (`IN (:values)`).
    enum Equality: Sendable {
        case firstValue
        case anyValue
    }

    /// One attribute of `filter_keys.yml`.
    struct Attribute: Sendable {
        /// The attribute's `data_type`.
        enum Kind: Sendable {
            /// `text`: compared as stored; `text_case_insensitive` (and every `contains`): lowered on both sides.
            case text(caseInsensitive: Bool)
            /// A whole or decimal number.
            case number
            case boolean
            /// Epoch milliseconds compared by UTC day, as Chatwoot's `(column)::date`.
            case date
            /// Labels: `predicate(values)` is "has one of these labels" (nil: "has any label").
            case labels(@Sendable (_ values: [String]?) -> any SQLExpression)
        }

        let key: String
        let operators: [String]
        let kind: Kind
        /// The value as SQL reads it (a column, a JSON member of `additional_attributes`).
        let column: any SQLExpression
        /// What a client's value becomes before it is compared (Chatwoot's per-entity `filter_values`: a phone
        /// number gains its `+`, a conversation status its number).
        let prepare: @Sendable ([String]) -> [String]

        init(
            _ key: String, _ kind: Kind, column: any SQLExpression, operators: [String],
            prepare: @escaping @Sendable ([String]) -> [String] = { $0 }
        ) {
            self.key = key
            self.kind = kind
            self.column = column
            self.operators = operators
            self.prepare = prepare
        }

        /// An attribute kept in a JSON text column (`additional_attributes ->> key`).
        static func json(
            _ key: String, in column: any SQLExpression, caseInsensitive: Bool = true, operators: [String]
        ) -> Attribute {
            Attribute(key, .text(caseInsensitive: caseInsensitive), column: ChatwootJSONMember(column, key), operators: operators)
        }
    }

    /// A custom attribute definition's `attribute_display_type` (text, number, currency, percent, link, date, list,
    /// checkbox), keyed by `attribute_key`: what the account defined for the entity's `attribute_model`.
    typealias CustomAttributes = [String: String]

    let attributes: [Attribute]
    let custom: CustomAttributes
    /// The JSON text column custom attributes live in.
    let customColumn: any SQLExpression
    let equality: Equality
    /// Today (UTC) for `days_before`.
    let now: Date

    static let equality = ["equal_to", "not_equal_to"]
    static let text = ["equal_to", "not_equal_to", "contains", "does_not_contain"]
    static let presence = ["is_present", "is_not_present"]
    static let dates = ["is_greater_than", "is_less_than", "days_before"]
    /// Every operator Chatwoot knows (what a custom attribute may be filtered with).
    static let operators = text + presence + dates + ["starts_with"]

    init(attributes: [Attribute], custom: CustomAttributes, customColumn: any SQLExpression, equality: Equality, now: Date) {
        self.attributes = attributes
        self.custom = custom
        self.customColumn = customColumn
        self.equality = equality
        self.now = now
    }

    /// The payload as one predicate; an empty payload matches everything.
    func predicate(_ conditions: [ChatwootFilterCondition]) throws -> any SQLExpression {
        // `validate_query_operator` runs before any condition is read.
        for condition in conditions {
            guard let op = condition.queryOperator, !op.isEmpty else { continue }
            guard ["AND", "OR"].contains(op.uppercased()) else { throw Self.error(#"Query operator must be either "AND" or "OR"."#) }
        }
        // `a AND b OR c AND d` → OR of AND-groups (SQL's precedence); the last condition's operator joins nothing.
        var groups: [[any SQLExpression]] = [[]]
        for (index, condition) in conditions.enumerated() {
            groups[groups.count - 1].append(SQLGroupExpression(try self.predicate(condition)))
            if index < conditions.count - 1, condition.queryOperator?.uppercased() == "OR" { groups.append([]) }
        }
        let ands = groups.filter { !$0.isEmpty }.map { Self.joined($0, .and) }
        return ands.isEmpty ? SQLLiteral.boolean(true) : Self.joined(ands, .or)
    }

    /// One condition.
    func predicate(_ condition: ChatwootFilterCondition) throws -> any SQLExpression {
        let key = condition.attributeKey
        let op = condition.filterOperator
        let standard = self.attributes.first { $0.key == key }
        if let standard, !standard.operators.contains(op) {
            throw Self.error("Invalid operator. The allowed operators for \(key) are [\(standard.operators.joined(separator: ","))].")
        }
        guard Self.operators.contains(op) else {
            throw Self.error("Invalid operator. The allowed operators for \(key) are [\(Self.operators.joined(separator: ","))].")
        }
        let values = Self.strings(condition.values)
        if !Self.presence.contains(op), values.isEmpty {
            throw Self.error("Invalid value. The values provided for \(key) are invalid")
        }
        if let standard { return try self.standard(standard, op, standard.prepare(values)) }
        guard let type = self.custom[key] else {
            throw Self.error(
                "Invalid attribute key - [\(key)]. The key should be one of [\(self.attributes.map(\.key).joined(separator: ","))] "
                    + "or a custom attribute defined in the account.")
        }
        return try self.customAttribute(key, type: type, op, values)
    }

    // MARK: Standard attributes

    private func standard(_ attribute: Attribute, _ op: String, _ values: [String]) throws -> any SQLExpression {
        let column = attribute.column
        switch attribute.kind {
        case .labels(let has):
            switch op {
            // Label names are kept lowercased (Chatwoot's `Label` downcases its title).
            case "equal_to": return has(self.compared(values).map { $0.lowercased() })
            case "not_equal_to": return SQLNot(has(self.compared(values).map { $0.lowercased() }))
            case "is_present": return has(nil)
            default: return SQLNot(has(nil))
            }
        case .date:
            return try self.date(column, op, values, key: attribute.key)
        case .boolean:
            if let presence = Self.presence(column, op) { return presence }
            let wanted = try self.compared(values).map { try Self.boolean($0, key: attribute.key) }
            return Self.equals(column, op, wanted.map { SQLLiteral.boolean($0) as any SQLExpression })
        case .number:
            if let presence = Self.presence(column, op) { return presence }
            let numbers = try self.compared(values).map { try Self.number($0, key: attribute.key) }
            switch op {
            case "is_greater_than": return SQLBinaryExpression(column, .greaterThan, Self.bound(numbers[0]))
            case "is_less_than": return SQLBinaryExpression(column, .lessThan, Self.bound(numbers[0]))
            case "equal_to", "not_equal_to": return Self.equals(column, op, numbers.map { Self.bound($0) })
            default: return try self.text(SQLCast(column, as: "TEXT"), op, values, caseInsensitive: true, key: attribute.key)
            }
        case .text(let caseInsensitive):
            return try self.text(column, op, values, caseInsensitive: caseInsensitive, key: attribute.key)
        }
    }

    /// Text: `LOWER(column) = value` (or as stored), `LIKE '%value%'` any case for `contains`.
    private func text(_ column: any SQLExpression, _ op: String, _ values: [String], caseInsensitive: Bool, key: String) throws -> any SQLExpression {
        if let presence = Self.presence(column, op) { return presence }
        let lowered = SQLFunction("LOWER", args: column)
        switch op {
        case "equal_to", "not_equal_to":
            let wanted = self.compared(values).map { caseInsensitive ? $0.lowercased() : $0 }
            return Self.equals(caseInsensitive ? lowered : column, op, wanted.map { SQLBind($0) as any SQLExpression })
        case "contains":
            // `ILIKE ANY (ARRAY['%a%', '%b%'])`.
            return Self.joined(values.map { SQLLike(lowered, containing: Self.trimmed($0).lowercased()) }, .or)
        case "does_not_contain":
            // `NOT ILIKE ALL (ARRAY[...])`: none of them.
            return Self.joined(values.map { SQLLike(lowered, containing: Self.trimmed($0).lowercased(), negated: true) }, .and)
        case "starts_with":
            return SQLBinaryExpression(lowered, .like, SQLBind(values[0].lowercased() + "%"))
        case "is_greater_than", "is_less_than":
            let side = caseInsensitive ? lowered : column
            let wanted = caseInsensitive ? values[0].lowercased() : values[0]
            return SQLBinaryExpression(side, op == "is_greater_than" ? .greaterThan : .lessThan, SQLBind(wanted))
        default:
            throw Self.error("Invalid value. The values provided for \(key) are invalid")
        }
    }

    /// A day compared with an epoch-milliseconds column, as Chatwoot's `(column)::date > 'day'::date`.
    private func date(_ column: any SQLExpression, _ op: String, _ values: [String], key: String) throws -> any SQLExpression {
        if let presence = Self.presence(column, op) { return presence }
        let (op, day) = try self.day(op, values, key: key)
        let start = Int64(day.timeIntervalSince1970 * 1000)
        let end = start + 86_400_000
        switch op {
        case "is_greater_than": return SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(end))
        case "is_less_than": return SQLBinaryExpression(column, .lessThan, SQLBind(start))
        case "equal_to":
            return SQLBinaryExpression(
                SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(start)), .and, SQLBinaryExpression(column, .lessThan, SQLBind(end)))
        default:
            return SQLBinaryExpression(
                SQLBinaryExpression(column, .lessThan, SQLBind(start)), .or, SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(end)))
        }
    }

    /// The day a date condition names; `days_before N` is `is_less_than` today minus N days.
    private func day(_ op: String, _ values: [String], key: String) throws -> (String, Date) {
        if op == "days_before" {
            guard let days = Int(Self.trimmed(values[0])) else { throw Self.error("Invalid value. The values provided for \(key) are invalid") }
            let today = Self.utc.startOfDay(for: self.now)
            return ("is_less_than", today.addingTimeInterval(-Double(days) * 86_400))
        }
        guard let day = Self.parseDay(values[0]) else { throw Self.error("Invalid value. The values provided for \(key) are invalid") }
        return (op, day)
    }

    // MARK: Custom attributes

    /// A custom attribute by its definition's type (Chatwoot's `ATTRIBUTE_TYPES`): text-like types compare lowered
    /// text, numbers as numbers, dates by day, checkboxes as booleans; `not_equal_to` also matches a contact without
    /// the attribute (`OR ... IS NULL`). Always the first value, as Chatwoot's custom attribute values are.
    private func customAttribute(_ key: String, type: String, _ op: String, _ values: [String]) throws -> any SQLExpression {
        let member = ChatwootJSONMember(self.customColumn, key)
        let first = Array(values.prefix(1))
        let compared: any SQLExpression
        switch type {
        case "number", "currency", "percent":
            let number = ChatwootJSONMember(self.customColumn, key, as: .number)
            if let presence = Self.presence(member, op) { return presence }
            let wanted = try Self.number(first.first ?? "", key: key)
            switch op {
            case "equal_to", "not_equal_to": compared = Self.equals(number, op, [SQLBind(wanted)])
            case "is_greater_than": compared = SQLBinaryExpression(number, .greaterThan, SQLBind(wanted))
            case "is_less_than": compared = SQLBinaryExpression(number, .lessThan, SQLBind(wanted))
            default: compared = try self.text(member, op, values, caseInsensitive: true, key: key)
            }
        case "checkbox":
            if let presence = Self.presence(member, op) { return presence }
            let wanted = try Self.boolean(first.first ?? "", key: key)
            let truth = SQLBinaryExpression(
                SQLFunction("LOWER", args: SQLCast(member, as: "TEXT")), .in, SQLGroupExpression([SQLBind("true"), SQLBind("1")]))
            guard Self.equality.contains(op) else { throw Self.error("Invalid value. The values provided for \(key) are invalid") }
            compared = (op == "equal_to") == wanted ? truth : SQLNot(truth)
        case "date":
            if let presence = Self.presence(member, op) { return presence }
            // Dates are kept as ISO 8601 text: the first ten characters compare as days.
            let day = SQLFunction("SUBSTR", args: SQLCast(member, as: "TEXT"), SQLLiteral.numeric("1"), SQLLiteral.numeric("10"))
            let (dayOp, date) = try self.day(op, first, key: key)
            let text = Self.dayText(date)
            switch dayOp {
            case "is_greater_than": compared = SQLBinaryExpression(day, .greaterThan, SQLBind(text))
            case "is_less_than": compared = SQLBinaryExpression(day, .lessThan, SQLBind(text))
            default: compared = Self.equals(day, dayOp, [SQLBind(text)])
            }
        default:
            compared = try self.text(member, op, first, caseInsensitive: true, key: key)
        }
        guard op == "not_equal_to" else { return compared }
        return SQLBinaryExpression(SQLGroupExpression(compared), .or, SQLBinaryExpression(member, .is, SQLLiteral.null))
    }

    // MARK: Helpers

    /// The values an equality compares: the first, or all.
    private func compared(_ values: [String]) -> [String] {
        self.equality == .firstValue ? Array(values.prefix(1)) : values
    }

    private static func presence(_ column: any SQLExpression, _ op: String) -> (any SQLExpression)? {
        switch op {
        case "is_present": SQLBinaryExpression(column, .isNot, SQLLiteral.null)
        case "is_not_present": SQLBinaryExpression(column, .is, SQLLiteral.null)
        default: nil
        }
    }

    /// `column = v` / `<> v` for one value, `IN` / `NOT IN` for several.
    private static func equals(_ column: any SQLExpression, _ op: String, _ values: [any SQLExpression]) -> any SQLExpression {
        if values.count == 1 { return SQLBinaryExpression(column, op == "equal_to" ? .equal : .notEqual, values[0]) }
        return SQLBinaryExpression(column, op == "equal_to" ? .in : .notIn, SQLGroupExpression(values))
    }

    static func joined(_ predicates: [any SQLExpression], _ op: SQLBinaryOperator) -> any SQLExpression {
        SQLGroupExpression(
            predicates.dropFirst().reduce(SQLGroupExpression(predicates[0]) as any SQLExpression) {
                SQLBinaryExpression(left: $0, op: op, right: SQLGroupExpression($1))
            })
    }

    /// The values as text: strings as they are, numbers without a needless `.0`, booleans, `{id}` objects' ids.
    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .none, .null: []
        case .string(let text): [text]
        case .number(let number): [number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)]
        case .bool(let flag): [flag ? "true" : "false"]
        case .array(let items): items.flatMap { strings($0) }
        case .object(let members): members["id"].map { strings($0) } ?? []
        }
    }

    private static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces) }

    /// A whole number bound as an integer: PostgreSQL compares an integer column with a double parameter by casting the
    /// column, which no index serves (the filter endpoint read every conversation at a million).
    private static func bound(_ number: Double) -> any SQLExpression {
        number.rounded() == number && abs(number) < 1e15 ? SQLBind(Int64(number)) : SQLBind(number)
    }

    private static func number(_ text: String, key: String) throws -> Double {
        guard let number = Double(Self.trimmed(text)), number.isFinite else {
            throw Self.error("Invalid value. The values provided for \(key) are invalid")
        }
        return number
    }

    private static func boolean(_ text: String, key: String) throws -> Bool {
        switch Self.trimmed(text).lowercased() {
        case "true", "t", "1", "yes": return true
        case "false", "f", "0", "no": return false
        default: throw Self.error("Invalid value. The values provided for \(key) are invalid")
        }
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `2024-05-01` (or the day of `2024-05-01T10:00:00Z`) at UTC midnight.
    static func parseDay(_ text: String) -> Date? {
        let parts = Self.trimmed(text).prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return Self.utc.date(from: DateComponents(year: year, month: month, day: day))
    }

    static func dayText(_ date: Date) -> String {
        let parts = Self.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Chatwoot's `render_could_not_create_error`: a 422 `{"error": message}`.
    static func error(_ message: String) -> ServiceError {
        ServiceError(.unprocessableContent, message: message)
    }
}

/// One member of a JSON object kept as text (`custom_attributes`, `additional_attributes`): `json_extract(column,
/// '$."key"')` on SQLite, `CAST(column AS jsonb) ->> 'key'` on PostgreSQL; the key is bound, never spliced in.
/// `.number` reads only members that are JSON numbers (others are NULL), so a cast never fails on text.
struct ChatwootJSONMember: SQLExpression {
    enum Reading: Sendable {
        case text
        case number
    }

    let column: any SQLExpression
    let key: String
    let reading: Reading

    init(_ column: any SQLExpression, _ key: String, as reading: Reading = .text) {
        self.column = column
        self.key = key
        self.reading = reading
    }

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            switch self.reading {
            case .text:
                serializer.write("(CAST(")
                self.column.serialize(to: &serializer)
                serializer.write(" AS jsonb) ->> ")
                SQLBind(self.key).serialize(to: &serializer)
                serializer.write(")")
            case .number:
                serializer.write("(CASE WHEN jsonb_typeof(CAST(")
                self.column.serialize(to: &serializer)
                serializer.write(" AS jsonb) -> ")
                SQLBind(self.key).serialize(to: &serializer)
                serializer.write(") = 'number' THEN CAST(CAST(")
                self.column.serialize(to: &serializer)
                serializer.write(" AS jsonb) ->> ")
                SQLBind(self.key).serialize(to: &serializer)
                serializer.write(" AS NUMERIC) END)")
            }
        } else {
            let path = "$.\"" + self.key.replacingOccurrences(of: "\"", with: "") + "\""
            switch self.reading {
            case .text:
                serializer.write("json_extract(")
                self.column.serialize(to: &serializer)
                serializer.write(", ")
                SQLBind(path).serialize(to: &serializer)
                serializer.write(")")
            case .number:
                serializer.write("(CASE WHEN json_type(")
                self.column.serialize(to: &serializer)
                serializer.write(", ")
                SQLBind(path).serialize(to: &serializer)
                serializer.write(") IN ('integer', 'real') THEN json_extract(")
                self.column.serialize(to: &serializer)
                serializer.write(", ")
                SQLBind(path).serialize(to: &serializer)
                serializer.write(") END)")
            }
        }
    }
}

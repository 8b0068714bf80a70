import Conditions
import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Conditions over conversations (spec §5.10, §2.8; decisions 219–221), for views and for the list's
/// `conditions[i][field|matchType|value]`: each is checked here (a mistake is a 400 naming it), then combined by the
/// shared conditions engine and compiled by ServiceKit's `ConditionFilter` to one SQL predicate over `conversations`,
/// so a view's page, its total and its unread counts run in the database.
///
/// Each condition gets an engine field of its own (`#<number>`) whose SQL reads what that condition compares, as
/// ContactFilter does: the column, the priority's rank, a time as a number, or a flag (a tag the conversation has).
enum ConversationConditions {
    static let maxConditions = 50
    static let maxValue = 1000
    static let maxExpression = 1000

    /// What a field is, for the match types it takes and the SQL it reads.
    enum Kind: Sendable {
        /// Text compared in any case: contains, notContains, is, isNot.
        case text(column: String)
        /// One of `values` (any case on input): is, isNot.
        case choice(column: String, values: [String])
        /// is, isNot, and isMoreThan/isLessThan by rank (urgent > high > normal > low).
        case priority
        /// An instant: before, after.
        case time(column: String)
        /// Whether the conversation has the tag: contains, notContains.
        case tags
        /// Whether a message of the conversation went through the channel account: is, isNot.
        case channelAccount
        /// `true` or `false`: is, isNot.
        case read
        /// A custom field's stored value (decision 225): numbers also isMoreThan/isLessThan, a checkbox is/isNot,
        /// a checkbox list contains/notContains, any other type as text.
        case custom(id: String, type: AnytimeFieldType)
        /// A custom field deleted since the view was saved: it has no value.
        case gone

        var matchTypes: [AnytimeMatchType] {
            switch self {
            case .text: [.contains, .notContains, .is, .isNot]
            case .choice, .channelAccount, .read: [.is, .isNot]
            case .priority: [.is, .isNot, .isMoreThan, .isLessThan]
            case .time: [.before, .after]
            case .tags: [.contains, .notContains]
            case .custom(_, let type):
                switch type {
                case .integer, .float: [.is, .isNot, .isMoreThan, .isLessThan]
                case .checkbox: [.is, .isNot]
                case .checkboxList: [.contains, .notContains]
                default: [.contains, .notContains, .is, .isNot]
                }
            case .gone: AnytimeMatchType.allCases
            }
        }
    }

    /// The system fields conditions may name (spec §5.18 names their ids after the conversation's properties), by
    /// lowercased id.
    static let fields: [String: (id: String, kind: Kind)] = {
        let entries: [(String, Kind)] = [
            ("subject", .text(column: "subject")),
            ("status", .choice(column: "status", values: AnytimeStatus.allCases.map(\.rawValue))),
            ("priority", .priority),
            ("assignedAgentId", .text(column: "assigned_agent_id")),
            ("assignedDepartmentId", .text(column: "assigned_department_id")),
            ("relatedType", .choice(column: "related_type", values: AnytimeRelatedType.allCases.map(\.rawValue))),
            ("relatedId", .text(column: "related_id")),
            ("channelId", .choice(column: "channel_id", values: AnytimeChannel.all.map(\.id))),
            ("channelAccountId", .channelAccount),
            ("tagIds", .tags),
            ("createdById", .text(column: "created_by_id")),
            ("createdByType", .choice(column: "created_by_type", values: AnytimeActorType.allCases.map(\.rawValue))),
            ("lastRepliedById", .text(column: "last_replied_by_id")),
            ("lastRepliedByType", .choice(column: "last_replied_by_type", values: AnytimeActorType.allCases.map(\.rawValue))),
            ("slaPolicyId", .text(column: "sla_policy_id")),
            ("isRead", .read),
            ("createdTime", .time(column: "created_time")),
            ("lastActivityTime", .time(column: "last_activity_time")),
            ("lastStatusChangeTime", .time(column: "last_status_change_time")),
            ("lastRepliedTime", .time(column: "last_replied_time")),
        ]
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.0.lowercased(), (id: $0.0, kind: $0.1)) })
    }()

    /// A condition that passed the checks: its field's id as the service spells it, what the field is, and its value in
    /// canonical form.
    struct Checked: Sendable {
        var fieldId: String
        var kind: Kind
        var matchType: AnytimeMatchType
        var value: String
        var orderNum: Int
    }

    /// The field `text` names: a system field by its id, or one of the site's custom `fields` by its id or name (any
    /// case).
    static func field(_ text: String, custom fields: [FieldDefinition]) -> (id: String, kind: Kind)? {
        if let system = Self.fields[text.lowercased()] { return system }
        guard let field = fields.first(where: { !$0.row.isSystemField && ($0.row.id == text || $0.row.name.lowercased() == text.lowercased()) })
        else { return nil }
        return (field.row.id, .custom(id: field.row.id, type: field.type))
    }

    /// Whether `conditions` name a field that is not a system field (so the site's custom fields must be read).
    static func needsCustomFields(_ fieldIds: [String]) -> Bool {
        fieldIds.contains { Self.fields[$0.lowercased()] == nil }
    }

    /// Checks one condition; `name` spells its parts in errors (`conditions.list[0].value` in a view,
    /// `conditions[0][value]` in the list's query, whose field part is `field`).
    static func check(
        field: String?, matchType: AnytimeMatchType?, value: String?, orderNum: Int, custom: [FieldDefinition], name: (String) -> String,
        fieldPart: String = "fieldId"
    ) throws -> Checked {
        let (fieldMember, typeMember, valueMember) = (name(fieldPart), name("matchType"), name("value"))
        guard let fieldText = field?.trimmingCharacters(in: .whitespaces), !fieldText.isEmpty else { throw ServiceError.missing(fieldMember) }
        guard let (id, kind) = Self.field(fieldText, custom: custom) else {
            throw ServiceError.invalid(
                fieldMember,
                "Field '\(fieldMember)' names no conversation field: '\(AnytimeLimits.shortened(fieldText))'."
            )
        }
        guard let matchType else { throw ServiceError.missing(typeMember) }
        guard kind.matchTypes.contains(matchType) else {
            throw ServiceError.invalid(
                typeMember,
                "Field '\(typeMember)' cannot be \(matchType.rawValue) for \(id); use one of \(kind.matchTypes.map(\.rawValue).joined(separator: ", "))."
            )
        }
        let given = try AnytimeLimits.bounded((value ?? "").trimmingCharacters(in: .whitespaces), valueMember, limit: Self.maxValue)
        let canonical: String
        switch kind {
        case .text: canonical = given
        case .choice(_, let values):
            guard let match = values.first(where: { $0.lowercased() == given.lowercased() }) else {
                throw ServiceError.invalid(
                    valueMember,
                    "Field '\(valueMember)' must be one of \(values.joined(separator: ", ")) for \(id), not '\(AnytimeLimits.shortened(given))'.")
            }
            canonical = match
        case .priority:
            guard let priority = AnytimePriority.allCases.first(where: { $0.rawValue == given.lowercased() }) else {
                throw ServiceError.invalid(valueMember, "Field '\(valueMember)' must be urgent, high, normal or low for priority.")
            }
            canonical = priority.rawValue
        case .time:
            guard AnytimeTime.parse(given) != nil else {
                throw ServiceError.invalid(valueMember, "Field '\(valueMember)' must be an ISO 8601 date and time for \(id).")
            }
            canonical = given
        case .tags, .channelAccount:
            guard let text = try AnytimeLimits.id(given, valueMember) else { throw ServiceError.missing(valueMember) }
            canonical = text
        case .read, .custom(_, .checkbox):
            guard ["true", "false"].contains(given.lowercased()) else {
                throw ServiceError.invalid(valueMember, "Field '\(valueMember)' must be true or false for \(id).")
            }
            canonical = given.lowercased()
        case .custom:
            if matchType == .isMoreThan || matchType == .isLessThan, Double(given) == nil {
                throw ServiceError.invalid(valueMember, "Field '\(valueMember)' must be a number to compare \(id) with.")
            }
            canonical = given
        case .gone: canonical = given
        }
        return Checked(fieldId: id, kind: kind, matchType: matchType, value: canonical, orderNum: orderNum)
    }

    /// How `when` combines checked conditions; a logical expression must parse and name only their `orderNum`s.
    static func combination(
        _ when: AnytimeConditionsWhen, expression: String?, conditions: [Checked], member: String
    ) throws -> ConditionSet.Combination {
        switch when {
        case .all: return .all
        case .any: return .any
        case .logicalExpression:
            let text = (expression ?? "").trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw ServiceError.missing(member) }
            guard text.count <= Self.maxExpression else {
                throw ServiceError.invalid(member, "Field '\(member)' may hold at most \(Self.maxExpression) characters.")
            }
            let parsed: LogicalExpression
            do {
                parsed = try LogicalExpression.parse(text)
            } catch {
                throw ServiceError.invalid(member, "Field '\(member)' is not a valid logical expression: \(error.description)")
            }
            if let unknown = parsed.numbers.subtracting(conditions.map(\.orderNum)).sorted().first {
                throw ServiceError.invalid(member, "Field '\(member)' refers to condition \(unknown), but no condition has that orderNum.")
            }
            return .expression(parsed)
        }
    }

    /// The predicate rows must satisfy; nil when there are no conditions (every conversation matches, spec §5.10).
    static func predicate(_ conditions: [Checked], combination: ConditionSet.Combination) throws -> (any SQLExpression)? {
        guard !conditions.isEmpty else { return nil }
        var engine: [Condition] = []
        var fields: [FilterField] = []
        for checked in conditions {
            let (condition, field) = try Self.compiled(checked)
            engine.append(condition)
            fields.append(field)
        }
        let compiled = ConditionFilter(fields).compile(engine, combination: combination)
        // Every field above has SQL, so nothing is left for Swift.
        guard compiled.residual.isEmpty, let predicate = compiled.predicate else {
            throw ServiceError(.internalServerError, message: "A conversation condition did not compile to SQL.")
        }
        return predicate
    }

    /// The engine's condition and the field it reads for one checked condition.
    static func compiled(_ checked: Checked) throws -> (Condition, FilterField) {
        let key = "#\(checked.orderNum)"
        let column = { (name: String) in SQLColumn(name, table: "conversations") }
        let kind = checked.kind
        func condition(_ comparison: String, _ value: String) throws -> Condition {
            do {
                return try Condition(number: checked.orderNum, field: key, operator: comparison, value: value)
            } catch {
                throw ServiceError(.internalServerError, message: error.description)
            }
        }
        let textComparison: String =
            switch checked.matchType {
            case .contains: "contains"
            case .notContains: "notContains"
            case .isNot: "isNot"
            case .isMoreThan, .after: "moreThan"
            case .isLessThan, .before: "lessThan"
            default: "is"
            }
        switch kind {
        case .text(let name), .choice(let name, _):
            return (try condition(textComparison, checked.value), .text(key, column(name)))
        case .priority:
            guard checked.matchType == .isMoreThan || checked.matchType == .isLessThan else {
                return (try condition(textComparison, checked.value), .text(key, column("priority")))
            }
            let rank = String((AnytimePriority(rawValue: checked.value) ?? .normal).rank)
            return (try condition(checked.matchType == .isMoreThan ? "moreThan" : "lessThan", rank), .integer(key, column("priority_rank")))
        case .time(let name):
            // Milliseconds as they are (the triggers' clock, decision 297); an ISO 8601 value (views) parsed.
            let instant = String(Int64(checked.value) ?? AnytimeTime.parse(checked.value) ?? 0)
            return (
                try condition(checked.matchType == .after ? "moreThan" : "lessThan", instant),
                .expression(key, text: SQLCast(column(name), as: "TEXT"), number: column(name))
            )
        case .tags:
            let tag = { (name: String) in SQLColumn(name, table: "conversation_tags") }
            let has = SQLExists {
                $0.from("conversation_tags").where(tag("conversation_id"), .equal, column("id")).where(tag("tag_id"), .equal, SQLBind(checked.value))
            }
            return (try condition(checked.matchType == .contains ? "is" : "isNot", "1"), .flag(key, has))
        case .channelAccount:
            let message = { (name: String) in SQLColumn(name, table: "conversation_messages") }
            let has = SQLExists {
                $0.from("conversation_messages").where(message("conversation_id"), .equal, column("id"))
                    .where(message("channel_account_id"), .equal, SQLBind(checked.value))
            }
            return (try condition(checked.matchType == .is ? "is" : "isNot", "1"), .flag(key, has))
        case .read:
            let read = SQLBinaryExpression(column("is_read"), .equal, SQLBind(true))
            return (try condition(textComparison, checked.value == "true" ? "1" : "0"), .flag(key, read))
        case .custom(let id, let type):
            let stored = { (name: String) in SQLColumn(name, table: "conversation_custom_values") }
            let value = SQLSubquery.select {
                $0.column(stored("value")).from("conversation_custom_values").where(stored("conversation_id"), .equal, column("id"))
                    .where(stored("field_id"), .equal, SQLBind(id))
            }
            // Number fields hold only numbers (the field rules check them), so the cast cannot fail.
            let number = type == .integer || type == .float ? SQLCast(value, as: "DOUBLE PRECISION") : nil
            return (try condition(textComparison, checked.value), .expression(key, text: value, number: number))
        case .gone:
            let comparesNumbers = textComparison == "moreThan" || textComparison == "lessThan"
            return (
                try condition(textComparison, comparesNumbers ? "0" : checked.value), .expression(key, text: SQLLiteral.null, number: SQLLiteral.null)
            )
        }
    }
}

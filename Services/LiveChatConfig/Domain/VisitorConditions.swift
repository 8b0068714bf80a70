import Conditions
import ServiceKit
import WireModels

/// The conditions engine with the Live Chat visitor vocabulary (spec note §5.6).
enum VisitorConditions {
    /// The visitor fields a condition may test, lowercased.
    static let fields: Set<String> = [
        "currentpageurl", "currentpagetitle", "landingpageurl", "referrerurl", "searchengine", "keywords", "timeonwebsite", "timeoncurrentpage",
        "pageviews", "visits", "chats", "browser", "operatingsystem", "language", "country", "state", "city", "ipaddress", "name", "email", "company",
        "phone", "department", "product", "ssouserid", "campaign",
    ]
    /// Prefixes naming a site's own variables and pre-chat fields.
    static let openPrefixes = ["customVariable.", "prechatField."]

    /// Checks `conditions` and returns the engine's form; a 400 names what is wrong.
    static func compiled(_ conditions: LiveChatConditions?, field: String = "conditions") throws -> ConditionSet {
        let conditions = conditions ?? LiveChatConditions(when: .all, list: [])
        do {
            let list = try (conditions.list ?? []).enumerated().map { index, condition in
                try Condition(
                    number: try Validation.required(condition.number, "\(field).list[\(index)].number"),
                    field: try Validation.required(condition.field, "\(field).list[\(index)].field"),
                    operator: try Validation.required(condition.operator, "\(field).list[\(index)].operator"),
                    // Mandatory in the seed (L395); an empty string is a value.
                    value: try condition.value.unwrapped(orMissing: "\(field).list[\(index)].value")
                )
            }
            return try ConditionSet(
                when: (conditions.when ?? .all).rawValue, logicalExpression: conditions.logicalExpression, conditions: list, fields: Self.fields,
                openPrefixes: Self.openPrefixes
            )
        } catch let error as ConditionError {
            throw ServiceError.invalid(field, "Invalid \(field): \(error.description)")
        }
    }

    /// The stored form: `when` defaults to `all` and the list to empty.
    static func normalized(_ conditions: LiveChatConditions?) -> LiveChatConditions {
        var conditions = conditions ?? LiveChatConditions(when: .all, list: [])
        conditions.when = conditions.when ?? .all
        conditions.list = conditions.list ?? []
        conditions.logicalExpression = conditions.logicalExpression ?? ""
        return conditions
    }
}

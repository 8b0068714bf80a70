import Conditions
import Testing

@Suite("Conditions engine")
struct ConditionSetTests {
    /// 1: the visitor is on the pricing page; 2: has been on the site more than 30 s; 3: comes from France.
    static func conditions() throws -> [Condition] {
        [
            try Condition(number: 1, field: "currentPageUrl", operator: "Include", value: "/pricing"),
            try Condition(number: 2, field: "timeOnWebsite", operator: "morethan", value: "30"),
            try Condition(number: 3, field: "country", operator: "is", value: "france"),
        ]
    }

    static let onPricingLong = Facts(["currentPageUrl": "https://example.com/pricing?x", "timeOnWebsite": "45", "country": "Germany"])
    static let frenchNewcomer = Facts(["CurrentPageURL": "https://example.com/", "TimeOnWebsite": "5", "Country": "France"])
    static let nobody = Facts([:])

    @Test(
        "all, any and logical expressions against visitors",
        arguments: [
            ("all", nil, 0, false), ("any", nil, 0, true), ("all", nil, 1, false), ("any", nil, 1, true), ("any", nil, 2, false),
            ("logicalExpression", "1 and 2", 0, true), ("logicalExpression", "1 AND 2", 1, false),
            ("logicalExpression", "(1 and 2) or 3", 1, true), ("logicalExpression", "1 and (2 or 3)", 1, false),
            ("logicalExpression", "not 3", 0, true), ("logicalExpression", "not 3", 1, false), ("logicalExpression", "not (1 or 3)", 2, true),
            ("logicalExpression", "1 or 2 and 3", 0, true), ("logicalExpression", "not not 3", 1, true),
            ("logicalExpression", "2 or not 1 and 3", 1, true),
        ] as [(String, String?, Int, Bool)])
    func evaluation(when: String, expression: String?, visitor: Int, expected: Bool) throws {
        let set = try ConditionSet(when: when, logicalExpression: expression, conditions: try Self.conditions())
        let facts = [Self.onPricingLong, Self.frenchNewcomer, Self.nobody][visitor]
        #expect(set.matches(facts) == expected)
    }

    @Test(
        "Every operator, text compared ignoring case",
        arguments: [
            ("is", "Chrome", "chrome", true), ("isNot", "Chrome", "chrome", false), ("contains", "Mozilla Firefox", "FIRE", true),
            ("not contains", "Mozilla Firefox", "edge", true), ("moreThan", "10", "9.5", true), ("lessThan", "10", "10", false),
            ("notMoreThan", "10", "10", true), ("notLessThan", "9", "10", false), ("regularExpression", "ORDER-123", "^order-\\d+$", true),
            ("moreThan", "", "1", false), ("moreThan", "abc", "1", false),
        ])
    func operators(name: String, actual: String, value: String, expected: Bool) throws {
        let condition = try Condition(number: 1, field: "field", operator: name, value: value)
        #expect(condition.matches(Facts(["field": actual])) == expected)
    }

    @Test(
        "Invalid sets are refused with a message naming the problem",
        arguments: [
            ("logicalExpression", "1 and 4", "condition 4"), ("logicalExpression", "1 and", "ends too early"),
            ("logicalExpression", "(1 or 2", "not closed"),
            ("logicalExpression", "1 xor 2", "'xor'"), ("logicalExpression", "1 & 2", "'&'"), ("logicalExpression", "", "required"),
            ("logicalExpression", "1 2", "Unexpected '2'"), ("sometimes", nil, "'when'"),
        ] as [(String, String?, String)])
    func invalid(when: String, expression: String?, message: String) throws {
        #expect {
            try ConditionSet(when: when, logicalExpression: expression, conditions: try Self.conditions())
        } throws: { error in
            (error as? ConditionError)?.description.contains(message) == true
        }
    }

    @Test("Numbers, operators, numeric values, patterns and field names are checked")
    func checks() throws {
        #expect(throws: ConditionError.self) { try Condition(number: 1, field: "x", operator: "resembles", value: "y") }
        let numeric = try Condition(number: 1, field: "visits", operator: "moreThan", value: "many")
        #expect(throws: ConditionError.self) { try ConditionSet(when: "all", logicalExpression: nil, conditions: [numeric]) }
        let pattern = try Condition(number: 1, field: "visits", operator: "regularExpression", value: "([")
        #expect(throws: ConditionError.self) { try ConditionSet(when: "all", logicalExpression: nil, conditions: [pattern]) }
        let twice = try Self.conditions().map {
            var copy = $0
            copy.number = 1
            return copy
        }
        #expect(throws: ConditionError.self) { try ConditionSet(when: "any", logicalExpression: nil, conditions: twice) }
        let fields: Set<String> = ["currentpageurl", "timeonwebsite", "country"]
        _ = try ConditionSet(when: "all", logicalExpression: nil, conditions: try Self.conditions(), fields: fields)
        let custom = try Condition(number: 1, field: "customVariable.plan", operator: "is", value: "gold")
        _ = try ConditionSet(when: "all", logicalExpression: nil, conditions: [custom], fields: fields, openPrefixes: ["customVariable."])
        #expect(throws: ConditionError.self) { try ConditionSet(when: "all", logicalExpression: nil, conditions: [custom], fields: fields) }
    }

    @Test("An empty list never matches")
    func empty() throws {
        #expect(!(try ConditionSet(when: "any", logicalExpression: nil, conditions: [])).matches(Self.onPricingLong))
    }
}

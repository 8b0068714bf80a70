import Conditions
import Foundation
import SQLKit
import ServiceKit
import TestSupport
import Testing

@Suite("List queries")
struct ListQueryTests {
    static let people = Migration(
        "test-people",
        statements: [
            "CREATE TABLE people (id INTEGER PRIMARY KEY, tenant VARCHAR(10) NOT NULL, name VARCHAR(50), age INTEGER NOT NULL, team_id INTEGER NOT NULL)"
        ])

    struct Person: Codable, Sendable, Equatable {
        var id: Int
        var tenant: String
        var name: String?
        var age: Int
        var teamId: Int
    }

    static let everyone = [
        Person(id: 1, tenant: "a", name: "Ann", age: 31, teamId: 1), Person(id: 2, tenant: "a", name: "Bob", age: 25, teamId: 2),
        Person(id: 3, tenant: "a", name: "Cy 50% off", age: 40, teamId: 1), Person(id: 4, tenant: "a", name: nil, age: 19, teamId: 3),
        Person(id: 5, tenant: "b", name: "Ann", age: 31, teamId: 1),
    ]

    static let teams: [Int64: String] = [1: "Sales", 2: "Support"]

    static let filter = ConditionFilter([
        .text("name", SQLColumn("name")), .integer("age", SQLColumn("age")),
        .lookup("team", names: teams) { ids, unknown in
            let known = SQLBinaryExpression(SQLColumn("team_id"), .in, SQLGroupExpression(ids.map { SQLBind($0) as any SQLExpression }))
            let listed: any SQLExpression = ids.isEmpty ? SQLLiteral.boolean(false) : known
            guard unknown else { return listed }
            let unlisted = SQLBinaryExpression(SQLColumn("team_id"), .notIn, SQLGroupExpression(teams.keys.map { SQLBind($0) as any SQLExpression }))
            return SQLBinaryExpression(left: SQLGroupExpression(listed), op: SQLBinaryOperator.or, right: SQLGroupExpression(unlisted))
        },
    ])

    /// The ids of tenant `a`'s people that `conditions` select, in SQL; and what Swift alone would select.
    func select(_ conditions: [Condition], _ combination: ConditionSet.Combination = .all, in database: Database) async throws -> [Int] {
        let compiled = Self.filter.compile(conditions, combination: combination)
        #expect(compiled.residual.isEmpty)
        return try await database.read { tx in
            var query = ListQuery(pageIndex: 1, pageSize: 50, sort: [])
            if let predicate = compiled.predicate { query.filter(predicate) }
            let select = tx.sql.select().columns("id", "tenant", "name", "age", "team_id").from("people").where("tenant", .equal, "a")
            return try await query.page(select, as: Person.self).rows.map(\.id)
        }
    }

    func expected(_ conditions: [Condition], _ combination: ConditionSet.Combination = .all) -> [Int] {
        Self.everyone.filter { $0.tenant == "a" }.filter { person in
            let facts = Facts(["name": person.name ?? "", "age": String(person.age), "team": Self.teams[Int64(person.teamId)] ?? ""])
            switch combination {
            case .all: return conditions.allSatisfy { $0.matches(facts) }
            case .any: return conditions.contains { $0.matches(facts) }
            case .expression(let expression):
                return expression.evaluate { number in conditions.first { $0.number == number }?.matches(facts) ?? false }
            }
        }.map(\.id)
    }

    func withPeople(_ body: (Database) async throws -> Void) async throws {
        try await withTestDatabase(migrations: [Self.people]) { database in
            try await database.transaction { tx in try await tx.sql.insert(into: "people").rows(Self.everyone).run() }
            try await body(database)
        }
    }

    @Test(
        "Conditions run in SQL select what the same conditions select in Swift",
        arguments: [
            [("name", "is", "ann")], [("name", "isNot", "ann")], [("name", "contains", "50%")], [("name", "notContains", "o")],
            [("age", "moreThan", "30")], [("age", "notMoreThan", "25")], [("age", "is", "31")], [("age", "contains", "1")],
            [("team", "is", "sales")], [("team", "isNot", "Sales")], [("team", "regularExpression", "^S.*t$")], [("name", "is", "")],
            [("name", "contains", "n"), ("age", "lessThan", "35")],
        ])
    func conditionsMatchSwift(_ parts: [(String, String, String)]) async throws {
        let conditions = try parts.enumerated().map {
            try Condition(number: $0.offset + 1, field: $0.element.0, operator: $0.element.1, value: $0.element.2)
        }
        try await self.withPeople { database in
            for combination: ConditionSet.Combination in [.all, .any] {
                let selected = try await self.select(conditions, combination, in: database)
                #expect(selected == self.expected(conditions, combination), "\(parts) \(combination)")
            }
        }
    }

    @Test("A logical expression compiles with its precedence")
    func logicalExpression() async throws {
        let conditions = [
            try Condition(number: 1, field: "team", operator: "is", value: "Sales"),
            try Condition(number: 2, field: "age", operator: "moreThan", value: "35"),
            try Condition(number: 3, field: "name", operator: "is", value: "Bob"),
        ]
        let expression = try LogicalExpression.parse("(1 and not 2) or 3")
        try await self.withPeople { database in
            let selected = try await self.select(conditions, .expression(expression), in: database)
            #expect(selected == [1, 2])
        }
    }

    @Test("A regular expression on a column stays in Swift; under all, the rest still runs in SQL")
    func residualConditions() throws {
        let regex = try Condition(number: 1, field: "name", operator: "regularExpression", value: "^A")
        let age = try Condition(number: 2, field: "age", operator: "moreThan", value: "20")
        let all = Self.filter.compile([regex, age])
        #expect(all.predicate != nil && all.residual == [regex] && !all.residualIsWholeSet)
        let any = Self.filter.compile([regex, age], combination: .any)
        #expect(any.predicate == nil && any.residualIsWholeSet)
    }

    @Test("Pages are counted and cut in SQL, sorted by an allow-listed field then id; other sort fields are refused")
    func pagesAndSort() async throws {
        try await self.withPeople { database in
            let sortable: [String: any SQLExpression] = ["age": SQLColumn("age"), "name": SQLColumn("name")]
            let query = try ListQuery(pageIndex: 2, pageSize: 2, sortBy: "AGE", ascending: false, sortable: sortable, defaultSort: [])
            let page = try await database.read { tx in
                try await query.page(tx.sql.select().columns("*").from("people").where("tenant", .equal, "a"), as: Person.self)
            }
            #expect(page.total == 4)
            #expect(page.rows.map(\.id) == [2, 4])
            #expect(throws: ListQueryError.self) {
                try ListQuery(pageIndex: 1, pageSize: 2, sortBy: "tenant", sortable: sortable, defaultSort: [])
            }
        }
    }
}

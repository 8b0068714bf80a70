import Hummingbird
import SQLKit
import ServiceKit

/// The CMI's "any fields" search (seed §2.5): `field=value` pairs whose values may hold `*` (any run of
/// characters) and `?` (one character), matched over the whole value, case-insensitively, combined with AND.
struct CMIFieldSearch {
    /// Field name → SQL `LIKE` pattern (escaped with `\`).
    let patterns: [(field: String, like: String)]

    /// Reads every query parameter; the ones in `documented` are the endpoint's own, the ones in `searchable`
    /// become patterns, anything else is a 400 `Invalid search field: <name>`.
    init(_ request: Request, searchable: some Collection<String>, documented: Set<String> = []) throws {
        var patterns: [(String, String)] = []
        for (name, value) in request.uri.queryParameters where !documented.contains(String(name)) {
            guard searchable.contains(String(name)) else {
                throw ServiceError(.badRequest, message: "Invalid search field: \(name)", field: String(name))
            }
            patterns.append((String(name), Self.likePattern(String(value))))
        }
        self.patterns = patterns.sorted { $0.0 < $1.0 }
    }

    /// `select` narrowed to rows whose fields (by `columns`) match every pattern.
    func narrowing(_ select: SQLSelectBuilder, columns: [String: any SQLExpression]) -> SQLSelectBuilder {
        self.patterns.reduce(select) { select, pattern in
            columns[pattern.field].map { select.where(CMILike(SQLFunction("LOWER", args: $0), pattern.like)) } ?? select
        }
    }

    func narrowing(_ select: SQLSelectBuilder, columns: [String: String]) -> SQLSelectBuilder {
        self.narrowing(select, columns: columns.mapValues { SQLColumn($0) as any SQLExpression })
    }

    /// `*` → `%`, `?` → `_`; the SQL wildcards themselves and the escape character are escaped.
    static func likePattern(_ value: String) -> String {
        var pattern = ""
        for character in value.lowercased() {
            switch character {
            case "*": pattern.append("%")
            case "?": pattern.append("_")
            case "%", "_", "\\":
                pattern.append("\\")
                pattern.append(character)
            default: pattern.append(character)
            }
        }
        return pattern
    }
}

/// `expression LIKE pattern ESCAPE '\'` for a pattern already escaped (SQLKit has no ESCAPE clause).
struct CMILike: SQLExpression {
    let expression: any SQLExpression
    let pattern: String

    init(_ expression: any SQLExpression, _ pattern: String) {
        self.expression = expression
        self.pattern = pattern
    }

    func serialize(to serializer: inout SQLSerializer) {
        self.expression.serialize(to: &serializer)
        serializer.write(" LIKE ")
        SQLBind(self.pattern).serialize(to: &serializer)
        serializer.write(" ESCAPE '\\'")
    }
}

/// `CASE WHEN column THEN 'true' ELSE 'false' END`: a boolean as the text the search compares.
struct CMIBooleanText: SQLExpression {
    let column: String

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE WHEN ")
        SQLColumn(self.column).serialize(to: &serializer)
        serializer.write(" THEN 'true' ELSE 'false' END")
    }
}

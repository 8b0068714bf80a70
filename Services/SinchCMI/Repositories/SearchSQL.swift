import SQLKit

extension SQLSelectBuilder {
    /// Narrowed to rows whose fields (by `columns`) match every pattern of the "any fields" search.
    @discardableResult
    func matching(_ search: CMIFieldSearch?, columns: [String: any SQLExpression]) -> Self {
        for pattern in search?.patterns ?? [] {
            if let column = columns[pattern.field] { self.where(CMILike(expression: column, pattern: pattern.like)) }
        }
        return self
    }

    @discardableResult
    func matching(_ search: CMIFieldSearch?, columns: [String: String]) -> Self {
        self.matching(search, columns: columns.mapValues { SQLColumn($0) as any SQLExpression })
    }
}

/// `LOWER(expression) LIKE pattern ESCAPE '\'` for a pattern already lower-cased and escaped (SQLKit has no ESCAPE
/// clause).
struct CMILike: SQLExpression {
    let expression: any SQLExpression
    let pattern: String

    func serialize(to serializer: inout SQLSerializer) {
        SQLFunction("LOWER", args: self.expression).serialize(to: &serializer)
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

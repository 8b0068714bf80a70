import HTTPTypes
import ServiceKit

/// The CMI's "any fields" search (seed §2.5): `field=value` pairs whose values may hold `*` (any run of
/// characters) and `?` (one character), matched over the whole value, case-insensitively, combined with AND.
struct CMIFieldSearch {
    /// Field name → SQL `LIKE` pattern (escaped with `\`).
    let patterns: [(field: String, like: String)]

    /// Reads every query parameter; the ones in `documented` are the endpoint's own, the ones in `searchable`
    /// become patterns, anything else is a 400 `Invalid search field: <name>`.
    init(query: CMIQuery, searchable: Set<String>, documented: Set<String> = []) throws {
        var patterns: [(String, String)] = []
        for (name, value) in query.parameters {
            let field = String(name)
            if documented.contains(field) { continue }
            guard searchable.contains(field) else {
                throw ServiceError(.badRequest, message: "Invalid search field: \(field)", field: field)
            }
            patterns.append((field, Self.likePattern(String(value))))
        }
        self.patterns = patterns.sorted { $0.0 < $1.0 }
    }

    /// Escapes the SQL wildcards and the escape character, for a literal substring.
    static func escapeLike(_ value: String) -> String {
        var escaped = ""
        for character in value {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// `*` → `%`, `?` → `_`; the SQL wildcards themselves and the escape character are escaped.
    static func likePattern(_ value: String) -> String {
        var pattern = ""
        for character in value.lowercased() {
            switch character {
            case "*": pattern.append("%")
            case "?": pattern.append("_")
            case "%", "_", "\\": pattern.append("\\"); pattern.append(character)
            default: pattern.append(character)
            }
        }
        return pattern
    }
}

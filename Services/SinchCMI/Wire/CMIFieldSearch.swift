import Hummingbird
import ServiceKit

/// The CMI's "any fields" search (seed §2.5): `field=value` pairs whose values may hold `*` (any run of
/// characters) and `?` (one character), matched over the whole value, case-insensitively, combined with AND.
struct CMIFieldSearch {
    /// Field name → SQL `LIKE` pattern (escaped with `\`).
    let patterns: [(field: String, like: String)]

    /// Reads every query parameter; the members of `documented` (an endpoint's decoded query) are its own parameters,
    /// the ones in `searchable` become patterns, anything else is a 400 `Invalid search field: <name>`.
    init(_ request: Request, searchable: some Collection<String>, documented: Any = ()) throws {
        let own = Set(Mirror(reflecting: documented).children.compactMap(\.label))
        var patterns: [(String, String)] = []
        for (name, value) in request.uri.queryParameters where !own.contains(String(name)) {
            guard searchable.contains(String(name)) else {
                throw ServiceError(.badRequest, message: "Invalid search field: \(name)", field: String(name))
            }
            patterns.append((String(name), Self.likePattern(String(value))))
        }
        self.patterns = patterns.sorted { $0.0 < $1.0 }
    }

    /// `*` → `%`, `?` → `_`, once the SQL wildcards themselves and the escape character are escaped.
    static func likePattern(_ value: String) -> String {
        value.lowercased().replacing(/[%_\\]/) { "\\" + $0.output }.replacing("*", with: "%").replacing("?", with: "_")
    }
}

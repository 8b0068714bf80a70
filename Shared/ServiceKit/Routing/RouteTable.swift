import HTTPTypes
import NIOConcurrencyHelpers

/// The methods each registered path serves, asked only when the router found no route for a request, so a
/// wrong method on a known path can answer 405 with `Allow` instead of 404. Nothing here runs on the happy path.
public final class RouteTable: Sendable {
    /// A path's components, each a literal, a capture (`{id}`, also partial ones such as `{id}.json`), `*` or `**`.
    private struct Pattern: Sendable {
        var components: [Substring]
        var methods: Set<HTTPRequest.Method>
    }

    private let state = NIOLockedValueBox<(routes: [RouteKey], patterns: [Pattern]?)>(([], nil))

    public init() {}

    func insert(_ route: RouteKey) {
        self.state.withLockedValue {
            $0.routes.append(route)
            $0.patterns = nil
        }
    }

    /// The methods served at `path` (the request's raw path), sorted; empty when no route matches it.
    public func methods(servedAt path: String) -> [HTTPRequest.Method] {
        let patterns = self.state.withLockedValue { state in
            if let patterns = state.patterns { return patterns }
            let built = Self.patterns(state.routes)
            state.patterns = built
            return built
        }
        let components = path.split(separator: "/")
        var methods = Set<HTTPRequest.Method>()
        for pattern in patterns where Self.matches(pattern.components, components[...]) {
            methods.formUnion(pattern.methods)
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    private static func patterns(_ routes: [RouteKey]) -> [Pattern] {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes { byPath[route.path, default: []].insert(route.method) }
        return byPath.map { Pattern(components: $0.key.split(separator: "/"), methods: $0.value) }
    }

    private static func matches(_ pattern: [Substring], _ path: ArraySlice<Substring>) -> Bool {
        var path = path
        for component in pattern {
            if component == "**" { return true }
            guard let next = path.popFirst() else { return false }
            if component == "*" || component.contains("{") || component.hasPrefix(":") { continue }
            guard component == next else { return false }
        }
        return path.isEmpty
    }
}

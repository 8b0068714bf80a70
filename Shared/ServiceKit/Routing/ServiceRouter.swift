import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// A route as served: method and path in OpenAPI form (`/agents/{id}`).
public struct RouteKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String

    public init(_ method: HTTPRequest.Method, _ path: String) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method.rawValue) \(path)" }

    public static func < (lhs: RouteKey, rhs: RouteKey) -> Bool {
        (lhs.path, lhs.method.rawValue) < (rhs.path, rhs.method.rawValue)
    }
}

/// Wraps Hummingbird's `Router` and records every route added to it, through groups too, so the
/// OpenAPI document can be checked against what is really served.
public final class ServiceRouter<Context: RequestContext>: RouterMethods, HTTPResponderBuilder {
    public let router: Router<Context>
    private let recorded = NIOLockedValueBox<Set<RouteKey>>([])
    /// The same routes, matched against a path when the router finds none (405 instead of 404).
    public let table = RouteTable()

    public init(context: Context.Type = Context.self, options: RouterOptions = []) {
        self.router = Router(context: context, options: options)
    }

    /// Every route added so far.
    public var routes: Set<RouteKey> { self.recorded.withLockedValue { $0 } }

    @discardableResult public func on<Responder: HTTPResponder>(
        _ path: RouterPath,
        method: HTTPRequest.Method,
        responder: Responder
    ) -> Self where Responder.Context == Context {
        let route = RouteKey(method, Self.openAPIPath(path))
        self.recorded.withLockedValue { _ = $0.insert(route) }
        self.table.insert(route)
        self.router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult public func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        self.router.add(middleware: middleware)
        return self
    }

    public func buildResponder() -> RouterResponder<Context> {
        self.router.buildResponder()
    }

    /// Hummingbird already spells captures as OpenAPI does (`/agents/{id}`).
    static func openAPIPath(_ path: RouterPath) -> String {
        path.description
    }
}

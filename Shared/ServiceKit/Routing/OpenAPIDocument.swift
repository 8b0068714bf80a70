import Foundation
import HTTPTypes
import NIOConcurrencyHelpers

/// What a route does, for the service's OpenAPI document.
public struct OperationDescription: Sendable {
    public var summary: String
    public var tag: String
    /// The security scheme names that apply (empty: public).
    public var security: [String]
    /// Marks routes that are Switchboard's own additions to the vendor's API.
    public var isExtension: Bool
    /// Status code → description; defaults to a bare 200.
    public var responses: [Int: String]
    /// The query parameters the operation reads (beside those its security scheme implies).
    public var query: [QueryParameter]

    public init(
        _ summary: String, tag: String, security: [String] = [], isExtension: Bool = false, responses: [Int: String] = [200: "OK"],
        query: [QueryParameter] = []
    ) {
        self.summary = summary
        self.tag = tag
        self.security = security
        self.isExtension = isExtension
        self.responses = responses
        self.query = query
    }
}

/// A query parameter in the OpenAPI document, so generated clients and fuzzers know to send it.
public struct QueryParameter: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case string, integer, boolean
    }

    public var name: String
    public var kind: Kind
    public var required: Bool
    public var description: String

    public init(_ name: String, _ description: String, _ kind: Kind = .string, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
        self.description = description
    }

    /// Comm100's tenant: every call with Basic credentials names its site (a bearer token carries it).
    public static let siteId = QueryParameter("siteId", "The site; required with Basic credentials, implied by a bearer token", .integer)
}

/// Builds the OpenAPI 3.1 document of one service from the routes it describes.
///
/// Controllers describe each route they add; the service's test checks the descriptions and the
/// routes recorded by ``ServiceRouter`` are the same set.
public final class OpenAPIDocument: Sendable {
    public let title: String
    public let version: String
    private let operations = NIOLockedValueBox<[RouteKey: OperationDescription]>([:])
    private let securitySchemes: [String: [String: String]]
    /// Query parameters that every operation secured by a scheme takes (Comm100's `siteId` with `basicAuth`).
    private let schemeParameters: [String: [QueryParameter]]

    public init(
        title: String, version: String = "1.0.0", securitySchemes: [String: [String: String]] = [:],
        schemeParameters: [String: [QueryParameter]] = [:]
    ) {
        self.title = title
        self.version = version
        self.securitySchemes = securitySchemes
        self.schemeParameters = schemeParameters
    }

    /// Records what a route does.
    public func describe(_ method: HTTPRequest.Method, _ path: String, _ operation: OperationDescription) {
        self.operations.withLockedValue { $0[RouteKey(method, path)] = operation }
    }

    /// Every described route.
    public var describedRoutes: Set<RouteKey> { Set(self.operations.withLockedValue { $0.keys }) }

    /// Checks the document and the router agree both ways: every served route is described and every
    /// described route is served. Services call it while they are built, so neither can drift.
    public func verify(against routes: Set<RouteKey>) throws {
        let undocumented = routes.subtracting(self.describedRoutes).sorted()
        let unserved = self.describedRoutes.subtracting(routes).sorted()
        guard undocumented.isEmpty, unserved.isEmpty else {
            throw OpenAPIMismatch(undocumented: undocumented, unserved: unserved)
        }
    }

    /// The document as JSON.
    public func json() -> Data {
        let operations = self.operations.withLockedValue { $0 }
        var paths: [String: [String: Any]] = [:]
        var operationIDs = Set<String>()
        for (route, operation) in operations.sorted(by: { $0.key < $1.key }) {
            var entry: [String: Any] = [
                "summary": operation.summary,
                "tags": [operation.tag],
                "operationId": Self.uniqueOperationID(route, taken: &operationIDs),
                "responses": Dictionary(uniqueKeysWithValues: operation.responses.map { (String($0.key), ["description": $0.value]) }),
            ]
            var parameters: [[String: Any]] = Self.pathParameters(route.path).map {
                ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]]
            }
            var query = operation.security.flatMap { self.schemeParameters[$0] ?? [] }
            query += operation.query.filter { !query.contains($0) }
            for parameter in query where !parameters.contains(where: { $0["name"] as? String == parameter.name }) {
                parameters.append([
                    "name": parameter.name, "in": "query", "required": parameter.required, "description": parameter.description,
                    "schema": ["type": parameter.kind.rawValue],
                ])
            }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            entry["security"] = operation.security.map { [$0: [String]()] }
            if operation.isExtension { entry["x-switchboard-extension"] = true }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = entry
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": self.title, "version": self.version],
            "paths": paths,
            "components": ["securitySchemes": self.securitySchemes],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { segment in
            guard let open = segment.firstIndex(of: "{"), let close = segment.firstIndex(of: "}") else { return nil }
            return String(segment[segment.index(after: open)..<close])
        }
    }

    /// Spelling variants of one path (`/preChat`, `/prechat`) would share an id: later ones get a number.
    static func uniqueOperationID(_ route: RouteKey, taken: inout Set<String>) -> String {
        let base = Self.operationID(route)
        var candidate = base
        var number = 2
        while taken.contains(candidate.lowercased()) {
            candidate = base + String(number)
            number += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    static func operationID(_ route: RouteKey) -> String {
        let words = route.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return route.method.rawValue.lowercased() + words.joined()
    }
}

/// Security schemes as each vendor names them.
public enum SecuritySchemes {
    public static let basic = ["type": "http", "scheme": "basic"]
    public static let bearer = ["type": "http", "scheme": "bearer"]
    public static let chatwootUserToken = ["type": "apiKey", "in": "header", "name": "api_access_token"]
    public static let internalToken = ["type": "apiKey", "in": "header", "name": "X-Internal-Token"]
}

/// The OpenAPI document and the router disagree.
public struct OpenAPIMismatch: Error, CustomStringConvertible {
    public let undocumented: [RouteKey]
    public let unserved: [RouteKey]
    public var description: String { "served but not documented: \(undocumented); documented but not served: \(unserved)" }
}

import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import WireModels

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
    /// The JSON body it reads and the JSON it answers with on success, derived from the wire types (``Endpoints``).
    public var requestSchema: JSONSchema?
    public var responseSchema: JSONSchema?
    /// The success status the response schema belongs to.
    public var successStatus: Int = 200

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
    /// `#/components/schemas`, filled as endpoints declare their wire types.
    private let components: SchemaComponents
    /// Whether ``Endpoints`` check every JSON answer against its schema (`openapi.checkResponses`; on in tests).
    public let checksResponses: Bool
    private let securitySchemes: [String: [String: String]]
    /// Query parameters that every operation secured by a scheme takes (Comm100's `siteId` with `basicAuth`).
    private let schemeParameters: [String: [QueryParameter]]

    public init(
        title: String, version: String = "1.0.0", securitySchemes: [String: [String: String]] = [:],
        schemeParameters: [String: [QueryParameter]] = [:], schemaOptions: SchemaOptions = .init(), checksResponses: Bool = false
    ) {
        self.components = SchemaComponents(options: schemaOptions)
        self.checksResponses = checksResponses
        self.title = title
        self.version = version
        self.securitySchemes = securitySchemes
        self.schemeParameters = schemeParameters
    }

    /// Records what a route does.
    public func describe(_ method: HTTPRequest.Method, _ path: String, _ operation: OperationDescription) {
        self.operations.withLockedValue { $0[RouteKey(method, path)] = operation }
    }

    /// The schema of a wire type, its object types recorded as components. Throws, at start-up, for a type the
    /// walk cannot read (it must then state its schema: `SchemaProviding`).
    public func schema<T: Decodable>(for type: T.Type) throws -> JSONSchema {
        try self.components.schema(for: type)
    }

    /// Checks a JSON answer of `route` against the schema its declaration derived; each violation with its path.
    public func violations(of body: Data, answering route: RouteKey) -> [String] {
        guard let schema = self.operations.withLockedValue({ $0[route]?.responseSchema }) else { return [] }
        let components = self.components.schemas
        return SchemaValidator(components: components, closedObjects: true).validate(json: body, against: schema)
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
        var paths: [String: [String: JSONValue]] = [:]
        var operationIDs = Set<String>()
        for (route, operation) in operations.sorted(by: { $0.key < $1.key }) {
            var entry: [String: JSONValue] = [
                "summary": .string(operation.summary),
                "tags": .array([.string(operation.tag)]),
                "operationId": .string(Self.uniqueOperationID(route, taken: &operationIDs)),
                "responses": .object(self.responses(of: operation)),
                "security": .array(operation.security.map { .object([$0: .array([])]) }),
            ]
            let parameters = self.parameters(of: operation, path: route.path)
            if !parameters.isEmpty { entry["parameters"] = .array(parameters) }
            if let body = operation.requestSchema {
                entry["requestBody"] = .object(["required": .bool(true), "content": Self.jsonContent(body)])
            }
            if operation.isExtension { entry["x-switchboard-extension"] = .bool(true) }
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = .object(entry)
        }
        var components: [String: JSONValue] = [
            "securitySchemes": .object(self.securitySchemes.mapValues { .object($0.mapValues(JSONValue.string)) })
        ]
        let schemas = self.components.schemas
        if !schemas.isEmpty { components["schemas"] = .object(schemas.mapValues(Self.value)) }
        let document: JSONValue = .object([
            "openapi": .string("3.1.0"),
            "info": .object(["title": .string(self.title), "version": .string(self.version)]),
            "paths": .object(paths.mapValues(JSONValue.object)),
            "components": .object(components),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data()
    }

    /// Path parameters, then the query parameters of the operation's security schemes and its own.
    private func parameters(of operation: OperationDescription, path: String) -> [JSONValue] {
        var names = Set<String>()
        var parameters: [JSONValue] = Self.pathParameters(path).map { name in
            names.insert(name)
            return .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": .object(["type": .string("string")])])
        }
        for parameter in operation.security.flatMap({ self.schemeParameters[$0] ?? [] }) + operation.query where names.insert(parameter.name).inserted
        {
            parameters.append(
                .object([
                    "name": .string(parameter.name), "in": .string("query"), "required": .bool(parameter.required),
                    "description": .string(parameter.description), "schema": .object(["type": .string(parameter.kind.rawValue)]),
                ])
            )
        }
        return parameters
    }

    /// Status → description, the success status with its JSON schema when the operation declared one.
    private func responses(of operation: OperationDescription) -> [String: JSONValue] {
        var responses: [String: JSONValue] = [:]
        for (status, description) in operation.responses {
            var response: [String: JSONValue] = ["description": .string(description)]
            if status == operation.successStatus, let schema = operation.responseSchema { response["content"] = Self.jsonContent(schema) }
            responses[String(status)] = .object(response)
        }
        return responses
    }

    private static func jsonContent(_ schema: JSONSchema) -> JSONValue {
        .object(["application/json": .object(["schema": Self.value(schema)])])
    }

    private static func value(_ schema: JSONSchema) -> JSONValue {
        (try? JSONValue(encoding: schema)) ?? .object([:])
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

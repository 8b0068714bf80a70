import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import ServiceKit
import WireModels
import XMLCoder

/// The CMI as an API: typed answers in JSON or XML by `Accept` (the seed's header section, L5–L11), bodies in JSON or
/// XML by `Content-Type`, errors in plain text as the JAX-RS service behind the seed writes them. One value is the
/// router's dialect and the context's encoder and decoder.
struct CMIDialect: APIDialect, ResponseEncoder, RequestDecoder {
    func response(for error: ServiceError, requestID: String) -> Response {
        SinchErrorDialect().response(for: error, requestID: requestID)
    }

    /// JSON with sorted keys (the seed's examples); XML under the object's or list's root (`docs/cmi-xml.md`).
    func response(for value: some Encodable, request: Request) throws -> Response {
        let format = try Self.format(accepting: request.headers[.accept])
        let data: Data
        switch format {
        case "application/json": data = try JSONEncoder.cmi.encode(value)
        default:
            guard let rooted = value as? any CMIXMLDocument else { throw ServiceError(.notAcceptable, message: "HTTP 406 Not Acceptable") }
            data = try rooted.xmlDocument()
        }
        return Response(status: .ok, headers: [.contentType: format], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try self.response(for: value, request: request)
    }

    /// A body of the format its `Content-Type` names (415 for any other), within the service's `http.maxBodySize`
    /// (413 above it); malformed, hostile (a DTD) or mistyped input is a 400 naming the problem.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let contentType = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let contentType, ["application/json", "application/xml", "text/xml"].contains(contentType) else {
            throw ServiceError(.unsupportedMediaType, message: "HTTP 415 Unsupported Media Type")
        }
        let buffer = try await request.collectBody(atMost: context.maxUploadSize)
        return contentType == "application/json" ? try JSONBody.decode(T.self, from: buffer) : try CMIXMLBody.decode(T.self, from: buffer)
    }

    /// The media type `Accept` asks for: JSON when it names none (no header, `*/*`), 406 when it names only types the
    /// CMI cannot produce. `split` drops empty pieces, so `Accept: ;` or `a,,;q=1` leaves items with no type: skipped.
    static func format(accepting accept: String?) throws -> String {
        guard let accept = accept?.lowercased(), !accept.isEmpty else { return "application/json" }
        for type in accept.split(separator: ",").compactMap({ $0.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) }) {
            switch type {
            case "application/json", "*/*", "application/*": return "application/json"
            case "application/xml", "text/xml": return "application/xml"
            default: continue
            }
        }
        throw ServiceError(.notAcceptable, message: "HTTP 406 Not Acceptable")
    }
}

/// The context of `/RI/cmi` and `/RI/cmi-admin`: a signed-in user (401 otherwise), and ``CMIDialect`` reading bodies and
/// writing answers, so handlers take and return wire values.
struct CMIContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let identity: Identity
    let maxUploadSize: Int
    var requestDecoder: CMIDialect { CMIDialect() }
    var responseEncoder: CMIDialect { CMIDialect() }

    init(context: AppRequestContext) throws {
        let authenticated = try AuthenticatedContext(context: context)
        self.coreContext = authenticated.coreContext
        self.identity = authenticated.identity
        self.maxUploadSize = authenticated.maxUploadSize
    }

    /// 403 `The <right> right is required.` unless the signed-in user holds `right` (on every queue: decision 34).
    func require(_ right: String) throws {
        guard self.identity.has(permission: right) else { throw ServiceError(.forbidden, message: "The \(right) right is required.") }
    }

    /// The language answers are translated to (seed §2.5): the request's `language`, else the signed-in user's.
    func language(_ requested: String?) -> String? {
        requested.nonEmpty ?? self.identity.language
    }

    /// The GUID in path parameter `name`: 400 `Invalid GUID: '…'` when malformed.
    func guid(_ name: String) throws -> String {
        try CMIIdentifier.guid(try self.parameters.require(name))
    }
}

/// An object the CMI sends or receives, with the XML element names recorded in `docs/cmi-xml.md`.
protocol CMIRepresentable: Codable, Sendable, ResponseEncodable, CMIXMLDocument {
    /// The root element of one object.
    static var xmlRootName: String { get }
    /// The root element of a list of them; each item is a `xmlRootName` element.
    static var xmlListRootName: String { get }
}

/// What the dialect can write as an XML document: one CMI object, or a list of them.
protocol CMIXMLDocument {
    func xmlDocument() throws -> Data
}

extension CMIRepresentable {
    func xmlDocument() throws -> Data {
        try XMLEncoder().encode(self, withRootKey: Self.xmlRootName, header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }
}

extension Array: CMIXMLDocument where Element: CMIRepresentable {
    /// `<plural><singular>…</singular>…</plural>`.
    func xmlDocument() throws -> Data {
        try XMLEncoder().encode(XMLList(items: self), withRootKey: Element.xmlListRootName, header: XMLHeader(version: 1.0, encoding: "UTF-8"))
    }
}

/// A list as XML: each item a child element named after the item's own root.
private struct XMLList<T: CMIRepresentable>: Encodable {
    let items: [T]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CMIKey.self)
        try container.encode(self.items, forKey: CMIKey(stringValue: T.xmlRootName))
    }
}

/// Any member name: an XML list's items, a settings member that may not be one.
struct CMIKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension JSONEncoder {
    /// Keys sorted and slashes unescaped, as in the seed's examples (L91–L333).
    static let cmi: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()
}

extension XMLDecoder {
    /// Values keep their whitespace, as JSON does (an email body may end in a space).
    static var cmi: XMLDecoder { XMLDecoder(trimValueWhitespaces: false) }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import ServiceKit
import XMLCoder

/// The two representations the CMI speaks; which one a request wants comes from `Accept` (responses) and
/// `Content-Type` (bodies), as the seed's header section says (L5–L11).
enum CMIFormat: Sendable {
    case json
    case xml

    /// The response format `Accept` asks for: JSON when it names none (no header, `*/*`), 406 when it names
    /// only types the CMI cannot produce.
    static func response(for request: Request) throws -> CMIFormat {
        guard let accept = request.headers[.accept]?.lowercased(), !accept.isEmpty else { return .json }
        // `split` drops empty pieces, so `Accept: ;` or `a,,;q=1` leaves items with no media type: skip them.
        let types = accept.split(separator: ",").compactMap { $0.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) }
        for type in types {
            switch type {
            case "application/json", "*/*", "application/*": return .json
            case "application/xml", "text/xml": return .xml
            default: continue
            }
        }
        throw ServiceError(.notAcceptable, message: "HTTP 406 Not Acceptable")
    }

    /// The format of a request body from `Content-Type`; 415 for anything but JSON or XML.
    static func body(of request: Request) throws -> CMIFormat {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        switch type {
        case "application/json": return .json
        case "application/xml", "text/xml": return .xml
        default: throw ServiceError(.unsupportedMediaType, message: "HTTP 415 Unsupported Media Type")
        }
    }

    var contentType: String {
        switch self {
        case .json: "application/json"
        case .xml: "application/xml"
        }
    }
}

/// An object the CMI sends or receives, with the XML element names recorded in `docs/cmi-xml.md`.
protocol CMIRepresentable: Codable, Sendable {
    /// The root element of one object.
    static var xmlRootName: String { get }
    /// The root element of a list of them; each item is a `xmlRootName` element.
    static var xmlListRootName: String { get }
}

/// Encodes CMI objects and lists in the requested format and decodes request bodies.
enum CMICoder {
    static func response<T: CMIRepresentable>(_ value: T, format: CMIFormat) throws -> Response {
        let data: Data
        switch format {
        case .json: data = try JSONEncoder.cmi.encode(value)
        case .xml: data = try XMLEncoder.cmi.encode(value, withRootKey: T.xmlRootName, header: XMLHeader(version: 1.0, encoding: "UTF-8"))
        }
        return Self.response(data, format: format)
    }

    static func response<T: CMIRepresentable>(_ values: [T], format: CMIFormat) throws -> Response {
        let data: Data
        switch format {
        case .json: data = try JSONEncoder.cmi.encode(values)
        case .xml:
            data = try XMLEncoder.cmi.encode(
                XMLList(items: values), withRootKey: T.xmlListRootName, header: XMLHeader(version: 1.0, encoding: "UTF-8")
            )
        }
        return Self.response(data, format: format)
    }

    /// Decodes a request body of the format its `Content-Type` names, within the service's `http.maxBodySize` (413
    /// above it); a body that is not well-formed, or a field of the wrong kind, is a 400 naming the problem.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AuthenticatedContext) async throws -> T {
        let format = try CMIFormat.body(of: request)
        let buffer = try await request.collectBody(atMost: context.maxUploadSize)
        switch format {
        case .json: return try JSONBody.decode(T.self, from: buffer)
        case .xml: return try CMIXMLBody.decode(T.self, from: buffer)
        }
    }

    private static func response(_ data: Data, format: CMIFormat) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: format.contentType],
            body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}

/// A list as XML: each item a child element named after the item's own root.
private struct XMLList<T: CMIRepresentable>: Encodable {
    let items: [T]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(self.items, forKey: DynamicKey(T.xmlRootName))
    }
}

private struct DynamicKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
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

extension XMLEncoder {
    static var cmi: XMLEncoder {
        let encoder = XMLEncoder()
        encoder.outputFormatting = []
        return encoder
    }
}

extension XMLDecoder {
    static var cmi: XMLDecoder {
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = false
        // Values keep their whitespace, as JSON does (an email body may end in a space).
        decoder.trimValueWhitespaces = false
        return decoder
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

/// The CMI's fixed answers: 201 with the new id as `text/html` and a `Location`, and its 404.
enum CMIResponses {
    /// 201 Created: the id as the body and `Location: <the collection's absolute URL>/<id>` (seed L9–L10; notes A41).
    /// The origin is the one the client used: the gateway's `X-Forwarded-Proto`/`X-Forwarded-Host`, else `Host`.
    static func created(id: String, request: Request) -> Response {
        let path = request.uri.path.hasSuffix("/") ? String(request.uri.path.dropLast()) : request.uri.path
        let host = request.headers[HTTPField.Name("X-Forwarded-Host")!] ?? request.head.authority ?? request.headers[HTTPField.Name("Host")!]
        let origin = host.map { "\(request.headers[HTTPField.Name("X-Forwarded-Proto")!] ?? "http")://\($0)" } ?? ""
        return Response(
            status: .created, headers: [.contentType: "text/html", .location: "\(origin)\(path)/\(id)"],
            body: .init(byteBuffer: ByteBuffer(string: id))
        )
    }

    /// A 201 route's documentation: the id as text.
    static let createdResponses = [201: "The new object's id (text/html), its URL in Location", 415: "Unsupported Media Type"]
}

extension ServiceError {
    /// 404 as the CMI words it: `HTTP 404 Not Found`.
    static var cmiNotFound: ServiceError { ServiceError(.notFound, message: "HTTP 404 Not Found") }

    /// 400 `Invalid value for <field>: <value>`, the CMI's words for a value it refuses.
    static func cmiInvalid(_ field: String, _ value: String) -> ServiceError {
        ServiceError(.badRequest, message: "Invalid value for \(field): \(value)", field: field)
    }
}

extension Database {
    /// What `body` reads, or the CMI's 404 when it finds nothing.
    func found<T: Sendable>(_ body: @Sendable (Tx) async throws -> T?) async throws -> T {
        guard let value = try await self.read(body) else { throw ServiceError.cmiNotFound }
        return value
    }
}

/// CMI identifiers: 32 hexadecimal characters, no hyphens (seed §2.3); stored upper-case.
enum CMIIdentifier {
    /// The canonical form of `raw`, or 400 `Invalid GUID: '<raw>'` exactly as the seed's example.
    static func guid(_ raw: String) throws -> String {
        guard raw.count == 32, raw.allSatisfy(\.isHexDigit) else { throw ServiceError(.badRequest, message: "Invalid GUID: '\(raw)'") }
        return raw.uppercased()
    }

    /// A contact group id: a 32-character GUID (phone calls) or a 36-character hyphenated one (chats, emails).
    static func contactGroup(_ raw: String) throws -> String {
        if raw.count == 36 {
            let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.map(\.count) == [8, 4, 4, 4, 12], parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else {
                throw ServiceError(.badRequest, message: "Invalid GUID: '\(raw)'")
            }
            return raw.uppercased()
        }
        return try guid(raw)
    }

    /// A new identifier in the CMI's form.
    static func make() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "")
    }
}

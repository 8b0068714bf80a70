import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceKit

/// The CMI's fixed answers: 201 with the new id as `text/html` and a `Location`, 204 with no body, and the
/// JAX-RS-style plain-text errors the seed shows.
enum CMIResponses {
    /// 201 Created: the id as the body, `Location: <collection URL>/<id>` (seed L9–L10).
    static func created(id: String, request: Request) -> Response {
        let path = request.uri.path.hasSuffix("/") ? String(request.uri.path.dropLast()) : request.uri.path
        return Response(
            status: .created,
            headers: [.contentType: "text/html", .location: "\(path)/\(id)"],
            body: .init(byteBuffer: ByteBuffer(string: id))
        )
    }

    /// 204 No Content, for PUT, DELETE, remarks and consents.
    static var noContent: Response { Response(status: .noContent) }
}

extension ServiceError {
    /// 404 as the CMI words it: `HTTP 404 Not Found`.
    static var cmiNotFound: ServiceError { ServiceError(.notFound, message: "HTTP 404 Not Found") }
}

/// CMI identifiers: 32 hexadecimal characters, no hyphens (seed §2.3); stored upper-case.
enum CMIIdentifier {
    /// The canonical form of `raw`, or 400 `Invalid GUID: '<raw>'` exactly as the seed's example.
    static func guid(_ raw: String) throws -> String {
        guard raw.count == 32, raw.allSatisfy(\.isHexDigit) else {
            throw ServiceError(.badRequest, message: "Invalid GUID: '\(raw)'")
        }
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

import Foundation
import HTTPTypes

/// A `multipart/form-data` body (RFC 7578) split into its parts: a Contact import's CSV file and options, an Anytime
/// attachment. Every way a body can be malformed is a 400 saying how.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var data: [UInt8]
    }

    public var parts: [Part]

    /// The first part named `name`, any case.
    public func part(_ name: String) -> Part? {
        self.parts.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Parses `body` sent with `contentType`; 415 when it is not multipart/form-data, the message saying what the body
    /// should hold (`expecting`, e.g. "the file in a part named file").
    public init(body: [UInt8], contentType: String?, expecting: String) throws {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
            throw ServiceError(.unsupportedMediaType, message: "The request body must be multipart/form-data, with \(expecting).")
        }
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw ServiceError(.badRequest, message: "The multipart/form-data Content-Type names no boundary.")
        }
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        guard var position = body.firstRange(of: delimiter)?.upperBound else {
            throw ServiceError(.badRequest, message: "The multipart body holds no part: its boundary never appears.")
        }
        var parts: [Part] = []
        while true {
            // After a delimiter: `--` ends the body, else CRLF and a part.
            if body[position...].starts(with: [45, 45]) { break }
            guard body[position...].starts(with: crlf) else {
                throw ServiceError(.badRequest, message: "The multipart body is malformed: a boundary is not followed by a line break.")
            }
            position += 2
            guard let headerEnd = body[position...].firstRange(of: crlf + crlf) else {
                throw ServiceError(.badRequest, message: "The multipart body is malformed: a part's headers never end.")
            }
            let headers = String(decoding: body[position..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = body[headerEnd.upperBound...].firstRange(of: crlf + delimiter) else {
                throw ServiceError(.badRequest, message: "The multipart body is malformed: it ends before its closing boundary.")
            }
            parts.append(try Self.part(headers: headers, data: Array(body[headerEnd.upperBound..<next.lowerBound])))
            position = next.upperBound
        }
        self.parts = parts
    }

    static func part(headers: String, data: [UInt8]) throws -> Part {
        var part = Part(name: "", data: data)
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if name == "content-disposition" {
                guard value.lowercased().hasPrefix("form-data"), let fieldName = Self.parameter("name", in: value) else {
                    throw ServiceError(.badRequest, message: "A multipart part's Content-Disposition is not form-data with a name.")
                }
                part.name = fieldName
                part.filename = Self.parameter("filename", in: value)
            } else if name == "content-type" {
                part.contentType = value
            }
        }
        guard !part.name.isEmpty else { throw ServiceError(.badRequest, message: "A multipart part has no Content-Disposition name.") }
        return part
    }

    /// `name=value` or `name="value"` among a header's `;`-separated parameters.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            return value
        }
        return nil
    }
}

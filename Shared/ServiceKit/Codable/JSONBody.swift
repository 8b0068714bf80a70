import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import WireModels

/// Decodes a JSON request body so that anything a client can send is either the value or a 400 that says what
/// is wrong: empty, not UTF-8, a raw control character or `\u0000` in a string, nested too deeply, a trailing
/// comma, not JSON, or a field of the wrong kind (named by its path).
public enum JSONBody {
    /// Deeper than any document of the five APIs; bounds the recursion of everything that walks a body.
    public static let maxDepth = 64

    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try self.check(buffer)
        let data = Data(buffer: buffer)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw self.rootProblem(data)
            }
            throw DecodingProblem.serviceError(error)
        }
    }

    /// The checks JSON parsers leave out or answer vaguely, in one pass over the bytes.
    public static func check(_ buffer: ByteBuffer) throws {
        guard buffer.readableBytes > 0 else { throw ServiceError(.badRequest, message: "The request body is empty; JSON was expected.") }
        try buffer.withUnsafeReadableBytes { bytes in
            guard String(validating: bytes, as: UTF8.self) != nil else {
                throw ServiceError(.badRequest, message: "The request body is not valid UTF-8.")
            }
            var inString = false
            var depth = 0
            var index = 0
            // The last byte outside a string that is not white space: Foundation's parser takes `{"a": 1,}` and
            // `[1,]`, which are not JSON (RFC 8259; spec 002 §6 #32), so a comma before a close is refused here.
            var previous: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    switch byte {
                    case UInt8(ascii: "\\"):
                        // PostgreSQL stores no NUL in text, so `\u0000` would be a 500 there: refuse it everywhere.
                        if index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                            bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") })
                        {
                            throw ServiceError(
                                .badRequest, message: "The request body holds a NUL character (\\u0000) at byte \(index), which is not accepted.")
                        }
                        index += 1
                    case UInt8(ascii: "\""): inString = false
                    case ..<0x20:
                        throw ServiceError(
                            .badRequest, message: "The request body holds an unescaped control character (byte \(byte)) in a string at byte \(index)."
                        )
                    default: break
                    }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        depth += 1
                        guard depth <= self.maxDepth else {
                            throw ServiceError(.badRequest, message: "The request body is nested more than \(self.maxDepth) levels deep.")
                        }
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        guard previous != UInt8(ascii: ",") else {
                            throw ServiceError(
                                .badRequest,
                                message:
                                    "The request body is not valid JSON: a trailing comma before '\(Character(Unicode.Scalar(byte)))' at byte \(index)."
                            )
                        }
                        depth -= 1
                    default: break
                    }
                    if byte > 0x20 { previous = byte }
                }
                index += 1
            }
        }
    }

    /// Foundation reports both malformed JSON and a number that fits no integer as a root-level corruption
    /// without a path; parsing again into `JSONValue` tells them apart and finds the numbers to name.
    static func rootProblem(_ data: Data) -> ServiceError {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return ServiceError(.badRequest, message: "The request body is not valid JSON\(self.syntaxDetail(data)).")
        }
        var fields: [String] = []
        self.collectNonIntegers(value, path: "", into: &fields)
        switch fields.count {
        case 0: return ServiceError(.badRequest, message: "A number in the request body is out of range.")
        case 1: return .invalid(fields[0], "Field '\(fields[0])' must be an integer.")
        default: return ServiceError(.badRequest, message: "One of the fields \(fields.joined(separator: ", ")) must be an integer.")
        }
    }

    /// Where the parser stopped (": Unexpected character 'x' around line 1, column 2"), when it says so in plain words.
    static func syntaxDetail(_ data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return ""
        } catch {
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return "" }
            if detail.contains("not representable") { return ": a number is out of range" }
            guard !DecodingProblem.mentionsSwiftType(detail) else { return "" }
            return ": " + detail.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
    }

    private static func collectNonIntegers(_ value: JSONValue, path: String, into fields: inout [String]) {
        switch value {
        case .number(let number) where number.rounded() != number || abs(number) >= 9.2e18:
            fields.append(path.isEmpty ? "(body)" : path)
        case .array(let items):
            for (index, item) in items.enumerated() { self.collectNonIntegers(item, path: "\(path)[\(index)]", into: &fields) }
        case .object(let members):
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                self.collectNonIntegers(member, path: path.isEmpty ? key : "\(path).\(key)", into: &fields)
            }
        default: break
        }
    }
}

import Foundation
import HTTPTypes

/// Turns a `DecodingError` into a 400 that names the field path and what was expected in the words of the
/// vendors' own field tables ("a string", "an integer", "an object"), never a Swift type name.
public enum DecodingProblem {
    public static func serviceError(_ error: DecodingError) -> ServiceError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = self.path(context.codingPath, key)
            return .invalid(field, "Field '\(field)' is required.")
        case .typeMismatch(let type, let context):
            let expected = self.expectation(for: type)
            let found = self.found(in: context.debugDescription).map { ", not \($0)" } ?? ""
            let field = self.path(context.codingPath)
            guard !field.isEmpty else { return ServiceError(.badRequest, message: "The request body must be \(expected)\(found).") }
            return .invalid(field, "Field '\(field)' must be \(expected)\(found).")
        case .valueNotFound(let type, let context):
            let field = self.path(context.codingPath)
            guard !field.isEmpty else { return ServiceError(.badRequest, message: "The request body must be \(self.expectation(for: type)).") }
            return .invalid(field, "Field '\(field)' must be \(self.expectation(for: type)), not null.")
        case .dataCorrupted(let context):
            return self.corrupted(context)
        @unknown default:
            return ServiceError(.badRequest, message: "The request body could not be read.")
        }
    }

    /// What a value of `type` is called in the APIs' documentation.
    public static func expectation(for type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type, is Character.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is any BinaryInteger.Type: return "an integer"
        case is any BinaryFloatingPoint.Type, is Decimal.Type: return "a number"
        case is Date.Type: return "a date-time"
        default:
            // Foundation's decoders name containers `Dictionary<String, Any>` and `Array<Any>`.
            let name = String(describing: type)
            if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
            if name.hasPrefix("Array") || name.hasPrefix("UnkeyedDecodingContainer") || name.hasPrefix("Set") { return "an array" }
            return "a value of another kind"
        }
    }

    /// `a.b[2].c`, from a coding path and an optional last key.
    public static func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
        var keys = codingPath
        // XMLCoder already ends the path with the missing key; Foundation does not.
        if let key, keys.last?.stringValue != key.stringValue || keys.last?.intValue != key.intValue { keys.append(key) }
        var path = ""
        for key in keys {
            // XMLCoder and Foundation spell array positions as `Index N` keys with an int value.
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }

    /// Foundation says "Expected to decode Int but found a string instead."; the found part is already in plain words.
    static func found(in description: String) -> String? {
        guard let start = description.range(of: "but found "),
            let end = description.range(of: " instead", range: start.upperBound..<description.endIndex)
        else { return nil }
        var found = String(description[start.upperBound..<end.lowerBound])
        guard !self.mentionsSwiftType(found), !found.isEmpty else { return nil }
        // Foundation writes "found number" for numbers, "found a dictionary" for objects, "found a string"...
        if found == "a dictionary" { return "an object" }
        if !found.hasPrefix("a ") && !found.hasPrefix("an ") && found != "null" { found = ("aeiou".contains(found.first!) ? "an " : "a ") + found }
        return found
    }

    static func corrupted(_ context: DecodingError.Context) -> ServiceError {
        let field = self.path(context.codingPath)
        let description = context.debugDescription
        guard !field.isEmpty else {
            // Bodies are checked for well-formed JSON before they are decoded (`JSONBody`), so a root-level
            // failure while decoding a value that was already parsed is Foundation's report of a number that does
            // not fit the integer field it is meant for; it does not say which field.
            if description.contains("JSON") {
                return ServiceError(
                    .badRequest, message: "A number in the request body is not an integer, or is out of range, where an integer is expected.")
            }
            return ServiceError(.badRequest, message: "The request body could not be read.")
        }
        // `Cannot initialize Usage from invalid String value foo` (enumerations with raw values).
        if description.hasPrefix("Cannot initialize"), let value = description.range(of: " value ") {
            return .invalid(field, "Field '\(field)' does not allow the value '\(description[value.upperBound...])'.")
        }
        if description.contains("does not fit") || description.contains("not representable") {
            return .invalid(field, "Field '\(field)' is out of range.")
        }
        guard !self.mentionsSwiftType(description) else { return .invalid(field, "Field '\(field)' is invalid.") }
        return .invalid(field, "Field '\(field)' is invalid: \(description)")
    }

    /// Whether a message leaks an implementation type rather than saying what the client sent.
    static func mentionsSwiftType(_ text: String) -> Bool {
        text.contains("Swift.") || text.contains("<") || text.contains(/\b(U?Int(8|16|32|64)?|Double|Float|Bool|String|Decimal|Date|Data)\b/)
    }
}

import Foundation
import ServiceKit

/// The checks the Live Chat rules share; each failure is a 400 naming the field.
enum Validation {
    /// 400 for a field whose value breaks a rule, naming the field first.
    static func invalid(_ field: String, _ reason: String) -> ServiceError {
        ServiceError.invalid(field, "Parameter '\(field)': \(reason)")
    }

    /// A whole-number query parameter within `range`; `default` when it is absent or empty.
    static func queryNumber(_ text: String?, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Self.invalid(name, "must be between \(range.lowerBound) and \(range.upperBound).")
        }
        return number
    }

    /// A mandatory field.
    static func required<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else { throw ServiceError.missing(field) }
        if let text = value as? String, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ServiceError.missing(field) }
        return value
    }

    /// A name: mandatory, trimmed, at most 256 characters.
    static func name(_ value: String?, _ field: String = "name") throws -> String {
        let name = try Self.required(value, field).trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.count <= 256 else { throw ServiceError.invalid(field, "Parameter '\(field)' must be at most 256 characters.") }
        return name
    }

    /// Text that fits its column.
    static func length(_ value: String?, atMost limit: Int, _ field: String) throws {
        if let value, value.count > limit { throw Self.invalid(field, "must be at most \(limit) characters.") }
    }

    /// An absolute http or https URL.
    static func webURL(_ value: String, _ field: String) throws {
        guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw ServiceError.invalid(field, "Parameter '\(field)' must be an absolute http or https URL.")
        }
    }

    /// Email addresses separated by commas or semicolons.
    static func emailList(_ value: String, _ field: String) throws {
        let addresses = value.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !addresses.isEmpty, addresses.allSatisfy(Self.isEmail) else {
            throw ServiceError.invalid(field, "Parameter '\(field)' must be email addresses separated by commas or semicolons.")
        }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    /// A number at least `minimum`.
    static func atLeast(_ value: Int?, _ minimum: Int, _ field: String) throws {
        if let value, value < minimum { throw ServiceError.invalid(field, "Parameter '\(field)' must be \(minimum) or more.") }
    }
}

extension Optional {
    /// The value, or a 400 naming `field` as required when it is absent (an empty string is present).
    func unwrapped(orMissing field: String) throws -> Wrapped {
        guard let value = self else { throw ServiceError.missing(field) }
        return value
    }
}

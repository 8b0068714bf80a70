import Foundation
import ServiceKit
import WireModels

/// A custom field's value as stored: its text (the canonical spelling, what the API shows), and the number or the day
/// conditions compare when the type has one.
struct StoredValue: Sendable, Equatable {
    var text: String
    /// Integer and float values; dates and times as epoch milliseconds.
    var number: Double?
    /// Dates and times: days since 1970-01-01 (UTC).
    var day: Int64?
}

/// Checks a value against its field (spec §5.12 "Value validation"); the error names the member it came from.
enum FieldValues {
    /// The stored form of `raw` for `field`; nil for an empty value (which clears). `member` is how the client named
    /// it (`customFields.company`, `defaultValue`).
    static func stored(_ raw: String, for field: FieldDefinition, member: String) throws -> StoredValue? {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return nil }
        func refuse(_ expectation: String) -> ServiceError {
            .invalid(member, "Field '\(member)' must be \(expectation), not '\(Self.shortened(raw))'.")
        }
        switch field.type {
        case .text, .textArea:
            let limit = field.length > 0 ? field.length : SystemFields.defaultLength
            guard raw.count <= limit else { throw ServiceError.invalid(member, "Field '\(member)' is longer than \(limit) characters.") }
            return StoredValue(text: raw)
        case .email:
            guard value.count <= 256, Self.isEmail(value) else { throw refuse("an email address") }
            return StoredValue(text: value)
        case .url:
            guard value.count <= 2048, let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else { throw refuse("an absolute http or https URL") }
            return StoredValue(text: value)
        case .date:
            guard let parsed = ContactTime.parse(value), parsed.isDateOnly else { throw refuse("a date (YYYY-MM-DD)") }
            return StoredValue(text: ContactTime.dateText(day: parsed.day), number: Double(parsed.milliseconds), day: parsed.day)
        case .dateTime:
            guard let parsed = ContactTime.parse(value) else { throw refuse("a date and time (ISO 8601)") }
            return StoredValue(text: ContactTime.format(parsed.milliseconds), number: Double(parsed.milliseconds), day: parsed.day)
        case .integer:
            guard value.wholeMatch(of: /[+-]?\d+/) != nil, let number = Int64(value.hasPrefix("+") ? String(value.dropFirst()) : value) else {
                throw refuse("a whole number")
            }
            return StoredValue(text: String(number), number: Double(number))
        case .float:
            guard value.wholeMatch(of: /[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/) != nil, let number = Double(value), number.isFinite else {
                throw refuse("a number")
            }
            return StoredValue(text: value, number: number)
        case .checkbox:
            switch value.lowercased() {
            case "true", "yes": return StoredValue(text: "true")
            case "false", "no": return StoredValue(text: "false")
            default: throw refuse("true or false")
            }
        case .radio, .dropdownlist:
            guard let option = field.options.first(where: { $0.value.lowercased() == value.lowercased() }) else {
                throw refuse("one of \(Self.optionList(field))")
            }
            return StoredValue(text: option.value)
        case .checkboxlist:
            var chosen: [OptionDefinition] = []
            for part in value.split(separator: ",") {
                let wanted = part.trimmingCharacters(in: .whitespaces).lowercased()
                guard !wanted.isEmpty else { continue }
                guard let option = field.options.first(where: { $0.value.lowercased() == wanted }) else {
                    throw ServiceError.invalid(
                        member, "Field '\(member)' holds '\(part.trimmingCharacters(in: .whitespaces))', not one of \(Self.optionList(field)).")
                }
                if !chosen.contains(option) { chosen.append(option) }
            }
            guard !chosen.isEmpty else { return nil }
            return StoredValue(text: Self.checkboxListText(chosen, of: field))
        case .timezone:
            guard value.count <= 64, let zone = TimeZone(identifier: value) else { throw refuse("a time zone id such as America/Vancouver") }
            return StoredValue(text: zone.identifier == value ? value : zone.identifier)
        }
    }

    /// The chosen options in the field's order, comma-separated: one spelling per set, so `Is` compares sets.
    static func checkboxListText(_ chosen: [OptionDefinition], of field: FieldDefinition) -> String {
        field.options.filter { option in chosen.contains { $0.id == option.id } }.map(\.value).joined(separator: ",")
    }

    static func optionList(_ field: FieldDefinition) -> String {
        field.options.map { "'\($0.value)'" }.joined(separator: ", ")
    }

    /// `local@domain.tld`, without spaces (spec §5.12's basic pattern).
    static func isEmail(_ text: String) -> Bool {
        text.wholeMatch(of: /[^@\s]+@[^@\s.]+(\.[^@\s.]+)+/) != nil
    }

    static func shortened(_ text: String) -> String {
        text.count > 64 ? String(text.prefix(61)) + "..." : text
    }
}

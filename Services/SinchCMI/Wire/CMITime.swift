import Foundation
import HTTPTypes
import ServiceKit

/// CMI timestamps: ISO-8601 UTC (`2011-12-31T13:15:30.123Z`, seed §2.4), with or without milliseconds.
enum CMITime {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    /// 400 naming the field when `text` is not such a timestamp.
    static func validate(_ text: String, field: String) throws {
        guard parse(text) != nil else { throw ServiceError.cmiInvalid(field, text) }
    }

    /// The form stored and compared: UTC with milliseconds, so text order is time order.
    /// An unparsable value is kept as it is (it was validated where it came in).
    static func canonical(_ text: String) -> String {
        parse(text).map(format) ?? text
    }

    /// A query bound: validated (400 naming the parameter) and in the stored, comparable form.
    static func bound(_ text: String, field: String) throws -> String {
        try validate(text, field: field)
        return canonical(text)
    }

    /// The CMI's output form, always with milliseconds, rounded to the nearest (the formatter truncates, so `.340`
    /// parsed back as 0.33999… would print as `.339`).
    static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = Date(timeIntervalSince1970: TimeInterval(fraction < 0 ? seconds - 1 : seconds)).formatted(Date.ISO8601FormatStyle())
        return whole.dropLast() + String(format: ".%03dZ", (fraction + 1000) % 1000)
    }
}

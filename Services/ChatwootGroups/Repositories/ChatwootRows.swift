import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// Conversions shared by the Chatwoot repositories: JSON kept as text, times as Chatwoot writes them.
enum ChatwootRows {
    /// A JSON text column read back (an empty object when it is not JSON).
    static func json(_ text: String?) -> JSONValue {
        guard let text, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return .object([:]) }
        return value
    }

    /// A JSON value as stored in a text column.
    static func text(_ value: JSONValue) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// A stored Codable value as text, and back.
    static func text(encoding value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Epoch milliseconds as Chatwoot's ISO 8601 timestamps (UTC, milliseconds).
    static func iso(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A JSON object value, or a 422 naming the field.
    static func object(_ value: JSONValue?, field: String) throws -> JSONValue? {
        guard let value else { return nil }
        guard case .object = value else { throw ServiceError(.unprocessableContent, message: "\(field) must be an object", field: field) }
        return value
    }

    /// Whether a string looks like an e-mail address (Devise's `email_regexp`: something@something).
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !text.contains(" ")
    }

    /// `name can't be blank` as Rails says it, naming the field.
    static func blank(_ field: String) -> ServiceError {
        ServiceError(
            .unprocessableContent,
            message: "\(field.prefix(1).uppercased() + field.dropFirst().replacingOccurrences(of: "_", with: " ")) can't be blank", field: field)
    }

    static let notFound = ServiceError(.notFound, message: "Resource could not be found")
}

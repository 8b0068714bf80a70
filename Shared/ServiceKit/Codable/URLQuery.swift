import Foundation
import Hummingbird

extension Request {
    /// The query decoded into `T` by Hummingbird's URL-encoded form decoder, with indexed lists of objects
    /// (`conditions[0][field]`) read as ``IndexedList``; a parameter that does not decode is a 400 naming it.
    public func decodeQuery<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try URLQuery.decode(T.self, from: self.uri.query ?? "")
    }
}

/// Reads queries and form bodies with Hummingbird's `URLEncodedFormDecoder`, whose errors become 400s in the
/// service's dialect (its own `URLEncodedFormError` is neither a `DecodingError` nor an HTTP error, so a 500).
public enum URLQuery {
    /// Decodes `query`. In a query `+` stays a plus (as `uri.queryParameters` reads it: times carry offsets like
    /// `+08:00`); a form body (`plusIsSpace`) reads it as a space.
    public static func decode<T: Decodable>(_ type: T.Type, from query: String, plusIsSpace: Bool = false) throws -> T {
        let text = plusIsSpace ? query : query.replacingOccurrences(of: "+", with: "%2B")
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: Self.indexedMembersAsKeys(text))
        } catch let error as URLEncodedFormError {
            let name = Self.display(error.value)
            throw ServiceError.invalid(name, "Parameter '\(name)' could not be read: \(Self.reason(error)).")
        } catch let error as DecodingError {
            throw Self.problem(error)
        }
    }

    /// Hummingbird 2.28 accepts an index only as a key's last part (`ids[0]`); `conditions[0][field]` is
    /// `invalidArrayIndex`. The index of such a key becomes a map key, `conditions[#0][field]`, which
    /// ``IndexedList`` reads back in order.
    static func indexedMembersAsKeys(_ query: String) -> String {
        guard query.contains("[") || query.range(of: "%5B", options: .caseInsensitive) != nil else { return query }
        return query.split(separator: "&", omittingEmptySubsequences: false).map { element -> String in
            let parts = element.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts[0].removingPercentEncoding, key.contains(/\[\d+\]\[/) else { return String(element) }
            let rewritten = key.replacing(/\[(\d+)\]\[/) { "[#\($0.1)][" }
            let encoded = rewritten.addingPercentEncoding(withAllowedCharacters: Self.keyCharacters) ?? rewritten
            return parts.count > 1 ? encoded + "=" + parts[1] : encoded
        }.joined(separator: "&")
    }

    static let keyCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789[]#_-.")

    /// A key as the client wrote it: `conditions[#0]` is `conditions[0]`.
    static func display(_ key: String) -> String {
        key.replacingOccurrences(of: "[#", with: "[")
    }

    static func reason(_ error: URLEncodedFormError) -> String {
        switch error.code {
        case .duplicateKeys: "it is given twice"
        case .failedToPercentDecode: "it is not validly percent-encoded"
        case .corruptKeyValue: "its brackets do not match"
        case .invalidArrayIndex: "its indexes must start at 0 and follow each other"
        default: "its form is not supported"
        }
    }

    /// `conditions[0][field]` from a coding path.
    static func name(_ codingPath: [any CodingKey]) -> String {
        guard let first = codingPath.first else { return "" }
        return codingPath.dropFirst().reduce(first.stringValue) { name, key in
            let part = key.intValue.map(String.init) ?? key.stringValue
            return name + "[" + (part.hasPrefix("#") ? String(part.dropFirst()) : part) + "]"
        }
    }

    static func problem(_ error: DecodingError) -> ServiceError {
        switch error {
        case .keyNotFound(let key, let context):
            let name = Self.name(context.codingPath + [key])
            return .missing(name)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let name = Self.name(context.codingPath)
            return .invalid(name, "Parameter '\(name)' must be \(DecodingProblem.expectation(for: type)).")
        case .dataCorrupted(let context):
            let name = Self.name(context.codingPath)
            return .invalid(name, "Parameter '\(name)' has an invalid value.")
        @unknown default:
            return ServiceError(.badRequest, message: "The query could not be read.")
        }
    }
}

/// A list sent as indexed objects, `conditions[0][field]=agent&conditions[1][field]=name`: the elements in index
/// order, each with its index (indexes need not follow each other).
public struct IndexedList<Element: Decodable>: Decodable {
    public var indexed: [(index: Int, element: Element)]
    public var elements: [Element] { self.indexed.map(\.element) }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var indexed: [(index: Int, element: Element)] = []
        for key in container.allKeys {
            guard key.stringValue.hasPrefix("#"), let index = Int(key.stringValue.dropFirst()) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(key.stringValue)' is not an index.")
            }
            indexed.append((index, try container.decode(Element.self, forKey: key)))
        }
        self.indexed = indexed.sorted { $0.index < $1.index }
    }
}

extension IndexedList: Sendable where Element: Sendable {}

/// A whole number in a query or a form, nil when absent or empty. Hummingbird's form decoder names the parameter of
/// a malformed value only for types of their own (a plain `Int` fails with an empty coding path), hence this wrapper.
@propertyWrapper
public struct QueryInteger: Decodable, Sendable, Equatable {
    public var wrappedValue: Int?

    public init(wrappedValue: Int?) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard !text.isEmpty else {
            self.wrappedValue = nil
            return
        }
        guard let number = Int(text) else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a whole number."))
        }
        self.wrappedValue = number
    }
}

extension KeyedDecodingContainer {
    /// An absent ``QueryInteger`` is nil rather than a missing key.
    public func decode(_ type: QueryInteger.Type, forKey key: Key) throws -> QueryInteger {
        try self.decodeIfPresent(QueryInteger.self, forKey: key) ?? QueryInteger(wrappedValue: nil)
    }
}

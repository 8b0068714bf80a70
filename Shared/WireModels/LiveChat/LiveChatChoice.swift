import Foundation

/// A Live Chat enumeration: read case-insensitively, with corrected spellings accepted as aliases, and
/// written exactly as the seed spells it (spec note §6 #11).
public protocol LiveChatChoice: RawRepresentable, CaseIterable, Codable, Sendable, Hashable, SchemaEnumerable where RawValue == String {
    /// Other spellings (lowercased) that mean a case, such as `bottomleft` for `buttomLeft`.
    static var aliases: [String: Self] { get }
}

extension LiveChatChoice {
    public static var aliases: [String: Self] { [:] }

    /// The case a client's spelling names, or nil.
    public init?(spelling: String) {
        let key = spelling.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) ?? Self.aliases[key] else { return nil }
        self = match
    }

    public init(from decoder: any Decoder) throws {
        let spelling = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(spelling: spelling) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(spelling)' is not one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")).")
            )
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

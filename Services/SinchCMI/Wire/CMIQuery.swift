import ServiceKit

// Query parameters are read with `Request.decodeQuery`: a value of the wrong kind is a 400 naming its parameter.

/// `limit`: a whole number of at least 1 (400 `Invalid value for limit: …` otherwise).
struct CMILimit: Decodable {
    let value: Int

    init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Int(raw), value >= 1 else { throw ServiceError.cmiInvalid("limit", raw) }
        self.value = value
    }
}

/// A GUID-valued filter, upper-cased: 400 `Invalid GUID: '…'` when malformed, as the seed's example (L202–L208).
struct CMIGUID: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        self.value = try CMIIdentifier.guid(try decoder.singleValueContainer().decode(String.self))
    }
}

/// A time bound in the stored, comparable form; 400 `Invalid value for <parameter>: …` when it is no timestamp.
struct CMITimeBound: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        self.value = try CMITime.bound(try decoder.singleValueContainer().decode(String.self), field: decoder.codingPath.last?.stringValue ?? "time")
    }
}

/// `true` or `false` in any case; 400 `Invalid value for <parameter>: …` otherwise.
struct CMIFlag: Decodable {
    let value: Bool

    init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Bool(raw.lowercased()) else {
            let name = decoder.codingPath.last?.stringValue ?? "flag"
            throw ServiceError.cmiInvalid(name, raw.lowercased())
        }
        self.value = value
    }
}

/// The parameters of an item read: `language`, the translation it asks for (else the user's, seed §2.5), and a
/// contact's `statistics`.
struct CMILanguageQuery: Decodable {
    var language: String?
    var statistics: CMIFlag?
}

extension String? {
    /// Nil for an empty value: `?case_id=` filters on nothing, as no parameter does.
    var nonEmpty: String? { self.flatMap { $0.isEmpty ? nil : $0 } }
}

// Sinch CMI customer consents: `GET /customerConsents`, `GET /customerConsents/{usage}_{address}` and the
// `POST /customerConsents` upsert body (seed 004 L2021–L2114; notes `spec/sinch-cmi.md` §4.14, §5.13).
//
// XML (docs/cmi-xml.md): one consent is `<customerConsent>`, a list is
// `<customerConsents><customerConsent>…</customerConsent>…</customerConsents>`; fields are the elements
// `<address>`, `<usage>`, `<consent>` (`true`/`false`). No arrays.

/// A customer's consent for one usage, keyed by (usage, address); there is no `id` (seed L2038–L2040).
public struct CMICustomerConsent: Codable, Sendable, Equatable {
    public static let xmlRootName = "customerConsent"
    public static let xmlListRootName = "customerConsents"

    /// A phone number or other address, e.g. `+8541255455`.
    public var address: String
    public var usage: CMIConsentUsage
    public var consent: Bool

    public init(address: String, usage: CMIConsentUsage, consent: Bool) {
        self.address = address
        self.usage = usage
        self.consent = consent
    }

    enum CodingKeys: String, CodingKey {
        case address
        case usage
        case consent
    }
}

/// What a consent covers (seed L2039: `one of whatsapp, recording`).
public enum CMIConsentUsage: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case whatsapp
    case recording
}

/// `POST /internal/sites/{siteId}/contacts:lookup` on outreach-contact: the site's contacts among `ids` (conversation's
/// `include=contactOrVisitor`); unknown ids are left out.
public struct ContactLookupRequest: Codable, Sendable, Equatable {
    public var ids: [String]

    public init(ids: [String]) { self.ids = ids }
}

/// `POST /internal/sites/{siteId}/contacts:identify` on outreach-contact: the contacts that own an identity of this
/// type and value (conversation identifying the sender of an inbound message, or a visitor by its visitor identity).
public struct ContactIdentifyRequest: Codable, Sendable, Equatable {
    public var identityType: String
    public var value: String

    public init(identityType: String, value: String) {
        self.identityType = identityType
        self.value = value
    }
}

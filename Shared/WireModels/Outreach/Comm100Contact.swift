import Foundation

/// A contact of the Contact API (seed 002 "Contact Object", L1469–L1482), written as the seed's examples show it
/// (L733–L765): `customFields` a map holding every non-identity field (`""` when unset), `firstName` and `lastName`
/// also at the top as the model has them (decision 124).
public struct Comm100Contact: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var firstName: String
    public var lastName: String
    /// ISO 8601 in UTC with milliseconds (spec §2.9).
    public var createTime: String
    public var lastUpdatedTime: String
    /// The contact this one was merged into; the empty GUID when it was not (L737).
    public var mergeToContactId: String
    public var customFields: [String: String]
    public var contactIdentities: [Comm100ContactIdentity]

    public init(
        id: String, name: String, firstName: String, lastName: String, createTime: String, lastUpdatedTime: String, mergeToContactId: String,
        customFields: [String: String], contactIdentities: [Comm100ContactIdentity]
    ) {
        self.id = id
        self.name = name
        self.firstName = firstName
        self.lastName = lastName
        self.createTime = createTime
        self.lastUpdatedTime = lastUpdatedTime
        self.mergeToContactId = mergeToContactId
        self.customFields = customFields
        self.contactIdentities = contactIdentities
    }
}

/// A contact identity in the shape all six seed examples share (L755–L765, L1149–L1158, L1182–L1191), plus the
/// model's `isDeleted` (L1496).
public struct Comm100ContactIdentity: Codable, Sendable, Equatable {
    public var id: String
    public var contactId: String
    public var contactIdentityType: String
    public var name: String
    public var value: String
    public var avatarUrl: String
    public var infoUrl: String
    public var screenName: String
    public var originalContactPageUrl: String
    public var isDeleted: Bool

    public init(
        id: String, contactId: String, contactIdentityType: String, name: String, value: String, avatarUrl: String, infoUrl: String,
        screenName: String, originalContactPageUrl: String, isDeleted: Bool = false
    ) {
        self.id = id
        self.contactId = contactId
        self.contactIdentityType = contactIdentityType
        self.name = name
        self.value = value
        self.avatarUrl = avatarUrl
        self.infoUrl = infoUrl
        self.screenName = screenName
        self.originalContactPageUrl = originalContactPageUrl
        self.isDeleted = isDeleted
    }
}

/// A page of contacts (L725–L770): the items, links to the pages either side (null at the edges) and the total.
public struct Comm100ContactPage: Codable, Sendable, Equatable {
    public var contacts: [Comm100Contact]
    public var previousPage: String?
    public var nextPage: String?
    public var total: Int

    public init(contacts: [Comm100Contact], previousPage: String?, nextPage: String?, total: Int) {
        self.contacts = contacts
        self.previousPage = previousPage
        self.nextPage = nextPage
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case contacts, previousPage, nextPage, total
    }

    /// Page links are written as `null` at the edges, as the seed shows (L767), not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.contacts, forKey: .contacts)
        try container.encode(self.previousPage, forKey: .previousPage)
        try container.encode(self.nextPage, forKey: .nextPage)
        try container.encode(self.total, forKey: .total)
    }
}

/// The identity types a contact may have (L1512), spelled as the seed's enum spells them (spec §6 #37).
public enum Comm100IdentityType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case visitor, email, SMS, facebook, twitter, wechat, SSOID, externalID, whatsApp, instagram, telegram, line

    /// Reads any case (`Email`, `sms`).
    public init?(spelling: String) {
        let key = spelling.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
        self = match
    }
}

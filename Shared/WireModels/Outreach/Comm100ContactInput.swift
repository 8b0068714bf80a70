import Foundation

/// `POST /contact/contacts/` and `PUT /contact/contacts/{id}` (L896–L1001). The tables' singular `contactIdentity` and
/// `customField` are read as aliases of the examples' plural names (spec §6 #31); `firstName` and `lastName` at the
/// top or inside `customFields` (§6 #33); `createTime`, `lastUpdatedTime` and `mergeToContactId` are the server's and
/// not read.
public struct Comm100ContactInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var firstName: String?
    public var lastName: String?
    public var contactIdentities: [Comm100ContactIdentityInput]?
    public var customFields: Comm100CustomFieldValues?

    public init(
        name: String?, firstName: String? = nil, lastName: String? = nil, contactIdentities: [Comm100ContactIdentityInput]?,
        customFields: [String: String?]? = nil
    ) {
        self.name = name
        self.firstName = firstName
        self.lastName = lastName
        self.contactIdentities = contactIdentities
        self.customFields = customFields.map { Comm100CustomFieldValues(values: $0.map { ($0.key, $0.value) }) }
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.name = try members.decode(String.self, "name")
        self.firstName = try members.decode(OutreachText.self, "firstName")?.value
        self.lastName = try members.decode(OutreachText.self, "lastName")?.value
        self.contactIdentities = try members.decode([Comm100ContactIdentityInput].self, "contactIdentities", "contactIdentity")
        self.customFields = try members.decode(Comm100CustomFieldValues.self, "customFields", "customField")
    }
}

/// An identity as a client sends it: the examples' names (`contactIdentityType`, `avatarUrl`, `infoUrl`, `screenName`)
/// or the model's (`type`, `avatar`, `identityInfoUrl`, `displayName`; spec §5.9). `id` names an existing identity on
/// PUT; `contactId` is the server's.
public struct Comm100ContactIdentityInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var type: String?
    public var value: String?
    public var name: String?
    public var avatarUrl: String?
    public var infoUrl: String?
    public var screenName: String?
    public var originalContactPageUrl: String?

    public init(type: String?, value: String?, name: String? = nil) {
        self.type = type
        self.value = value
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.type = try members.decode(String.self, "contactIdentityType", "type", "identityType")
        self.value = try members.decode(OutreachText.self, "value")?.value
        self.name = try members.decode(String.self, "name")
        self.avatarUrl = try members.decode(String.self, "avatarUrl", "avatar")
        self.infoUrl = try members.decode(String.self, "infoUrl", "identityInfoUrl")
        self.screenName = try members.decode(String.self, "screenName", "displayName")
        self.originalContactPageUrl = try members.decode(String.self, "originalContactPageUrl")
        _ = try members.decode(String.self, "contactId")
        _ = try members.decode(OutreachBool.self, "isDeleted")
    }
}

/// Custom field values: the examples' map `{"company": "Comm100"}` (L922) or the model's array of `{name, value}`
/// (L1481, L1499–L1503; spec §6 #34). A value may be a string, a number or a boolean (read as its text); `null`
/// clears like `""`.
public struct Comm100CustomFieldValues: Decodable, Sendable, Equatable, SchemaProviding {
    /// In the order the client wrote them (a map's order is the decoder's).
    public var values: [(name: String, value: String?)]

    public init(values: [(name: String, value: String?)]) {
        self.values = values
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.values.map(\.name) == rhs.values.map(\.name) && lhs.values.map(\.value) == rhs.values.map(\.value)
    }

    struct NameValue: Decodable {
        var name: String
        var value: OutreachText?
    }

    public init(from decoder: any Decoder) throws {
        if let map = try? decoder.singleValueContainer().decode([String: OutreachText?].self) {
            self.values = map.sorted { $0.key < $1.key }.map { ($0.key, $0.value?.value) }
            return
        }
        if let list = try? decoder.singleValueContainer().decode([NameValue].self) {
            self.values = list.map { ($0.name, $0.value?.value) }
            return
        }
        // Say which member is wrong: read the map again, member by member.
        let container = try decoder.container(keyedBy: OutreachKey.self)
        for key in container.allKeys { _ = try container.decodeIfPresent(OutreachText.self, forKey: key) }
        throw DecodingError.typeMismatch(
            [String: String].self, .init(codingPath: decoder.codingPath, debugDescription: "not an object of names and values"))
    }

    public static func jsonSchema(in components: SchemaComponents) throws -> JSONSchema {
        var schema = JSONSchema(type: .object)
        schema.additionalProperties = JSONSchema(type: .string).nullable
        return schema
    }

    public static var schemaSample: Self? { Self(values: []) }
}

/// `POST /contact/contacts/{id}:merge` (L1033–L1046): `contactId` is the contact merged into the one the path names.
public struct Comm100ContactMerge: Decodable, Sendable, Equatable {
    public var contactId: String?

    public init(contactId: String?) { self.contactId = contactId }

    public init(from decoder: any Decoder) throws {
        self.contactId = try OutreachMembers(decoder).decode(String.self, "contactId")
    }
}

/// `POST /contact/contactIdentities:identify` (L1128–L1137), in the body or the query.
public struct Comm100IdentifyRequest: Decodable, Sendable, Equatable {
    public var value: String?
    public var identityType: String?

    public init(value: String?, identityType: String? = nil) {
        self.value = value
        self.identityType = identityType
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.value = try members.decode(OutreachText.self, "value")?.value
        self.identityType = try members.decode(String.self, "identityType", "contactIdentityType", "type")
    }
}

/// `DELETE /contact/contacts` as a JSON body (spec §6 #41): `{"ids": [...]}`.
public struct Comm100ContactIds: Decodable, Sendable, Equatable {
    public var ids: [String]?

    public init(ids: [String]?) { self.ids = ids }

    public init(from decoder: any Decoder) throws {
        self.ids = try OutreachMembers(decoder).decode([String].self, "ids")
    }
}

import Foundation

/// A contact field definition (seed 002 "Contact field object", L1505–L1521), with real booleans where the
/// examples write strings (`"isSystem": "true"`, L1113; spec §2.10).
public struct Comm100ContactField: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var isSystem: Bool
    public var isIdentity: Bool
    /// The identity type of an identity field; `""` otherwise (L1115).
    public var identityType: String
    public var isRequired: Bool
    public var isVisible: Bool
    public var isReadOnly: Bool
    public var type: Comm100FieldType
    public var length: Int
    public var helpText: String
    public var defaultValue: String
    public var order: Int
    public var fieldOptions: [Comm100FieldOption]

    public init(
        id: String, name: String, isSystem: Bool, isIdentity: Bool, identityType: String, isRequired: Bool, isVisible: Bool, isReadOnly: Bool,
        type: Comm100FieldType, length: Int, helpText: String, defaultValue: String, order: Int, fieldOptions: [Comm100FieldOption]
    ) {
        self.id = id
        self.name = name
        self.isSystem = isSystem
        self.isIdentity = isIdentity
        self.identityType = identityType
        self.isRequired = isRequired
        self.isVisible = isVisible
        self.isReadOnly = isReadOnly
        self.type = type
        self.length = length
        self.helpText = helpText
        self.defaultValue = defaultValue
        self.order = order
        self.fieldOptions = fieldOptions
    }
}

/// A choice of a radio, drop-down or checkbox-list field (L1523–L1530).
public struct Comm100FieldOption: Codable, Sendable, Equatable {
    public var id: String
    public var fieldId: String
    public var value: String
    public var order: Int
    public var displayText: String

    public init(id: String, fieldId: String, value: String, order: Int, displayText: String) {
        self.id = id
        self.fieldId = fieldId
        self.value = value
        self.order = order
        self.displayText = displayText
    }
}

/// The field types of the model (L1516), `date time` written `dateTime` (decision 122). Read in any case, with the
/// seed's `date time` as an alias.
public enum Comm100FieldType: String, Codable, Sendable, CaseIterable, SchemaEnumerable {
    case text, textArea, email, url, date, dateTime, integer, float, radio, checkbox, dropdownlist, checkboxlist, timezone

    public init?(spelling: String) {
        let key = spelling.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == key }) else { return nil }
        self = match
    }

    public init(from decoder: any Decoder) throws {
        let spelling = try decoder.singleValueContainer().decode(String.self)
        guard let type = Self(spelling: spelling) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(spelling)' is not one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))."))
        }
        self = type
    }

    /// Types whose values are one or more of the field's options.
    public var hasOptions: Bool { [.radio, .dropdownlist, .checkboxlist].contains(self) }
    /// Types whose values are text bounded by the field's `length`.
    public var hasLength: Bool { [.text, .textArea].contains(self) }
}

/// `POST /contact/fields` and `PUT /contact/fields/{id}` (L1230–L1269): every member optional on the wire, the rules
/// of spec §5.12 applied by the service. Read-only members (`id`, `isSystem`, `isIdentity`, `identityType`) are read
/// so a client may send back what it got.
public struct Comm100ContactFieldInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var type: String?
    public var isRequired: Bool?
    public var isVisible: Bool?
    public var isReadOnly: Bool?
    public var isSystem: Bool?
    public var isIdentity: Bool?
    public var identityType: String?
    public var length: Int?
    public var helpText: String?
    public var defaultValue: String?
    public var order: Int?
    public var fieldOptions: [Comm100FieldOptionInput]?

    public init(name: String? = nil, type: String? = nil, fieldOptions: [Comm100FieldOptionInput]? = nil) {
        self.name = name
        self.type = type
        self.fieldOptions = fieldOptions
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.name = try members.decode(String.self, "name")
        self.type = try members.decode(String.self, "type")
        self.isRequired = try members.decode(OutreachBool.self, "isRequired")?.value
        self.isVisible = try members.decode(OutreachBool.self, "isVisible")?.value
        self.isReadOnly = try members.decode(OutreachBool.self, "isReadOnly")?.value
        self.isSystem = try members.decode(OutreachBool.self, "isSystem")?.value
        self.isIdentity = try members.decode(OutreachBool.self, "isIdentity")?.value
        self.identityType = try members.decode(String.self, "identityType")
        self.length = try members.decode(OutreachInt.self, "length")?.value
        self.helpText = try members.decode(String.self, "helpText")
        self.defaultValue = try members.decode(OutreachText.self, "defaultValue")?.value
        self.order = try members.decode(OutreachInt.self, "order")?.value
        self.fieldOptions = try members.decode([Comm100FieldOptionInput].self, "fieldOptions")
    }
}

/// An option as a client sends it: `value` required by the service; `id` keeps an existing option's id on PUT.
public struct Comm100FieldOptionInput: Decodable, Sendable, Equatable {
    public var id: String?
    public var value: String?
    public var order: Int?
    public var displayText: String?

    public init(value: String, order: Int? = nil, displayText: String? = nil) {
        self.value = value
        self.order = order
        self.displayText = displayText
    }

    public init(from decoder: any Decoder) throws {
        let members = try OutreachMembers(decoder)
        self.id = try members.decode(String.self, "id")
        self.value = try members.decode(OutreachText.self, "value")?.value
        self.order = try members.decode(OutreachInt.self, "order")?.value
        self.displayText = try members.decode(String.self, "displayText")
        _ = try members.decode(String.self, "fieldId")
    }
}

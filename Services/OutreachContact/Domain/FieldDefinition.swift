import Foundation
import WireModels

/// A contact field of a site, as stored: a system field (seeded), an identity field (one per identity type) or a
/// custom one (spec §5.12).
struct FieldDefinition: Sendable, Equatable {
    var id: String
    var name: String
    var isSystem: Bool
    var identityType: Comm100IdentityType?
    var isRequired: Bool
    var isVisible: Bool
    var isReadOnly: Bool
    var type: Comm100FieldType
    var length: Int
    var helpText: String
    var defaultValue: String
    var order: Int
    var options: [OptionDefinition]

    var isIdentity: Bool { self.identityType != nil }

    /// The wire object (L1505–L1521).
    var wire: Comm100ContactField {
        Comm100ContactField(
            id: self.id, name: self.name, isSystem: self.isSystem, isIdentity: self.isIdentity, identityType: self.identityType?.rawValue ?? "",
            isRequired: self.isRequired, isVisible: self.isVisible, isReadOnly: self.isReadOnly, type: self.type, length: self.length,
            helpText: self.helpText, defaultValue: self.defaultValue, order: self.order,
            fieldOptions: self.options.map {
                Comm100FieldOption(id: $0.id, fieldId: self.id, value: $0.value, order: $0.order, displayText: $0.displayText)
            }
        )
    }
}

/// A choice of a radio, drop-down or checkbox-list field.
struct OptionDefinition: Sendable, Equatable {
    var id: String
    var value: String
    var order: Int
    var displayText: String
}

/// The fields every site starts with (spec §5.12): the seed's system keys (L738–L752) and one identity field per
/// identity type (L1512), named as the type is spelled.
enum SystemFields {
    static let defaultLength = 256

    static func all() -> [FieldDefinition] {
        let plain: [(String, Comm100FieldType, Int)] = [
            ("firstName", .text, 256), ("lastName", .text, 256), ("description", .textArea, 2000), ("alias", .text, 256), ("title", .text, 256),
            ("company", .text, 256), ("fax", .text, 64), ("phone", .text, 64), ("mailingAddress", .textArea, 1000), ("city", .text, 256),
            ("stateOrProvince", .text, 256), ("countryOrRegion", .text, 256), ("postalOrZipCode", .text, 64), ("timeZone", .timezone, 0),
        ]
        var fields = plain.enumerated().map { index, field in
            FieldDefinition(
                id: ContactIDs.make(), name: field.0, isSystem: true, identityType: nil, isRequired: false, isVisible: true, isReadOnly: false,
                type: field.1, length: field.2, helpText: "", defaultValue: "", order: index + 1, options: [])
        }
        for (index, type) in Comm100IdentityType.allCases.enumerated() {
            fields.append(
                FieldDefinition(
                    id: ContactIDs.make(), name: type.rawValue, isSystem: true, identityType: type, isRequired: false, isVisible: true,
                    isReadOnly: false, type: type == .email ? .email : .text, length: IdentityRules.maxLength, helpText: "", defaultValue: "",
                    order: plain.count + index + 1, options: []))
        }
        return fields
    }

    /// Names a field may not take: the contact's own members, which conditions and imports name the same way.
    static let reserved: Set<String> = [
        "id", "name", "createtime", "lastupdatedtime", "mergetocontactid", "customfields", "contactidentities", "create time", "last updated time",
    ]
}

/// Ids of the Contact API: lower-case GUIDs with hyphens, as the seed writes them.
enum ContactIDs {
    static let empty = "00000000-0000-0000-0000-000000000000"

    static func make() -> String { UUID().uuidString.lowercased() }

    /// The canonical form of a client's GUID; nil when it is not one.
    static func parse(_ text: String) -> String? {
        UUID(uuidString: text.trimmingCharacters(in: .whitespaces))?.uuidString.lowercased()
    }
}

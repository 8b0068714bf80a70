import Foundation
import ServiceKit
import WireModels

/// What a contact create or update makes of a request (spec §5.9, §5.12; decisions 125–128). Uniqueness of
/// identities across contacts is the repository's (it needs the other contacts).
struct ContactRules {
    let fields: [FieldDefinition]
    static let maxNameLength = 256

    /// A new contact: name, identities (required, may be empty), values with defaults applied, required fields set.
    func created(_ input: Comm100ContactInput, now: Int64) throws -> ContactRecord {
        let name = try self.name(input.name)
        guard let identities = input.contactIdentities else { throw ServiceError.missing("contactIdentities") }
        try Self.checkCount(identities)
        var record = ContactRecord(
            id: ContactIDs.make(), name: name, createTime: now, lastUpdatedTime: now, mergeToContactId: nil,
            identities: try self.identities(identities, current: []), values: [:])
        let given = try self.givenValues(input)
        for field in self.fields where !field.isIdentity {
            if let value = given[field.id] {
                if let value { record.values[field.id] = value }
            } else if !field.defaultValue.isEmpty {
                record.values[field.id] = try FieldValues.stored(field.defaultValue, for: field, member: "customFields.\(field.name)")
            }
        }
        try self.checkRequired(record, changed: nil, identitiesChanged: true)
        return record
    }

    /// `current` changed by `input`: given identities replace the list, given values merge by name (`""` clears),
    /// what is left out stays (decision 127).
    func updated(_ input: Comm100ContactInput, current: ContactRecord, now: Int64) throws -> ContactRecord {
        var record = current
        if let id = input.id, ContactIDs.parse(id) != current.id {
            throw ServiceError.invalid("id", "Field 'id' must be the id in the path, '\(current.id)'.")
        }
        if input.name != nil { record.name = try self.name(input.name) }
        if let identities = input.contactIdentities {
            try Self.checkCount(identities)
            record.identities = try self.identities(identities, current: current.identities)
        }
        let given = try self.givenValues(input)
        for (fieldId, value) in given {
            guard let field = self.fields.first(where: { $0.id == fieldId }) else { continue }
            let member = "customFields.\(field.name)"
            if field.isReadOnly, value?.text != current.values[fieldId]?.text {
                throw ServiceError.invalid(member, "Field '\(member)' is read-only; its value cannot be changed.")
            }
            record.values[fieldId] = value
        }
        try self.checkRequired(record, changed: Set(given.keys), identitiesChanged: input.contactIdentities != nil)
        record.lastUpdatedTime = now
        return record
    }

    static let maxIdentities = 100

    static func checkCount(_ identities: [Comm100ContactIdentityInput]) throws {
        guard identities.count <= Self.maxIdentities else {
            throw ServiceError.invalid("contactIdentities", "Field 'contactIdentities' may hold at most \(Self.maxIdentities) identities.")
        }
    }

    func name(_ text: String?) throws -> String {
        let name = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ServiceError.missing("name") }
        // Bounded in bytes too: the name's lower-cased copy is indexed.
        guard name.count <= Self.maxNameLength, name.utf8.count <= 4 * Self.maxNameLength else {
            throw ServiceError.invalid("name", "Field 'name' is longer than \(Self.maxNameLength) characters.")
        }
        return name
    }

    /// The identities of a request: types and values checked, none twice; an identity sent with an id is that
    /// identity of the contact (400 when the contact has none such), one sent without an id keeps the id of the
    /// contact's identity with the same type and value, if any.
    func identities(_ inputs: [Comm100ContactIdentityInput], current: [IdentityRecord]) throws -> [IdentityRecord] {
        var identities: [IdentityRecord] = []
        for (index, input) in inputs.enumerated() {
            let label = "contactIdentities[\(index)]"
            let type = try IdentityRules.type(input.type, member: "\(label).contactIdentityType")
            let value = try IdentityRules.value(input.value, type: type, member: "\(label).value")
            let key = IdentityRules.key(value, type: type)
            if identities.contains(where: { $0.type == type && $0.key == key }) {
                throw ServiceError.invalid("\(label).value", "Field '\(label).value' repeats the \(type.rawValue) identity '\(value)'.")
            }
            var id: String
            if let given = input.id, !given.isEmpty {
                guard let parsed = ContactIDs.parse(given), current.contains(where: { $0.id == parsed }) else {
                    throw ServiceError.invalid(
                        "\(label).id", "Field '\(label).id' is not an identity of this contact: '\(FieldValues.shortened(given))'.")
                }
                id = parsed
            } else {
                id = current.first { $0.type == type && $0.key == key }?.id ?? ContactIDs.make()
            }
            if identities.contains(where: { $0.id == id }) { id = ContactIDs.make() }
            let text = { (text: String?, member: String, limit: Int) throws -> String in
                let value = (text ?? "").trimmingCharacters(in: .whitespaces)
                guard value.count <= limit else {
                    throw ServiceError.invalid("\(label).\(member)", "Field '\(label).\(member)' is longer than \(limit) characters.")
                }
                return value
            }
            identities.append(
                IdentityRecord(
                    id: id, type: type, value: value, name: try text(input.name, "name", 256),
                    avatarUrl: try text(input.avatarUrl, "avatarUrl", 2048),
                    infoUrl: try text(input.infoUrl, "infoUrl", 2048), screenName: try text(input.screenName, "screenName", 256),
                    originalContactPageUrl: try text(input.originalContactPageUrl, "originalContactPageUrl", 2048)))
        }
        return identities
    }

    /// The values a request names, by field id (nil clears): `customFields` in either form, and `firstName` and
    /// `lastName` at the top, which win over the same names inside `customFields`.
    func givenValues(_ input: Comm100ContactInput) throws -> [String: StoredValue?] {
        var named: [(name: String, value: String?, member: String)] = (input.customFields?.values ?? []).map {
            ($0.name, $0.value, "customFields.\($0.name)")
        }
        if let first = input.firstName { named.append(("firstName", first, "firstName")) }
        if let last = input.lastName { named.append(("lastName", last, "lastName")) }
        var values: [String: StoredValue?] = [:]
        for (name, value, member) in named {
            guard let field = self.fields.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw ServiceError.invalid(member, "Field '\(member)' names no contact field.")
            }
            guard !field.isIdentity else {
                throw ServiceError.invalid(member, "Field '\(member)' is an identity field; send it in contactIdentities.")
            }
            values[field.id] = try FieldValues.stored(value ?? "", for: field, member: member)
        }
        return values
    }

    /// Required fields hold a value (identity fields: an identity of their type). On update only the values the
    /// request changed are checked, so a field made required later does not block other edits.
    func checkRequired(_ record: ContactRecord, changed: Set<String>?, identitiesChanged: Bool) throws {
        for field in self.fields where field.isRequired {
            if let type = field.identityType {
                if identitiesChanged, !record.identities.contains(where: { $0.type == type }) {
                    throw ServiceError.invalid(
                        "contactIdentities", "Field 'contactIdentities' must hold a \(type.rawValue) identity: the field is required.")
                }
            } else if changed?.contains(field.id) ?? true, record.values[field.id] == nil {
                throw ServiceError.invalid("customFields.\(field.name)", "Field 'customFields.\(field.name)' is required.")
            }
        }
    }
}

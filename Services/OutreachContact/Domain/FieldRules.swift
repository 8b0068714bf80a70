import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// The rules of a field definition (spec §5.12; decisions 121–123): what a create makes, what an update may change.
enum FieldRules {
    static let maxNameLength = 128
    static let maxLength = 4000
    static let maxOptions = 500
    static let maxFields = 500
    static let orders = -1_000_000...1_000_000

    /// An `order` within what the database stores (a 32-bit integer) and anyone would use.
    static func order(_ order: Int?, _ member: String) throws -> Int? {
        guard let order else { return nil }
        guard self.orders.contains(order) else {
            throw ServiceError.invalid(member, "Field '\(member)' must be between \(self.orders.lowerBound) and \(self.orders.upperBound).")
        }
        return order
    }

    /// A new custom field from `input`; `fields` are the site's current ones.
    static func created(_ input: Comm100ContactFieldInput, fields: [FieldDefinition]) throws -> FieldDefinition {
        guard fields.count < self.maxFields else {
            throw ServiceError.invalid("name", "A site may have at most \(self.maxFields) contact fields; delete one first.")
        }
        let name = try self.name(input.name, fields: fields, except: nil)
        guard let typeText = input.type, !typeText.trimmingCharacters(in: .whitespaces).isEmpty else { throw ServiceError.missing("type") }
        let type = try self.type(typeText)
        var field = FieldDefinition(
            id: ContactIDs.make(), name: name, isSystem: false, identityType: nil, isRequired: input.isRequired ?? false,
            isVisible: input.isVisible ?? true, isReadOnly: input.isReadOnly ?? false, type: type, length: 0, helpText: "", defaultValue: "",
            order: try self.order(input.order, "order") ?? min((fields.map(\.order).max() ?? 0) + 1, self.orders.upperBound), options: [])
        if input.isSystem == true {
            throw ServiceError.invalid("isSystem", "Field 'isSystem' is set by the server; custom fields are not system fields.")
        }
        if input.isIdentity == true {
            throw ServiceError.invalid("isIdentity", "Field 'isIdentity' is set by the server; every identity type already has its field.")
        }
        field.length = try self.length(input.length, type: type)
        field.helpText = try self.helpText(input.helpText ?? "")
        field.options = try self.options(input.fieldOptions ?? [], type: type, fieldId: field.id, current: [])
        field.defaultValue = try self.defaultValue(input.defaultValue ?? "", of: field)
        return field
    }

    /// `current` changed by `input` (omitted members keep their value; spec §5.12, decision 123).
    static func updated(_ input: Comm100ContactFieldInput, current: FieldDefinition, fields: [FieldDefinition]) throws -> FieldDefinition {
        var field = current
        if let id = input.id, ContactIDs.parse(id) != current.id {
            throw ServiceError.invalid("id", "Field 'id' must be the id in the path, '\(current.id)'.")
        }
        // Read-only members may be sent back as they are, never changed.
        if let isSystem = input.isSystem, isSystem != current.isSystem { throw self.readOnly("isSystem", current) }
        if let isIdentity = input.isIdentity, isIdentity != current.isIdentity { throw self.readOnly("isIdentity", current) }
        if let identityType = input.identityType, current.isIdentity || !identityType.isEmpty,
            identityType.lowercased() != (current.identityType?.rawValue.lowercased() ?? "")
        {
            throw self.readOnly("identityType", current)
        }
        if let typeText = input.type, try self.type(typeText) != current.type {
            throw ServiceError.invalid("type", "Field 'type' cannot change once the field exists (it is '\(current.type.rawValue)').")
        }
        if current.isSystem {
            if let name = input.name, name.trimmingCharacters(in: .whitespaces) != current.name { throw self.readOnly("name", current) }
            if let isReadOnly = input.isReadOnly, isReadOnly != current.isReadOnly { throw self.readOnly("isReadOnly", current) }
            if let length = input.length, length != current.length { throw self.readOnly("length", current) }
            if let options = input.fieldOptions, !options.isEmpty { throw self.readOnly("fieldOptions", current) }
        } else {
            if input.name != nil { field.name = try self.name(input.name, fields: fields, except: current.id) }
            if let isReadOnly = input.isReadOnly { field.isReadOnly = isReadOnly }
            if input.length != nil { field.length = try self.length(input.length, type: current.type) }
            if let options = input.fieldOptions {
                field.options = try self.options(options, type: current.type, fieldId: current.id, current: current.options)
            }
        }
        if let isRequired = input.isRequired { field.isRequired = isRequired }
        if let isVisible = input.isVisible { field.isVisible = isVisible }
        if let helpText = input.helpText { field.helpText = try self.helpText(helpText) }
        if let order = try self.order(input.order, "order") { field.order = order }
        if let defaultValue = input.defaultValue { field.defaultValue = defaultValue }
        field.defaultValue = try self.defaultValue(field.defaultValue, of: field)
        return field
    }

    static func readOnly(_ member: String, _ field: FieldDefinition) -> ServiceError {
        let kind = field.isSystem ? "system field" : "field"
        return .invalid(member, "Field '\(member)' of the \(kind) '\(field.name)' cannot be changed.")
    }

    /// Trimmed, present, not a contact member's name, unique in the site ignoring case (409).
    static func name(_ text: String?, fields: [FieldDefinition], except id: String?) throws -> String {
        let name = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ServiceError.missing("name") }
        guard name.count <= self.maxNameLength, name.utf8.count <= 4 * self.maxNameLength else {
            throw ServiceError.invalid("name", "Field 'name' is longer than \(self.maxNameLength) characters.")
        }
        guard !SystemFields.reserved.contains(name.lowercased()) else {
            throw ServiceError.invalid("name", "Field 'name' may not be '\(name)': a contact already has a member of that name.")
        }
        if let other = fields.first(where: { $0.id != id && $0.name.lowercased() == name.lowercased() }) {
            throw ServiceError(.conflict, message: "A contact field named '\(other.name)' already exists.", field: "name")
        }
        return name
    }

    static func type(_ text: String) throws -> Comm100FieldType {
        guard let type = Comm100FieldType(spelling: text) else {
            throw ServiceError.invalid(
                "type",
                "Field 'type' must be one of \(Comm100FieldType.allCases.map(\.rawValue).joined(separator: ", ")), not '\(FieldValues.shortened(text))'."
            )
        }
        return type
    }

    /// Text types: 1–4000, 256 when omitted; other types keep what they are given (0–4000), which limits nothing.
    static func length(_ length: Int?, type: Comm100FieldType) throws -> Int {
        guard let length else { return type.hasLength ? SystemFields.defaultLength : 0 }
        let lowest = type.hasLength ? 1 : 0
        guard (lowest...self.maxLength).contains(length) else {
            throw ServiceError.invalid("length", "Field 'length' must be between \(lowest) and \(self.maxLength).")
        }
        return length
    }

    static func helpText(_ text: String) throws -> String {
        guard text.count <= 1000 else { throw ServiceError.invalid("helpText", "Field 'helpText' is longer than 1000 characters.") }
        return text
    }

    /// Options replace the old list; an option sent with the id of an existing one keeps it.
    static func options(
        _ inputs: [Comm100FieldOptionInput], type: Comm100FieldType, fieldId: String, current: [OptionDefinition]
    ) throws -> [OptionDefinition] {
        guard type.hasOptions else {
            guard inputs.isEmpty else {
                throw ServiceError.invalid("fieldOptions", "Field 'fieldOptions' is only for radio, dropdownlist and checkboxlist fields.")
            }
            return []
        }
        guard !inputs.isEmpty else {
            throw ServiceError.invalid("fieldOptions", "Field 'fieldOptions' must list at least one option for a \(type.rawValue) field.")
        }
        guard inputs.count <= self.maxOptions else {
            throw ServiceError.invalid("fieldOptions", "Field 'fieldOptions' may list at most \(self.maxOptions) options.")
        }
        var options: [OptionDefinition] = []
        for (index, input) in inputs.enumerated() {
            let member = "fieldOptions[\(index)].value"
            let value = (input.value ?? "").trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw ServiceError.missing(member) }
            guard value.count <= 256 else { throw ServiceError.invalid(member, "Field '\(member)' is longer than 256 characters.") }
            if type == .checkboxlist, value.contains(",") {
                throw ServiceError.invalid(
                    member, "Field '\(member)' may not contain a comma: a checkbox list's value lists its options with commas.")
            }
            guard !options.contains(where: { $0.value.lowercased() == value.lowercased() }) else {
                throw ServiceError.invalid(member, "Field '\(member)' repeats the option '\(value)'.")
            }
            let kept = input.id.flatMap(ContactIDs.parse).flatMap { id in current.first { $0.id == id }?.id }
            let displayText = input.displayText?.trimmingCharacters(in: .whitespaces) ?? ""
            options.append(
                OptionDefinition(
                    id: kept ?? ContactIDs.make(), value: value, order: try self.order(input.order, "fieldOptions[\(index)].order") ?? (index + 1),
                    displayText: displayText.isEmpty ? value : String(displayText.prefix(256))))
        }
        return options.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
    }

    /// A default must be a valid value of the field (stored in its canonical spelling); identity fields have none.
    static func defaultValue(_ text: String, of field: FieldDefinition) throws -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return "" }
        guard !field.isIdentity else {
            throw ServiceError.invalid("defaultValue", "Field 'defaultValue' is not available on identity fields.")
        }
        return try FieldValues.stored(text, for: field, member: "defaultValue")?.text ?? ""
    }
}

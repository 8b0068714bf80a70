import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// A field as the rules see it: a system field (the catalog with the site's stored changes) or a custom one.
struct FieldDefinition: Sendable {
    var row: FieldRow
    var options: [FieldOptionRow]
    /// Whether `row` is stored (a custom field, or a system field the site has changed).
    var isStored: Bool

    var type: AnytimeFieldType { AnytimeFieldType(rawValue: self.row.type) ?? .text }

    var wire: AnytimeField {
        AnytimeField(
            id: self.row.id, type: self.type, name: self.row.name, isSystemField: self.row.isSystemField, isRequired: self.row.isRequired,
            defaultValue: self.row.defaultValue, helpText: self.row.helpText, length: self.row.maxLength, options: self.options.map(\.wire),
            chatFieldMapping: self.row.chatFieldMapping, offlineMessageFieldMapping: self.row.offlineMessageFieldMapping)
    }
}

/// The system fields: the conversation's own properties, ids as their member names (spec §5.18, decision 231).
enum SystemFields {
    static let catalog: [(id: String, name: String, type: AnytimeFieldType, options: [String])] = [
        ("subject", "Subject", .text, []),
        ("status", "Status", .dropdownList, AnytimeStatus.allCases.map(\.rawValue)),
        ("priority", "Priority", .dropdownList, AnytimePriority.allCases.map(\.rawValue)),
        ("assignedAgentId", "Assigned Agent", .operator, []),
        ("assignedDepartmentId", "Assigned Department", .department, []),
        ("tagIds", "Tags", .text, []),
        ("channelId", "Channel", .dropdownList, AnytimeChannel.all.map(\.id)),
        ("channelAccountId", "Channel Account", .text, []),
        ("relatedId", "Contact", .text, []),
        ("createdTime", "Created Time", .date, []),
        ("lastRepliedTime", "Last Replied Time", .date, []),
        ("lastActivityTime", "Last Activity Time", .date, []),
        ("lastRepliedByType", "Last Replied By", .dropdownList, ["agent", "contact", "system"]),
        ("createdByType", "Created By", .dropdownList, AnytimeActorType.allCases.map(\.rawValue)),
        ("slaPolicyId", "SLA Policy", .text, []),
    ]

    static func isSystem(_ id: String) -> Bool { Self.catalog.contains { $0.id == id } }

    /// The site's system fields as the catalog has them, before the site's changes.
    static func definitions(site: String) -> [FieldDefinition] {
        Self.catalog.map { field in
            FieldDefinition(
                row: FieldRow(
                    id: field.id, siteId: site, type: field.type.rawValue, name: field.name, nameKey: field.name.lowercased(), isSystemField: true,
                    isRequired: field.id == "subject", defaultValue: nil, helpText: nil, maxLength: nil, chatFieldMapping: nil,
                    offlineMessageFieldMapping: nil, createdTime: 0, position: 0),
                options: field.options.enumerated().map {
                    FieldOptionRow(id: $0.element, siteId: site, fieldId: field.id, name: $0.element, value: $0.element, orderNum: $0.offset + 1)
                }, isStored: false)
        }
    }
}

/// The site's fields: system fields first in catalog order, then custom fields oldest first.
enum FieldCatalog {
    static func all(site: String, tx: Tx) async throws -> [FieldDefinition] {
        let stored = try await tx.settings.fields(site: site)
        let options = try await tx.settings.options(site: site)
        var fields = SystemFields.definitions(site: site)
        for row in stored {
            if let index = fields.firstIndex(where: { $0.row.id == row.id && row.isSystemField }) {
                fields[index].row = row
                fields[index].isStored = true
            } else if !row.isSystemField {
                fields.append(FieldDefinition(row: row, options: options[row.id] ?? [], isStored: true))
            }
        }
        return fields
    }

    /// The site's field `id`; 404 when there is none.
    static func find(_ id: String, site: String, tx: Tx) async throws -> FieldDefinition {
        if SystemFields.isSystem(id) {
            var field = SystemFields.definitions(site: site).first { $0.row.id == id }!
            if let row = try await tx.settings.field(id: id, site: site) { (field.row, field.isStored) = (row, true) }
            return field
        }
        guard id.count <= AnytimeLimits.id, let row = try await tx.settings.field(id: id, site: site), !row.isSystemField else {
            throw ServiceError.notFound("Field")
        }
        return FieldDefinition(row: row, options: try await tx.settings.options(site: site, fields: [id])[id] ?? [], isStored: true)
    }
}

/// Checks a field's definition as `POST /fields` and `PUT /fields/{id}` give it (spec §5.18, decisions 231–232).
enum FieldRules {
    static let nameLimit = 256
    static let helpTextLimit = 1000
    static let optionLimit = 200

    /// A new custom field; 409 naming `name` when another field (system ones included) has its name in any case.
    static func create(_ input: AnytimeFieldInput, site: String, now: Int64, tx: Tx) async throws -> FieldDefinition {
        guard let type = input.type else { throw ServiceError.missing("type") }
        let name = try Self.name(input.name)
        let id = UUID().uuidString.lowercased()
        var field = FieldDefinition(
            row: FieldRow(
                id: id, siteId: site, type: type.rawValue, name: name, nameKey: name.lowercased(), isSystemField: false,
                isRequired: input.isRequired ?? false, defaultValue: nil, helpText: try Self.helpText(input.helpText),
                maxLength: try Self.length(input.length), chatFieldMapping: nil, offlineMessageFieldMapping: nil, createdTime: now,
                position: try await tx.settings.nextFieldPosition(site: site)),
            options: try Self.options(input.options, type: type, field: id, site: site, existing: []), isStored: false)
        try await Self.checkNameFree(name, except: nil, site: site, tx: tx)
        field.row.defaultValue = try FieldValues.stored(input.defaultValue, for: field, member: "defaultValue")
        return field
    }

    /// The changes of `PUT /fields/{id}`: members left out keep their value; `type` cannot change. A system field
    /// takes only a new `helpText` (403 for anything else).
    static func update(_ field: FieldDefinition, with input: AnytimeFieldInput, tx: Tx) async throws -> FieldDefinition {
        var field = field
        if let type = input.type, type != field.type {
            throw ServiceError.invalid("type", "Field 'type' cannot change: create another field instead.")
        }
        if field.row.isSystemField {
            let refused: [(String, Bool)] = [
                ("name", input.name.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) != field.row.name } ?? false),
                ("isRequired", input.isRequired.map { $0 != field.row.isRequired } ?? false),
                ("defaultValue", input.defaultValue.map { !$0.isEmpty } ?? false),
                ("length", input.length != nil), ("options", input.options != nil),
            ]
            if let member = refused.first(where: \.1)?.0 {
                throw ServiceError(
                    .forbidden, message: "Field '\(member)' of the system field '\(field.row.id)' cannot change: only its helpText can.",
                    field: member)
            }
            if let help = input.helpText { field.row.helpText = try Self.helpText(help) }
            return field
        }
        if let text = input.name {
            let name = try Self.name(text)
            try await Self.checkNameFree(name, except: field.row.id, site: field.row.siteId, tx: tx)
            (field.row.name, field.row.nameKey) = (name, name.lowercased())
        }
        if let required = input.isRequired { field.row.isRequired = required }
        if let help = input.helpText { field.row.helpText = try Self.helpText(help) }
        if input.length != nil { field.row.maxLength = try Self.length(input.length) }
        if let options = input.options {
            field.options = try Self.options(options, type: field.type, field: field.row.id, site: field.row.siteId, existing: field.options)
        }
        // The default is checked against the field as it now is (new options, new length).
        let defaultText = input.defaultValue ?? field.row.defaultValue
        field.row.defaultValue = try FieldValues.stored(defaultText, for: field, member: "defaultValue")
        return field
    }

    static func name(_ text: String?) throws -> String {
        guard let name = text?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { throw ServiceError.missing("name") }
        return try AnytimeLimits.bounded(name, "name", limit: Self.nameLimit)
    }

    static func helpText(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        return try AnytimeLimits.bounded(text, "helpText", limit: Self.helpTextLimit)
    }

    /// `length`: the longest value, 1 to 65,536; nil when not given.
    static func length(_ value: Int?) throws -> Int? {
        guard let value else { return nil }
        guard (1...AnytimeLimits.text).contains(value) else {
            throw ServiceError.invalid("length", "Field 'length' must be between 1 and \(AnytimeLimits.text), not \(value).")
        }
        return value
    }

    static func checkNameFree(_ name: String, except id: String?, site: String, tx: Tx) async throws {
        let key = name.lowercased()
        if let other = try await FieldCatalog.all(site: site, tx: tx).first(where: { $0.row.nameKey == key && $0.row.id != id }) {
            throw ServiceError(.conflict, message: "A field named '\(other.row.name)' already exists.", field: "name")
        }
    }

    /// Options: required (at least one) for radio, drop-down and checkbox-list fields, refused for the others; values
    /// unique in any case, without commas (a checkbox list's value is comma-separated). An option keeps its id when
    /// the request names one it already has.
    static func options(
        _ inputs: [AnytimeFieldOptionInput]?, type: AnytimeFieldType, field: String, site: String, existing: [FieldOptionRow]
    ) throws -> [FieldOptionRow] {
        let inputs = inputs ?? []
        guard [.radio, .dropdownList, .checkboxList].contains(type) else {
            guard inputs.isEmpty else {
                throw ServiceError.invalid("options", "Field 'options' is only for radio, dropdownList and checkboxList fields.")
            }
            return []
        }
        guard !inputs.isEmpty else {
            throw ServiceError.invalid("options", "Field 'options' must hold at least one option for a \(type.rawValue) field.")
        }
        guard inputs.count <= Self.optionLimit else {
            throw ServiceError.invalid("options", "Field 'options' may hold at most \(Self.optionLimit) options.")
        }
        var rows: [FieldOptionRow] = []
        for (index, input) in inputs.enumerated() {
            let member = "options[\(index)]"
            guard let value = input.value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw ServiceError.missing("\(member).value")
            }
            _ = try AnytimeLimits.bounded(value, "\(member).value", limit: Self.nameLimit)
            guard !value.contains(",") else { throw ServiceError.invalid("\(member).value", "Field '\(member).value' cannot hold a comma.") }
            guard !rows.contains(where: { $0.value.lowercased() == value.lowercased() }) else {
                throw ServiceError.invalid("\(member).value", "Field '\(member).value' repeats the option '\(value)'.")
            }
            let name = input.name?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? value
            let kept = input.id.flatMap { id in existing.first { $0.id == id } }
            rows.append(
                FieldOptionRow(
                    id: kept?.id ?? UUID().uuidString.lowercased(), siteId: site, fieldId: field,
                    name: try AnytimeLimits.bounded(name, "\(member).name", limit: Self.nameLimit), value: value,
                    orderNum: input.orderNum ?? index + 1))
        }
        return rows.enumerated().sorted { ($0.element.orderNum, $0.offset) < ($1.element.orderNum, $1.offset) }.map(\.element)
    }
}

/// Checks a custom field value (a string) against its field (spec §5.18, §6 F2, F4; decision 232).
enum FieldValues {
    /// The stored text of `raw`: trimmed, in its canonical spelling; nil for an empty or absent value.
    static func stored(_ raw: String?, for field: FieldDefinition, member: String) throws -> String? {
        guard let value = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        func refuse(_ expectation: String) -> ServiceError {
            .invalid(member, "Field '\(member)' must be \(expectation), not '\(AnytimeLimits.shortened(value))'.")
        }
        let stored: String
        switch field.type {
        case .text, .textarea:
            stored = raw ?? value
        case .email:
            guard value.count <= 320, value.wholeMatch(of: /[^@\s]+@[^@\s.]+(\.[^@\s.]+)+/) != nil else { throw refuse("an email address") }
            stored = value
        case .url, .link:
            guard value.count <= 2048, let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else { throw refuse("an absolute http or https URL") }
            stored = value
        case .date:
            guard AnytimeTime.parse(value) != nil else { throw refuse("an ISO 8601 date or date and time") }
            stored = value
        case .integer:
            guard value.wholeMatch(of: /[+-]?\d+/) != nil, let number = Int64(value.hasPrefix("+") ? String(value.dropFirst()) : value) else {
                throw refuse("a whole number")
            }
            stored = String(number)
        case .float:
            guard value.wholeMatch(of: /[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/) != nil, let number = Double(value), number.isFinite else {
                throw refuse("a number")
            }
            stored = value
        case .checkbox:
            switch value.lowercased() {
            case "true": stored = "true"
            case "false": stored = "false"
            default: throw refuse("true or false")
            }
        case .radio, .dropdownList:
            guard let option = field.options.first(where: { $0.value.lowercased() == value.lowercased() }) else {
                throw refuse("one of \(Self.optionList(field))")
            }
            stored = option.value
        case .checkboxList:
            var chosen: Set<String> = []
            for part in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                guard let option = field.options.first(where: { $0.value.lowercased() == part.lowercased() }) else {
                    throw ServiceError.invalid(
                        member, "Field '\(member)' holds '\(AnytimeLimits.shortened(part))', not one of \(Self.optionList(field)).")
                }
                chosen.insert(option.id)
            }
            guard !chosen.isEmpty else { return nil }
            stored = field.options.filter { chosen.contains($0.id) }.map(\.value).joined(separator: ",")
        case .operator, .department:
            // Agent and department ids: not checked against a directory yet (decision 232).
            stored = try AnytimeLimits.bounded(value, member, limit: AnytimeLimits.id)
        }
        let limit = field.row.maxLength ?? AnytimeLimits.text
        guard stored.count <= limit else { throw ServiceError.invalid(member, "Field '\(member)' may hold at most \(limit) characters.") }
        return stored
    }

    static func optionList(_ field: FieldDefinition) -> String {
        field.options.map { "'\($0.value)'" }.joined(separator: ", ")
    }
}

/// `customFields` of a conversation (spec §4, §5.18; decision 233): values of the site's custom fields, checked
/// against them; on create the defaults fill what is left out and required fields must end with a value.
enum CustomFieldValues {
    static let limit = 100

    /// Checks and stores `inputs` for the conversation; answers whether a value changed. `requiring` is false for a
    /// conversation a contact's email opens: nobody could fill a required field, so only the defaults apply.
    @discardableResult
    static func apply(
        _ inputs: [AnytimeCustomFieldValueInput]?, conversation id: Int64, site: String, creating: Bool, requiring: Bool = true, tx: Tx
    ) async throws -> Bool {
        let inputs = inputs ?? []
        guard inputs.count <= Self.limit else {
            throw ServiceError.invalid("customFields", "Field 'customFields' may hold at most \(Self.limit) values.")
        }
        if inputs.isEmpty && !creating { return false }
        let fields = try await FieldCatalog.all(site: site, tx: tx).filter { !$0.row.isSystemField }
        var given: [String: String?] = [:]
        for (index, input) in inputs.enumerated() {
            let member = "customFields[\(index)]"
            guard let fieldId = input.id?.trimmingCharacters(in: .whitespaces), !fieldId.isEmpty else { throw ServiceError.missing("\(member).id") }
            guard let field = fields.first(where: { $0.row.id == fieldId }) else {
                let why = SystemFields.isSystem(fieldId) ? "is a system field: set the conversation's own member" : "names no custom field"
                throw ServiceError.invalid("\(member).id", "Field '\(member).id' (\(AnytimeLimits.shortened(fieldId))) \(why).")
            }
            guard given[fieldId] == nil else { throw ServiceError.invalid("\(member).id", "Field '\(member).id' repeats the field '\(fieldId)'.") }
            let value = try FieldValues.stored(input.value, for: field, member: "\(member).value")
            if value == nil, field.row.isRequired {
                throw ServiceError.invalid("\(member).value", "Field '\(member).value' is required: '\(field.row.name)' cannot be empty.")
            }
            given[fieldId] = .some(value)
        }
        let existing = Dictionary(
            (try await tx.settings.customValues(of: [id])[id] ?? []).map { ($0.fieldId, $0.value) }, uniquingKeysWith: { first, _ in first })
        var changes: [(field: String, value: String?)] = []
        for field in fields {
            let id = field.row.id
            if let value = given[id] {
                if value != existing[id] { changes.append((id, value)) }
            } else if creating {
                if let value = field.row.defaultValue {
                    changes.append((id, value))
                } else if field.row.isRequired, requiring {
                    throw ServiceError.invalid(
                        "customFields", "Field 'customFields' must hold a value of the required field '\(field.row.name)' (\(id)).")
                }
            }
        }
        try await tx.settings.setCustomValues(changes, of: id, site: site)
        return !changes.isEmpty
    }

    /// The values of the conversations `ids` in their wire form, fields in the site's order.
    static func wire(of ids: [Int64], tx: Tx) async throws -> [Int64: [AnytimeCustomFieldValue]] {
        let values = try await tx.settings.customValues(of: ids)
        guard let site = values.values.first?.first?.siteId else { return [:] }
        let fields = try await tx.settings.fields(site: site).filter { !$0.isSystemField }
        let order = Dictionary(fields.enumerated().map { ($0.element.id, ($0.offset, $0.element.name)) }, uniquingKeysWith: { first, _ in first })
        return values.mapValues { rows in
            rows.compactMap { row in
                order[row.fieldId].map { (position: $0.0, value: AnytimeCustomFieldValue(id: row.fieldId, name: $0.1, value: row.value)) }
            }
            .sorted { $0.position < $1.position }.map(\.value)
        }
    }
}

extension String {
    /// nil for an empty string.
    var nilIfEmpty: String? { self.isEmpty ? nil : self }
}

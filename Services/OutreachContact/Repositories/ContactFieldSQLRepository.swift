import Foundation
import SQLKit
import ServiceKit
import WireModels

/// A site's contact field definitions and their options.
struct ContactFieldSQLRepository {
    let sql: any SQLDatabase

    /// Every field of the site, by `order` then name, with its options.
    func fields(site: String) async throws -> [FieldDefinition] {
        let rows = try await self.sql.select().column("*").from("contact_fields").where("site_id", .equal, site)
            .orderBy("sort_order").orderBy("name_key").all(FieldRow.self)
        guard !rows.isEmpty else { return [] }
        let options = try await self.sql.select().column("*").from("contact_field_options").where("site_id", .equal, site)
            .orderBy("sort_order").orderBy("id").all(OptionRow.self)
        let byField = Dictionary(grouping: options, by: \.fieldId)
        return rows.map { $0.definition(options: byField[$0.id] ?? []) }
    }

    /// Whether the site has its system fields yet.
    func hasSystemFields(site: String) async throws -> Bool {
        try await self.sql.select().column("id").from("contact_fields").where("site_id", .equal, site).where("is_system", .equal, true).limit(1)
            .first() != nil
    }

    /// Adds the system fields the site lacks (another instance may be adding them at the same moment).
    func addSystemFields(site: String) async throws {
        let rows = SystemFields.all().map { FieldRow($0, site: site) }
        try await self.sql.insert(into: "contact_fields").rows(rows).ignoringConflicts(with: ["site_id", "name_key"]).run()
    }

    func insert(_ field: FieldDefinition, site: String) async throws {
        try await self.sql.insert(into: "contact_fields").row(FieldRow(field, site: site)).run()
        try await self.saveOptions(field, site: site)
    }

    func update(_ field: FieldDefinition, site: String) async throws {
        try await self.sql.update("contact_fields").set(row: FieldRow(field, site: site)).where("id", .equal, field.id).where("site_id", .equal, site)
            .run()
        try await self.sql.delete(from: "contact_field_options").where("field_id", .equal, field.id).run()
        try await self.saveOptions(field, site: site)
    }

    /// Removes the field, its options and every contact's value of it.
    func delete(_ field: FieldDefinition, site: String) async throws {
        try await self.sql.delete(from: "contact_values").where("field_id", .equal, field.id).run()
        try await self.sql.delete(from: "contact_field_options").where("field_id", .equal, field.id).run()
        try await self.sql.delete(from: "contact_fields").where("id", .equal, field.id).where("site_id", .equal, site).run()
    }

    private func saveOptions(_ field: FieldDefinition, site: String) async throws {
        guard !field.options.isEmpty else { return }
        try await self.sql.insert(into: "contact_field_options").rows(field.options.map { OptionRow($0, fieldId: field.id, site: site) }).run()
    }
}

/// A `contact_fields` row.
struct FieldRow: Codable, Sendable {
    var id, siteId, name, nameKey, type, helpText, defaultValue: String
    var isSystem, isIdentity, isRequired, isVisible, isReadOnly: Bool
    var identityType: String?
    var length, sortOrder: Int

    init(_ field: FieldDefinition, site: String) {
        self.id = field.id
        self.siteId = site
        self.name = field.name
        self.nameKey = field.name.lowercased()
        self.type = field.type.rawValue
        self.helpText = field.helpText
        self.defaultValue = field.defaultValue
        self.isSystem = field.isSystem
        self.isIdentity = field.isIdentity
        self.isRequired = field.isRequired
        self.isVisible = field.isVisible
        self.isReadOnly = field.isReadOnly
        self.identityType = field.identityType?.rawValue
        self.length = field.length
        self.sortOrder = field.order
    }

    func definition(options: [OptionRow]) -> FieldDefinition {
        FieldDefinition(
            id: self.id, name: self.name, isSystem: self.isSystem, identityType: self.identityType.flatMap(Comm100IdentityType.init(rawValue:)),
            isRequired: self.isRequired, isVisible: self.isVisible, isReadOnly: self.isReadOnly, type: Comm100FieldType(rawValue: self.type) ?? .text,
            length: self.length, helpText: self.helpText, defaultValue: self.defaultValue, order: self.sortOrder,
            options: options.map { OptionDefinition(id: $0.id, value: $0.value, order: $0.sortOrder, displayText: $0.displayText) })
    }
}

/// A `contact_field_options` row.
struct OptionRow: Codable, Sendable {
    var id, fieldId, siteId, value, displayText: String
    var sortOrder: Int

    init(_ option: OptionDefinition, fieldId: String, site: String) {
        self.id = option.id
        self.fieldId = fieldId
        self.siteId = site
        self.value = option.value
        self.displayText = option.displayText
        self.sortOrder = option.order
    }
}

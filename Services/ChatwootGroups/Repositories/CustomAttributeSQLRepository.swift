import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Custom attribute definitions on SQLite or PostgreSQL, one account's at a time.
struct CustomAttributeSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// Chatwoot's `attribute_display_type` enum, by number.
    static let displayTypes = ["text", "number", "currency", "percent", "link", "date", "list", "checkbox"]
    /// Chatwoot's `attribute_model` enum, by number.
    static let models = ["conversation_attribute", "contact_attribute", "company_attribute"]
    /// Keys a definition may not take: Chatwoot's `STANDARD_ATTRIBUTES` of each model.
    static let standard: [String: Set<String>] = [
        "conversation_attribute": [
            "status", "priority", "assignee_id", "inbox_id", "team_id", "display_id", "campaign_id", "labels", "browser_language", "country_code",
            "referer", "created_at", "last_activity_at",
        ],
        "contact_attribute": [
            "name", "email", "phone_number", "identifier", "country_code", "city", "company_name", "created_at", "last_activity_at", "referer",
            "blocked",
        ],
        "company_attribute": ["name", "domain", "description", "contacts_count", "created_at", "updated_at", "last_activity_at"],
    ]

    /// A definition row.
    struct Row: Codable, Sendable {
        var id: Int
        var attributeKey: String
        var attributeModel: String
        var attributeDisplayName: String
        var attributeDisplayType: String
        var attributeDescription: String?
        var regexPattern: String?
        var regexCue: String?
        var attributeValues: String
        var createdAt: Int64
        var updatedAt: Int64

        var answer: ChatwootCustomAttribute {
            ChatwootCustomAttribute(
                id: self.id, attributeDisplayName: self.attributeDisplayName, attributeDisplayType: self.attributeDisplayType,
                attributeDescription: self.attributeDescription, attributeKey: self.attributeKey, regexPattern: self.regexPattern,
                regexCue: self.regexCue,
                attributeValues: (try? JSONDecoder().decode([String].self, from: Data(self.attributeValues.utf8))) ?? [],
                attributeModel: self.attributeModel, createdAt: ChatwootRows.iso(self.createdAt), updatedAt: ChatwootRows.iso(self.updatedAt))
        }
    }

    /// What a create or an update sets (enums already by name); nil leaves a member as it is.
    struct Changes: Sendable {
        var displayName: String?
        var displayType: String?
        var description: String?
        var key: String?
        var model: String?
        var regexPattern: String?
        var regexCue: String?
        var values: [String]?
    }

    private static let columns = [
        "id", "attribute_key", "attribute_model", "attribute_display_name", "attribute_display_type", "attribute_description", "regex_pattern",
        "regex_cue", "attribute_values", "created_at", "updated_at",
    ]

    /// The account's definitions, of one model when given.
    func list(account: Int, model: String?) async throws -> [ChatwootCustomAttribute] {
        try await self.database.readStatement { sql in
            let query = sql.select().columns(Self.columns).from("custom_attribute_definitions").where("account_id", .equal, account)
            if let model, !model.isEmpty { query.where("attribute_model", .equal, model) }
            return try await query.orderBy("id").all(Row.self)
        }.map(\.answer)
    }

    func create(account: Int, _ changes: Changes) async throws -> ChatwootCustomAttribute {
        let name = changes.displayName?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty else { throw ChatwootRows.blank("attribute_display_name") }
        let key = try Self.validKey(changes.key)
        let model = changes.model ?? "conversation_attribute"
        if Self.standard[model, default: []].contains(key) {
            throw ServiceError(
                .unprocessableContent, message: "Attribute key The provided key is not allowed as it might conflict with default attributes.",
                field: "attribute_key")
        }
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            try await Self.requireUnique(key, model: model, account: account, except: nil, on: tx.sql)
            let row = try await tx.sql.insert(into: "custom_attribute_definitions")
                .columns(
                    "account_id", "attribute_key", "attribute_model", "attribute_display_name", "attribute_display_type", "attribute_description",
                    "regex_pattern", "regex_cue", "attribute_values", "created_at", "updated_at"
                )
                .values(
                    account, key, model, name, changes.displayType ?? "text", changes.description, changes.regexPattern, changes.regexCue,
                    try ChatwootRows.text(encoding: changes.values ?? []), now, now
                ).returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return try await self.row(id, account: account).answer
    }

    func get(_ id: Int, account: Int) async throws -> ChatwootCustomAttribute {
        try await self.row(id, account: account).answer
    }

    func update(_ id: Int, account: Int, _ changes: Changes) async throws -> ChatwootCustomAttribute {
        let current = try await self.row(id, account: account)
        let name = changes.displayName?.trimmingCharacters(in: .whitespaces) ?? current.attributeDisplayName
        guard !name.isEmpty else { throw ChatwootRows.blank("attribute_display_name") }
        let key = try changes.key.map { try Self.validKey($0) } ?? current.attributeKey
        let model = changes.model ?? current.attributeModel
        let values = try changes.values.map { try ChatwootRows.text(encoding: $0) } ?? current.attributeValues
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await Self.requireUnique(key, model: model, account: account, except: id, on: tx.sql)
            try await tx.sql.update("custom_attribute_definitions").set("attribute_display_name", to: name).set("attribute_key", to: key)
                .set("attribute_model", to: model).set("attribute_display_type", to: changes.displayType ?? current.attributeDisplayType)
                .set("attribute_description", to: changes.description ?? current.attributeDescription)
                .set("regex_pattern", to: changes.regexPattern ?? current.regexPattern).set("regex_cue", to: changes.regexCue ?? current.regexCue)
                .set("attribute_values", to: values).set("updated_at", to: now).where("id", .equal, id).where("account_id", .equal, account).run()
        }
        return try await self.row(id, account: account).answer
    }

    func delete(_ id: Int, account: Int) async throws {
        _ = try await self.row(id, account: account)
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "custom_attribute_definitions").where("id", .equal, id).where("account_id", .equal, account).run()
        }
    }

    /// One of the account's definitions; another account's is a 404.
    func row(_ id: Int, account: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("custom_attribute_definitions").where("id", .equal, id)
                .where("account_id", .equal, account).first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// Chatwoot's key rule: present, letters, digits, `_`, `.` and `-` only (after trimming).
    private static func validKey(_ key: String?) throws -> String {
        let key = key?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !key.isEmpty else { throw ChatwootRows.blank("attribute_key") }
        guard key.count <= 255,
            key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || "_.-".unicodeScalars.contains($0) })
        else {
            throw ServiceError(
                .unprocessableContent, message: "Attribute key should only contain letters, numbers, underscores, dashes and dots",
                field: "attribute_key")
        }
        return key
    }

    private static func requireUnique(_ key: String, model: String, account: Int, except id: Int?, on sql: any SQLDatabase) async throws {
        let query = sql.select().column("id").from("custom_attribute_definitions").where("account_id", .equal, account)
            .where("attribute_model", .equal, model).where("attribute_key", .equal, key)
        if let id { query.where("id", .notEqual, id) }
        if try await query.first(IDRow.self) != nil {
            throw ServiceError(.unprocessableContent, message: "Attribute key has already been taken", field: "attribute_key")
        }
    }
}

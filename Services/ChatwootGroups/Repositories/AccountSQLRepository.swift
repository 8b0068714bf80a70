import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Accounts on SQLite or PostgreSQL; a deleted account keeps its rows (others' tables point at it) but is found no more.
struct AccountSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let tokens: AccessTokenSQLRepository

    /// An account row.
    struct Row: Codable, Sendable {
        var id: Int
        var name: String
        var locale: String
        var domain: String?
        var supportEmail: String?
        var status: String
        var customAttributes: String
        var settings: String
        var features: String
        var limits: String
        var autoResolveDuration: Int?
        var createdAt: Int64
    }

    /// What a create or an update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var name: String?
        var locale: String?
        var domain: String?
        var supportEmail: String?
        var status: String?
        var limits: JSONValue?
        var customAttributes: JSONValue?
        var features: [String: Bool]?
        var settings: JSONValue?
    }

    static let statuses = ["active", "suspended"]

    func create(_ changes: Changes, app: Int) async throws -> Row {
        guard let name = changes.name, !name.isEmpty else { throw ChatwootRows.blank("name") }
        try Self.validate(changes)
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "accounts")
                .columns("name", "locale", "domain", "support_email", "status", "custom_attributes", "limits", "features", "created_at", "updated_at")
                .values(
                    name, changes.locale ?? "en", changes.domain, changes.supportEmail, changes.status ?? "active",
                    try ChatwootRows.text(changes.customAttributes ?? .object([:])), try ChatwootRows.text(changes.limits ?? .object([:])),
                    try ChatwootRows.text(encoding: changes.features ?? [:]), now, now
                )
                .returning("id").first(IDRow.self)
            let id = Int(row?.id ?? 0)
            try await ChatwootAccess.permit(tx, app: app, .account, id, at: now)
            return id
        }
        return try await self.find(id)
    }

    func find(_ id: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("accounts").where("id", .equal, id).where("deleted_at", .is, SQLLiteral.null)
                .first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    func update(_ id: Int, _ changes: Changes) async throws -> Row {
        try Self.validate(changes)
        if let name = changes.name, name.isEmpty { throw ChatwootRows.blank("name") }
        let current = try await self.find(id)
        var features = (try? ChatwootRows.decode([String: Bool].self, current.features)) ?? [:]
        for (key, value) in changes.features ?? [:] { features[key] = value }
        var settings = ChatwootRows.json(current.settings)
        if let patch = changes.settings { settings = settings.merging(patch) }
        var attributes = ChatwootRows.json(current.customAttributes)
        if let patch = changes.customAttributes { attributes = attributes.merging(patch) }
        let now = self.clock.milliseconds()
        let attributesText = try ChatwootRows.text(attributes)
        let settingsText = try ChatwootRows.text(settings)
        let featuresText = try ChatwootRows.text(encoding: features)
        let limitsText = try ChatwootRows.text(changes.limits ?? ChatwootRows.json(current.limits))
        try await self.database.transaction { tx in
            try await tx.sql.update("accounts")
                .set("name", to: changes.name ?? current.name).set("locale", to: changes.locale ?? current.locale)
                .set("domain", to: changes.domain ?? current.domain).set("support_email", to: changes.supportEmail ?? current.supportEmail)
                .set("status", to: changes.status ?? current.status).set("custom_attributes", to: attributesText)
                .set("limits", to: limitsText).set("features", to: featuresText).set("settings", to: settingsText)
                .set("updated_at", to: now).where("id", .equal, id).run()
        }
        try await self.forgetMembers(of: id)
        return try await self.find(id)
    }

    /// Deletes the account as Chatwoot's `DeleteObjectJob` ends it for its users: memberships go, the account is found no more.
    func delete(_ id: Int) async throws {
        _ = try await self.find(id)
        let members = try await self.memberIDs(of: id)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "account_users").where("account_id", .equal, id).run()
            try await tx.sql.update("accounts").set("deleted_at", to: now).set("updated_at", to: now).where("id", .equal, id).run()
        }
        for member in members { self.tokens.forget(userID: member) }
    }

    /// The platform answer.
    func platform(_ row: Row) -> ChatwootPlatformAccount {
        let features = (try? ChatwootRows.decode([String: Bool].self, row.features)) ?? [:]
        return ChatwootPlatformAccount(
            id: row.id, name: row.name, locale: row.locale, domain: row.domain, supportEmail: row.supportEmail,
            enabledFeatures: features.filter(\.value), customAttributes: ChatwootRows.json(row.customAttributes),
            limits: ChatwootRows.json(row.limits), status: row.status)
    }

    /// The members' answer (`account_detail`).
    func detail(_ row: Row) -> ChatwootAccountDetail {
        let features = (try? ChatwootRows.decode([String: Bool].self, row.features)) ?? [:]
        let settings = ChatwootRows.json(row.settings).object ?? [:]
        let after: Int? = if case .number(let minutes) = settings["auto_resolve_after"] { Int(minutes) } else { nil }
        let message: String? = if case .string(let text) = settings["auto_resolve_message"] { text } else { nil }
        let ignore: Bool? = if case .bool(let flag) = settings["auto_resolve_ignore_waiting"] { flag } else { nil }
        return ChatwootAccountDetail(
            id: row.id, name: row.name, locale: row.locale, domain: row.domain, supportEmail: row.supportEmail, status: row.status,
            createdAt: ChatwootRows.iso(row.createdAt), cacheKeys: [:], features: features.filter(\.value).keys.sorted(),
            settings: .init(autoResolveAfter: after, autoResolveMessage: message, autoResolveIgnoreWaiting: ignore),
            customAttributes: ChatwootRows.json(row.customAttributes))
    }

    private static let columns = [
        "id", "name", "locale", "domain", "support_email", "status", "custom_attributes", "settings", "features", "limits",
        "auto_resolve_duration", "created_at",
    ]

    private static func validate(_ changes: Changes) throws {
        if let status = changes.status, !Self.statuses.contains(status) {
            throw ServiceError(.unprocessableContent, message: "'\(status)' is not a valid status", field: "status")
        }
        if let email = changes.supportEmail, !email.isEmpty, !ChatwootRows.isEmail(email) {
            throw ServiceError(.unprocessableContent, message: "Support email is invalid", field: "support_email")
        }
        _ = try ChatwootRows.object(changes.limits, field: "limits")
        _ = try ChatwootRows.object(changes.customAttributes, field: "custom_attributes")
    }

    private func memberIDs(of account: Int) async throws -> [Int] {
        try await self.database.readStatement { sql in
            try await sql.select().column("user_id", as: "id").from("account_users").where("account_id", .equal, account).all(IDRow.self)
        }.map { Int($0.id) }
    }

    /// Kept profiles carry account names: drop those of the members.
    private func forgetMembers(of account: Int) async throws {
        for member in try await self.memberIDs(of: account) { self.tokens.forget(userID: member) }
    }
}

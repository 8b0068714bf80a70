import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Integration hooks on SQLite or PostgreSQL, one account's at a time, checked as Chatwoot's `Integrations::Hook`.
struct IntegrationSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// A hook row with its inbox's name.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var appId: String
        var inboxId: Int?
        var hookType: String
        var status: String
        var settings: String
        var inboxName: String?
    }

    /// What a create or an update sets; nil leaves a member as it is (an update sets only status and settings).
    struct Changes: Sendable {
        var appID: String?
        var inboxID: Int?
        var status: String?
        var settings: JSONValue?
    }

    /// The catalogue with this account's hooks; `action` only for administrators, as Chatwoot's `_app` partial.
    func apps(account: Int, administrator: Bool) async throws -> [ChatwootIntegrationApp] {
        let (hooks, webhooks) = try await self.database.read { tx in
            let hooks = try await Self.select(tx.sql).where(Self.column("account_id"), .equal, SQLBind(account)).all(Row.self)
            let webhooks = try await tx.sql.select().column("id").from("webhooks").where("account_id", .equal, account).limit(1).all(IDRow.self)
            return (hooks, !webhooks.isEmpty)
        }
        let byApp = Dictionary(grouping: hooks.map(Self.answer), by: \.appId)
        return ChatwootIntegrationApps.all.map { app in
            let own = byApp[app.id] ?? []
            // Chatwoot's `enabled?`: webhooks by the account's webhooks, dashboard apps by its dashboard apps (none here).
            let enabled =
                switch app.id {
                case "webhook": webhooks
                case "dashboard_apps": false
                default: !own.isEmpty
                }
            return ChatwootIntegrationApp(
                id: app.id, name: app.name, description: app.description, shortDescription: app.shortDescription, hookType: app.hookType,
                allowMultipleHooks: app.allowMultipleHooks, enabled: enabled, action: administrator ? app.action : nil, hooks: own)
        }
    }

    func create(account: Int, _ changes: Changes) async throws -> ChatwootIntegrationHook {
        guard let appID = changes.appID, !appID.isEmpty else { throw ChatwootRows.blank("app_id") }
        guard let app = ChatwootIntegrationApps.app(appID), app.takesHooks else {
            throw ServiceError(.unprocessableContent, message: "App is not a known integration", field: "app_id")
        }
        let settings = changes.settings ?? .object([:])
        let status = changes.status ?? "enabled"
        guard ChatwootIntegrationApps.valid(settings, for: app) else { throw Self.invalidSettings }
        if app.hookType == "inbox", changes.inboxID == nil { throw ChatwootRows.blank("inbox_id") }
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            if let feature = app.feature, try await !Self.featureEnabled(feature, account: account, on: tx.sql) {
                throw ServiceError(.unprocessableContent, message: "Feature flag Feature not enabled", field: "feature_flag")
            }
            if let inbox = changes.inboxID { try await Self.requireInbox(inbox, account: account, on: tx.sql) }
            if !app.allowMultipleHooks,
                try await tx.sql.select().column("id").from("integration_hooks").where("account_id", .equal, account)
                    .where("app_id", .equal, app.id).first(IDRow.self) != nil
            {
                throw ServiceError(.unprocessableContent, message: "App has already been taken", field: "app_id")
            }
            let row = try await tx.sql.insert(into: "integration_hooks")
                .columns("account_id", "app_id", "inbox_id", "hook_type", "status", "settings", "created_at", "updated_at")
                .values(account, app.id, changes.inboxID, app.hookType, status, try ChatwootRows.text(settings), now, now)
                .returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
        return Self.answer(try await self.row(id, account: account))
    }

    /// Changes a hook's status or settings (its app, inbox and type are fixed, as Chatwoot's `attr_readonly`).
    func update(_ id: Int, account: Int, _ changes: Changes) async throws -> ChatwootIntegrationHook {
        let current = try await self.row(id, account: account)
        let settings = changes.settings ?? ChatwootRows.json(current.settings)
        if changes.settings != nil, let app = ChatwootIntegrationApps.app(current.appId), !ChatwootIntegrationApps.valid(settings, for: app) {
            throw Self.invalidSettings
        }
        try await self.database.transaction { tx in
            try await tx.sql.update("integration_hooks").set("status", to: changes.status ?? current.status)
                .set("settings", to: try ChatwootRows.text(settings)).set("updated_at", to: self.clock.milliseconds())
                .where("id", .equal, id).where("account_id", .equal, account).run()
        }
        return Self.answer(try await self.row(id, account: account))
    }

    func delete(_ id: Int, account: Int) async throws {
        _ = try await self.row(id, account: account)
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "integration_hooks").where("id", .equal, id).where("account_id", .equal, account).run()
        }
    }

    /// One of the account's hooks; another account's is a 404.
    func row(_ id: Int, account: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await Self.select(sql).where(Self.column("id"), .equal, SQLBind(id)).where(Self.column("account_id"), .equal, SQLBind(account))
                .first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    // MARK: Rows and rules

    /// Rails' message for a settings hash the app's schema refuses.
    static let invalidSettings = ServiceError(.unprocessableContent, message: "Settings : Invalid settings data", field: "settings")

    private static func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "integration_hooks") }

    private static func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(["id", "account_id", "app_id", "inbox_id", "hook_type", "status", "settings"].map(column))
            .column(SQLColumn("name", table: "inboxes"), as: "inbox_name")
            .from("integration_hooks")
            .join("inboxes", method: SQLJoinMethod.left, on: SQLColumn("id", table: "inboxes"), .equal, column("inbox_id"))
            .orderBy(column("id"))
    }

    static func answer(_ row: Row) -> ChatwootIntegrationHook {
        let inbox = row.inboxId.flatMap { id in row.inboxName.map { ChatwootIntegrationHook.Inbox(id: id, name: $0) } }
        return ChatwootIntegrationHook(
            id: row.id, appId: row.appId, status: row.status == "enabled", inbox: inbox, accountId: row.accountId, hookType: row.hookType,
            settings: ChatwootRows.json(row.settings))
    }

    /// The inbox a hook names must be one of the account's.
    private static func requireInbox(_ inbox: Int, account: Int, on sql: any SQLDatabase) async throws {
        if try await sql.select().column("id").from("inboxes").where("id", .equal, inbox).where("account_id", .equal, account).first(IDRow.self)
            == nil
        {
            throw ServiceError(.unprocessableContent, message: "Inbox must exist", field: "inbox_id")
        }
    }

    /// Whether the account has a feature turned on (its `features` hash).
    private static func featureEnabled(_ feature: String, account: Int, on sql: any SQLDatabase) async throws -> Bool {
        let row = try await sql.select().column("features").from("accounts").where("id", .equal, account).first(FeaturesRow.self)
        let features = (try? ChatwootRows.decode([String: Bool].self, row?.features ?? "{}")) ?? [:]
        return features[feature] == true
    }

    private struct FeaturesRow: Codable {
        var features: String
    }
}

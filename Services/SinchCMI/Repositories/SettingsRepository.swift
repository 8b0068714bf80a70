import ServiceKit

/// The one settings document.
protocol SettingsRepository: Sendable {
    func settings() async throws -> CMISettings
    func put(_ settings: CMISettings) async throws
}

/// ``SettingsRepository`` on SQLite or PostgreSQL.
struct SettingsSQLRepository: SettingsRepository {
    let store: DocumentStore<CMISettings>

    init(database: Database) {
        self.store = DocumentStore(database: database, table: "settings")
    }

    func settings() async throws -> CMISettings {
        try await self.store.get(id: "cmi") ?? CMISettings()
    }

    func put(_ settings: CMISettings) async throws {
        try await self.store.put(settings, columns: [("id", "cmi")])
    }
}

import SQLKit
import ServiceKit

/// The one settings row; the settings type is the row (`callbackIvrNumber` is `callback_ivr_number`).
struct SettingsSQLRepository {
    let sql: any SQLDatabase

    func settings() async throws -> CMISettings {
        try await self.sql.select().columns("callback_ivr_number", "callback_max_calls").from("settings").first(CMISettings.self) ?? CMISettings()
    }

    func put(_ settings: CMISettings) async throws {
        try await self.sql.delete(from: "settings").run()
        try await self.sql.insert(into: "settings").row(settings).run()
    }
}

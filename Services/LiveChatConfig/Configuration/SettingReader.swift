import ServiceKit
import WireModels

/// Reads a settings document, its defaults until somebody writes it, for the controllers and for rules that
/// consult each other (the routing's department gate reads the site config).
struct SettingReader<Rules: SettingRules>: Sendable {
    let rules: Rules
    let store: ConfigurationSQLRepository

    func value(in configuration: ConfigurationRequest) async throws -> Rules.Setting {
        if let stored = try await self.store.setting(Rules.Setting.self, in: configuration.scope(self.rules.kind)) { return stored }
        return try await self.rules.defaultValue(in: configuration)
    }
}

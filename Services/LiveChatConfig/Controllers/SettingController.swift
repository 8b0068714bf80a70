import Hummingbird
import ServiceKit
import WireModels

/// Serves one settings document (a site's or a campaign's) with GET and a partial PUT, at the seed's path
/// and its spelling variants. A setting nobody has written answers with its defaults.
struct SettingController<Rules: SettingRules> where Rules.Setting: ResponseEncodable {
    let rules: Rules
    let store: ConfigurationSQLRepository
    /// Below `/api/v1/livechat`, canonical first; `/campaigns/{id}/...` paths belong to a campaign.
    let paths: [String]
    let tag: String
    /// False for a document only written at its paths (another route reads it, inside a larger one).
    var readable = true

    var isCampaignSetting: Bool { self.paths[0].hasPrefix("/campaigns/{id}/") }

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged(self.tag)
        let name = self.rules.title.lowercased()
        var errors: [Int: String] = [404: "Not found"]
        if let permission = self.rules.permission { errors[403] = "Missing permission \(permission)" }
        for (index, path) in self.paths.enumerated() {
            let variant = index == 0 ? "" : " (spelling variant)"
            if self.readable { api.get(path, "Get the \(name)" + variant, returns: Rules.Setting.self, errors: errors, use: self.get) }
            api.put(
                path, "Update the \(name) (fields left out keep their value)" + variant, body: ConfigurationBody<Rules.Setting>.self,
                returns: Rules.Setting.self, errors: errors.merging([400: "Invalid \(name)"]) { own, _ in own }, use: self.update
            )
        }
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Rules.Setting {
        if let permission = self.rules.permission { try context.require(permission: permission) }
        let configuration = try await context.configurationRequest(store: self.store, campaign: self.isCampaignSetting)
        return try await self.rules.presented(
            try await SettingReader(rules: self.rules, store: self.store).value(in: configuration), in: configuration)
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, body: ConfigurationBody<Rules.Setting>) async throws -> Rules.Setting {
        if let permission = self.rules.permission { try context.require(permission: permission) }
        return try await context.changingConfiguration(store: self.store, campaign: self.isCampaignSetting) { configuration in
            // The patch applies to what a GET shows, so values kept elsewhere (a switch in the site config) are current.
            let shown = try await self.rules.presented(
                try await SettingReader(rules: self.rules, store: self.store).value(in: configuration), in: configuration)
            let setting = try await self.rules.validated(try self.rules.merged(shown, with: self.rules.normalized(body.json)), in: configuration)
            try await self.store.putSetting(setting, in: configuration.scope(self.rules.kind))
            try await self.rules.didSave(setting, in: configuration)
            return try await self.rules.presented(setting, in: configuration)
        }
    }
}

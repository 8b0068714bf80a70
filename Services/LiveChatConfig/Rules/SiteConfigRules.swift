import ServiceKit
import WireModels

/// `/configs`: the site's feature switches (permission `Manage Settings`). Auto allocation's and visitor SSO's
/// `isEnable` are the same stored values as `isEnableAutoAllocation` and `isEnableVisitorSSO`.
struct SiteConfigRules: SettingRules {
    static let kind = "configs"
    let title = "Live chat config"
    let permission: String? = "Manage Settings"
    let store: ConfigurationSQLRepository

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatConfig {
        Self.pinned(
            """
            {"isEnableMultipleCampaigns": true, "isEnableAutoAllocation": true, "isEnableCustomAwayStatus": true, "isEnableDepartment": true,
             "isEnableAutoTranslation": false, "isEnableAudioAndVideoChat": false, "isEnableVisitorSegmentation": true, "isEnableVisitorSSO": false,
             "isEnableCreditCardMasking": true, "isEnableCustomVariables": true, "isEnableSalesforce": false, "isEnableZendesk": false,
             "isEnableGoogleAnalytics": false, "isEnableGotoMeeting": false, "isEnableJoinme": false}
            """)
    }

    func validated(_ setting: LiveChatConfig, in request: ConfigurationRequest) async throws -> LiveChatConfig {
        var config = setting
        config.siteId = nil  // read-only: it is the caller's site
        // Switching visitor SSO on here needs what `PUT /visitorSSO` needs to switch it on: a sign-in URL (LC-15).
        if config.isEnableVisitorSSO == true, try await SettingReader(rules: self, store: self.store).value(in: request).isEnableVisitorSSO != true {
            let sso = try await self.store.setting(LiveChatVisitorSSO.self, in: request.scope(VisitorSSORules.kind))
            guard let url = sso?.signInUrl, (try? Validation.webURL(url, "signInUrl")) != nil else {
                throw Validation.invalid("isEnableVisitorSSO", "visitor SSO needs its signInUrl first (PUT /visitorSSO).")
            }
        }
        return config
    }

    func presented(_ setting: LiveChatConfig, in request: ConfigurationRequest) async throws -> LiveChatConfig {
        var config = setting
        config.siteId = Int(request.siteId)
        return config
    }
}

extension SettingReader where Rules == SiteConfigRules {
    /// The site configuration's reader.
    init(configs store: ConfigurationSQLRepository) {
        self.init(rules: SiteConfigRules(store: store), store: store)
    }

    /// The site's switches.
    func config(site: Site) async throws -> LiveChatConfig {
        try await self.value(in: ConfigurationRequest(site: site))
    }

    /// Changes switches through the same document `/configs` serves.
    func update(in request: ConfigurationRequest, _ change: (inout LiveChatConfig) -> Void) async throws {
        var config = try await self.config(site: request.site)
        change(&config)
        try await self.store.putSetting(config, in: request.siteScope(SiteConfigRules.kind))
    }
}

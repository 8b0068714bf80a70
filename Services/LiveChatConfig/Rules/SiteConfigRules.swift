import ServiceKit
import WireModels

/// `/configs`: the site's feature switches (permission `Manage Settings`). Auto allocation's and visitor SSO's
/// `isEnable` are the same stored values as `isEnableAutoAllocation` and `isEnableVisitorSSO`.
struct SiteConfigRules: SettingRules {
    static let kind = "configs"
    var kind: String { Self.kind }
    let title = "Live chat config"
    let permission: String? = "Manage Settings"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatConfig {
        var config = LiveChatConfig()
        config.isEnableMultipleCampaigns = true
        config.isEnableAutoAllocation = true
        config.isEnableCustomAwayStatus = true
        config.isEnableDepartment = true
        config.isEnableAutoTranslation = false
        config.isEnableAudioAndVideoChat = false
        config.isEnableVisitorSegmentation = true
        config.isEnableVisitorSSO = false
        config.isEnableCreditCardMasking = true
        config.isEnableCustomVariables = true
        config.isEnableSalesforce = false
        config.isEnableZendesk = false
        config.isEnableGoogleAnalytics = false
        config.isEnableGotoMeeting = false
        config.isEnableJoinme = false
        return config
    }

    func validated(_ setting: LiveChatConfig, in request: ConfigurationRequest) async throws -> LiveChatConfig {
        var config = setting
        config.siteId = nil  // read-only: it is the caller's site
        return config
    }

    func presented(_ setting: LiveChatConfig, in request: ConfigurationRequest) async throws -> LiveChatConfig {
        var config = setting
        config.siteId = Int(request.siteId)
        return config
    }
}

extension SettingReader where Rules == SiteConfigRules {
    /// The site's switches.
    func config(siteId: String, identity: Identity) async throws -> LiveChatConfig {
        try await self.value(in: ConfigurationRequest(siteId: siteId, campaignId: 0, identity: identity))
    }

    /// Changes switches through the same document `/configs` serves.
    func update(in request: ConfigurationRequest, _ change: (inout LiveChatConfig) -> Void) async throws {
        var config = try await self.value(in: ConfigurationRequest(siteId: request.siteId, campaignId: 0, identity: request.identity))
        change(&config)
        try await self.store.putSetting(try JSONValue(encoding: config), in: ConfigurationScope(siteId: request.siteId, kind: SiteConfigRules.kind))
    }
}

import HTTPTypes
import ServiceKit
import WireModels

extension LiveChatCampaign: LiveChatObject {}

/// `/campaigns` (permission `Manage Campaigns`): names unique per site, a known language, and every
/// per-campaign setting written with its defaults on creation and removed with the campaign.
struct CampaignRules: ItemRules, UniquelyNamed {
    static let kind = "campaign"
    let title = "Campaign"
    let permission: String? = "Manage Campaigns"
    let store: ConfigurationSQLRepository
    let configs: SettingReader<SiteConfigRules>
    let targets: RouteTargets

    func validated(_ item: LiveChatCampaign, previous: LiveChatCampaign?, in request: ConfigurationRequest) async throws -> LiveChatCampaign {
        var campaign = item
        campaign.name = try Validation.name(campaign.name)
        let spelled = try Validation.required(campaign.language, "language")
        guard let language = LanguageCatalogue.language(named: spelled) else {
            throw ServiceError.invalid(
                "language", "Parameter 'language' must be one of \(LanguageCatalogue.languages.keys.sorted().joined(separator: ", ")).")
        }
        campaign.language = language
        campaign.description = campaign.description ?? ""
        if previous == nil, try await self.configs.config(site: request.site).isEnableMultipleCampaigns == false,
            try await !self.store.campaignIDs(siteId: request.siteId).isEmpty
        {
            throw ServiceError(
                .conflict, message: "This site has a campaign and multiple campaigns are switched off (configs.isEnableMultipleCampaigns).")
        }
        return campaign
    }

    /// A new campaign gets all its settings, with their defaults, at once, so every GET answers.
    func didSave(_ item: LiveChatCampaign, in request: ConfigurationRequest) async throws {
        var campaign = request
        campaign.campaignId = item.id ?? 0
        guard try await self.store.setting(LiveChatChatButton.self, in: campaign.scope(ChatButtonRules.kind)) == nil else { return }
        let settings: [any SettingRules] = [
            ChatButtonRules(), ChatWindowRules(), PreChatRules(), PostChatRules(), OfflineMessageSettingsRules(), InvitationStyleRules(),
            ManualInvitationRules(), AgentWrapupRules(), RoutingRules(store: self.store, targets: self.targets),
            CampaignLanguageRules(store: self.store),
        ]
        for rules in settings { try await self.store.putSetting(try await rules.defaultValue(in: campaign), in: campaign.scope(rules.kind)) }
    }

    /// Its settings, auto invitations and custom rules go with it; chat history keeps its id.
    func willDelete(_ item: LiveChatCampaign, in request: ConfigurationRequest) async throws {
        try await self.store.deleteCampaignDocuments(campaignId: item.id ?? 0, siteId: request.siteId)
    }
}

/// `GET /campaigns/{id}/code`: the snippet a site pastes into its pages. It depends only on the site, the
/// campaign and the script's address, so it never changes when settings do (those load at run time).
struct InstallationCode {
    /// Where visitors' browsers load the live chat script from (`livechat.publicURL`).
    let publicURL: String

    func code(siteId: String, campaignId: Int) -> LiveChatInstallationCode {
        let base = self.publicURL.hasSuffix("/") ? String(self.publicURL.dropLast()) : self.publicURL
        return LiveChatInstallationCode(
            code: """
                <!--Begin Comm100 Live Chat Code-->
                <div id="comm100-button-\(campaignId)"></div>
                <script type="text/javascript">
                  var Comm100API=Comm100API||{};(function(t){function e(e){var a=document.createElement("script"),c=document.getElementsByTagName("script")[0];a.type="text/javascript",a.async=!0,a.src=e+t.site_id,c.parentNode.insertBefore(a,c)}t.chat_buttons=t.chat_buttons||[],t.chat_buttons.push({code_plan:\(campaignId),div_id:"comm100-button-\(campaignId)"}),t.site_id=\(siteId),t.main_code_plan=\(campaignId),e("\(base)/livechat/visitor.js?siteId=")})(Comm100API||{})
                </script>
                <!--End Comm100 Live Chat Code-->
                """)
    }
}

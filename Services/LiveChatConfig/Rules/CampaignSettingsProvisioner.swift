import WireModels

/// Writes every per-campaign setting's defaults when a campaign is created.
struct CampaignSettingsProvisioner: Sendable {
    let store: ConfigurationSQLRepository
    let targets: RouteTargets

    @Sendable func provision(_ campaign: ConfigurationRequest) async throws {
        try await self.write(ChatButtonRules(), campaign)
        try await self.write(ChatWindowRules(), campaign)
        try await self.write(PreChatRules(), campaign)
        try await self.write(PostChatRules(), campaign)
        try await self.write(OfflineMessageSettingsRules(), campaign)
        try await self.write(InvitationStyleRules(), campaign)
        try await self.write(ManualInvitationRules(), campaign)
        try await self.write(AgentWrapupRules(), campaign)
        try await self.write(RoutingRules(store: self.store, targets: self.targets), campaign)
        try await self.write(CampaignLanguageRules(store: self.store), campaign)
    }

    func write<Rules: SettingRules>(_ rules: Rules, _ campaign: ConfigurationRequest) async throws {
        try await self.store.putSetting(try await rules.defaultValue(in: campaign), in: campaign.scope(rules.kind))
    }
}

/// Settings every campaign has exactly one of; permission `Manage Campaigns` (spec note §5.2).
protocol CampaignSettingRules: SettingRules {}

extension CampaignSettingRules {
    var permission: String? { "Manage Campaigns" }
}

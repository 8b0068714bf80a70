import ServiceKit
import WireModels

/// The site's campaigns: for settings that hold something per campaign, and for the routes below `/campaigns/{id}`.
extension ConfigurationSQLRepository {
    func campaignIDs(siteId: String) async throws -> [Int] {
        try await self.items(LiveChatCampaign.self, in: ConfigurationScope(siteId: siteId, kind: CampaignRules.kind)).compactMap(\.id)
    }

    /// The campaign a path names, which must exist in the site (404 otherwise).
    func existingCampaign(_ id: String, site: Site) async throws -> Int {
        guard let campaign = Int(id), try await self.contains(id: campaign, in: ConfigurationScope(siteId: site.id, kind: CampaignRules.kind)) else {
            throw ServiceError.notFound("Campaign")
        }
        return campaign
    }
}

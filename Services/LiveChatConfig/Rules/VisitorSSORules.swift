import Foundation
import ServiceKit
import WireModels

/// `/visitorSSO` (permission `Manage Settings`): one sign-in option per campaign, matched by `campaignId`;
/// `isEnable` is the site config's `isEnableVisitorSSO`.
struct VisitorSSORules: SettingRules {
    static let kind = "visitorSSO"
    let title = "Visitor SSO"
    let permission: String? = "Manage Settings"
    let store: ConfigurationSQLRepository
    let configs: SettingReader<SiteConfigRules>

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatVisitorSSO {
        Self.pinned(#"{"signInUrl": "", "idpCertificate": "", "idpCertificateFileName": "", "dataMappings": [], "campaignSSOOptions": []}"#)
    }

    /// Options are matched by campaign; campaigns the body leaves out keep theirs.
    func merged(_ stored: LiveChatVisitorSSO, with patch: JSONValue) throws -> LiveChatVisitorSSO {
        var sso = try JSONValue(encoding: stored).merging(patch.removing("campaignSSOOptions")).decode(as: LiveChatVisitorSSO.self)
        if let options = patch.object?["campaignSSOOptions"] {
            var merged = stored.campaignSSOOptions ?? []
            for (index, option) in try options.decode(as: [LiveChatVisitorSSO.CampaignOptions].self).enumerated() {
                let campaignId = try Validation.required(option.campaignId, "campaignSSOOptions[\(index)].campaignId")
                if let position = merged.firstIndex(where: { $0.campaignId == campaignId }) {
                    if let signIn = option.signInType { merged[position].signInType = signIn }
                    if let skip = option.isSkipPrechat { merged[position].isSkipPrechat = skip }
                } else {
                    merged.append(
                        LiveChatVisitorSSO.CampaignOptions(
                            campaignId: campaignId, signInType: option.signInType ?? .no, isSkipPrechat: option.isSkipPrechat ?? false))
                }
            }
            sso.campaignSSOOptions = merged
        }
        return sso
    }

    func validated(_ setting: LiveChatVisitorSSO, in request: ConfigurationRequest) async throws -> LiveChatVisitorSSO {
        var sso = setting
        sso.siteId = nil
        let enabled = try Validation.required(sso.isEnable, "isEnable")
        if let certificate = sso.idpCertificate, !certificate.isEmpty {
            let compact = certificate.filter { !$0.isWhitespace }
            guard Data(base64Encoded: compact) != nil else {
                throw ServiceError.invalid("idpCertificate", "Parameter 'idpCertificate' must be valid base64.")
            }
            sso.idpCertificate = compact
        }
        if enabled { try Validation.webURL(try Validation.required(sso.signInUrl, "signInUrl"), "signInUrl") }
        for (index, mapping) in (sso.dataMappings ?? []).enumerated() {
            _ = try Validation.required(mapping.ssoAttribute, "dataMappings[\(index)].ssoAttribute")
            _ = try Validation.required(mapping.comm100Field, "dataMappings[\(index)].comm100Field")
        }
        let campaigns = Set(try await self.store.campaignIDs(siteId: request.siteId))
        for option in sso.campaignSSOOptions ?? [] where !campaigns.contains(option.campaignId ?? 0) {
            throw Validation.invalid("campaignSSOOptions", "Campaign \(option.campaignId ?? 0) does not exist.")
        }
        return sso
    }

    /// Every campaign has an entry, `no` sign-in until set.
    func presented(_ setting: LiveChatVisitorSSO, in request: ConfigurationRequest) async throws -> LiveChatVisitorSSO {
        var sso = setting
        sso.siteId = Int(request.siteId)
        sso.isEnable = try await self.configs.config(site: request.site).isEnableVisitorSSO ?? false
        let stored = Dictionary((setting.campaignSSOOptions ?? []).map { ($0.campaignId ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        sso.campaignSSOOptions = try await self.store.campaignIDs(siteId: request.siteId).map {
            stored[$0] ?? LiveChatVisitorSSO.CampaignOptions(campaignId: $0, signInType: .no, isSkipPrechat: false)
        }
        return sso
    }

    func didSave(_ setting: LiveChatVisitorSSO, in request: ConfigurationRequest) async throws {
        try await self.configs.update(in: request) { $0.isEnableVisitorSSO = setting.isEnable }
    }
}

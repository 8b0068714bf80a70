import Foundation
import ServiceKit
import WireModels

/// Settings every campaign has exactly one of; permission `Manage Campaigns` (spec note §5.2).
protocol CampaignSettingRules: SettingRules {}

extension CampaignSettingRules {
    var permission: String? { "Manage Campaigns" }

    /// Decodes a default from the JSON the defaults are pinned in.
    static func pinned<T: Decodable>(_ json: String) -> T {
        // The literals are part of the source; a typo fails every campaign test at once.
        try! JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}

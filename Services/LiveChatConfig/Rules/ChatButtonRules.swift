import Foundation
import ServiceKit
import WireModels

/// `/campaigns/{id}/chatButton`.
struct ChatButtonRules: CampaignSettingRules {
    static let kind = "chatButton"
    let title = "Chat button"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatChatButton {
        Self.pinned(
            """
            {"type": "adaptive", "isHideOffline": false, "isUseDomainRestriction": false, "allowedDomains": [],
             "adaptive": {"themeColor": "#329fd9", "icon": "0"},
             "image": {"type": "gallery", "onlineImageId": 0, "offlineImageId": 0, "isFloat": true,
                       "position": {"type": "buttomRight", "x": "20", "y": "0%"},
                       "mobile": {"type": "text", "onlineText": "Chat with us", "offlineText": "Leave a message", "themeColor": "#329fd9",
                                  "onlineImageId": 0, "offlineImageId": 0, "position": "bottomMiddle"}},
             "textLink": {"text": "Chat Now"}}
            """)
    }

    func validated(_ setting: LiveChatChatButton, in request: ConfigurationRequest) async throws -> LiveChatChatButton {
        _ = try Validation.required(setting.type, "type")
        for (value, field) in [(setting.image?.position?.x, "image.position.x"), (setting.image?.position?.y, "image.position.y")] {
            if let value, value.range(of: #"^\d+(\.\d+)?%?$"#, options: .regularExpression) == nil {
                throw ServiceError.invalid(field, "Parameter '\(field)' must be a number or a percentage like 10 or 10%.")
            }
        }
        return setting
    }
}

import Foundation
import ServiceKit
import WireModels

/// Settings every campaign has exactly one of; permission `Manage Campaigns` (spec note §5.2).
protocol CampaignSettingRules: SettingRules {}

extension CampaignSettingRules {
    var permission: String? { "Manage Campaigns" }

    /// Decodes a default from the JSON the defaults are pinned in.
    static func pinned<T: Decodable>(_ json: String) -> T {
        // The literals below are part of the source; a typo fails every campaign test at once.
        try! JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}

/// `/campaigns/{id}/chatButton`.
struct ChatButtonRules: CampaignSettingRules {
    static let kind = "chatButton"
    var kind: String { Self.kind }
    let title = "Chat button"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatChatButton {
        Self.pinned("""
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

/// `/campaigns/{id}/chatWindow`.
struct ChatWindowRules: CampaignSettingRules {
    static let kind = "chatWindow"
    var kind: String { Self.kind }
    let title = "Chat window"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatChatWindow {
        Self.pinned("""
            {"style": "classic", "color": "#329fd9", "type": "embedded", "customCSS": "", "popup": {"title": "Live Chat"},
             "options": {"isCanPrintTranscript": true, "isCanEmailTranscript": true, "email": {"isFromAgent": true, "fromEmail": "", "fromName": ""},
                         "isCanSwitchToOffline": true, "isCanSendFile": true, "isCanAudioChat": false, "isCanVideoChat": false},
             "advanced": {"isAutoEndChatWhenVisitorInactivity": false, "timeAutoEndChatWhenVisitorInactivity": 10, "isAutoSendTranscriptToEmail": false,
                          "transcriptEmailAddress": "", "transcriptEmailSubject": "Chat transcript: {!Agent.Name} with {!Visitor.Name}",
                          "greetingMessage": "", "isUseCustomJS": false, "customJS": ""},
             "header": {"type": "agentInfo", "agentInfo": {"isShowAvatar": true, "isShowTitle": true, "isShowBio": false},
                        "banner": {"imageType": "gallery", "imageId": 0}, "avatarAndLogo": {"isShowAvatar": true, "isShowLogo": false, "logoImageId": 0}},
             "body": {"isShowAvatar": true, "isShowBackground": false, "backgroudImageId": 0}}
            """)
    }

    /// `body.backgroundImageId` is read as the seed's `backgroudImageId`.
    func normalized(_ body: JSONValue) -> JSONValue {
        body.renaming("backgroundImageId", to: "backgroudImageId", at: ["body"])
    }

    func validated(_ setting: LiveChatChatWindow, in request: ConfigurationRequest) async throws -> LiveChatChatWindow {
        _ = try Validation.required(setting.style, "style")
        _ = try Validation.required(setting.color, "color")
        _ = try Validation.required(setting.type, "type")
        if setting.advanced?.isAutoEndChatWhenVisitorInactivity == true {
            try Validation.atLeast(try Validation.required(setting.advanced?.timeAutoEndChatWhenVisitorInactivity, "advanced.timeAutoEndChatWhenVisitorInactivity"), 1, "advanced.timeAutoEndChatWhenVisitorInactivity")
        }
        if setting.advanced?.isAutoSendTranscriptToEmail == true {
            try Validation.emailList(try Validation.required(setting.advanced?.transcriptEmailAddress, "advanced.transcriptEmailAddress"), "advanced.transcriptEmailAddress")
        }
        if let from = setting.options?.email?.fromEmail, !from.isEmpty, !Validation.isEmail(from) {
            throw ServiceError.invalid("options.email.fromEmail", "Parameter 'options.email.fromEmail' must be an email address.")
        }
        return setting
    }
}

/// `/campaigns/{id}/preChat` (the seed's detail section spells it `/prechat`).
struct PreChatRules: CampaignSettingRules {
    static let kind = "preChat"
    var kind: String { Self.kind }
    let title = "Pre-chat form"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatPreChat {
        var form: LiveChatPreChat = Self.pinned("""
            {"isEnable": false, "header": {"isShowTeamName": false, "teamName": "", "isShowAvatars": true}, "greetingMessage": "Welcome! Please tell us a little about you.",
             "socialLogin": {"isUseGoogle": false, "isUseFacebook": false}, "isRememberVisitorInfo": true, "fieldLayout": "vertical"}
            """)
        form.fields = FormFields.defaults(.preChat)
        return form
    }

    func merged(_ stored: LiveChatPreChat, with patch: JSONValue) throws -> LiveChatPreChat {
        try FormFields.merged(stored, with: patch, form: .preChat)
    }

    func validated(_ setting: LiveChatPreChat, in request: ConfigurationRequest) async throws -> LiveChatPreChat {
        var form = setting
        _ = try Validation.required(form.isEnable, "isEnable")
        _ = try Validation.required(form.fieldLayout, "fieldLayout")
        form.fields = try FormFields.validated(form.fields ?? [], form: .preChat)
        return form
    }
}

/// `/campaigns/{id}/postChat` (also `/postchat`).
struct PostChatRules: CampaignSettingRules {
    static let kind = "postChat"
    var kind: String { Self.kind }
    let title = "Post-chat survey"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatPostChat {
        var form: LiveChatPostChat = Self.pinned(#"{"isEnable": false, "greetingMessage": "Please rate this chat.", "fieldLayout": "vertical"}"#)
        form.fields = FormFields.defaults(.postChat)
        return form
    }

    func merged(_ stored: LiveChatPostChat, with patch: JSONValue) throws -> LiveChatPostChat {
        try FormFields.merged(stored, with: patch, form: .postChat)
    }

    func validated(_ setting: LiveChatPostChat, in request: ConfigurationRequest) async throws -> LiveChatPostChat {
        var form = setting
        _ = try Validation.required(form.isEnable, "isEnable")
        form.fields = try FormFields.validated(form.fields ?? [], form: .postChat)
        return form
    }
}

/// `/campaigns/{id}/offlineMessage`: the offline message window.
struct OfflineMessageSettingsRules: CampaignSettingRules {
    static let kind = "offlineMessage"
    var kind: String { Self.kind }
    let title = "Offline message window"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatOfflineMessageSettings {
        var form: LiveChatOfflineMessageSettings = Self.pinned("""
            {"isUseOwnPage": false, "page": {"url": "", "isOpenInNewWindow": false},
             "greetingMessage": "Sorry, we are offline. Leave a message and we will get back to you.",
             "header": {"isShowTeamName": false, "isShowAvatar": false, "teamName": ""}, "fieldLayout": "vertical"}
            """)
        form.fields = FormFields.defaults(.offlineMessage)
        return form
    }

    func merged(_ stored: LiveChatOfflineMessageSettings, with patch: JSONValue) throws -> LiveChatOfflineMessageSettings {
        try FormFields.merged(stored, with: patch, form: .offlineMessage)
    }

    func validated(_ setting: LiveChatOfflineMessageSettings, in request: ConfigurationRequest) async throws -> LiveChatOfflineMessageSettings {
        var form = setting
        if try Validation.required(form.isUseOwnPage, "isUseOwnPage") {
            try Validation.webURL(try Validation.required(form.page?.url, "page.url"), "page.url")
        }
        form.fields = try FormFields.validated(form.fields ?? [], form: .offlineMessage)
        return form
    }
}

/// `/campaigns/{id}/agentWrapup`: a bare array of fields.
struct AgentWrapupRules: CampaignSettingRules {
    static let kind = "agentWrapup"
    var kind: String { Self.kind }
    let title = "Agent wrap-up form"
    let takesArray = true

    func defaultValue(in request: ConfigurationRequest) async throws -> [LiveChatField] { FormFields.defaults(.agentWrapup) }

    func merged(_ stored: [LiveChatField], with patch: JSONValue) throws -> [LiveChatField] {
        try FormFields.applying(patch, to: stored, form: .agentWrapup, field: "agentWrapup")
    }

    func validated(_ setting: [LiveChatField], in request: ConfigurationRequest) async throws -> [LiveChatField] {
        try FormFields.validated(setting, form: .agentWrapup, field: "agentWrapup")
    }
}

/// The invitation style, half of `/campaigns/{id}/invitation`.
struct InvitationStyleRules: CampaignSettingRules {
    static let kind = "invitation"
    var kind: String { Self.kind }
    let title = "Invitation"

    /// Stored alone; ``InvitationController`` adds the auto and manual invitations.
    struct Style: Codable, Sendable, Equatable {
        var style: LiveChatInvitation.Style?
    }

    func defaultValue(in request: ConfigurationRequest) async throws -> Style { Style(style: .popup) }

    func validated(_ setting: Style, in request: ConfigurationRequest) async throws -> Style {
        _ = try Validation.required(setting.style, "style")
        return setting
    }
}

/// `/campaigns/{id}/invitation/manualInvitation`: the window an agent's manual invitation opens.
struct ManualInvitationRules: CampaignSettingRules {
    static let kind = "manualInvitation"
    var kind: String { Self.kind }
    let title = "Manual invitation"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatInvitationWindow { Self.defaultWindow }

    static let defaultWindow: LiveChatInvitationWindow = pinned("""
        {"message": {"content": "Hello, how may I help you?", "font": "Arial", "bold": false, "fontsize": "14px", "italic": false, "color": "#333333"},
         "popup": {"position": "centered", "imageType": "gallery", "imageId": 0,
                   "messageFrame": {"x": 20, "y": 20, "width": 260, "height": 80}, "closeFrame": {"x": 280, "y": 4, "width": 16, "height": 16}}}
        """)

    func validated(_ setting: LiveChatInvitationWindow, in request: ConfigurationRequest) async throws -> LiveChatInvitationWindow { setting }
}

/// `/campaigns/{id}/language`: the catalogue in the campaign's language, where only `currentText` changes.
struct CampaignLanguageRules: CampaignSettingRules {
    static let kind = "language"
    var kind: String { Self.kind }
    let title = "Campaign language"
    let store: any ConfigurationRepository

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatCampaignLanguage {
        var language = LiveChatCampaignLanguage()
        language.isUseDefaultLanguageText = true
        language.isRTL = LanguageCatalogue.rightToLeft.contains(try await self.campaignLanguage(in: request))
        language.languageTexts = []
        return language
    }

    /// Texts are matched by category and name; those the body leaves out keep their text.
    func merged(_ stored: LiveChatCampaignLanguage, with patch: JSONValue) throws -> LiveChatCampaignLanguage {
        var language = try JSONValue(encoding: stored).merging(patch.removing("languageTexts")).decode(as: LiveChatCampaignLanguage.self)
        guard let texts = patch.object?["languageTexts"] else { return language }
        var merged = stored.languageTexts ?? []
        for (index, text) in try texts.decode(as: [LiveChatLanguageText].self).enumerated() {
            let category = try Validation.required(text.category, "languageTexts[\(index)].category")
            let name = try Validation.required(text.name, "languageTexts[\(index)].name")
            guard let entry = LanguageCatalogue.entry(category: category, name: name) else {
                throw Validation.invalid("languageTexts[\(index)]", "The catalogue has no text '\(name)' in category \(category.rawValue).")
            }
            guard let current = text.currentText else { continue }
            if let position = merged.firstIndex(where: { $0.category == category && $0.name?.lowercased() == name.lowercased() }) {
                merged[position].currentText = current
            } else {
                merged.append(LiveChatLanguageText(category: category, name: entry.name, defaultText: "", currentText: current, macros: entry.macros))
            }
        }
        language.languageTexts = merged
        return language
    }

    /// Keeps only the texts that differ from the language's defaults, so a new campaign language brings its own.
    func validated(_ setting: LiveChatCampaignLanguage, in request: ConfigurationRequest) async throws -> LiveChatCampaignLanguage {
        var language = setting
        _ = try Validation.required(language.isUseDefaultLanguageText, "isUseDefaultLanguageText")
        let defaults = LanguageCatalogue.texts(language: try await self.campaignLanguage(in: request), overrides: [:])
        language.languageTexts = (language.languageTexts ?? []).compactMap { text in
            guard let category = text.category, let name = text.name, let entry = LanguageCatalogue.entry(category: category, name: name) else { return nil }
            let defaultText = defaults.first { $0.category == category && $0.name == entry.name }?.defaultText
            guard let current = text.currentText, current != defaultText else { return nil }
            return LiveChatLanguageText(category: category, name: entry.name, defaultText: "", currentText: current, macros: entry.macros)
        }
        return language
    }

    func presented(_ setting: LiveChatCampaignLanguage, in request: ConfigurationRequest) async throws -> LiveChatCampaignLanguage {
        var language = setting
        let overrides = Dictionary(
            (setting.languageTexts ?? []).compactMap { text in text.category.map { (LanguageCatalogue.key($0, text.name ?? ""), text.currentText ?? "") } },
            uniquingKeysWith: { _, last in last }
        )
        language.languageTexts = LanguageCatalogue.texts(language: try await self.campaignLanguage(in: request), overrides: overrides)
        return language
    }

    func campaignLanguage(in request: ConfigurationRequest) async throws -> String {
        let campaign = try await self.store.item(id: request.campaignId, in: ConfigurationScope(siteId: request.siteId, kind: CampaignRules.kind))
        return (try campaign?.body.decode(as: LiveChatCampaign.self).language) ?? "English"
    }
}

import WireModels

/// `/campaigns/{id}/offlineMessage`: the offline message window.
struct OfflineMessageSettingsRules: CampaignSettingRules {
    static let kind = "offlineMessage"
    let title = "Offline message window"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatOfflineMessageSettings {
        var form: LiveChatOfflineMessageSettings = Self.pinned(
            """
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

import WireModels

/// `/campaigns/{id}/preChat` (the seed's detail section spells it `/prechat`).
struct PreChatRules: CampaignSettingRules {
    static let kind = "preChat"
    let title = "Pre-chat form"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatPreChat {
        var form: LiveChatPreChat = Self.pinned(
            """
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

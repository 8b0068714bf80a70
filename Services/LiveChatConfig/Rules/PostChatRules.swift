import WireModels

/// `/campaigns/{id}/postChat` (also `/postchat`).
struct PostChatRules: CampaignSettingRules {
    static let kind = "postChat"
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

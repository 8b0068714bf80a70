import WireModels

/// `/campaigns/{id}/agentWrapup`: a bare array of fields.
struct AgentWrapupRules: CampaignSettingRules {
    static let kind = "agentWrapup"
    let title = "Agent wrap-up form"

    func defaultValue(in request: ConfigurationRequest) async throws -> [LiveChatField] { FormFields.defaults(.agentWrapup) }

    func merged(_ stored: [LiveChatField], with patch: JSONValue) throws -> [LiveChatField] {
        try FormFields.applying(patch, to: stored, form: .agentWrapup, field: "agentWrapup")
    }

    func validated(_ setting: [LiveChatField], in request: ConfigurationRequest) async throws -> [LiveChatField] {
        try FormFields.validated(setting, form: .agentWrapup, field: "agentWrapup")
    }
}

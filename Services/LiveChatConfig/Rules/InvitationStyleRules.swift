import WireModels

/// The invitation style, half of `/campaigns/{id}/invitation`.
struct InvitationStyleRules: CampaignSettingRules {
    static let kind = "invitation"
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

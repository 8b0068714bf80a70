import WireModels

/// `/campaigns/{id}/invitation/manualInvitation`: the window an agent's manual invitation opens.
struct ManualInvitationRules: CampaignSettingRules {
    static let kind = "manualInvitation"
    let title = "Manual invitation window"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatInvitationWindow { Self.defaultWindow }

    static let defaultWindow: LiveChatInvitationWindow = pinned(
        """
        {"message": {"content": "Hello, how may I help you?", "font": "Arial", "bold": false, "fontsize": "14px", "italic": false, "color": "#333333"},
         "popup": {"position": "centered", "imageType": "gallery", "imageId": 0,
                   "messageFrame": {"x": 20, "y": 20, "width": 260, "height": 80}, "closeFrame": {"x": 280, "y": 4, "width": 16, "height": 16}}}
        """)

    func validated(_ setting: LiveChatInvitationWindow, in request: ConfigurationRequest) async throws -> LiveChatInvitationWindow { setting }
}

import WireModels

extension LiveChatAutoInvitation: LiveChatObject {}

/// `/campaigns/{id}/invitation/autoInvitations`: invitations shown when their conditions match.
struct AutoInvitationRules: ItemRules {
    static let kind = "autoInvitation"
    let title = "Auto invitation"
    let permission: String? = "Manage Campaigns"

    func validated(
        _ item: LiveChatAutoInvitation, previous: LiveChatAutoInvitation?, in request: ConfigurationRequest
    ) async throws -> LiveChatAutoInvitation {
        var invitation = item
        invitation.name = try Validation.name(invitation.name)
        invitation.isEnable = invitation.isEnable ?? true
        invitation.isPopupOnlyOneTime = invitation.isPopupOnlyOneTime ?? false
        invitation.invitationWindow = invitation.invitationWindow ?? ManualInvitationRules.defaultWindow
        _ = try VisitorConditions.compiled(invitation.conditions)
        invitation.conditions = VisitorConditions.normalized(invitation.conditions)
        return invitation
    }
}

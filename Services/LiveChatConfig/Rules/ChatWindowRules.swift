import ServiceKit
import WireModels

/// `/campaigns/{id}/chatWindow`.
struct ChatWindowRules: CampaignSettingRules {
    static let kind = "chatWindow"
    let title = "Chat window"

    func defaultValue(in request: ConfigurationRequest) async throws -> LiveChatChatWindow {
        Self.pinned(
            """
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
            try Validation.atLeast(
                try Validation.required(setting.advanced?.timeAutoEndChatWhenVisitorInactivity, "advanced.timeAutoEndChatWhenVisitorInactivity"), 1,
                "advanced.timeAutoEndChatWhenVisitorInactivity")
        }
        if setting.advanced?.isAutoSendTranscriptToEmail == true {
            try Validation.emailList(
                try Validation.required(setting.advanced?.transcriptEmailAddress, "advanced.transcriptEmailAddress"),
                "advanced.transcriptEmailAddress")
        }
        if let from = setting.options?.email?.fromEmail, !from.isEmpty, !Validation.isEmail(from) {
            throw ServiceError.invalid("options.email.fromEmail", "Parameter 'options.email.fromEmail' must be an email address.")
        }
        return setting
    }
}

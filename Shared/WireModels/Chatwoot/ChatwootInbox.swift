/// An inbox (swagger `inbox`, Chatwoot's `_inbox` partial): the inbox's options and its channel's fields; members a
/// channel type does not have are absent.
public struct ChatwootInbox: Codable, Sendable, Equatable {
    /// One day of the inbox's working hours.
    public struct WorkingHour: Codable, Sendable, Equatable {
        public var dayOfWeek: Int
        public var closedAllDay: Bool
        public var openHour: Int?
        public var openMinutes: Int?
        public var closeHour: Int?
        public var closeMinutes: Int?
        public var openAllDay: Bool

        public init(dayOfWeek: Int, closedAllDay: Bool, openHour: Int?, openMinutes: Int?, closeHour: Int?, closeMinutes: Int?, openAllDay: Bool) {
            self.dayOfWeek = dayOfWeek
            self.closedAllDay = closedAllDay
            self.openHour = openHour
            self.openMinutes = openMinutes
            self.closeHour = closeHour
            self.closeMinutes = closeMinutes
            self.openAllDay = openAllDay
        }

        enum CodingKeys: String, CodingKey {
            case dayOfWeek = "day_of_week"
            case closedAllDay = "closed_all_day"
            case openHour = "open_hour"
            case openMinutes = "open_minutes"
            case closeHour = "close_hour"
            case closeMinutes = "close_minutes"
            case openAllDay = "open_all_day"
        }
    }

    public var id: Int
    public var accountId: Int
    public var name: String
    public var channelType: String
    public var channelId: Int
    public var avatarUrl: String
    public var greetingEnabled: Bool
    public var greetingMessage: String?
    public var enableEmailCollect: Bool
    public var csatSurveyEnabled: Bool
    /// Chatwoot's `csat_config`: `{}` until set, then `display_type`, `message` and `survey_rules` (see the service's
    /// ``ChatwootCSAT``); absent on inboxes stored before it was modelled.
    public var csatConfig: JSONValue?
    public var enableAutoAssignment: Bool
    public var autoAssignmentConfig: JSONValue
    public var workingHoursEnabled: Bool
    public var outOfOfficeMessage: String?
    public var workingHours: [WorkingHour]
    public var timezone: String
    public var allowMessagesAfterResolved: Bool
    public var lockToSingleConversation: Bool
    public var senderNameType: String
    public var businessName: String?
    // Website
    public var websiteUrl: String?
    public var widgetColor: String?
    public var websiteToken: String?
    public var webWidgetScript: String?
    public var welcomeTitle: String?
    public var welcomeTagline: String?
    public var replyTime: String?
    public var selectedFeatureFlags: [String]?
    // Website and API
    public var hmacToken: String?
    public var hmacMandatory: Bool?
    // API
    public var webhookUrl: String?
    public var inboxIdentifier: String?
    public var additionalAttributes: JSONValue?
    // Telephony and messaging channels
    public var phoneNumber: String?
    public var provider: String?
    public var medium: String?
    public var messagingServiceSid: String?
    public var email: String?
    public var callbackWebhookUrl: String?

    public init(id: Int, accountId: Int, name: String, channelType: String, channelId: Int) {
        self.id = id
        self.accountId = accountId
        self.name = name
        self.channelType = channelType
        self.channelId = channelId
        self.avatarUrl = ""
        self.greetingEnabled = false
        self.enableEmailCollect = true
        self.csatSurveyEnabled = false
        self.csatConfig = .object([:])
        self.enableAutoAssignment = true
        self.autoAssignmentConfig = .object([:])
        self.workingHoursEnabled = false
        self.workingHours = []
        self.timezone = "UTC"
        self.allowMessagesAfterResolved = true
        self.lockToSingleConversation = false
        self.senderNameType = "friendly"
    }

    enum CodingKeys: String, CodingKey {
        case id, name, timezone, provider, medium, email
        case accountId = "account_id"
        case channelType = "channel_type"
        case channelId = "channel_id"
        case avatarUrl = "avatar_url"
        case greetingEnabled = "greeting_enabled"
        case greetingMessage = "greeting_message"
        case enableEmailCollect = "enable_email_collect"
        case csatSurveyEnabled = "csat_survey_enabled"
        case csatConfig = "csat_config"
        case enableAutoAssignment = "enable_auto_assignment"
        case autoAssignmentConfig = "auto_assignment_config"
        case workingHoursEnabled = "working_hours_enabled"
        case outOfOfficeMessage = "out_of_office_message"
        case workingHours = "working_hours"
        case allowMessagesAfterResolved = "allow_messages_after_resolved"
        case lockToSingleConversation = "lock_to_single_conversation"
        case senderNameType = "sender_name_type"
        case businessName = "business_name"
        case websiteUrl = "website_url"
        case widgetColor = "widget_color"
        case websiteToken = "website_token"
        case webWidgetScript = "web_widget_script"
        case welcomeTitle = "welcome_title"
        case welcomeTagline = "welcome_tagline"
        case replyTime = "reply_time"
        case selectedFeatureFlags = "selected_feature_flags"
        case hmacToken = "hmac_token"
        case hmacMandatory = "hmac_mandatory"
        case webhookUrl = "webhook_url"
        case inboxIdentifier = "inbox_identifier"
        case additionalAttributes = "additional_attributes"
        case phoneNumber = "phone_number"
        case messagingServiceSid = "messaging_service_sid"
        case callbackWebhookUrl = "callback_webhook_url"
    }
}

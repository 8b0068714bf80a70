import Hummingbird
import WireModels

// What the configuration routes answer with, written by the Comm100 dialect as they are.

// Settings documents.
extension LiveChatChatButton: ResponseEncodable {}
extension LiveChatChatWindow: ResponseEncodable {}
extension LiveChatPreChat: ResponseEncodable {}
extension LiveChatPostChat: ResponseEncodable {}
extension LiveChatOfflineMessageSettings: ResponseEncodable {}
extension LiveChatCampaignLanguage: ResponseEncodable {}
extension LiveChatRoutingRule: ResponseEncodable {}
extension LiveChatConfig: ResponseEncodable {}
extension LiveChatVisitorSSO: ResponseEncodable {}
extension LiveChatAutoAllocation: ResponseEncodable {}
extension LiveChatInvitation: ResponseEncodable {}
extension LiveChatInvitationWindow: ResponseEncodable {}
extension InvitationStyleRules.Style: ResponseEncodable {}

// Objects of the collections.
extension LiveChatCampaign: ResponseEncodable {}
extension LiveChatInstallationCode: ResponseEncodable {}
extension LiveChatCustomRule: ResponseEncodable {}
extension LiveChatAutoInvitation: ResponseEncodable {}
extension LiveChatCannedMessage: ResponseEncodable {}
extension LiveChatCannedMessageCategory: ResponseEncodable {}
extension LiveChatDepartment: ResponseEncodable {}
extension LiveChatConversionAction: ResponseEncodable {}
extension LiveChatVisitorSegment: ResponseEncodable {}
extension LiveChatSecureForm: ResponseEncodable {}
extension LiveChatWebhook: ResponseEncodable {}
extension LiveChatCustomVariable: ResponseEncodable {}

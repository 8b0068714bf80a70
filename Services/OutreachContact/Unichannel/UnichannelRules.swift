import Carriers
import Foundation
import ServiceKit
import WireModels

/// The permissions the Outbound Unichannel checks (decision 167); administrators hold both.
enum UnichannelPermission {
    /// Creating, reading, changing and deleting channel accounts, and seeing callback deliveries.
    static let channelAccounts = "Manage Channel Accounts"
    /// `POST /outboundunichannel/messages/` and reading outbound messages.
    static let send = "Send Outbound Messages"
}

/// Where the unichannel's routes live.
enum UnichannelRoutes {
    static let prefix = "/outboundunichannel"
}

/// What the Outbound Unichannel accepts (spec §5.5; decisions 168, 169).
enum UnichannelRules {
    /// The longest message text: Twilio's and Telnyx's limit for one message (ten concatenated segments and more).
    /// Counted in UTF-16 code units, as carriers count (an emoji is two; decision 214).
    static let maxMessageCharacters = 1600
    static let maxAttachments = 10
    /// The longest URL (attachments, `callbackURL`) and attachment name, in UTF-16 code units.
    static let maxURLLength = 2048
    static let maxAttachmentName = 255
    static let attachmentTypes: Set<String> = ["video", "audio", "image", "file"]

    /// An SMS destination (spec §5.5: `^\+?[0-9]{3,15}$`).
    static func isPhoneNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return (3...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A sender number in E.164 (`+` and 2–15 digits, no leading 0).
    static func isE164(_ text: String) -> Bool {
        guard text.hasPrefix("+"), let first = text.dropFirst().first, first != "0" else { return false }
        let digits = text.dropFirst()
        return (2...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A Twilio Messaging Service SID (`MG` and 32 hex digits), which Twilio accepts in place of a `From` number.
    static func isMessagingServiceSID(_ text: String) -> Bool {
        text.count == 34 && text.hasPrefix("MG") && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// An absolute http(s) URL.
    static func webURL(_ text: String, _ field: String) throws -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard value.utf16.count <= Self.maxURLLength else {
            throw ServiceError.invalid(field, "Parameter '\(field)' may have at most \(Self.maxURLLength) characters.")
        }
        guard let url = URL(string: value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw ServiceError.invalid(field, "Parameter '\(field)' must be an absolute http or https URL.")
        }
        return value
    }

    /// A GUID member, canonical; nil when absent or empty.
    static func guid(_ text: String?, _ field: String) throws -> UUID? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw ServiceError.invalid(field, "Parameter '\(field)' must be a GUID, not '\(text.prefix(64))'.")
        }
        return id
    }

    /// A carrier's name (`twilio`, `telnyxsms`), in any case.
    static func carrier(_ text: String, _ field: String) throws -> CarrierKind {
        guard let kind = CarrierKind(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ServiceError.invalid(
                field,
                "Parameter '\(field)' must be one of \(CarrierKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text.prefix(64))'.")
        }
        return kind
    }

    /// The send request of `POST /outboundunichannel/messages/`, checked (400 naming the first wrong member).
    static func sendRequest(_ input: Comm100OutboundMessageInput) throws -> (OutboundSendRequest, [Comm100Attachment]) {
        guard let account = try Self.guid(input.channelAccountId, "channelAccountId") else { throw ServiceError.missing("channelAccountId") }
        let carrier = try input.channelCarrier.flatMap { $0.isEmpty ? nil : try Self.carrier($0, "channelCarrier") }
        let contact = try Self.guid(input.contactId, "contactId")
        guard let to = input.to?.trimmingCharacters(in: .whitespaces), !to.isEmpty else { throw ServiceError.missing("to") }
        guard Self.isPhoneNumber(to) else {
            throw ServiceError.invalid("to", "Parameter 'to' must be a phone number: an optional '+' and 3 to 15 digits.")
        }
        guard let message = input.message, !message.isEmpty else { throw ServiceError.missing("message") }
        guard message.utf16.count <= Self.maxMessageCharacters else {
            throw ServiceError.invalid("message", "Parameter 'message' may have at most \(Self.maxMessageCharacters) characters.")
        }
        let attachments = input.attachments ?? []
        guard attachments.count <= Self.maxAttachments else {
            throw ServiceError.invalid("attachments", "At most \(Self.maxAttachments) attachments may be sent.")
        }
        var checked: [Comm100Attachment] = []
        for (index, attachment) in attachments.enumerated() {
            var attachment = attachment
            attachment.type = attachment.type.trimmingCharacters(in: .whitespaces).lowercased()
            guard Self.attachmentTypes.contains(attachment.type) else {
                throw ServiceError.invalid(
                    "attachments[\(index)].type", "Parameter 'attachments[\(index)].type' must be one of audio, file, image, video.")
            }
            attachment.url = try Self.webURL(attachment.url, "attachments[\(index)].url")
            if let name = attachment.name, name.utf16.count > Self.maxAttachmentName {
                throw ServiceError.invalid(
                    "attachments[\(index)].name", "Parameter 'attachments[\(index)].name' may have at most \(Self.maxAttachmentName) characters.")
            }
            if let size = attachment.size, size < 0 {
                throw ServiceError.invalid("attachments[\(index)].size", "Parameter 'attachments[\(index)].size' must not be negative.")
            }
            checked.append(attachment)
        }
        let callback = try input.callbackURL.flatMap { $0.isEmpty ? nil : try Self.webURL($0, "callbackURL") }
        return (
            OutboundSendRequest(channelAccountID: account, carrier: carrier, contactID: contact, to: to, message: message, callbackURL: callback),
            checked
        )
    }

    /// A new channel account from `input`, or `current` changed by it (members left out keep their value).
    static func channelAccount(
        _ input: Comm100ChannelAccountInput, current: ChannelAccountRecord?, id: String, site: String, now: Int64
    ) throws -> ChannelAccountRecord {
        if let given = input.id, !given.isEmpty, UUID(uuidString: given)?.uuidString.lowercased() != id {
            throw ServiceError.invalid("id", "Parameter 'id' must be the id in the path.")
        }
        guard let name = (input.name ?? current?.name)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw ServiceError.missing("name")
        }
        guard name.utf16.count <= 200 else { throw ServiceError.invalid("name", "Parameter 'name' may have at most 200 characters.") }
        let channel = (input.channel ?? current?.channel ?? "sms").trimmingCharacters(in: .whitespaces).lowercased()
        guard channel == "sms" else { throw ServiceError.invalid("channel", "Parameter 'channel' must be 'sms', the one channel carriers serve.") }
        guard let carrierName = input.carrier ?? current?.carrier.rawValue else { throw ServiceError.missing("carrier") }
        let carrier = try Self.carrier(carrierName, "carrier")
        guard let from = (input.from ?? current?.from)?.trimmingCharacters(in: .whitespaces), !from.isEmpty else {
            throw ServiceError.missing("from")
        }
        guard Self.isE164(from) || (carrier == .twilio && Self.isMessagingServiceSID(from)) else {
            throw ServiceError.invalid(
                "from",
                "Parameter 'from' must be an E.164 number ('+' and up to 15 digits)"
                    + (carrier == .twilio ? " or a Twilio Messaging Service SID." : "."))
        }
        // Credentials: members given replace, members left out stay, unless the carrier changes (they are the old carrier's).
        var credentials = current?.carrier == carrier ? current?.credentials ?? CarrierCredentials() : CarrierCredentials()
        if let given = input.credentials {
            let keep = { (new: String?, old: String?) in new.map { $0.trimmingCharacters(in: .whitespaces) } ?? old }
            credentials.accountSID = keep(given.accountSID, credentials.accountSID)
            credentials.authToken = keep(given.authToken, credentials.authToken)
            credentials.apiKey = keep(given.apiKey, credentials.apiKey)
            credentials.messagingProfileID = keep(given.messagingProfileID, credentials.messagingProfileID)
            credentials.webhookPublicKey = keep(given.webhookPublicKey, credentials.webhookPublicKey)
        }
        if let member = credentials.missingMember(for: carrier) {
            throw ServiceError.invalid("credentials.\(member)", "Parameter 'credentials.\(member)' is required for \(carrier.displayName).")
        }
        if carrier == .telnyxsms, let key = credentials.webhookPublicKey, Data(base64Encoded: key)?.count != 32 {
            throw ServiceError.invalid(
                "credentials.webhookPublicKey", "Parameter 'credentials.webhookPublicKey' must be the base64 of a 32-byte Ed25519 public key.")
        }
        var secret = input.callbackSecret?.trimmingCharacters(in: .whitespaces) ?? ""
        if secret.isEmpty { secret = current?.callbackSecret ?? Self.newSecret() }
        guard secret.utf16.count <= 200 else {
            throw ServiceError.invalid("callbackSecret", "Parameter 'callbackSecret' may have at most 200 characters.")
        }
        return ChannelAccountRecord(
            id: id, site: site, name: name, channel: channel, carrier: carrier, from: from, credentials: credentials, callbackSecret: secret,
            createTime: current?.createTime ?? now, lastUpdatedTime: now)
    }

    /// A Standard Webhooks signing secret.
    static func newSecret() -> String {
        "whsec_" + Data((0..<24).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
    }
}

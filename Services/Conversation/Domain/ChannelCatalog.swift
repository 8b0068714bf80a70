import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// How `GET /channels` shows the channels of decision 197 (spec §5.20, decision 229): the catalog the reply rules
/// already check, with each channel's name, contact identity type, display and icon.
extension AnytimeChannel {
    var info: AnytimeChannelInfo {
        let (name, identity, display): (String, String, AnytimeMessageDisplayType) =
            switch self.id {
            case "email": ("Email", "email", .emailView)
            case "helpDesk": ("Help Desk", "email", .emailView)
            case "facebook": ("Facebook", "facebook", .treeView)
            case "twitter": ("Twitter", "twitter", .flatView)
            default: ("SMS", "phone", .flatView)
            }
        // Content types in the order of the enum, so the list is stable.
        let capability = AnytimeContentType.allCases.filter { self.capabilities.contains($0) }
        return AnytimeChannelInfo(
            id: self.id, name: name, contactIdentityType: identity, icon: "icons/channels/\(self.id).svg", messageDisplayType: display,
            messageMaxLength: self.messageMaxLength, messageCapability: capability, isSupportReplyWithDiffAccount: self.repliesFromAnyAccount,
            isSupportDirectlyReply: true)
    }
}

/// A channel account's members as a request gives them (bare or wrapped, spec §6 CH1), checked.
enum ChannelAccountRules {
    static let nameLimit = 256

    /// The name: required, trimmed, at most 256 characters.
    static func name(_ text: String?) throws -> String {
        guard let name = text?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { throw ServiceError.missing("name") }
        return try AnytimeLimits.bounded(name, "name", limit: Self.nameLimit)
    }

    /// 409 naming `name` when the channel already has an account of that name (any case) other than `except`.
    static func checkFree(_ name: String, channel: String, site: String, except: String? = nil, tx: Tx) async throws {
        if let other = try await tx.settings.channelAccount(named: name.lowercased(), channel: channel, site: site), other.id != except {
            throw ServiceError(.conflict, message: "The \(channel) channel already has an account named '\(other.name)'.", field: "name")
        }
    }
}

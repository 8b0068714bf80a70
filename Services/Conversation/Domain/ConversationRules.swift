import Foundation
import ServiceKit
import WireModels

/// The bounds every Anytime input is checked against (decision 196): over them is a 400 naming the member.
enum AnytimeLimits {
    static let subject = 1000
    static let id = 64
    static let text = 65_536
    static let contents = 50
    static let tagIds = 50
    static let mentions = 50
    static let batch = 1000

    static func shortened(_ text: String) -> String { text.count > 40 ? String(text.prefix(40)) + "…" : text }

    /// `text` trimmed; 400 naming `member` when longer than `limit`.
    static func bounded(_ text: String, _ member: String, limit: Int) throws -> String {
        guard text.count <= limit else { throw ServiceError.invalid(member, "Field '\(member)' may hold at most \(limit) characters.") }
        return text
    }

    /// An id member: trimmed, nil when empty, at most 64 characters.
    static func id(_ text: String?, _ member: String) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return try Self.bounded(text, member, limit: Self.id)
    }
}

/// A channel as the Anytime API knows it (spec §5.20, decision 197): the seeded channels with the capabilities the
/// reply rules of §5.9 check.
struct AnytimeChannel: Sendable {
    var id: String
    var messageMaxLength: Int
    var capabilities: Set<AnytimeContentType>
    /// Whether a reply may leave from another account than the one the contact last wrote to.
    var repliesFromAnyAccount = false

    static let all: [AnytimeChannel] = [
        AnytimeChannel(id: "email", messageMaxLength: 65_536, capabilities: [.text, .htmlText, .file, .picture], repliesFromAnyAccount: true),
        AnytimeChannel(id: "helpDesk", messageMaxLength: 65_536, capabilities: [.text, .htmlText, .file, .picture], repliesFromAnyAccount: true),
        AnytimeChannel(id: "facebook", messageMaxLength: 2000, capabilities: [.text, .picture, .file, .video, .audio]),
        AnytimeChannel(id: "twitter", messageMaxLength: 280, capabilities: [.text, .picture]),
        AnytimeChannel(id: "sms", messageMaxLength: 1600, capabilities: [.text, .picture]),
    ]

    /// The channel `text` names, in any case; 400 naming `member` when there is none.
    static func named(_ text: String?, member: String) throws -> AnytimeChannel {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { throw ServiceError.missing(member) }
        guard let channel = Self.all.first(where: { $0.id.lowercased() == text.lowercased() }) else {
            throw ServiceError.invalid(
                member,
                "Field '\(member)' must name a channel (\(Self.all.map(\.id).joined(separator: ", "))), not '\(AnytimeLimits.shortened(text))'.")
        }
        return channel
    }
}

/// A message's contents checked against its channel (spec §5.9): at most 50, each of a type the channel sends, their
/// text within the channel's `messageMaxLength`; each gets its id.
enum ContentRules {
    static func contents(_ inputs: [AnytimeContentInput]?, channel: AnytimeChannel, member: String, sending: Bool) throws -> [AnytimeContent] {
        let inputs = inputs ?? []
        guard inputs.count <= AnytimeLimits.contents else {
            throw ServiceError.invalid(member, "Field '\(member)' may hold at most \(AnytimeLimits.contents) contents.")
        }
        var total = 0
        var contents: [AnytimeContent] = []
        for (index, input) in inputs.enumerated() {
            let path = "\(member)[\(index)]"
            guard let type = input.type else { throw ServiceError.missing("\(path).type") }
            if sending, !channel.capabilities.contains(type) {
                throw ServiceError.invalid(
                    "\(path).type", "Field '\(path).type' is '\(type.rawValue)', which the \(channel.id) channel cannot send.")
            }
            func text(_ value: String?, _ name: String, limit: Int = AnytimeLimits.text) throws -> String? {
                try value.map { try AnytimeLimits.bounded($0, "\(path).\(name)", limit: limit) }
            }
            let content = AnytimeContent(
                id: UUID().uuidString.lowercased(), type: type, text: try text(input.text, "text"), htmlText: try text(input.htmlText, "htmlText"),
                name: try text(input.name, "name", limit: 1000), url: try text(input.url, "url", limit: 2048),
                title: try text(input.title, "title", limit: 1000), latitude: try text(input.latitude, "latitude", limit: 64),
                longitude: try text(input.longitude, "longitude", limit: 64), scale: try text(input.scale, "scale", limit: 64),
                desc: try text(input.desc, "desc"))
            total += (content.text ?? "").count + (content.htmlText ?? "").count
            contents.append(content)
        }
        if sending, total > channel.messageMaxLength {
            throw ServiceError.invalid(
                member, "Field '\(member)' holds \(total) characters of text; the \(channel.id) channel sends at most \(channel.messageMaxLength).")
        }
        return contents
    }
}

/// Tag ids as `tagIds` gives them: trimmed, unique, at most 50 of at most 64 characters.
enum TagRules {
    static func tags(_ given: [String]) throws -> [String] {
        guard given.count <= AnytimeLimits.tagIds else {
            throw ServiceError.invalid("tagIds", "Field 'tagIds' may hold at most \(AnytimeLimits.tagIds) ids.")
        }
        var tags: [String] = []
        for (index, text) in given.enumerated() {
            guard let id = try AnytimeLimits.id(text, "tagIds[\(index)]") else {
                throw ServiceError.invalid("tagIds[\(index)]", "Tag ids cannot be empty.")
            }
            if !tags.contains(id) { tags.append(id) }
        }
        return tags
    }
}

import Foundation
import ServiceKit
import WireModels

/// A configuration object with an id the service assigns, and a name.
protocol LiveChatObject: Codable, Sendable, Equatable {
    var id: Int? { get set }
    var name: String? { get }
}

/// Where a configuration request applies and for whom: the site, the campaign for campaign settings (0 otherwise)
/// and the signed-in agent, whose private objects it sees (0 for a visitor or a principal without a numeric id).
struct ConfigurationRequest: Sendable {
    var site: Site
    var campaignId: Int = 0
    var agentId: Int = 0

    var siteId: String { self.site.id }

    func scope(_ kind: String) -> ConfigurationScope {
        ConfigurationScope(siteId: self.site.id, campaignId: self.campaignId, kind: kind)
    }

    /// The site's own scope of `kind`, whatever the campaign (campaigns, departments).
    func siteScope(_ kind: String) -> ConfigurationScope {
        ConfigurationScope(siteId: self.site.id, kind: kind)
    }
}

/// Rules whose objects have names unique in their scope, ignoring case (a clash is a 409).
protocol UniquelyNamed {}

/// What a list of configuration objects does beyond storing them: its name, its checks and what follows a
/// write. ``ItemCollectionController`` serves any of them.
protocol ItemRules: Sendable {
    associatedtype Item: LiveChatObject
    /// The storage kind.
    static var kind: String { get }
    /// The object's name in messages (`Canned message`).
    var title: String { get }
    /// The permission the seed names for the section; nil for none.
    var permission: String? { get }
    /// Applies a PUT body to the stored object; by default a JSON merge patch (spec note §2.2).
    func merged(_ stored: Item, with patch: JSONValue) throws -> Item
    /// Checks a new or updated object and fills its defaults; throws a 400 naming the field.
    func validated(_ item: Item, previous: Item?, in request: ConfigurationRequest) async throws -> Item
    /// Whether some objects belong to their creator alone, who needs no permission for them.
    var hasPrivateItems: Bool { get }
    /// Whether only its creator may see and change it.
    func isPrivate(_ item: Item) -> Bool
    /// Adds what is stored elsewhere (department members) before answering.
    func presented(_ item: Item, in request: ConfigurationRequest) async throws -> Item
    /// Runs after a write (membership, cascades).
    func didSave(_ item: Item, in request: ConfigurationRequest) async throws
    /// Runs before a delete; throws to refuse it.
    func willDelete(_ item: Item, in request: ConfigurationRequest) async throws
}

extension ItemRules {
    var kind: String { Self.kind }
    func merged(_ stored: Item, with patch: JSONValue) throws -> Item {
        var item = try JSONValue(encoding: stored).merging(patch).decode(as: Item.self)
        item.id = stored.id
        return item
    }
    var hasPrivateItems: Bool { false }
    func isPrivate(_ item: Item) -> Bool { false }
    func presented(_ item: Item, in request: ConfigurationRequest) async throws -> Item { item }
    func didSave(_ item: Item, in request: ConfigurationRequest) async throws {}
    func willDelete(_ item: Item, in request: ConfigurationRequest) async throws {}
}

/// What a one-per-scope settings document does beyond storing it.
protocol SettingRules: Sendable {
    associatedtype Setting: Codable & Sendable & Equatable
    static var kind: String { get }
    var title: String { get }
    var permission: String? { get }
    /// The document before anybody changes it.
    func defaultValue(in request: ConfigurationRequest) async throws -> Setting
    func normalized(_ body: JSONValue) -> JSONValue
    func merged(_ stored: Setting, with patch: JSONValue) throws -> Setting
    func validated(_ setting: Setting, in request: ConfigurationRequest) async throws -> Setting
    /// Adds what is stored elsewhere (the routing's custom rules, the SSO's campaign options).
    func presented(_ setting: Setting, in request: ConfigurationRequest) async throws -> Setting
    func didSave(_ setting: Setting, in request: ConfigurationRequest) async throws
}

extension SettingRules {
    var kind: String { Self.kind }

    /// Decodes a default from the JSON the defaults are pinned in.
    static func pinned<T: Decodable>(_ json: String) -> T {
        // The literals are part of the source; a typo fails every settings test at once.
        try! JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
    func normalized(_ body: JSONValue) -> JSONValue { body }
    func merged(_ stored: Setting, with patch: JSONValue) throws -> Setting {
        try JSONValue(encoding: stored).merging(patch).decode(as: Setting.self)
    }
    func presented(_ setting: Setting, in request: ConfigurationRequest) async throws -> Setting { setting }
    func didSave(_ setting: Setting, in request: ConfigurationRequest) async throws {}
}

extension JSONValue {
    /// Renames a member of the object at `path` (an input alias such as `backgroundImageId`), keeping the
    /// canonical member when both are sent.
    func renaming(_ alias: String, to name: String, at path: [String] = []) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let first = path.first {
            if let inner = members[first] { members[first] = inner.renaming(alias, to: name, at: Array(path.dropFirst())) }
        } else if let value = members.removeValue(forKey: alias), members[name] == nil {
            members[name] = value
        }
        return .object(members)
    }

    /// The object without the members a client may not set.
    func removing(_ names: String...) -> JSONValue {
        guard case .object(var members) = self else { return self }
        for name in names { members[name] = nil }
        return .object(members)
    }
}

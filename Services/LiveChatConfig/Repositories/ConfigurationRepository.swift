import WireModels

/// Where configuration documents live: a site, a campaign of it (0: the site itself) and the kind of object.
struct ConfigurationScope: Sendable, Hashable {
    var siteId: String
    var campaignId: Int
    var kind: String

    init(siteId: String, campaignId: Int = 0, kind: String) {
        self.siteId = siteId
        self.campaignId = campaignId
        self.kind = kind
    }
}

/// A stored configuration object: its id, the agent owning it when it is private, and its document.
struct StoredItem: Sendable {
    var id: Int
    var ownerId: Int?
    var body: JSONValue
}

extension StoredItem {
    /// The stored document as its wire model, with the id the store assigned.
    func object<Object: LiveChatObject>(as type: Object.Type) throws -> Object {
        var object = try self.body.decode(as: Object.self)
        object.id = self.id
        return object
    }
}

/// The outcome of writing an object whose name must be unique in its scope.
enum ItemWrite: Sendable, Equatable {
    case written(id: Int)
    case nameTaken
    case missing
}

/// The configuration documents of sites and campaigns: lists of objects (campaigns, departments, canned
/// messages, auto invitations...) and one-per-scope settings (chat button, auto allocation...).
protocol ConfigurationRepository: Sendable {
    /// The scope's objects in id order, leaving out other agents' private ones.
    func items(in scope: ConfigurationScope, visibleTo agentId: Int?) async throws -> [StoredItem]
    func item(id: Int, in scope: ConfigurationScope) async throws -> StoredItem?
    /// Stores a new object; `nameKey` non-nil makes the name unique in the scope.
    func insert(_ body: JSONValue, nameKey: String?, ownerId: Int?, in scope: ConfigurationScope) async throws -> ItemWrite
    func update(id: Int, _ body: JSONValue, nameKey: String?, in scope: ConfigurationScope) async throws -> ItemWrite
    func delete(id: Int, in scope: ConfigurationScope) async throws -> Bool
    /// The scope's setting document, nil before it is first written.
    func setting(in scope: ConfigurationScope) async throws -> JSONValue?
    func putSetting(_ body: JSONValue, in scope: ConfigurationScope) async throws
    /// Removes everything a campaign owns.
    func deleteCampaignDocuments(campaignId: Int, siteId: String) async throws
}

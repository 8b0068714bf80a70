import WireModels

/// A site's bans.
protocol BanRepository: Sendable {
    func bans(siteId: String) async throws -> [LiveChatBan]
    func ban(id: Int, siteId: String) async throws -> LiveChatBan?
    /// Stores a new ban and returns it with its id.
    func create(_ ban: LiveChatBan, siteId: String) async throws -> LiveChatBan
    /// Replaces a ban; false when the site has no such ban.
    func update(_ ban: LiveChatBan, siteId: String) async throws -> Bool
    func delete(id: Int, siteId: String) async throws -> Bool
}

import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeChannelInfo: ResponseEncodable {}
extension AnytimeChannelAccount: ResponseEncodable {}

/// `/api/v3/anytime/channels` and `/channelAccounts` (seed 000 L1410–L1466; spec §3.17–§3.18, §5.20; decisions 229–230).
struct ChannelController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        api.tagged("Channels").get("/channels", "List the integrated channels", returns: [AnytimeChannelInfo].self) { _, _ in
            AnytimeChannel.all.map(\.info)
        }
        let accounts = api.tagged("Channel accounts")
        let errors = [400: "Invalid channel account", 404: "Not found", 409: "Name already used on the channel"]
        accounts.get(
            "/channelAccounts", "List channel accounts", returns: [AnytimeChannelAccount].self,
            query: [QueryParameter("channelId", "Only this channel's accounts")], errors: errors, use: self.list)
        accounts.post(
            "/channelAccounts", "Add a channel account: {name, channelId}, bare or as {channelAccount: {...}}", body: AnytimeChannelAccountInput.self,
            returns: AnytimeChannelAccount.self, status: .created, errors: errors, use: self.create)
        accounts.put(
            "/channelAccounts/{id}", "Rename a channel account", body: AnytimeChannelAccountInput.self, returns: AnytimeChannelAccount.self,
            errors: errors, use: self.update)
        accounts.delete(
            "/channelAccounts/{id}", "Delete a channel account", returns: EmptyBody.self, status: .noContent, errors: errors, use: self.delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [AnytimeChannelAccount] {
        struct Parameters: Decodable { var channelId: String? }
        let site = context.site
        let text = try request.decodeQuery(as: Parameters.self).channelId?.trimmingCharacters(in: .whitespaces)
        let channel = try text.flatMap { $0.isEmpty ? nil : try AnytimeChannel.named($0, member: "channelId").id }
        return try await self.store.read { tx in try await tx.settings.channelAccounts(site: site, channel: channel).map(\.wire) }
    }

    /// The name is unique within its channel, in any case (409).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeChannelAccountInput) async throws -> AnytimeChannelAccount
    {
        let channel = try AnytimeChannel.named(input.channelId ?? input.channelAccount?.channelId, member: "channelId")
        let name = try ChannelAccountRules.name(input.name ?? input.channelAccount?.name)
        let row = ChannelAccountRow(
            id: UUID().uuidString.lowercased(), siteId: context.site, channelId: channel.id, name: name, nameKey: name.lowercased(),
            createdTime: self.store.now)
        return try await self.store.write(site: context.site, scope: "channelAccounts") { tx in
            try await ChannelAccountRules.checkFree(name, channel: channel.id, site: row.siteId, tx: tx)
            try await tx.settings.insert(row)
            return row.wire
        }
    }

    /// Only the name changes (spec §5.20); a `channelId` that differs is a 400.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeChannelAccountInput) async throws -> AnytimeChannelAccount
    {
        let (site, id) = (context.site, try Self.id(context))
        let name = try ChannelAccountRules.name(input.name ?? input.channelAccount?.name)
        let channelText = input.channelId ?? input.channelAccount?.channelId
        return try await self.store.write(site: site, scope: "channelAccounts") { tx in
            guard var row = try await tx.settings.channelAccount(id: id, site: site) else { throw ServiceError.notFound("Channel account") }
            if let channelText, try AnytimeChannel.named(channelText, member: "channelId").id != row.channelId {
                throw ServiceError.invalid("channelId", "Field 'channelId' cannot change: an account belongs to its channel.")
            }
            try await ChannelAccountRules.checkFree(name, channel: row.channelId, site: site, except: id, tx: tx)
            (row.name, row.nameKey) = (name, name.lowercased())
            try await tx.settings.update(row)
            return row.wire
        }
    }

    /// Messages that named the account keep its id (spec §6 CH4).
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id) = (context.site, try Self.id(context))
        try await self.store.write(site: site, scope: "channelAccounts") { tx in
            guard try await tx.settings.channelAccount(id: id, site: site) != nil else { throw ServiceError.notFound("Channel account") }
            try await tx.settings.deleteChannelAccount(id: id, site: site)
        }
        return EmptyBody()
    }

    /// The `{id}` path parameter, at most 64 characters (a longer one cannot name anything: 404).
    static func id(_ context: AuthenticatedContext) throws -> String {
        let text = try context.parameters.require("id")
        guard text.count <= AnytimeLimits.id else { throw ServiceError.notFound("Channel account") }
        return text
    }
}

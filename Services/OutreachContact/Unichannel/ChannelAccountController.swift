import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension Comm100ChannelAccount: ResponseEncodable {}

/// `/outboundunichannel/channelAccounts` (extension, decision 166): the site's channel accounts with their carrier
/// credentials, which are written and never read back.
struct ChannelAccountController {
    let database: Database
    let clock: WallClock
    let accounts = ChannelAccountStore()

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Channel Accounts", isExtension: true)
        let errors = [400: "Invalid channel account", 403: "Missing permission \(UnichannelPermission.channelAccounts)", 404: "Not found"]
        api.get(
            "/channelAccounts", "List the site's channel accounts, oldest first", returns: [Comm100ChannelAccount].self, errors: errors,
            use: self.list)
        api.get(
            "/channelAccounts/{id}", "Get a channel account (its credentials only as the names of those set)", returns: Comm100ChannelAccount.self,
            errors: errors, use: self.get)
        api.post(
            "/channelAccounts", "Create a channel account: a sender number and its carrier's credentials", body: Comm100ChannelAccountInput.self,
            returns: Comm100ChannelAccount.self, status: .created, errors: errors, use: self.create)
        api.put(
            "/channelAccounts/{id}", "Update a channel account (members and credential members left out keep their value)",
            body: Comm100ChannelAccountInput.self, returns: Comm100ChannelAccount.self, errors: errors, use: self.update)
        api.delete(
            "/channelAccounts/{id}", "Delete a channel account (its queued messages fail)", returns: EmptyBody.self, status: .noContent,
            errors: errors,
            use: self.delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [Comm100ChannelAccount] {
        try context.require(permission: UnichannelPermission.channelAccounts)
        let site = context.site
        return try await self.database.read { tx in try await self.accounts.records(site: site, in: tx) }.map(\.wire)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100ChannelAccount {
        try context.require(permission: UnichannelPermission.channelAccounts)
        let (site, id) = (context.site, try context.guid())
        return try await self.database.read { tx in try await self.existing(id, site: site, in: tx) }.wire
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Comm100ChannelAccountInput) async throws -> Comm100ChannelAccount
    {
        try context.require(permission: UnichannelPermission.channelAccounts)
        let site = context.site
        let record = try UnichannelRules.channelAccount(input, current: nil, id: ContactIDs.make(), site: site, now: self.clock.milliseconds())
        try await self.database.transaction { tx in try await self.accounts.insert(record, in: tx) }
        return record.wire
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Comm100ChannelAccountInput) async throws -> Comm100ChannelAccount
    {
        try context.require(permission: UnichannelPermission.channelAccounts)
        let (site, id, now) = (context.site, try context.guid(), self.clock.milliseconds())
        return try await self.database.transaction { tx in
            let current = try await self.existing(id, site: site, in: tx)
            let record = try UnichannelRules.channelAccount(input, current: current, id: id, site: site, now: now)
            try await self.accounts.update(record, in: tx)
            return record.wire
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try context.require(permission: UnichannelPermission.channelAccounts)
        let (site, id, now) = (context.site, try context.guid(), self.clock.milliseconds())
        guard try await self.database.transaction({ tx in try await self.accounts.delete(id: id, site: site, now: now, in: tx) }) else {
            throw ServiceError.notFound("Channel account")
        }
        return EmptyBody()
    }

    /// The site's account `id`; 404 when it has none (another site's is none).
    func existing(_ id: String, site: String, in tx: Tx) async throws -> ChannelAccountRecord {
        guard let record = try await self.accounts.record(id: id, site: site, in: tx) else { throw ServiceError.notFound("Channel account") }
        return record
    }
}

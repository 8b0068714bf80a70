import Foundation
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension Comm100OutreachCampaign: ResponseEncodable {}
extension Comm100OutreachCampaignPage: ResponseEncodable {}
extension Comm100OutreachCampaignRecord: ResponseEncodable {}

/// `/outreach/campaigns`: campaign definitions (seed 002 L68–L387; spec §5.1–§5.2) and their sends.
struct CampaignController {
    let database: Database
    let contacts: ContactStore
    let accounts: ChannelAccountStore
    let sender: CampaignSender
    let clock: WallClock

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Outreach campaigns")
        let errors = [400: "Invalid campaign or parameter", 403: "Missing permission \(OutreachPermission.outreach)", 404: "Not found"]
        api.get(
            "/campaigns", "List campaigns", returns: Comm100OutreachCampaignPage.self,
            query: [
                QueryParameter("channel", "sms"), QueryParameter("channelAccountId", "A channel account's id"),
                QueryParameter("pageIndex", "From 1", .integer), QueryParameter("pageSize", "10 by default, 0 for all, at most 500", .integer),
                QueryParameter("sortBy", "name (default), description, channel, channelAccountId, scheduledStartTime or id"),
                QueryParameter("sortOrder", "asc (default) or desc"),
            ], errors: errors, use: self.list)
        api.get("/campaigns/{id}", "Get a campaign", returns: Comm100OutreachCampaign.self, errors: errors, use: self.get)
        api.post(
            "/campaigns", "Create a campaign", body: Comm100OutreachCampaignInput.self, returns: Comm100OutreachCampaign.self, status: .created,
            errors: errors, use: self.create)
        api.put(
            "/campaigns/{id}", "Update a campaign (members left out keep their values; given conditions replace the list)",
            body: Comm100OutreachCampaignInput.self, returns: Comm100OutreachCampaign.self, errors: errors, use: self.update)
        api.delete(
            "/campaigns/{id}", "Delete a campaign (its scheduled send is cancelled; its records and messages stay)", returns: EmptyBody.self,
            status: .noContent, errors: errors, use: self.delete)
        api.post(
            "/campaigns/{id}:send", "Send the campaign now: a record, and one message per contact of its audience, queued before the answer",
            returns: Comm100OutreachCampaignRecord.self, errors: errors, use: self.send)
        api.tagged("Outreach campaigns", isExtension: true).get(
            "/campaigns/{id}/records", "The campaign's sends, oldest first, each with the campaign as it was (extension)",
            returns: [Comm100OutreachCampaignRecord].self, errors: errors, use: self.records)
    }

    /// The list's query parameters.
    struct ListParameters: Decodable {
        var channel: String?
        var channelAccountId: String?
        @QueryInteger var pageIndex: Int?
        @QueryInteger var pageSize: Int?
        var sortBy: String?
        var sortOrder: String?
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutreachCampaignPage {
        let parameters = try request.decodeQuery(as: ListParameters.self)
        let paging = try ContactPaging(
            pageIndex: parameters.pageIndex, pageSize: parameters.pageSize, sortBy: parameters.sortBy, sortOrder: parameters.sortOrder)
        var search = CampaignSearch(site: context.site)
        if let channel = parameters.channel, !channel.isEmpty {
            search.channel = try OutreachEnums.value(channel, of: OutreachEnums.channels, member: "channel")
        }
        if let account = parameters.channelAccountId, !account.isEmpty {
            search.channelAccountId = try OutreachEnums.guid(account, member: "channelAccountId")
        }
        let sortable: [String: any SQLExpression] = [
            "name": SQLColumn("name_key"), "description": SQLColumn("description"), "channel": SQLColumn("channel"),
            "channelAccountId": SQLColumn("channel_account_id"), "scheduledStartTime": SQLColumn("scheduled_start_time"), "id": SQLColumn("id"),
        ]
        let query = try OutreachPaging.listQuery(paging, sortable: sortable, defaultSort: SQLColumn("name_key"))
        let found = try await self.database.read { [search] tx in try await tx.campaigns.page(search, query) }
        let links = OutreachPaging.links(paging, total: found.total, request: request)
        return Comm100OutreachCampaignPage(
            campaigns: found.campaigns.map(\.wire), previousPage: links.previous, nextPage: links.next, total: found.total)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutreachCampaign {
        let (site, id) = (context.site, try context.guid())
        guard let campaign = try await self.database.read({ tx in try await tx.campaigns.campaign(id: id, site: site) }) else {
            throw ServiceError.notFound("Campaign")
        }
        return campaign.wire
    }

    @Sendable func create(
        _ request: Request, context: AuthenticatedContext, input: Comm100OutreachCampaignInput
    ) async throws
        -> Comm100OutreachCampaign
    {
        try context.require(permission: OutreachPermission.outreach)
        let (site, now) = (context.site, self.clock.milliseconds())
        try await self.contacts.prepare(site: site)
        return try await self.database.transaction { tx in
            let fields = try await tx.contactFields.fields(site: site)
            var campaign = try CampaignRules(fields: fields).created(input, id: ContactIDs.make(), now: now)
            try await self.checkAccount(campaign, site: site, tx: tx)
            campaign = try await self.sender.arm(campaign, site: site, in: tx)
            try await tx.campaigns.insert(campaign, site: site)
            return campaign.wire
        }
    }

    @Sendable func update(
        _ request: Request, context: AuthenticatedContext, input: Comm100OutreachCampaignInput
    ) async throws
        -> Comm100OutreachCampaign
    {
        try context.require(permission: OutreachPermission.outreach)
        let (site, id) = (context.site, try context.guid())
        try await self.contacts.prepare(site: site)
        return try await self.database.transaction { tx in
            guard let current = try await tx.campaigns.campaign(id: id, site: site, locked: true) else { throw ServiceError.notFound("Campaign") }
            let fields = try await tx.contactFields.fields(site: site)
            var campaign = try CampaignRules(fields: fields).updated(input, current: current)
            if campaign.channelAccountId != current.channelAccountId { try await self.checkAccount(campaign, site: site, tx: tx) }
            // An edit re-arms the schedule only when the start time changed (decision 157).
            if campaign.scheduledStartTime != current.scheduledStartTime { campaign = try await self.sender.arm(campaign, site: site, in: tx) }
            try await tx.campaigns.update(campaign, site: site)
            return campaign.wire
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try context.require(permission: OutreachPermission.outreach)
        let (site, id) = (context.site, try context.guid())
        try await self.database.transaction { tx in
            guard let campaign = try await tx.campaigns.campaign(id: id, site: site, locked: true) else { throw ServiceError.notFound("Campaign") }
            if let job = campaign.scheduledJobId { try await tx.scheduler.cancel(id: job) }
            try await tx.campaigns.delete(id: id, site: site)
        }
        return EmptyBody()
    }

    @Sendable func send(_ request: Request, context: AuthenticatedContext) async throws -> Comm100OutreachCampaignRecord {
        try context.require(permission: OutreachPermission.outreach)
        return try await self.sender.send(id: try context.guid(), site: context.site)
    }

    @Sendable func records(_ request: Request, context: AuthenticatedContext) async throws -> [Comm100OutreachCampaignRecord] {
        let (site, id) = (context.site, try context.guid())
        return try await self.database.read { tx in
            let records = try await tx.campaigns.sendRecords(campaign: id, site: site)
            if records.isEmpty, try await tx.campaigns.campaign(id: id, site: site) == nil { throw ServiceError.notFound("Campaign") }
            return records
        }
    }

    /// 400 naming `channelAccountId` unless it is one of the site's channel accounts.
    func checkAccount(_ campaign: CampaignRecord, site: String, tx: Tx) async throws {
        guard let id = UUID(uuidString: campaign.channelAccountId), try await self.accounts.channelAccount(id: id, site: site, in: tx) != nil else {
            throw ServiceError.invalid(
                "channelAccountId", "Field 'channelAccountId' names no channel account of this site: '\(campaign.channelAccountId)'.")
        }
    }
}

/// The Outreach lists' pages: the Contact API's rules (``ContactPaging``, decision 134) over each list's own sort keys.
enum OutreachPaging {
    static func listQuery(_ paging: ContactPaging, sortable: [String: any SQLExpression], defaultSort: any SQLExpression) throws -> ListQuery {
        let (index, size) = paging.pageSize == 0 ? (1, Int(Int32.max)) : (paging.pageIndex, paging.pageSize)
        do {
            return try ListQuery(
                pageIndex: index, pageSize: size, sortBy: paging.sortBy, ascending: paging.ascending, sortable: sortable,
                defaultSort: [ListQuery.SortKey(defaultSort, paging.ascending ? .ascending : .descending)])
        } catch {
            throw ServiceError.invalid(error.field, "Parameter '\(error.field)' \(error.message)")
        }
    }

    /// The links to the pages either side, as the contact list builds them.
    static func links(_ paging: ContactPaging, total: Int, request: Request) -> (previous: String?, next: String?) {
        let page = paging.page(total: total, contacts: [], request: request)
        return (page.previousPage, page.nextPage)
    }
}

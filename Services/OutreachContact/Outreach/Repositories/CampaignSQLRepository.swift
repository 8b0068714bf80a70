import Foundation
import SQLKit
import ServiceKit
import WireModels

/// What a campaign list keeps, beyond its site (seed L68–L81).
struct CampaignSearch: Sendable {
    var site: String
    var channel: String?
    var channelAccountId: String?
}

/// Outreach campaigns with their conditions, and the records of their sends.
struct CampaignSQLRepository {
    let sql: any SQLDatabase

    /// The campaign `id` of the site, or nil; `locked` (PostgreSQL's `FOR UPDATE`) in a transaction that changes it.
    func campaign(id: String, site: String, locked: Bool = false) async throws -> CampaignRecord? {
        let select = self.sql.select().column("*").from("outreach_campaigns").where("id", .equal, id).where("site_id", .equal, site)
        guard let row = try await (locked ? select.for(.update) : select).first(CampaignRow.self) else { return nil }
        return try await self.records([row]).first
    }

    /// One page of the site's campaigns and how many there are.
    func page(_ search: CampaignSearch, _ page: ListQuery) async throws -> (total: Int, campaigns: [CampaignRecord]) {
        let select = self.sql.select().column("*").from("outreach_campaigns").where("site_id", .equal, search.site)
        if let channel = search.channel { select.where("channel", .equal, channel) }
        if let account = search.channelAccountId { select.where("channel_account_id", .equal, account) }
        let found = try await page.page(select, as: CampaignRow.self)
        return (found.total, try await self.records(found.rows))
    }

    /// The campaigns of `rows` with their conditions (one more query for all of them).
    func records(_ rows: [CampaignRow]) async throws -> [CampaignRecord] {
        guard !rows.isEmpty else { return [] }
        var conditions: [ConditionRow] = []
        for start in stride(from: 0, to: rows.count, by: 500) {
            conditions += try await self.sql.select().column("*").from("outreach_campaign_conditions")
                .where("campaign_id", .in, rows[start..<min(start + 500, rows.count)].map(\.id)).orderBy("condition_order").all(ConditionRow.self)
        }
        let byCampaign = Dictionary(grouping: conditions, by: \.campaignId)
        return rows.map { $0.record(conditions: byCampaign[$0.id] ?? []) }
    }

    func insert(_ record: CampaignRecord, site: String) async throws {
        try await self.sql.insert(into: "outreach_campaigns").row(CampaignRow(record, site: site)).run()
        try await self.saveConditions(record, site: site)
    }

    func update(_ record: CampaignRecord, site: String) async throws {
        try await self.sql.update("outreach_campaigns").set(row: CampaignRow(record, site: site)).where("id", .equal, record.id)
            .where("site_id", .equal, site).run()
        try await self.sql.delete(from: "outreach_campaign_conditions").where("campaign_id", .equal, record.id).run()
        try await self.saveConditions(record, site: site)
    }

    /// Records which scheduler job will send the campaign (nil: none).
    func setScheduledJob(_ job: Int64?, campaign id: String, site: String) async throws {
        try await self.sql.update("outreach_campaigns").set("scheduled_job_id", to: job.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .where("id", .equal, id).where("site_id", .equal, site).run()
    }

    /// Removes the campaign and its conditions; its records and messages stay (spec §5.2 "Delete campaign").
    func delete(id: String, site: String) async throws {
        try await self.sql.delete(from: "outreach_campaign_conditions").where("campaign_id", .equal, id).where("site_id", .equal, site).run()
        try await self.sql.delete(from: "outreach_campaigns").where("id", .equal, id).where("site_id", .equal, site).run()
    }

    private func saveConditions(_ record: CampaignRecord, site: String) async throws {
        guard !record.conditions.isEmpty else { return }
        try await self.sql.insert(into: "outreach_campaign_conditions")
            .rows(record.conditions.map { ConditionRow($0, campaignId: record.id, site: site) }).run()
    }

    // MARK: Send records

    func insertSendRecord(_ record: Comm100OutreachCampaignRecord, sentTime: Int64, site: String) async throws {
        let snapshot = String(decoding: try JSONEncoder().encode(record.campaign), as: UTF8.self)
        try await self.sql.insert(into: "outreach_campaign_records")
            .row(SendRecordRow(id: record.id, siteId: site, campaignId: record.campaign.id, sentTime: sentTime, campaign: snapshot)).run()
    }

    /// The site's send records of a campaign, oldest first.
    func sendRecords(campaign id: String, site: String) async throws -> [Comm100OutreachCampaignRecord] {
        try await self.sql.select().column("*").from("outreach_campaign_records").where("site_id", .equal, site).where("campaign_id", .equal, id)
            .orderBy("sent_time").orderBy("id").all(SendRecordRow.self)
            .map { row in
                Comm100OutreachCampaignRecord(
                    id: row.id, sentTime: ContactTime.format(row.sentTime),
                    campaign: try JSONDecoder().decode(Comm100OutreachCampaign.self, from: Data(row.campaign.utf8)))
            }
    }
}

/// An `outreach_campaigns` row.
struct CampaignRow: Codable, Sendable {
    var id, siteId, name, nameKey, description, channel, channelAccountId, message: String
    var isAutoAttached: Bool
    var preferredTicket, attachTime, metType, logicalExpression: String
    var scheduledStartTime, scheduledJobId: Int64?
    var createTime: Int64

    init(_ record: CampaignRecord, site: String) {
        self.id = record.id
        self.siteId = site
        self.name = record.name
        self.nameKey = record.name.lowercased()
        self.description = record.description
        self.channel = record.channel
        self.channelAccountId = record.channelAccountId
        self.message = record.message
        self.isAutoAttached = record.isAutoAttached
        self.preferredTicket = record.preferredTicket
        self.attachTime = record.attachTime
        self.metType = record.metType
        self.logicalExpression = record.logicalExpression
        self.scheduledStartTime = record.scheduledStartTime
        self.scheduledJobId = record.scheduledJobId
        self.createTime = record.createTime
    }

    func record(conditions: [ConditionRow]) -> CampaignRecord {
        CampaignRecord(
            id: self.id, name: self.name, description: self.description, channel: self.channel, channelAccountId: self.channelAccountId,
            message: self.message, isAutoAttached: self.isAutoAttached, preferredTicket: self.preferredTicket, attachTime: self.attachTime,
            metType: self.metType, logicalExpression: self.logicalExpression,
            conditions: conditions.map {
                CampaignRecord.ConditionRecord(id: $0.id, fieldName: $0.fieldName, operator: $0.operator, value: $0.value, order: $0.conditionOrder)
            },
            scheduledStartTime: self.scheduledStartTime, scheduledJobId: self.scheduledJobId, createTime: self.createTime)
    }
}

/// An `outreach_campaign_conditions` row.
struct ConditionRow: Codable, Sendable {
    var id, campaignId, siteId, fieldName, `operator`, value: String
    var conditionOrder: Int

    init(_ condition: CampaignRecord.ConditionRecord, campaignId: String, site: String) {
        self.id = condition.id
        self.campaignId = campaignId
        self.siteId = site
        self.fieldName = condition.fieldName
        self.operator = condition.operator
        self.value = condition.value
        self.conditionOrder = condition.order
    }
}

/// An `outreach_campaign_records` row: the campaign as it was, as JSON.
struct SendRecordRow: Codable, Sendable {
    var id, siteId, campaignId: String
    var sentTime: Int64
    var campaign: String
}

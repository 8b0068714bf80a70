import Foundation
import SQLKit
import ServiceKit
import WireModels

/// What a contact search asks for (seed L1415–L1611); values are already validated.
struct ContactQuery: Sendable {
    /// `search`: patterns matched against source or destination, any of them.
    var addresses: [String] = []
    var startTime: String?
    var endTime: String?
    /// Full-text terms: every word (or the quoted phrase) must occur.
    var subject: [String] = []
    var body: [String] = []
    var remarks: [String] = []
    var caseId: String?
    var agentIds: [String] = []
    var queueIds: [String] = []
    /// Compared without hyphens, so a group's 32- and 36-character spellings match (notes A16).
    var contactGroupIds: [String] = []
    var fields: CMIFieldSearch?
    /// `pickable=true`: the user whose contacts these would be (rights are checked before asking).
    var pickableBy: String?
    var sort: (field: String, descending: Bool) = ("arrivalTime", true)
    var limit: Int?
}

/// Contacts of every channel, with their operative remarks.
struct ContactSQLRepository {
    let sql: any SQLDatabase

    /// Fields the any-fields search matches, by their columns.
    static let searchable: [String: String] = [
        "id": "id", "contactGroupId": "contact_group_id", "channel": "channel", "type": "type", "typeDetails": "type_details", "subtype": "subtype",
        "status": "status", "statusDetails": "status_details", "source": "source", "destination": "destination", "agentId": "agent_id",
        "agentName": "agent_name", "queueId": "queue_id", "queueName": "queue_name", "subject": "subject", "arrivalTime": "arrival_time",
        "disconnectTime": "disconnect_time",
    ]

    /// Every sortable field ("Can be sorted by any field", L1485): the stored ones, and the durations and connect time
    /// the CMI computes, computed the same way in SQL against `now` (epoch milliseconds).
    static func sortable(now: Int64) -> [String: any SQLExpression] {
        let now = SQLBind(now)
        let end = SQLFunction("COALESCE", args: SQLColumn("disconnect_ms"), now)
        func minus(_ left: any SQLExpression, _ right: String) -> any SQLExpression { SQLBinaryExpression(left, .subtract, SQLColumn(right)) }
        var fields = Self.searchable.mapValues { SQLColumn($0) as any SQLExpression }
        fields["record"] = SQLColumn("record")
        fields["script"] = SQLColumn("script")
        fields["connectTime"] = SQLColumn("connect_ms")
        fields["totalDuration"] = minus(end, "arrival_ms")
        fields["waitingDuration"] = minus(SQLFunction("COALESCE", args: SQLColumn("connect_ms"), SQLColumn("disconnect_ms"), now), "arrival_ms")
        // Zero until connected, and until disconnected, as ``ContactStatistics`` shows them.
        fields["handlingDuration"] = SQLFunction("COALESCE", args: minus(end, "connect_ms"), SQLLiteral.numeric("0"))
        fields["wrapUpTotalDuration"] = SQLFunction(
            "COALESCE", args: minus(SQLFunction("COALESCE", args: SQLColumn("wrap_up_end_ms"), now), "disconnect_ms"), SQLLiteral.numeric("0"))
        return fields
    }

    func put(_ record: CMIContactRecord) async throws {
        try await self.sql.delete(from: "contacts").where("id", .equal, record.contact.id).run()
        try await self.sql.insert(into: "contacts").row(ContactRow(record)).run()
    }

    func record(id: String) async throws -> CMIContactRecord? {
        try await self.sql.select().column("*").from("contacts").where("id", .equal, id).first(ContactRow.self)?.contactRecord
    }

    /// The contacts of a group (either spelling of its id), newest first (a transferred contact has several).
    func records(contactGroupId: String) async throws -> [CMIContactRecord] {
        try await self.sql.select().column("*").from("contacts").where(Self.groupKey, .equal, SQLBind(Self.key(contactGroupId)))
            .orderBy("arrival_time", .descending).orderBy("id").all(ContactRow.self).map(\.contactRecord)
    }

    /// One query: every filter, pickability, the sort and the limit run in the database.
    func records(matching query: ContactQuery, now: Date) async throws -> [CMIContactRecord] {
        let select = self.sql.select().column("*").from("contacts").matching(query.fields, columns: Self.searchable)
        select.where { group in
            for pattern in query.addresses {
                group.orWhere(CMILike(expression: SQLColumn("source"), pattern: pattern)).orWhere(
                    CMILike(expression: SQLColumn("destination"), pattern: pattern))
            }
            return group
        }
        // The window selects contacts that overlap it; a contact still open runs until now.
        if let start = query.startTime {
            select.where(
                SQLFunction("COALESCE", args: SQLColumn("disconnect_time"), SQLBind(CMITime.format(now))), .greaterThanOrEqual, SQLBind(start))
        }
        if let end = query.endTime { select.where("arrival_time", .lessThanOrEqual, end) }
        // Only operative contacts (emails and chats) answer a search on subject, body or remarks.
        if !(query.subject + query.body + query.remarks).isEmpty {
            select.where("channel", .in, [CMIContactChannel.email.rawValue, CMIContactChannel.chat.rawValue])
        }
        for (column, terms) in [("subject", query.subject), ("body", query.body), ("remarks", query.remarks)] {
            for term in terms { select.where(SQLLike(SQLFunction("LOWER", args: SQLColumn(column)), containing: term.lowercased())) }
        }
        if let caseId = query.caseId { select.where("case_id", .equal, caseId) }
        if !query.agentIds.isEmpty { select.where("agent_id", .in, query.agentIds) }
        if !query.queueIds.isEmpty { select.where("queue_id", .in, query.queueIds) }
        if !query.contactGroupIds.isEmpty { select.where(Self.groupKey, .in, SQLBind.group(query.contactGroupIds.map(Self.key))) }
        if let user = query.pickableBy { select.where { Self.pickable(by: user, $0) } }
        let sortable = Self.sortable(now: Int64((now.timeIntervalSince1970 * 1000).rounded()))
        return try await select.orderBy(
            sortable[query.sort.field] ?? SQLColumn("arrival_time"), query.sort.descending ? SQLDirection.descending : .ascending
        )
        .orderBy("id").limit(query.limit).all(ContactRow.self).map(\.contactRecord)
    }

    /// Sets the remarks of every contact of a group.
    func setRemarks(_ remarks: String, contactGroupId: String) async throws {
        try await self.sql.update("contacts").set("remarks", to: remarks).where(Self.groupKey, .equal, SQLBind(Self.key(contactGroupId))).run()
    }

    /// A group id without hyphens, upper-case: the form both spellings share.
    static func key(_ groupID: String) -> String { groupID.replacingOccurrences(of: "-", with: "").uppercased() }
    static let groupKey = SQLFunction("REPLACE", args: SQLColumn("contact_group_id"), SQLLiteral.string("-"), SQLLiteral.string(""))

    /// "Contact is pickable if agent has STATISTICS_DETAILS right to see the contact (queue/agent), and if agent has
    /// SERVE right to the queue. Currently phone calls can't be picked." (L1461–L1466): a queued chat or email, or an
    /// email in process that is inbound or the user's own outbound one. Rights are checked by the caller.
    static func pickable(by user: String, _ group: SQLPredicateGroupBuilder) -> SQLPredicateGroupBuilder {
        group.where("channel", .notEqual, CMIContactChannel.phone.rawValue).where("queue_id", .isNot, SQLLiteral.null).where { status in
            status.where("status", .equal, CMIContactStatus.inQueue.rawValue).orWhere { email in
                email.where("status", .equal, CMIContactStatus.inProcess.rawValue).where("channel", .equal, CMIContactChannel.email.rawValue)
                    .where { inbound in
                        inbound.where("type", .equal, CMIContactType.emailIn.rawValue).orWhere {
                            $0.where("type", .equal, CMIContactType.emailOut.rawValue).where("creator_id", .equal, user)
                        }
                    }
            }
        }
    }
}

/// A `contacts` row: the contact's members, the operative facts behind its computed fields, and its times also as
/// epoch milliseconds so durations compute (and sort) in SQL.
struct ContactRow: Codable, Sendable {
    var id, contactGroupId, typeDetails, statusDetails, source, destination, arrivalTime: String
    var channel: CMIContactChannel
    var type: CMIContactType
    var status: CMIContactStatus
    var subtype, agentId, agentName, queueId, queueName, subject, disconnectTime, connectTime, wrapUpEndTime, body, remarks, caseId,
        creatorId: String?
    var record, script: Bool?
    var requiredAgent: JSONText<CMIRequiredAgent>?
    var arrivalMs: Int64
    var disconnectMs, connectMs, wrapUpEndMs: Int64?

    init(_ r: CMIContactRecord) {
        let c = r.contact
        (self.id, self.contactGroupId, self.channel, self.type, self.typeDetails, self.subtype) = (
            c.id, c.contactGroupId, c.channel, c.type, c.typeDetails, c.subtype
        )
        (self.status, self.statusDetails, self.source, self.destination) = (c.status, c.statusDetails, c.source, c.destination)
        (self.agentId, self.agentName, self.queueId, self.queueName, self.subject) = (c.agentId, c.agentName, c.queueId, c.queueName, c.subject)
        (self.record, self.script, self.requiredAgent) = (c.record, c.script, c.requiredAgent.map(JSONText.init))
        (self.body, self.remarks, self.caseId, self.creatorId) = (r.body?.lowercased(), r.remarks, r.caseId, r.creatorId)
        (self.arrivalTime, self.disconnectTime) = (CMITime.canonical(c.arrivalTime), c.disconnectTime.map(CMITime.canonical))
        (self.connectTime, self.wrapUpEndTime) = (r.connectTime.map(CMITime.canonical), r.wrapUpEndTime.map(CMITime.canonical))
        func milliseconds(_ text: String?) -> Int64? { text.flatMap(CMITime.parse).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }
        (self.arrivalMs, self.disconnectMs) = (milliseconds(c.arrivalTime) ?? 0, milliseconds(c.disconnectTime))
        (self.connectMs, self.wrapUpEndMs) = (milliseconds(r.connectTime), milliseconds(r.wrapUpEndTime))
    }

    var contactRecord: CMIContactRecord {
        let contact = CMIContact(
            id: self.id, contactGroupId: self.contactGroupId, channel: self.channel, type: self.type, typeDetails: self.typeDetails,
            subtype: self.subtype, status: self.status, statusDetails: self.statusDetails, source: self.source, destination: self.destination,
            agentId: self.agentId, agentName: self.agentName, queueId: self.queueId, queueName: self.queueName, arrivalTime: self.arrivalTime,
            disconnectTime: self.disconnectTime, totalDuration: 0, record: self.record, script: self.script, subject: self.subject,
            requiredAgent: self.requiredAgent?.value
        )
        return CMIContactRecord(
            contact: contact, connectTime: self.connectTime, wrapUpEndTime: self.wrapUpEndTime, body: self.body, remarks: self.remarks,
            caseId: self.caseId, creatorId: self.creatorId
        )
    }
}

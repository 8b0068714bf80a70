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
    var contactGroupIds: [String] = []
    /// Any-field patterns by column.
    var fields: [(column: String, like: String)] = []
    /// Only operative contacts (emails and chats) answer a search on subject, body or remarks.
    var operativeOnly: Bool { !subject.isEmpty || !body.isEmpty || !remarks.isEmpty }
    var sortColumn = "arrival_time"
    var descending = true
    var limit: Int?
}

/// Contacts of every channel, with their operative remarks.
protocol ContactRepository: Sendable {
    func put(_ record: CMIContactRecord) async throws
    func record(id: String) async throws -> CMIContactRecord?
    /// The contacts of a group, newest first (a transferred contact has several).
    func records(contactGroupId: String) async throws -> [CMIContactRecord]
    func records(matching query: ContactQuery, now: String) async throws -> [CMIContactRecord]
    /// Sets the remarks of every contact of a group.
    func setRemarks(_ remarks: String, contactGroupId: String) async throws
}

/// ``ContactRepository`` on SQLite or PostgreSQL.
struct ContactSQLRepository: ContactRepository {
    let database: Database

    /// Searchable and sortable contact fields and their columns.
    static let columns: [String: String] = [
        "id": "id", "contactGroupId": "contact_group_id", "channel": "channel", "type": "type", "typeDetails": "type_details",
        "subtype": "subtype", "status": "status", "statusDetails": "status_details", "source": "source", "destination": "destination",
        "agentId": "agent_id", "agentName": "agent_name", "queueId": "queue_id", "queueName": "queue_name", "subject": "subject",
        "arrivalTime": "arrival_time", "disconnectTime": "disconnect_time",
    ]

    func put(_ record: CMIContactRecord) async throws {
        let contact = record.contact
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        try await self.database.withTransaction { database in
            try await database.raw("DELETE FROM contacts WHERE id = \(bind: contact.id)").run()
            try await database.raw("""
                INSERT INTO contacts (id, contact_group_id, channel, type, type_details, subtype, status, status_details, source, destination,
                    agent_id, agent_name, queue_id, queue_name, subject, arrival_time, disconnect_time, body, remarks, case_id, document)
                VALUES (\(bind: contact.id), \(bind: contact.contactGroupId), \(bind: contact.channel.rawValue), \(bind: contact.type.rawValue),
                    \(bind: contact.typeDetails), \(bind: contact.subtype), \(bind: contact.status.rawValue), \(bind: contact.statusDetails),
                    \(bind: contact.source), \(bind: contact.destination), \(bind: contact.agentId), \(bind: contact.agentName),
                    \(bind: contact.queueId), \(bind: contact.queueName), \(bind: contact.subject), \(bind: CMITime.canonical(contact.arrivalTime)),
                    \(bind: contact.disconnectTime.map(CMITime.canonical)), \(bind: record.body?.lowercased()), \(bind: record.remarks),
                    \(bind: record.caseId), \(bind: json))
                """).run()
        }
    }

    func record(id: String) async throws -> CMIContactRecord? {
        try await self.database.sql.raw("SELECT document, remarks FROM contacts WHERE id = \(bind: id)").first().map(Self.decode)
    }

    func records(contactGroupId: String) async throws -> [CMIContactRecord] {
        try await self.database.sql.raw("""
            SELECT document, remarks FROM contacts WHERE contact_group_id = \(bind: contactGroupId) ORDER BY arrival_time DESC
            """).all().map(Self.decode)
    }

    func records(matching query: ContactQuery, now: String) async throws -> [CMIContactRecord] {
        var sql = SQLQueryString("SELECT document, remarks FROM contacts WHERE 1 = 1")
        func anyOf(_ values: [String], _ clause: (inout SQLQueryString, String) -> Void) {
            guard !values.isEmpty else { return }
            sql.appendInterpolation(unsafeRaw: " AND (")
            for (index, value) in values.enumerated() {
                if index > 0 { sql.appendInterpolation(unsafeRaw: " OR ") }
                clause(&sql, value)
            }
            sql.appendInterpolation(unsafeRaw: ")")
        }
        func like(_ column: String, _ pattern: String, into sql: inout SQLQueryString) {
            sql.appendInterpolation(unsafeRaw: "LOWER(\(column)) LIKE ")
            sql.appendInterpolation(bind: pattern)
            sql.appendInterpolation(unsafeRaw: " ESCAPE '\\'")
        }
        anyOf(query.addresses) { sql, pattern in
            sql.appendInterpolation(unsafeRaw: "(")
            like("source", pattern, into: &sql)
            sql.appendInterpolation(unsafeRaw: " OR ")
            like("destination", pattern, into: &sql)
            sql.appendInterpolation(unsafeRaw: ")")
        }
        // The window selects contacts that overlap it; a contact still open runs until now.
        if let start = query.startTime {
            sql.appendInterpolation(unsafeRaw: " AND COALESCE(disconnect_time, ")
            sql.appendInterpolation(bind: now)
            sql.appendInterpolation(unsafeRaw: ") >= ")
            sql.appendInterpolation(bind: start)
        }
        if let end = query.endTime {
            sql.appendInterpolation(unsafeRaw: " AND arrival_time <= ")
            sql.appendInterpolation(bind: end)
        }
        if query.operativeOnly { sql.appendInterpolation(unsafeRaw: " AND channel IN ('EMAIL', 'CHAT')") }
        for (column, terms) in [("subject", query.subject), ("body", query.body), ("remarks", query.remarks)] {
            for term in terms {
                sql.appendInterpolation(unsafeRaw: " AND ")
                like(column, "%" + CMIFieldSearch.escapeLike(term.lowercased()) + "%", into: &sql)
            }
        }
        if let caseId = query.caseId {
            sql.appendInterpolation(unsafeRaw: " AND case_id = ")
            sql.appendInterpolation(bind: caseId)
        }
        for (column, values) in [("agent_id", query.agentIds), ("queue_id", query.queueIds), ("contact_group_id", query.contactGroupIds)] {
            anyOf(values) { sql, value in
                sql.appendInterpolation(unsafeRaw: "\(column) = ")
                sql.appendInterpolation(bind: value)
            }
        }
        for field in query.fields {
            sql.appendInterpolation(unsafeRaw: " AND ")
            like(field.column, field.like, into: &sql)
        }
        sql.appendInterpolation(unsafeRaw: " ORDER BY \(query.sortColumn) \(query.descending ? "DESC" : "ASC"), id")
        if let limit = query.limit { sql.appendInterpolation(unsafeRaw: " LIMIT \(limit)") }
        return try await self.database.sql.raw(sql).all().map(Self.decode)
    }

    func setRemarks(_ remarks: String, contactGroupId: String) async throws {
        try await self.database.sql.raw("UPDATE contacts SET remarks = \(bind: remarks) WHERE contact_group_id = \(bind: contactGroupId)").run()
    }

    /// The stored record, with the remarks column as the truth (remarks change after loading).
    static func decode(_ row: any SQLRow) throws -> CMIContactRecord {
        var record = try JSONDecoder().decode(CMIContactRecord.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
        record.remarks = try row.decode(column: "remarks", as: String?.self)
        return record
    }
}

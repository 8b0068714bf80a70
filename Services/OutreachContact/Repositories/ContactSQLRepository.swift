import Foundation
import SQLKit
import ServiceKit
import WireModels

/// What a contact list or query keeps, beyond its site: every filter runs in SQL (spec §5.8).
struct ContactSearch: Sendable {
    var site: String
    /// Lower-cased; matched in the name and in identities' ids and values.
    var keywords: String?
    /// `contactIdentityType` and `contactIdentityValue`: both must hold for the same identity.
    var identityType: Comm100IdentityType?
    var identityValue: String?
    /// The compiled filter conditions (`contacts:query`).
    var filter: (any SQLExpression)?
}

/// Contacts, their identities and their field values.
struct ContactSQLRepository {
    let sql: any SQLDatabase

    // MARK: Reading

    /// The contact `id` of the site, merged or not; nil when there is none.
    func contact(id: String, site: String) async throws -> ContactRecord? {
        guard
            let row = try await self.sql.select().column("*").from("contacts").where("id", .equal, id).where("site_id", .equal, site).first(
                ContactRow.self)
        else { return nil }
        return try await self.records([row]).first
    }

    /// The contacts of `rows`, in their order, with identities and values (two more queries for all of them).
    func records(_ rows: [ContactRow]) async throws -> [ContactRecord] {
        guard !rows.isEmpty else { return [] }
        var identities: [IdentityRow] = []
        var values: [ValueRow] = []
        // In slices: a page of "all" (`pageSize=0`) must not bind more parameters than either engine takes.
        for start in stride(from: 0, to: rows.count, by: 500) {
            let ids = rows[start..<min(start + 500, rows.count)].map(\.id)
            identities += try await self.sql.select().column("*").from("contact_identities").where("contact_id", .in, ids)
                .orderBy("sort_order").orderBy("id").all(IdentityRow.self)
            values += try await self.sql.select().column("*").from("contact_values").where("contact_id", .in, ids).all(ValueRow.self)
        }
        let identitiesByContact = Dictionary(grouping: identities, by: \.contactId)
        let valuesByContact = Dictionary(grouping: values, by: \.contactId)
        return rows.map { row in
            ContactRecord(
                id: row.id, name: row.name, createTime: row.createTime, lastUpdatedTime: row.lastUpdatedTime, mergeToContactId: row.mergeToContactId,
                identities: (identitiesByContact[row.id] ?? []).map(\.record),
                values: Dictionary(
                    (valuesByContact[row.id] ?? []).map { ($0.fieldId, StoredValue(text: $0.textValue, number: $0.numberValue, day: $0.dayValue)) },
                    uniquingKeysWith: { first, _ in first }))
        }
    }

    /// The site's contacts that are not merged into another, narrowed by `search`.
    func select(_ search: ContactSearch) -> SQLSelectBuilder {
        let contactID = SQLColumn("id", table: "contacts")
        let select = self.sql.select().column("*").from("contacts").where(SQLColumn("site_id", table: "contacts"), .equal, SQLBind(search.site))
            .where(SQLColumn("merge_to_contact_id", table: "contacts"), .is, SQLLiteral.null)
        let identity = { (name: String) in SQLColumn(name, table: "contact_identities") }
        if let keywords = search.keywords {
            select.where { group in
                group.where(SQLLike(SQLColumn("name_key", table: "contacts"), containing: keywords)).orWhere(
                    SQLExists {
                        $0.from("contact_identities").where(identity("contact_id"), .equal, contactID).where { match in
                            match.where(SQLLike(SQLFunction("LOWER", args: identity("value")), containing: keywords)).orWhere(
                                SQLLike(identity("id"), containing: keywords))
                        }
                    })
            }
        }
        if search.identityType != nil || search.identityValue != nil {
            select.where(
                SQLExists { query in
                    var narrowed = query.from("contact_identities").where(identity("contact_id"), .equal, contactID)
                    if let type = search.identityType {
                        narrowed = narrowed.where(identity("identity_type"), .equal, SQLBind(type.rawValue))
                        if let value = search.identityValue {
                            narrowed = narrowed.where(identity("value_key"), .equal, SQLBind(IdentityRules.key(value, type: type)))
                        }
                    } else if let value = search.identityValue {
                        narrowed = narrowed.where(Self.anyTypeKey(value))
                    }
                    return narrowed
                })
        }
        if let filter = search.filter { select.where(filter) }
        return select
    }

    /// One page of `search` and how many contacts it finds.
    func page(_ search: ContactSearch, _ page: ListQuery) async throws -> (total: Int, contacts: [ContactRecord]) {
        let found = try await page.page(self.select(search), as: ContactRow.self, idColumn: SQLColumn("id", table: "contacts"))
        return (found.total, try await self.records(found.rows))
    }

    /// The identity `id` of the site with its contact's id.
    func identity(id: String, site: String) async throws -> (identity: IdentityRecord, contactId: String)? {
        try await self.sql.select().column("*").from("contact_identities").where("id", .equal, id).where("site_id", .equal, site)
            .first(IdentityRow.self).map { ($0.record, $0.contactId) }
    }

    /// Identities of the site whose value is `value` (compared as uniqueness compares, decision 126), of `type` if given.
    func identities(value: String, type: Comm100IdentityType?, site: String) async throws -> [(identity: IdentityRecord, contactId: String)] {
        let select = self.sql.select().column("*").from("contact_identities").where("site_id", .equal, site)
        if let type {
            select.where("identity_type", .equal, type.rawValue).where("value_key", .equal, IdentityRules.key(value, type: type))
        } else {
            select.where(Self.anyTypeKey(value))
        }
        return try await select.orderBy("identity_type").orderBy("id").all(IdentityRow.self).map { ($0.record, $0.contactId) }
    }

    /// `value_key` equal to `value`'s key for the identity's own type (phone numbers lose their separators).
    static func anyTypeKey(_ value: String) -> any SQLExpression {
        let phoneTypes = [Comm100IdentityType.SMS.rawValue, Comm100IdentityType.whatsApp.rawValue]
        let type = SQLColumn("identity_type", table: "contact_identities")
        let key = SQLColumn("value_key", table: "contact_identities")
        let phone = SQLBinaryExpression(
            SQLBinaryExpression(type, .in, SQLBind.group(phoneTypes)), .and,
            SQLBinaryExpression(key, .equal, SQLBind(IdentityRules.key(value, type: .SMS))))
        let other = SQLBinaryExpression(
            SQLBinaryExpression(type, .notIn, SQLBind.group(phoneTypes)), .and,
            SQLBinaryExpression(key, .equal, SQLBind(IdentityRules.key(value, type: .email))))
        return SQLGroupExpression(SQLBinaryExpression(SQLGroupExpression(phone), .or, SQLGroupExpression(other)))
    }

    /// The first of `identities` another contact of the site already has, with that contact's id.
    func taken(_ identities: [IdentityRecord], except contactId: String, site: String) async throws -> (identity: IdentityRecord, owner: String)? {
        guard !identities.isEmpty else { return nil }
        let rows = try await self.sql.select().column("*").from("contact_identities").where("site_id", .equal, site)
            .where("contact_id", .notEqual, contactId)
            .where { group in
                identities.reduce(group) { group, identity in
                    group.orWhere { $0.where("identity_type", .equal, identity.type.rawValue).where("value_key", .equal, identity.key) }
                }
            }
            .all(IdentityRow.self)
        for identity in identities {
            if let row = rows.first(where: { $0.identityType == identity.type.rawValue && $0.valueKey == identity.key }) {
                return (identity, row.contactId)
            }
        }
        return nil
    }

    /// The contacts of the site holding any of `identities` (same type and key), in id order.
    func owners(of identities: [IdentityRecord], site: String) async throws -> [String] {
        guard !identities.isEmpty else { return [] }
        let rows = try await self.sql.select().column("contact_id").from("contact_identities").where("site_id", .equal, site)
            .where { group in
                identities.reduce(group) { group, identity in
                    group.orWhere { $0.where("identity_type", .equal, identity.type.rawValue).where("value_key", .equal, identity.key) }
                }
            }
            .all(OwnerRow.self)
        return Set(rows.map(\.contactId)).sorted()
    }

    /// The site's contacts among `ids` (unknown ids left out), or every contact not merged into another, oldest first.
    func exported(ids: [String]?, site: String) async throws -> [ContactRecord] {
        var rows: [ContactRow] = []
        if let ids {
            for start in stride(from: 0, to: ids.count, by: 500) {
                rows += try await self.sql.select().column("*").from("contacts").where("site_id", .equal, site)
                    .where("id", .in, Array(ids[start..<min(start + 500, ids.count)])).all(ContactRow.self)
            }
            rows.sort { ($0.createTime, $0.id) < ($1.createTime, $1.id) }
        } else {
            rows = try await self.select(ContactSearch(site: site)).orderBy(SQLColumn("create_time", table: "contacts"))
                .orderBy(SQLColumn("id", table: "contacts")).all(ContactRow.self)
        }
        return try await self.records(rows)
    }

    // MARK: Writing

    func insert(_ record: ContactRecord, site: String) async throws {
        try await self.sql.insert(into: "contacts").row(ContactRow(record, site: site)).run()
        try await self.saveParts(record, site: site)
    }

    /// Writes the contact's row, identities and values as `record` has them.
    func update(_ record: ContactRecord, site: String) async throws {
        try await self.sql.update("contacts").set(row: ContactRow(record, site: site)).where("id", .equal, record.id).where("site_id", .equal, site)
            .run()
        try await self.sql.delete(from: "contact_identities").where("contact_id", .equal, record.id).run()
        try await self.sql.delete(from: "contact_values").where("contact_id", .equal, record.id).run()
        try await self.saveParts(record, site: site)
    }

    /// Removes the site's contacts among `ids` with their identities and values; returns how many there were.
    @discardableResult
    func delete(ids: [String], site: String) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let found = try await self.sql.select().column("id").from("contacts").where("site_id", .equal, site).where("id", .in, ids)
            .all(IDText.self).map(\.id)
        guard !found.isEmpty else { return 0 }
        try await self.sql.delete(from: "contact_values").where("contact_id", .in, found).run()
        try await self.sql.delete(from: "contact_identities").where("contact_id", .in, found).run()
        try await self.sql.delete(from: "contacts").where("id", .in, found).run()
        return found.count
    }

    private func saveParts(_ record: ContactRecord, site: String) async throws {
        if !record.identities.isEmpty {
            try await self.sql.insert(into: "contact_identities")
                .rows(record.identities.enumerated().map { IdentityRow($0.element, contactId: record.id, site: site, position: $0.offset) }).run()
        }
        if !record.values.isEmpty {
            try await self.sql.insert(into: "contact_values")
                .rows(record.values.sorted { $0.key < $1.key }.map { ValueRow(contactId: record.id, fieldId: $0.key, site: site, value: $0.value) })
                .run()
        }
    }
}

/// A `contacts` row; times are epoch milliseconds, with their UTC day for conditions on dates.
struct ContactRow: Codable, Sendable {
    var id, siteId, name, nameKey: String
    var createTime, createDay, lastUpdatedTime, lastUpdatedDay: Int64
    var mergeToContactId: String?

    init(_ record: ContactRecord, site: String) {
        self.id = record.id
        self.siteId = site
        self.name = record.name
        self.nameKey = record.name.lowercased()
        self.createTime = record.createTime
        self.createDay = ContactTime.day(of: record.createTime)
        self.lastUpdatedTime = record.lastUpdatedTime
        self.lastUpdatedDay = ContactTime.day(of: record.lastUpdatedTime)
        self.mergeToContactId = record.mergeToContactId
    }
}

/// A `contact_identities` row: `value_key` is what uniqueness compares (decision 126).
struct IdentityRow: Codable, Sendable {
    var id, siteId, contactId, identityType, value, valueKey, name, avatarUrl, infoUrl, screenName, originalContactPageUrl: String
    var sortOrder: Int

    init(_ identity: IdentityRecord, contactId: String, site: String, position: Int) {
        self.id = identity.id
        self.siteId = site
        self.contactId = contactId
        self.identityType = identity.type.rawValue
        self.value = identity.value
        self.valueKey = identity.key
        self.name = identity.name
        self.avatarUrl = identity.avatarUrl
        self.infoUrl = identity.infoUrl
        self.screenName = identity.screenName
        self.originalContactPageUrl = identity.originalContactPageUrl
        self.sortOrder = position
    }

    var record: IdentityRecord {
        IdentityRecord(
            id: self.id, type: Comm100IdentityType(rawValue: self.identityType) ?? .visitor, value: self.value, name: self.name,
            avatarUrl: self.avatarUrl, infoUrl: self.infoUrl, screenName: self.screenName, originalContactPageUrl: self.originalContactPageUrl)
    }
}

/// A `contact_values` row: one field's value of one contact.
struct ValueRow: Codable, Sendable {
    var contactId, fieldId, siteId, textValue: String
    var numberValue: Double?
    var dayValue: Int64?

    init(contactId: String, fieldId: String, site: String, value: StoredValue) {
        self.contactId = contactId
        self.fieldId = fieldId
        self.siteId = site
        self.textValue = value.text
        self.numberValue = value.number
        self.dayValue = value.day
    }
}

/// A row that is one `contact_id` column.
struct OwnerRow: Codable, Sendable {
    var contactId: String
}

/// A row that is one text `id` column.
struct IDText: Codable, Sendable {
    var id: String
}

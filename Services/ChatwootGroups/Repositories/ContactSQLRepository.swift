import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Contacts on SQLite or PostgreSQL: an account's people with their inboxes (source ids) and labels; lists, search
/// and the filter payload page and count in SQL.
struct ContactSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// Chatwoot's `RESULTS_PER_PAGE`.
    static let pageSize = 15

    /// A contact row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var name: String?
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var blocked: Bool
        var avatarUrl: String?
        var additionalAttributes: String
        var customAttributes: String
        var lastActivityAt: Int64?
        var createdAt: Int64
    }

    /// A contact inbox with its inbox, as the contact payload lists it.
    struct InboxRow: Codable, Sendable {
        var contactId: Int
        var sourceId: String
        var inboxId: Int
        var name: String
        var channelType: String
        var channelId: Int
        var settings: String
    }

    /// What a create or an update sets; nil leaves a member as it is (attributes are merged into the stored ones).
    struct Changes: Sendable {
        var name: String?
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var blocked: Bool?
        var avatarUrl: String?
        var additionalAttributes: [String: JSONValue]?
        var customAttributes: [String: JSONValue]?
    }

    static let columns = [
        "id", "account_id", "name", "email", "phone_number", "identifier", "blocked", "avatar_url", "additional_attributes",
        "custom_attributes", "last_activity_at", "created_at",
    ]

    // MARK: Lists

    /// The `sort` values Chatwoot's contacts take (a leading `-` for descending): each with the key that puts
    /// missing values where PostgreSQL does (last ascending, first descending), except activity, which Chatwoot
    /// sorts `NULLS LAST` both ways.
    static func sort(_ text: String?) -> [ListQuery.SortKey] {
        guard var name = text, !name.isEmpty else { return [] }
        let descending = name.hasPrefix("-")
        if descending { name.removeFirst() }
        let direction: SQLDirection = descending ? .descending : .ascending
        let column: any SQLExpression
        switch name {
        case "name": column = SQLFunction("LOWER", args: SQLColumn("name"))
        case "email": column = SQLColumn("email")
        case "phone_number": column = SQLColumn("phone_number")
        case "created_at": column = SQLColumn("created_at")
        case "last_activity_at":
            return [
                ListQuery.SortKey(SQLBinaryExpression(SQLColumn("last_activity_at"), .is, SQLLiteral.null)),
                .init(SQLColumn("last_activity_at"), direction),
            ]
        case "company_name", "city", "country":
            column = SQLFunction("LOWER", args: ChatwootJSONMember(SQLColumn("additional_attributes"), name))
        default: return []
        }
        return [ListQuery.SortKey(SQLBinaryExpression(column, .is, SQLLiteral.null), direction), ListQuery.SortKey(column, direction)]
    }

    /// A page of the account's contacts narrowed by `predicates`, sorted by `sort`, with the total.
    func page(
        account: Int, page: Int, sort: String?, predicates: [any SQLExpression], includeInboxes: Bool
    ) async throws -> (total: Int, contacts: [ChatwootContact]) {
        var query = ListQuery(pageIndex: page, pageSize: Self.pageSize, sort: Self.sort(sort))
        query.filter(SQLBinaryExpression(SQLColumn("account_id"), .equal, SQLBind(account)))
        for predicate in predicates { query.filter(predicate) }
        let list = query
        let (total, rows) = try await self.database.read { tx in
            try await list.page(tx.sql.select().columns(Self.columns).from("contacts"), as: Row.self)
        }
        return (total, try await self.answers(rows, includeInboxes: includeInboxes))
    }

    /// Chatwoot's `resolved_contacts`: an email, a phone number or an identifier.
    static var resolved: any SQLExpression {
        ChatwootFilter.joined(
            ["email", "phone_number", "identifier"].map { SQLBinaryExpression(SQLColumn($0), .notEqual, SQLLiteral.string("")) }, .or)
    }

    /// Contacts with any of `labels` (`tagged_with(labels, any: true)`).
    static func labelled(_ labels: [String]?) -> any SQLExpression {
        SQLExists {
            let query = $0.from("contact_labels").where(SQLColumn("contact_id", table: "contact_labels"), .equal, SQLColumn("id", table: "contacts"))
            if let labels { query.where(SQLColumn("label", table: "contact_labels"), .in, SQLBind.group(labels)) }
            return query
        }
    }

    /// Chatwoot's search: name, email or phone number containing `text` in any case, the identifier containing it,
    /// or the id when `text` is a number.
    static func search(_ text: String) -> any SQLExpression {
        let wanted = text.lowercased()
        var matches: [any SQLExpression] = ["name", "email", "phone_number"].map {
            SQLLike(SQLFunction("LOWER", args: SQLColumn($0)), containing: wanted)
        }
        matches.append(SQLLike(SQLColumn("identifier"), containing: text))
        if let id = Int(text), text.allSatisfy(\.isNumber) { matches.append(SQLBinaryExpression(SQLColumn("id"), .equal, SQLBind(id))) }
        return ChatwootFilter.joined(matches, .or)
    }

    /// The contact attributes of `filter_keys.yml`, for ``ChatwootFilter``.
    static var filterAttributes: [ChatwootFilter.Attribute] {
        let text = ChatwootFilter.text
        let additional = SQLColumn("additional_attributes", table: "contacts")
        return [
            .init("name", .text(caseInsensitive: true), column: SQLColumn("name", table: "contacts"), operators: text),
            .init(
                "phone_number", .text(caseInsensitive: true), column: SQLColumn("phone_number", table: "contacts"), operators: text + ["starts_with"],
                prepare: { $0.map { "+" + $0.replacingOccurrences(of: "+", with: "") } }),
            .init("email", .text(caseInsensitive: true), column: SQLColumn("email", table: "contacts"), operators: text),
            .init("identifier", .text(caseInsensitive: true), column: SQLColumn("identifier", table: "contacts"), operators: ChatwootFilter.equality),
            .json("country_code", in: additional, operators: ChatwootFilter.equality),
            .json("city", in: additional, operators: text),
            .json("company", in: additional, operators: text),
            .init(
                "labels", .labels({ Self.labelled($0) }), column: SQLColumn("id", table: "contacts"),
                operators: ChatwootFilter.equality + ChatwootFilter.presence),
            .init("created_at", .date, column: SQLColumn("created_at", table: "contacts"), operators: ChatwootFilter.dates),
            .init("last_activity_at", .date, column: SQLColumn("last_activity_at", table: "contacts"), operators: ChatwootFilter.dates),
            .init("blocked", .boolean, column: SQLColumn("blocked", table: "contacts"), operators: ChatwootFilter.equality),
        ]
    }

    /// The account's contact custom attribute definitions (key → display type), when the definitions table exists.
    func customAttributes(account: Int) async throws -> ChatwootFilter.CustomAttributes {
        try await self.database.read { tx in
            let exists = try await Self.tableExists("custom_attribute_definitions", tx)
            guard exists else { return [:] }
            let rows = try await tx.sql.select().columns("attribute_key", "attribute_display_type").from("custom_attribute_definitions")
                .where("account_id", .equal, account).where("attribute_model", .in, SQLBind.group(["contact_attribute", "1"]))
                .all(DefinitionRow.self)
            return Dictionary(rows.map { ($0.attributeKey, $0.attributeDisplayType) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private struct DefinitionRow: Codable {
        var attributeKey: String
        var attributeDisplayType: String
    }

    private struct NameRow: Codable {
        var name: String
    }

    /// Whether `table` exists in the database's (the connection's current) schema.
    static func tableExists(_ table: String, _ tx: Tx) async throws -> Bool {
        switch tx.engine {
        case .postgres:
            return try await tx.sql.select().column("table_name", as: "name").from(SQLQualifiedTable("tables", space: "information_schema"))
                .where("table_name", .equal, table).where(SQLColumn("table_schema"), .equal, SQLFunction("current_schema")).first(NameRow.self)
                != nil
        case .sqlite:
            return try await tx.sql.select().column("name").from("sqlite_master").where("type", .equal, "table").where("name", .equal, table)
                .first(NameRow.self) != nil
        }
    }

    // MARK: One contact

    /// The account's contact, or a 404.
    func row(_ id: Int, account: Int, _ sql: any SQLDatabase) async throws -> Row {
        guard
            let row = try await sql.select().columns(Self.columns).from("contacts").where("id", .equal, id).where("account_id", .equal, account)
                .first(Row.self)
        else { throw ChatwootRows.notFound }
        return row
    }

    func get(_ id: Int, account: Int, includeInboxes: Bool = true) async throws -> ChatwootContact {
        let row = try await self.database.readStatement { sql in try await self.row(id, account: account, sql) }
        return try await self.answers([row], includeInboxes: includeInboxes)[0]
    }

    /// Creates a contact (and, with `inbox`, its contact inbox) and raises `contact_created`.
    func create(
        _ changes: Changes, account: Int, inbox: Int?, sourceID: String?
    ) async throws -> (ChatwootContact, ChatwootContactCreated.CreatedInbox) {
        let now = self.clock.milliseconds()
        let (id, created) = try await self.database.transaction { tx -> (Int, (String, Int)?) in
            let values = try Self.normalized(changes, current: nil)
            try await Self.validate(values, account: account, except: nil, tx.sql)
            let row = try await tx.sql.insert(into: "contacts")
                .columns(
                    "account_id", "name", "email", "phone_number", "identifier", "blocked", "avatar_url", "additional_attributes",
                    "custom_attributes", "created_at", "updated_at"
                )
                .values(
                    account, values.name, values.email, values.phoneNumber, values.identifier, values.blocked, values.avatarUrl,
                    try ChatwootRows.text(.object(values.additional)), try ChatwootRows.text(.object(values.custom)), now, now
                ).returning("id").first(IDRow.self)
            let id = Int(row?.id ?? 0)
            var created: (String, Int)?
            if let inbox {
                let target = try await Self.inbox(inbox, account: account, tx.sql, missing: ChatwootRows.notFound)
                let contact = try await self.row(id, account: account, tx.sql)
                created = (try await self.contactInbox(contact, target, sourceID: sourceID, now: now, tx), target.id)
            }
            try await self.publish(.contactCreated, id, account: account, changes: nil, tx)
            return (id, created)
        }
        let contact = try await self.get(id, account: account)
        let inbox = contact.contactInboxes?.first { $0.inbox.id == created?.1 && $0.sourceId == created?.0 }?.inbox
        return (contact, .init(inbox: inbox, sourceId: created?.0))
    }

    /// Changes a contact (attributes merged into the stored ones) and raises `contact_updated` with what changed.
    func update(_ id: Int, account: Int, _ changes: Changes, includeInboxes: Bool) async throws -> ChatwootContact {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let current = try await self.row(id, account: account, tx.sql)
            let values = try Self.normalized(changes, current: current)
            try await Self.validate(values, account: account, except: id, tx.sql)
            let before = try Self.snapshot(current)
            try await tx.sql.update("contacts").set("name", to: values.name).set("email", to: values.email).set(
                "phone_number", to: values.phoneNumber
            )
            .set("identifier", to: values.identifier).set("blocked", to: values.blocked).set("avatar_url", to: values.avatarUrl)
            .set("additional_attributes", to: try ChatwootRows.text(.object(values.additional)))
            .set("custom_attributes", to: try ChatwootRows.text(.object(values.custom))).set("updated_at", to: now)
            .where("id", .equal, id).run()
            let after = try Self.snapshot(try await self.row(id, account: account, tx.sql))
            let changed = after.keys.sorted().filter { before[$0] != after[$0] }.map {
                ChatwootEvents.Change($0, from: before[$0] ?? .null, to: after[$0] ?? .null)
            }
            if !changed.isEmpty { try await self.publish(.contactUpdated, id, account: account, changes: changed, tx) }
        }
        return try await self.get(id, account: account, includeInboxes: includeInboxes)
    }

    /// Removes a contact with its contact inboxes and labels.
    func delete(_ id: Int, account: Int) async throws {
        try await self.database.transaction { tx in
            _ = try await self.row(id, account: account, tx.sql)
            try await tx.sql.delete(from: "contact_labels").where("contact_id", .equal, id).run()
            try await tx.sql.delete(from: "contact_inboxes").where("contact_id", .equal, id).run()
            try await tx.sql.delete(from: "contacts").where("id", .equal, id).run()
        }
    }

    /// Chatwoot's `ContactMergeAction`: the mergee's contact inboxes move to the base, the two contacts' attributes are
    /// merged (the base's non-blank values win, hashes deep-merged) and the mergee is deleted. Each conversation that
    /// moves announces `conversation.contact_changed` on `/cable` (`Conversation#notify_status_change`, decision 366).
    func merge(base: Int, mergee: Int, account: Int, conversations: ConversationSQLRepository) async throws -> ChatwootContact {
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            let baseRow = try await self.row(base, account: account, tx.sql)
            let mergeeRow = try await self.row(mergee, account: account, tx.sql)
            guard base != mergee else { return }
            try await tx.sql.update("contact_inboxes").set("contact_id", to: base).set("updated_at", to: now).where("contact_id", .equal, mergee)
                .run()
            // Its conversations and the messages it sent go along (Chatwoot's `ContactMergeAction#merge_conversations`,
            // `merge_messages`): none is left pointing at a deleted contact.
            let moved = try await tx.sql.select().column("id").from("conversations").where("account_id", .equal, account)
                .where("contact_id", .equal, mergee).orderBy("id").all(MovedRow.self)
            try await tx.sql.update("conversations").set("contact_id", to: base).where("account_id", .equal, account)
                .where("contact_id", .equal, mergee).run()
            try await tx.sql.update("messages").set("sender_id", to: base).where("account_id", .equal, account)
                .where("sender_type", .equal, "Contact").where("sender_id", .equal, mergee).run()
            try await tx.sql.delete(from: "contact_labels").where("contact_id", .equal, mergee).run()
            try await tx.sql.delete(from: "contacts").where("id", .equal, mergee).run()
            func pick(_ first: String?, _ second: String?) -> String? {
                if let first, !first.isEmpty { return first }
                return second.flatMap { $0.isEmpty ? nil : $0 }
            }
            let additional = Self.deepMerge(ChatwootRows.json(mergeeRow.additionalAttributes), ChatwootRows.json(baseRow.additionalAttributes))
            let custom = Self.deepMerge(ChatwootRows.json(mergeeRow.customAttributes), ChatwootRows.json(baseRow.customAttributes))
            try await tx.sql.update("contacts").set("name", to: pick(baseRow.name, mergeeRow.name) ?? "")
                .set("email", to: pick(baseRow.email, mergeeRow.email)).set("phone_number", to: pick(baseRow.phoneNumber, mergeeRow.phoneNumber))
                .set("identifier", to: pick(baseRow.identifier, mergeeRow.identifier))
                .set("additional_attributes", to: try ChatwootRows.text(additional)).set("custom_attributes", to: try ChatwootRows.text(custom))
                .set("updated_at", to: now).where("id", .equal, base).run()
            for row in moved {
                let conversation = try await conversations.reload(row.id)
                try await ChatwootEvents.announce(
                    .conversationContactChanged, payload: try await conversations.render([conversation]).first, account: account,
                    inbox: conversation.inboxId, tx: tx)
            }
        }
        return try await self.get(base, account: account, includeInboxes: false)
    }

    private struct MovedRow: Codable {
        var id: Int
    }

    // MARK: Contact inboxes

    /// An inbox of the account as a contact inbox reads it.
    struct InboxTarget: Codable, Sendable {
        var id: Int
        var channelType: String
        var settings: String
    }

    static func inbox(_ id: Int, account: Int, _ sql: any SQLDatabase, missing: ServiceError) async throws -> InboxTarget {
        guard
            let row = try await sql.select().columns("id", "channel_type", "settings").from("inboxes").where("id", .equal, id)
                .where("account_id", .equal, account).first(InboxTarget.self)
        else { throw missing }
        return row
    }

    /// `POST /contacts/{id}/contact_inboxes`: the contact's contact inbox in `inbox` with `sourceID` (made up as the
    /// channel does when not given).
    func addInbox(contact id: Int, account: Int, inbox: InboxTarget, sourceID: String?) async throws -> ChatwootContactInbox {
        let now = self.clock.milliseconds()
        let source = try await self.database.transaction { tx in
            let contact = try await self.row(id, account: account, tx.sql)
            return try await self.contactInbox(contact, inbox, sourceID: sourceID, now: now, tx)
        }
        let contact = try await self.get(id, account: account)
        guard let made = contact.contactInboxes?.first(where: { $0.inbox.id == inbox.id && $0.sourceId == source }) else {
            throw ChatwootRows.notFound
        }
        return made
    }

    /// Chatwoot's `ContactInboxBuilder`: the source id given, or the channel's (a UUID for API and website inboxes,
    /// the email for email inboxes, the phone number for SMS and WhatsApp); found or created.
    private func contactInbox(_ contact: Row, _ inbox: InboxTarget, sourceID: String?, now: Int64, _ tx: Tx) async throws -> String {
        let source: String
        if let sourceID, !sourceID.isEmpty {
            source = sourceID
        } else {
            switch inbox.channelType {
            case "Channel::Api", "Channel::WebWidget": source = UUID().uuidString.lowercased()
            case "Channel::Email":
                guard let email = contact.email else { throw Self.missing("contact email") }
                source = email
            case "Channel::Sms":
                guard let phone = contact.phoneNumber else { throw Self.missing("contact phone number") }
                source = phone
            case "Channel::Whatsapp":
                guard let phone = contact.phoneNumber else { throw Self.missing("contact phone number") }
                source = phone.replacingOccurrences(of: "+", with: "")
            case "Channel::TwilioSms":
                guard let phone = contact.phoneNumber else { throw Self.missing("contact phone number") }
                source = ChatwootRows.json(inbox.settings).object?["medium"] == .string("whatsapp") ? "whatsapp:" + phone : phone
            default: throw Self.missing("source_id")
            }
        }
        let existing = try await tx.sql.select().column("contact_id", as: "id").from("contact_inboxes").where("inbox_id", .equal, inbox.id)
            .where("source_id", .equal, source).first(IDRow.self)
        if let existing {
            guard existing.id == Int64(contact.id) else {
                throw ServiceError(.unprocessableContent, message: "Source has already been taken", field: "source_id")
            }
            return source
        }
        try await tx.sql.insert(into: "contact_inboxes")
            .columns("contact_id", "inbox_id", "source_id", "hmac_verified", "pubsub_token", "created_at", "updated_at")
            .values(contact.id, inbox.id, source, false, Self.token(), now, now).run()
        return source
    }

    /// Chatwoot's `ContactableInboxesService`: each inbox of `inboxes` a conversation with the contact could start in,
    /// with the source id it would use.
    func contactable(_ id: Int, account: Int, inboxes visible: [Int]) async throws -> [ChatwootContactInbox] {
        let (contact, inboxes, existing) = try await self.database.read { tx -> (Row, [SlimRow], [SourceRow]) in
            let contact = try await self.row(id, account: account, tx.sql)
            guard !visible.isEmpty else { return (contact, [SlimRow](), [SourceRow]()) }
            let inboxes = try await tx.sql.select().columns("id", "name", "channel_type", "channel_id", "settings").from("inboxes")
                .where("account_id", .equal, account).where("id", .in, SQLBind.group(visible)).orderBy("id").all(SlimRow.self)
            let existing = try await tx.sql.select().columns("inbox_id", "source_id").from("contact_inboxes").where("contact_id", .equal, id)
                .orderBy("id").all(SourceRow.self)
            return (contact, inboxes, existing)
        }
        return inboxes.compactMap { inbox -> ChatwootContactInbox? in
            let latest = existing.last { $0.inboxId == inbox.id }?.sourceId
            let source: String?
            switch inbox.channelType {
            case "Channel::Api": source = latest ?? UUID().uuidString.lowercased()
            case "Channel::WebWidget": source = latest
            case "Channel::Email": source = contact.email
            case "Channel::Sms": source = contact.phoneNumber
            case "Channel::Whatsapp": source = contact.phoneNumber?.replacingOccurrences(of: "+", with: "")
            case "Channel::TwilioSms":
                let medium = ChatwootRows.json(inbox.settings).object?["medium"]
                source = contact.phoneNumber.map { medium == .string("whatsapp") ? "whatsapp:" + $0 : $0 }
            default: source = nil
            }
            guard let source else { return nil }
            return ChatwootContactInbox(sourceId: source, inbox: Self.slim(inbox.id, inbox.name, inbox.channelType, inbox.channelId, inbox.settings))
        }
    }

    private struct SlimRow: Codable {
        var id: Int
        var name: String
        var channelType: String
        var channelId: Int
        var settings: String
    }

    private struct SourceRow: Codable {
        var inboxId: Int
        var sourceId: String
    }

    // MARK: Labels

    func labels(_ id: Int, account: Int) async throws -> [String] {
        try await self.database.read { tx in
            _ = try await self.row(id, account: account, tx.sql)
            return try await Self.labels(id, tx.sql)
        }
    }

    /// Replaces the contact's labels (Chatwoot's `update_labels`): blanks dropped, names trimmed and lowercased, once each.
    func setLabels(_ id: Int, account: Int, _ labels: [String]) async throws -> [String] {
        let now = self.clock.milliseconds()
        var wanted: [String] = []
        for label in labels.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !label.isEmpty && !wanted.contains(label) {
            guard label.count <= 255 else {
                throw ServiceError(.unprocessableContent, message: "Label is too long (maximum is 255 characters)", field: "labels")
            }
            wanted.append(label)
        }
        let chosen = wanted
        return try await self.database.transaction { tx in
            _ = try await self.row(id, account: account, tx.sql)
            let current = try await Self.labels(id, tx.sql)
            let gone = current.filter { !chosen.contains($0) }
            if !gone.isEmpty {
                try await tx.sql.delete(from: "contact_labels").where("contact_id", .equal, id).where("label", .in, SQLBind.group(gone)).run()
            }
            for (offset, label) in chosen.enumerated() where !current.contains(label) {
                try await tx.sql.insert(into: "contact_labels").columns("contact_id", "label", "created_at").values(id, label, now + Int64(offset))
                    .run()
            }
            return try await Self.labels(id, tx.sql)
        }
    }

    private struct LabelRow: Codable {
        var label: String
    }

    private static func labels(_ id: Int, _ sql: any SQLDatabase) async throws -> [String] {
        try await sql.select().column("label").from("contact_labels").where("contact_id", .equal, id).orderBy("created_at").orderBy("label")
            .all(LabelRow.self).map(\.label)
    }

    // MARK: Answers

    /// Rows as the contact payload, with their contact inboxes when asked.
    func answers(_ rows: [Row], includeInboxes: Bool) async throws -> [ChatwootContact] {
        var inboxes: [Int: [ChatwootContactInbox]] = [:]
        if includeInboxes, !rows.isEmpty {
            let found = try await self.database.readStatement { sql in
                try await sql.select().column(SQLColumn("contact_id", table: "contact_inboxes")).column(
                    SQLColumn("source_id", table: "contact_inboxes")
                )
                .column(SQLColumn("id", table: "inboxes"), as: "inbox_id").column(SQLColumn("name", table: "inboxes"))
                .column(SQLColumn("channel_type", table: "inboxes")).column(SQLColumn("channel_id", table: "inboxes"))
                .column(SQLColumn("settings", table: "inboxes"))
                .from("contact_inboxes").join(
                    "inboxes", on: SQLColumn("id", table: "inboxes"), .equal, SQLColumn("inbox_id", table: "contact_inboxes")
                )
                .where(SQLColumn("contact_id", table: "contact_inboxes"), .in, SQLBind.group(rows.map(\.id)))
                .orderBy(SQLColumn("id", table: "contact_inboxes")).all(InboxRow.self)
            }
            for row in found {
                inboxes[row.contactId, default: []].append(
                    ChatwootContactInbox(
                        sourceId: row.sourceId, inbox: Self.slim(row.inboxId, row.name, row.channelType, row.channelId, row.settings)))
            }
        }
        return rows.map { row in
            ChatwootContact(
                id: row.id, name: row.name ?? "", email: row.email, phoneNumber: row.phoneNumber, identifier: row.identifier, blocked: row.blocked,
                availabilityStatus: "offline", thumbnail: row.avatarUrl ?? "", additionalAttributes: ChatwootRows.json(row.additionalAttributes),
                customAttributes: ChatwootRows.json(row.customAttributes), lastActivityAt: row.lastActivityAt.map { Int($0 / 1000) },
                createdAt: Int(row.createdAt / 1000), contactInboxes: includeInboxes ? inboxes[row.id] ?? [] : nil)
        }
    }

    static func slim(_ id: Int, _ name: String, _ channelType: String, _ channelId: Int, _ settings: String) -> ChatwootContactInbox.Inbox {
        let provider: String? =
            if case .string(let text) = ChatwootRows.json(settings).object?["provider"] { text } else { nil }
        return .init(id: id, avatarUrl: "", channelId: channelId, name: name, channelType: channelType, provider: provider)
    }

    // MARK: Validation

    /// A contact's values after a create or an update, before they are checked.
    struct Values: Sendable {
        var name: String
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var blocked: Bool
        var avatarUrl: String?
        var additional: [String: JSONValue]
        var custom: [String: JSONValue]
    }

    /// `changes` over `current`: blank email, phone and identifier are none (emails lowercased, as Chatwoot's
    /// `prepare_email_attribute`); attribute hashes merged.
    static func normalized(_ changes: Changes, current: Row?) throws -> Values {
        func blankIsNil(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        var additional = current.flatMap { ChatwootRows.json($0.additionalAttributes).object } ?? [:]
        var custom = current.flatMap { ChatwootRows.json($0.customAttributes).object } ?? [:]
        additional.merge(changes.additionalAttributes ?? [:]) { $1 }
        custom.merge(changes.customAttributes ?? [:]) { $1 }
        return Values(
            name: changes.name ?? current?.name ?? "",
            email: changes.email != nil ? blankIsNil(changes.email)?.lowercased() : current?.email,
            phoneNumber: changes.phoneNumber != nil ? blankIsNil(changes.phoneNumber) : current?.phoneNumber,
            identifier: changes.identifier != nil ? blankIsNil(changes.identifier) : current?.identifier,
            blocked: changes.blocked ?? current?.blocked ?? false,
            avatarUrl: changes.avatarUrl ?? current?.avatarUrl, additional: additional, custom: custom)
    }

    /// Chatwoot's contact validations, every failure in one 422 as Rails joins `full_messages`.
    static func validate(_ values: Values, account: Int, except: Int?, _ sql: any SQLDatabase) async throws {
        var problems: [(field: String, message: String)] = []
        if values.name.count > 255 { problems.append(("name", "Name is too long (maximum is 255 characters)")) }
        if let email = values.email {
            if !ChatwootRows.isEmail(email) {
                problems.append(("email", "Email Invalid email"))
            } else if try await Self.taken("email", email, account: account, except: except, sql) {
                problems.append(("email", "Email has already been taken"))
            }
        }
        if let phone = values.phoneNumber {
            if phone.wholeMatch(of: /\+[1-9]\d{1,14}/) == nil {
                problems.append(("phone_number", "Phone number should be in e164 format"))
            } else if try await Self.taken("phone_number", phone, account: account, except: except, sql) {
                problems.append(("phone_number", "Phone number has already been taken"))
            }
        }
        if let identifier = values.identifier {
            if identifier.count > 255 {
                problems.append(("identifier", "Identifier is too long (maximum is 255 characters)"))
            } else if try await Self.taken("identifier", identifier, account: account, except: except, sql) {
                problems.append(("identifier", "Identifier has already been taken"))
            }
        }
        if let avatar = values.avatarUrl, avatar.count > 2048 {
            problems.append(("avatar_url", "Avatar url is too long (maximum is 2048 characters)"))
        }
        guard let first = problems.first else { return }
        throw ServiceError(.unprocessableContent, message: problems.map(\.message).joined(separator: ", "), field: first.field)
    }

    private static func taken(_ column: String, _ value: String, account: Int, except: Int?, _ sql: any SQLDatabase) async throws -> Bool {
        let query = sql.select().column("id").from("contacts").where("account_id", .equal, account).where(column, .equal, value)
        if let except { query.where("id", .notEqual, except) }
        return try await query.first(IDRow.self) != nil
    }

    /// Rails' `ActionController::ParameterMissing`, which Chatwoot answers 422 `{"error": ...}`.
    static func missing(_ name: String) -> ServiceError {
        ServiceError(.unprocessableContent, message: "param is missing or the value is empty: \(name)")
    }

    /// The hashes deep-merged, `preferred`'s members winning (Rails' `deep_merge` with blank values dropped first).
    static func deepMerge(_ base: JSONValue, _ preferred: JSONValue) -> JSONValue {
        guard case .object(var merged) = base, case .object(let winning) = preferred else { return preferred }
        for (key, value) in winning {
            if case .null = value { continue }
            if case .string(let text) = value, text.isEmpty { continue }
            merged[key] = merged[key].map { deepMerge($0, value) } ?? value
        }
        return .object(merged)
    }

    static func token() -> String {
        (0..<24).map { _ in String("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".randomElement()!) }.joined()
    }

    // MARK: Events

    /// What `contact_updated` lists as changed: the columns Chatwoot's `previous_changes` would name.
    static func snapshot(_ row: Row) throws -> [String: JSONValue] {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return [
            "name": text(row.name), "email": text(row.email), "phone_number": text(row.phoneNumber), "identifier": text(row.identifier),
            "blocked": .bool(row.blocked), "additional_attributes": ChatwootRows.json(row.additionalAttributes),
            "custom_attributes": ChatwootRows.json(row.customAttributes),
        ]
    }

    /// `contact_created` / `contact_updated` with the contact's `webhook_data`, in the writing transaction.
    private func publish(_ event: ChatwootEvent, _ id: Int, account: Int, changes: [ChatwootEvents.Change]?, _ tx: Tx) async throws {
        let row = try await self.row(id, account: account, tx.sql)
        let accountName = try await tx.sql.select().column("name").from("accounts").where("id", .equal, account).first(NameRow.self)?.name ?? ""
        let payload = ChatwootEventPayloads.Contact(
            id: row.id, name: row.name, avatar: row.avatarUrl ?? "", thumbnail: row.avatarUrl ?? "", email: row.email, phoneNumber: row.phoneNumber,
            identifier: row.identifier, additionalAttributes: ChatwootRows.json(row.additionalAttributes),
            customAttributes: ChatwootRows.json(row.customAttributes), blocked: row.blocked, account: .init(id: account, name: accountName))
        try await ChatwootEvents.publish(event, payload: payload, changes: changes, account: account, tx: tx)
    }
}

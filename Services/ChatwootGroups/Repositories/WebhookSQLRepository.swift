import Foundation
import HTTPTypes
import SQLKit
import ServiceKit
import WireModels

/// Webhook subscriptions on SQLite or PostgreSQL, one account's at a time.
struct WebhookSQLRepository: Sendable {
    let database: Database
    let clock: WallClock

    /// A webhook row with its inbox's name and channel.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var inboxId: Int?
        var name: String?
        var url: String
        var subscriptions: String
        var secret: String
        var inboxName: String?
        var inboxChannelType: String?
    }

    /// What a create or an update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var url: String?
        var name: String?
        var subscriptions: [String]?
        var inboxID: Int?
    }

    /// The account's webhooks, oldest first.
    func list(account: Int) async throws -> [ChatwootWebhook] {
        try await self.database.readStatement { sql in
            try await Self.select(sql).where(Self.column("account_id"), .equal, SQLBind(account)).all(Row.self)
        }
        .map(Self.answer)
    }

    func create(account: Int, _ changes: Changes, by actor: ChatwootAudit.Actor? = nil) async throws -> ChatwootWebhook {
        let url = try Self.validURL(changes.url)
        let subscriptions = try Self.validSubscriptions(changes.subscriptions ?? ChatwootEvent.defaultSubscriptions.map(\.rawValue))
        let now = self.clock.milliseconds()
        let id = try await self.database.transaction { tx in
            try await Self.requireUnique(url, account: account, except: nil, on: tx.sql)
            if let inbox = changes.inboxID { try await Self.requireInbox(inbox, account: account, on: tx.sql) }
            let row = try await tx.sql.insert(into: "webhooks")
                .columns("account_id", "inbox_id", "name", "url", "subscriptions", "secret", "created_at", "updated_at")
                .values(account, changes.inboxID, changes.name, url, try Self.text(subscriptions), Self.newSecret(), now, now)
                .returning("id").first(IDRow.self)
            let id = Int(row?.id ?? 0)
            if let actor {
                let attributes = Self.attributes(account: account, url: url, name: changes.name, subscriptions: subscriptions, inbox: changes.inboxID)
                try await Self.audit(actor, .create, id, account: account, attributes, tx: tx, at: now)
            }
            return id
        }
        return try await self.get(id, account: account)
    }

    func get(_ id: Int, account: Int) async throws -> ChatwootWebhook {
        Self.answer(try await self.row(id, account: account))
    }

    func update(_ id: Int, account: Int, _ changes: Changes, by actor: ChatwootAudit.Actor? = nil) async throws -> ChatwootWebhook {
        let current = try await self.row(id, account: account)
        let url = try changes.url.map { try Self.validURL($0) } ?? current.url
        let subscriptions = try changes.subscriptions.map { try Self.text(try Self.validSubscriptions($0)) } ?? current.subscriptions
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await Self.requireUnique(url, account: account, except: id, on: tx.sql)
            if let inbox = changes.inboxID { try await Self.requireInbox(inbox, account: account, on: tx.sql) }
            try await tx.sql.update("webhooks").set("url", to: url).set("name", to: changes.name ?? current.name)
                .set("subscriptions", to: subscriptions).set("inbox_id", to: changes.inboxID ?? current.inboxId).set("updated_at", to: now)
                .where("id", .equal, id).where("account_id", .equal, account).run()
            if let actor {
                let before = Self.attributes(current)
                let after = Self.attributes(
                    account: account, url: url, name: changes.name ?? current.name,
                    subscriptions: (try? JSONDecoder().decode([String].self, from: Data(subscriptions.utf8))) ?? [],
                    inbox: changes.inboxID ?? current.inboxId)
                let changed = ChatwootAudit.changes(from: before, to: after)
                if !changed.isEmpty { try await Self.audit(actor, .update, id, account: account, changed, tx: tx, at: now) }
            }
        }
        return try await self.get(id, account: account)
    }

    func delete(_ id: Int, account: Int, by actor: ChatwootAudit.Actor? = nil) async throws {
        let current = try await self.row(id, account: account)
        let now = self.clock.milliseconds()
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "webhooks").where("id", .equal, id).where("account_id", .equal, account).run()
            if let actor { try await Self.audit(actor, .destroy, id, account: account, Self.attributes(current), tx: tx, at: now) }
        }
    }

    // MARK: Audit

    /// The attributes Chatwoot's audit records for a webhook.
    static func attributes(account: Int, url: String, name: String?, subscriptions: [String], inbox: Int?) -> [String: JSONValue] {
        [
            "account_id": .number(Double(account)), "url": .string(url), "name": name.map(JSONValue.string) ?? .null,
            "subscriptions": .array(subscriptions.map(JSONValue.string)), "inbox_id": inbox.map { .number(Double($0)) } ?? .null,
            "webhook_type": .string("account_type"),
        ]
    }

    static func attributes(_ row: Row) -> [String: JSONValue] {
        Self.attributes(
            account: row.accountId, url: row.url, name: row.name,
            subscriptions: (try? JSONDecoder().decode([String].self, from: Data(row.subscriptions.utf8))) ?? [], inbox: row.inboxId)
    }

    private static func audit(
        _ actor: ChatwootAudit.Actor, _ action: ChatwootAudit.Action, _ id: Int, account: Int, _ changes: [String: JSONValue], tx: Tx, at now: Int64
    ) async throws {
        let entry = ChatwootAudit.Entry(
            account: account, userID: actor.userID, requestID: actor.requestID, type: "Webhook", id: id, action: action, changes: changes)
        try await ChatwootAudit.record(entry, tx: tx, at: now)
    }

    /// One of the account's webhooks; another account's is a 404.
    func row(_ id: Int, account: Int) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await Self.select(sql).where(Self.column("id"), .equal, SQLBind(id)).where(Self.column("account_id"), .equal, SQLBind(account))
                .first(Row.self)
        }
        guard let row else { throw ServiceError(.notFound, message: "Resource could not be found") }
        return row
    }

    // MARK: Rows and rules

    private static func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "webhooks") }

    private static func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(["id", "account_id", "inbox_id", "name", "url", "subscriptions", "secret"].map(column))
            .column(SQLColumn("name", table: "inboxes"), as: "inbox_name").column(
                SQLColumn("channel_type", table: "inboxes"), as: "inbox_channel_type"
            )
            .from("webhooks").join("inboxes", method: SQLJoinMethod.left, on: SQLColumn("id", table: "inboxes"), .equal, column("inbox_id"))
            .orderBy(column("id"))
    }

    static func answer(_ row: Row) -> ChatwootWebhook {
        let subscriptions = (try? JSONDecoder().decode([String].self, from: Data(row.subscriptions.utf8))) ?? []
        let inbox = row.inboxId.flatMap { id in
            row.inboxName.map { ChatwootWebhook.Inbox(id: id, name: $0, channelType: row.inboxChannelType ?? "") }
        }
        return ChatwootWebhook(
            id: row.id, name: row.name, url: row.url, accountId: row.accountId, subscriptions: subscriptions, inbox: inbox, secret: row.secret)
    }

    /// Chatwoot's `URI::DEFAULT_PARSER.make_regexp(%w[http https])`: an http or https URL with a host.
    static func validURL(_ text: String?) throws -> String {
        let invalid = ServiceError(.unprocessableContent, message: "Url is invalid", field: "url")
        guard let text, text.count <= 2048, !text.contains(where: \.isWhitespace), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { throw invalid }
        return text
    }

    /// A non-empty list of events Chatwoot allows (`Webhook#validate_webhook_subscriptions`), kept once each in order.
    static func validSubscriptions(_ names: [String]) throws -> [String] {
        let allowed = Set(ChatwootEvent.subscribable.map(\.rawValue))
        guard !names.isEmpty, names.allSatisfy(allowed.contains) else {
            throw ServiceError(.unprocessableContent, message: "Subscriptions Invalid events", field: "subscriptions")
        }
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    private static func requireUnique(_ url: String, account: Int, except id: Int?, on sql: any SQLDatabase) async throws {
        let query = sql.select().column("id").from("webhooks").where("account_id", .equal, account).where("url", .equal, url)
        if let id { query.where("id", .notEqual, id) }
        if try await query.first(IDRow.self) != nil {
            throw ServiceError(.unprocessableContent, message: "Url has already been taken", field: "url")
        }
    }

    /// The inbox a webhook names must be one of the account's.
    private static func requireInbox(_ inbox: Int, account: Int, on sql: any SQLDatabase) async throws {
        if try await sql.select().column("id").from("inboxes").where("id", .equal, inbox).where("account_id", .equal, account).first(IDRow.self)
            == nil
        {
            throw ServiceError(.unprocessableContent, message: "Inbox must exist", field: "inbox_id")
        }
    }

    private static func text(_ names: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
    }

    /// A Standard Webhooks secret: `whsec_` and 32 random bytes in base64.
    static func newSecret() -> String {
        // `SystemRandomNumberGenerator` is the operating system's cryptographic source.
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }
}

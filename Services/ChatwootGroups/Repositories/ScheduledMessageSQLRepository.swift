import Foundation
import HTTPTypes
import Logging
import SQLKit
import ServiceKit
import WireModels

/// Scheduled messages on SQLite or PostgreSQL, validated as Chatwoot's `ScheduledMessage` model; a pending one has a
/// durable job that sends it at its time through the normal message creation path.
struct ScheduledMessageSQLRepository: Sendable {
    let database: Database
    let clock: WallClock
    let messages: MessageSQLRepository
    let logger: Logger

    static let jobKind = "chatwoot.scheduled_message.send"
    /// Chatwoot's `status` enum.
    static let statuses = ["draft", "pending", "sent", "failed"]
    /// Chatwoot's `MAX_LIMIT` of the list.
    static let limit = 100
    /// A due message of a conversation that is neither open nor pending waits (Chatwoot's `due_for_sending` scope,
    /// read every minute); it is looked at again this much later.
    static let recheck: Int64 = 60_000

    /// A scheduled message row.
    struct Row: Codable, Sendable {
        var id: Int
        var accountId: Int
        var inboxId: Int
        var conversationId: Int
        var authorType: String?
        var authorId: Int?
        var content: String?
        var scheduledAt: Int64?
        var status: String
        var templateParams: String?
        var messageId: Int?
        var jobId: Int64?
        var createdAt: Int64
        var updatedAt: Int64
    }

    static let columns = [
        "id", "account_id", "inbox_id", "conversation_id", "author_type", "author_id", "content", "scheduled_at", "status", "template_params",
        "message_id", "job_id", "created_at", "updated_at",
    ]

    /// What a create or an update sets; nil leaves a member as it is.
    struct Changes: Sendable {
        var content: String?
        /// Epoch milliseconds; `.some(nil)` when a time was given that is no time (Rails keeps nil).
        var scheduledAt: Int64??
        var status: String?
        var templateParams: JSONValue?
    }

    /// The job's payload: which message, at which time (a later change of time leaves the old job with nothing to do).
    struct SendJob: Codable {
        var scheduledMessageId: Int
        var scheduledAt: Int64
    }

    // MARK: Reading

    /// The conversation's scheduled messages, latest time first (at most 100); those without a time first, as
    /// PostgreSQL orders Chatwoot's `scheduled_at: :desc` (on SQLite too).
    func list(_ conversation: ConversationSQLRepository.Row) async throws -> [ChatwootScheduledMessage] {
        let rows = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("scheduled_messages").where("conversation_id", .equal, conversation.id)
                .orderBy(
                    SQLOrderBy(expression: SQLBinaryExpression(SQLColumn("scheduled_at"), .is, SQLLiteral.null), direction: SQLDirection.descending)
                ).orderBy("scheduled_at", .descending)
                .orderBy("id", .descending).limit(Self.limit).all(Row.self)
        }
        return try await self.render(rows, conversation)
    }

    /// One of the conversation's; any other is a 404.
    func row(_ id: Int, conversation: ConversationSQLRepository.Row) async throws -> Row {
        let row = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("scheduled_messages").where("id", .equal, id)
                .where("conversation_id", .equal, conversation.id).first(Row.self)
        }
        guard let row else { throw ChatwootRows.notFound }
        return row
    }

    /// `push_event_data`: times in epoch seconds, the conversation's display id, the author's `push_event_data`.
    func render(_ rows: [Row], _ conversation: ConversationSQLRepository.Row) async throws -> [ChatwootScheduledMessage] {
        let authors = Array(Set(rows.filter { $0.authorType == "User" }.compactMap(\.authorId)))
        var users: [AuthorRow] = []
        if !authors.isEmpty {
            users = try await self.database.readStatement { sql in
                try await sql.select().columns("id", "name", "display_name", "avatar_url").from("users").where("id", .in, authors).all(AuthorRow.self)
            }
        }
        let byID = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.map { row in
            let author = row.authorId.flatMap { byID[$0] }.map { user -> JSONValue in
                .object([
                    "id": .number(Double(user.id)), "name": .string(user.name), "available_name": .string(user.displayName ?? user.name),
                    "avatar_url": .string(user.avatarUrl ?? ""), "type": .string("user"),
                ])
            }
            return ChatwootScheduledMessage(
                id: row.id, content: row.content, inboxId: row.inboxId, conversationId: conversation.displayId, accountId: row.accountId,
                status: row.status, scheduledAt: row.scheduledAt.map { Int($0 / 1000) }, templateParams: row.templateParams.map(ChatwootRows.json),
                authorId: row.authorId, authorType: row.authorType, messageId: row.messageId, createdAt: Int(row.createdAt / 1000),
                updatedAt: Int(row.updatedAt / 1000), author: author)
        }
    }

    private struct AuthorRow: Codable {
        var id: Int
        var name: String
        var displayName: String?
        var avatarUrl: String?
    }

    // MARK: Writing

    func create(_ conversation: ConversationSQLRepository.Row, author: Int?, _ changes: Changes) async throws -> ChatwootScheduledMessage {
        let status = try Self.status(changes.status ?? "draft")
        guard status == "draft" || status == "pending" else {
            throw ServiceError(
                .unprocessableContent, message: "Status must be draft or pending when creating a scheduled message", field: "status")
        }
        let scheduledAt = changes.scheduledAt ?? nil
        let now = self.clock.milliseconds()
        try Self.validate(
            content: changes.content, templateParams: changes.templateParams, status: status, scheduledAt: scheduledAt, checkFuture: true, now: now)
        let id = try await self.database.transaction { tx in
            let inserted = try await tx.sql.insert(into: "scheduled_messages")
                .columns(
                    "account_id", "inbox_id", "conversation_id", "author_type", "author_id", "content", "scheduled_at", "status", "template_params",
                    "created_at", "updated_at"
                )
                .values(
                    conversation.accountId, conversation.inboxId, conversation.id, author == nil ? nil : "User", author, changes.content, scheduledAt,
                    status, try changes.templateParams.map { try ChatwootRows.text($0) }, now, now
                ).returning("id").first(IDRow.self)
            let id = Int(inserted?.id ?? 0)
            if status == "pending", let scheduledAt { try await self.arm(tx, id: id, at: scheduledAt) }
            return id
        }
        return try await self.render([try await self.row(id, conversation: conversation)], conversation)[0]
    }

    func update(_ current: Row, _ conversation: ConversationSQLRepository.Row, _ changes: Changes) async throws -> ChatwootScheduledMessage {
        guard current.status == "draft" || current.status == "pending" else {
            throw ServiceError(.unprocessableContent, message: "Scheduled message can only be modified while draft or pending")
        }
        let status = try Self.status(changes.status ?? current.status)
        guard status == "draft" || status == "pending" else {
            throw ServiceError(.unprocessableContent, message: "Status must be draft or pending", field: "status")
        }
        let content = changes.content ?? current.content
        let templateParams = changes.templateParams ?? current.templateParams.map(ChatwootRows.json)
        let scheduledAt = changes.scheduledAt ?? current.scheduledAt
        let now = self.clock.milliseconds()
        // The time must lie ahead when a pending message's time or status changes (`should_validate_future_schedule?`).
        let checkFuture = scheduledAt != current.scheduledAt || status != current.status
        try Self.validate(
            content: content, templateParams: templateParams, status: status, scheduledAt: scheduledAt, checkFuture: checkFuture, now: now)
        try await self.database.transaction { tx in
            let update = tx.sql.update("scheduled_messages").set("content", to: content).set("scheduled_at", to: scheduledAt)
                .set("status", to: status).set("template_params", to: try templateParams.map { try ChatwootRows.text($0) }).set("updated_at", to: now)
            try await update.where("id", .equal, current.id).run()
            if let job = current.jobId { _ = try await tx.scheduler.cancel(id: job) }
            if status == "pending", let scheduledAt {
                try await self.arm(tx, id: current.id, at: scheduledAt)
            } else {
                try await tx.sql.update("scheduled_messages").set("job_id", to: SQLLiteral.null).where("id", .equal, current.id).run()
            }
        }
        return try await self.render([try await self.row(current.id, conversation: conversation)], conversation)[0]
    }

    /// Removes a draft or pending message (a sent or failed one stays: Chatwoot's 422).
    func delete(_ current: Row, _ conversation: ConversationSQLRepository.Row) async throws -> ChatwootScheduledMessage {
        guard current.status == "draft" || current.status == "pending" else {
            throw ServiceError(.unprocessableContent, message: "Cannot delete a scheduled message that has already been processed")
        }
        let rendered = try await self.render([current], conversation)[0]
        try await self.database.transaction { tx in
            try await tx.sql.delete(from: "scheduled_messages").where("id", .equal, current.id).run()
            if let job = current.jobId { _ = try await tx.scheduler.cancel(id: job) }
        }
        return rendered
    }

    /// Arms the job that sends message `id` at `at` (epoch milliseconds).
    private func arm(_ tx: Tx, id: Int, at: Int64) async throws {
        let payload = try ChatwootRows.text(encoding: SendJob(scheduledMessageId: id, scheduledAt: at))
        let job = try await tx.scheduler.schedule(kind: Self.jobKind, payload: payload, at: Date(timeIntervalSince1970: Double(at) / 1000))
        try await tx.sql.update("scheduled_messages").set("job_id", to: job).where("id", .equal, id).run()
    }

    // MARK: Sending

    /// The job: sends the message into its conversation if it is still pending for this time; a conversation that is
    /// resolved or snoozed keeps it waiting; a send that fails marks it failed.
    func send(_ job: ScheduledJob) async throws {
        let due = try ChatwootRows.decode(SendJob.self, job.payload)
        let found = try await self.database.readStatement { sql in
            try await sql.select().columns(Self.columns).from("scheduled_messages").where("id", .equal, due.scheduledMessageId).first(Row.self)
        }
        guard let message = found, message.status == "pending", message.scheduledAt == due.scheduledAt else { return }
        let conversation = try await self.database.readStatement { sql in
            try await sql.select().columns(ConversationSQLRepository.columns).from("conversations").where("id", .equal, message.conversationId)
                .first(ConversationSQLRepository.Row.self)
        }
        guard let conversation else { return }
        let now = self.clock.milliseconds()
        guard conversation.status == "open" || conversation.status == "pending" else {
            try await self.database.transaction { tx in
                let next = try await tx.scheduler.schedule(
                    kind: Self.jobKind, payload: job.payload, at: Date(timeIntervalSince1970: Double(now + Self.recheck) / 1000))
                try await tx.sql.update("scheduled_messages").set("job_id", to: next).where("id", .equal, message.id).run()
            }
            return
        }
        do {
            try await self.database.transaction { tx in
                // Claimed first, so an update or delete racing the job leaves it with nothing to send.
                let claimed = try await tx.sql.update("scheduled_messages").set("status", to: "sent").set("job_id", to: SQLLiteral.null)
                    .set("updated_at", to: now).where("id", .equal, message.id).where("status", .equal, "pending")
                    .where("scheduled_at", .equal, due.scheduledAt).returning("id").first(IDRow.self)
                guard claimed != nil else { return }
                var additional: [String: JSONValue] = [:]
                if let template = message.templateParams { additional["template_params"] = ChatwootRows.json(template) }
                let author = try await self.authorName(tx, message)
                let actor = author.map { ConversationSQLRepository.Actor.user(id: $0.id, name: $0.name) } ?? .system
                let id = try await self.messages.insert(
                    tx, conversation: conversation,
                    .init(
                        content: message.content, messageType: MessageSQLRepository.outgoing, private: false, contentType: "text",
                        contentAttributes: .object(["scheduled_message_id": .number(Double(message.id))]), additionalAttributes: .object(additional),
                        sourceID: nil, uploads: []), actor: actor)
                try await tx.sql.update("scheduled_messages").set("message_id", to: id).where("id", .equal, message.id).run()
                try await self.messages.publish(.messageCreated, tx, id: id, conversation: conversation)
            }
        } catch {
            self.logger.error(
                "Scheduled message failed", metadata: ["scheduled_message": .stringConvertible(message.id), "error": .string("\(error)")])
            try await self.database.transaction { tx in
                try await tx.sql.update("scheduled_messages").set("status", to: "failed").set("job_id", to: SQLLiteral.null)
                    .set("updated_at", to: now).where("id", .equal, message.id).where("status", .equal, "pending").run()
            }
        }
    }

    /// The author user, still a member of the account.
    private func authorName(_ tx: Tx, _ message: Row) async throws -> (id: Int, name: String)? {
        guard message.authorType == "User", let id = message.authorId else { return nil }
        let row = try await tx.sql.select().column(SQLColumn("name", table: "users")).from("users")
            .join("account_users", on: SQLColumn("user_id", table: "account_users"), .equal, SQLColumn("id", table: "users"))
            .where(SQLColumn("id", table: "users"), .equal, SQLBind(id)).where(
                SQLColumn("account_id", table: "account_users"), .equal, SQLBind(message.accountId)
            )
            .first(NameRow.self)
        return row.map { (id, $0.name) }
    }

    private struct NameRow: Codable {
        var name: String
    }

    // MARK: Validation

    /// Rails' enum: an unknown status is a 422.
    static func status(_ status: String) throws -> String {
        guard Self.statuses.contains(status) else {
            throw ServiceError(.unprocessableContent, message: "'\(status)' is not a valid status", field: "status")
        }
        return status
    }

    /// The model's validations, with its messages.
    static func validate(content: String?, templateParams: JSONValue?, status: String, scheduledAt: Int64?, checkFuture: Bool, now: Int64) throws {
        if status != "draft", scheduledAt == nil { throw ChatwootRows.blank("scheduled_at") }
        let hasTemplate = templateParams.flatMap(\.object).map { !$0.isEmpty } ?? false
        if !hasTemplate, (content ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ChatwootRows.blank("content") }
        if let content, content.count > 150_000 {
            throw ServiceError(.unprocessableContent, message: "Content is too long (maximum is 150000 characters)", field: "content")
        }
        if status == "pending", checkFuture, let scheduledAt, scheduledAt <= now {
            throw ServiceError(.unprocessableContent, message: "Scheduled at must be in the future", field: "scheduled_at")
        }
    }

    /// `scheduled_at` as given: an ISO 8601 time (the swagger) or epoch seconds; anything else is no time, as Rails
    /// casts it.
    static func time(_ value: JSONValue?) -> Int64?? {
        switch value {
        case nil: return nil
        case .number(let seconds)?: return .some(Int64(seconds * 1000))
        case .string(let text)?:
            if let seconds = Double(text) { return .some(Int64(seconds * 1000)) }
            let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            if let date = (try? fractional.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) {
                return .some(Int64((date.timeIntervalSince1970 * 1000).rounded()))
            }
            return .some(nil)
        default: return .some(nil)
        }
    }
}

import SQLKit
import ServiceKit
import WireModels

/// A stored outbound message and its revision: a PUT makes a new revision, so sends scheduled for an older one
/// know they are stale.
struct StoredMessage: Sendable {
    var message: CMIMessage
    var revision: String
}

/// Scheduled outbound messages.
struct MessageSQLRepository {
    let sql: any SQLDatabase
    /// Searchable fields and their columns.
    static let columns = ["source": "source", "subType": "sub_type"]

    /// Stores (or replaces) a message.
    func put(_ stored: StoredMessage) async throws {
        try await self.sql.delete(from: "messages").where("id", .equal, stored.message.id ?? "").run()
        try await self.sql.insert(into: "messages").row(MessageRow(stored)).run()
    }

    /// Replaces the message of revision `revision`; false when it is gone or replaced.
    func update(_ message: CMIMessage, revision: String) async throws -> Bool {
        try await self.sql.update("messages").set(row: MessageRow(StoredMessage(message: message, revision: revision)))
            .where("id", .equal, message.id ?? "").where("revision", .equal, revision).returning("id").all().count > 0
    }

    func message(id: String) async throws -> StoredMessage? {
        try await self.sql.select().column("*").from("messages").where("id", .equal, id).first(MessageRow.self)?.stored
    }

    /// Deletes a message; returns whether there was one.
    func delete(id: String) async throws -> Bool {
        try await self.sql.delete(from: "messages").where("id", .equal, id).returning("id").all().count > 0
    }

    /// Messages matching the search whose send and creation times fall in inclusive windows (a bound may be left
    /// open), oldest first.
    func messages(matching search: CMIFieldSearch, sendTime: (String?, String?), creationTime: (String?, String?)) async throws -> [CMIMessage] {
        let select = self.sql.select().column("*").from("messages").matching(search, columns: Self.columns)
        for (column, (from, to)) in [("send_time", sendTime), ("creation_time", creationTime)] {
            if let from { select.where(column, .greaterThanOrEqual, from) }
            if let to { select.where(column, .lessThanOrEqual, to) }
        }
        return try await select.orderBy("creation_time").orderBy("id").all(MessageRow.self).map(\.stored.message)
    }
}

/// A `messages` row; the destinations with their statuses are JSON, read and written whole with the message.
struct MessageRow: Codable, Sendable {
    var id, message, source, subType, creationTime, revision: String
    var contentType: CMIMessageContentType
    var sendTime: String?
    var maxRetryCount, retryDelay: Int
    var destinations: JSONText<[CMIMessageDestination]>

    init(_ stored: StoredMessage) {
        let m = stored.message
        (self.id, self.message, self.source, self.subType, self.creationTime) = (m.id ?? "", m.message, m.source, m.subType, m.creationTime ?? "")
        (self.contentType, self.revision, self.sendTime) = (m.contentType ?? .text, stored.revision, m.sendTime)
        (self.maxRetryCount, self.retryDelay) = (m.maxRetryCount ?? MessageRules.defaultMaxRetryCount, m.retryDelay ?? MessageRules.defaultRetryDelay)
        self.destinations = JSONText(m.destinations.destination)
    }

    /// The message as the CMI shows it: the creation time under both its names (the examples' `creationTime`, the
    /// schema's `creationDate`, L1774).
    var stored: StoredMessage {
        let message = CMIMessage(
            id: self.id, message: self.message, source: self.source, subType: self.subType, sendTime: self.sendTime, creationTime: self.creationTime,
            creationDate: self.creationTime, maxRetryCount: self.maxRetryCount, retryDelay: self.retryDelay,
            contentType: self.contentType, destinations: CMIMessageDestinations(self.destinations.value)
        )
        return StoredMessage(message: message, revision: self.revision)
    }
}

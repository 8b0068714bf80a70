import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/messages`: scheduled outbound SMS, WhatsApp and other messages (seed L1732–L2020).
struct MessageController {
    let messages: any MessageRepository
    let queues: any QueueRepository
    let sender: MessageSender
    let database: Database
    let clock: WallClock

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/messages", use: self.list)
        group.post("/messages", use: self.create)
        group.get("/messages/:messageId", use: self.get)
        group.put("/messages/:messageId", use: self.replace)
        group.delete("/messages/:messageId", use: self.delete)
        let tag = "messages"
        let security = ["basicAuth"]
        document.describe(.get, "/RI/cmi/messages", .init("List messages (fields source, subType with wildcards; send and creation time windows)", tag: tag, security: security, responses: [200: "Message[]", 400: "Bad Request"]))
        document.describe(.post, "/RI/cmi/messages", .init("Create or schedule an outbound message", tag: tag, security: security, responses: [201: "The new message's id", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/messages/{messageId}", .init("One message with per-destination status", tag: tag, security: security, responses: [200: "Message", 404: "Not Found"]))
        document.describe(.put, "/RI/cmi/messages/{messageId}", .init("Replace a message that has not started sending", tag: tag, security: security, responses: [204: "Replaced", 400: "Bad Request", 404: "Not Found", 409: "Already sending"]))
        document.describe(.delete, "/RI/cmi/messages/{messageId}", .init("Delete a message, cancelling what has not been sent", tag: tag, security: security, responses: [204: "Deleted", 404: "Not Found"]))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let query = CMIQuery(request)
        let windows: [(parameter: String, column: String, comparison: DocumentStore<CMIMessage>.Condition.Comparison)] = [
            ("sendTime", "send_time", .atLeast), ("sendTimeEnd", "send_time", .atMost),
            ("creationTime", "creation_time", .atLeast), ("creationTimeEnd", "creation_time", .atMost),
        ]
        let search = try CMIFieldSearch(query: query, searchable: Set(MessageSQLRepository.columns.keys), documented: Set(windows.map(\.parameter)))
        var conditions = search.patterns.compactMap { field, like in
            MessageSQLRepository.columns[field].map { DocumentStore<CMIMessage>.Condition(column: $0, comparison: .like, value: like) }
        }
        for window in windows {
            if let value = query.string(window.parameter) {
                conditions.append(.init(column: window.column, comparison: window.comparison, value: try CMITime.bound(value, field: window.parameter)))
            }
        }
        return try CMICoder.response(try await self.messages.messages(matching: conditions), format: format)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        guard let stored = try await self.messages.message(id: try Self.messageID(context)) else { throw ServiceError.cmiNotFound }
        return try CMICoder.response(stored.message, format: format)
    }

    /// Stores the message and schedules its send (at `sendTime`, or now) in one transaction; 201 with the id.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let body = try await CMICoder.decode(CMIMessage.self, from: request, context: context)
        let message = try MessageRules.validated(
            body, id: CMIIdentifier.make(), creationTime: CMITime.format(self.clock.date()), queueAddresses: try await self.queueAddresses()
        )
        try await self.store(StoredMessage(message: message, revision: UUID().uuidString))
        return CMIResponses.created(id: message.id ?? "", request: request)
    }

    /// Full replacement while nothing has been sent: every field comes from the body (missing ones take their
    /// defaults); sends scheduled for the old version are dropped.
    @Sendable func replace(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try Self.messageID(context)
        let body = try await CMICoder.decode(CMIMessage.self, from: request, context: context)
        if let bodyID = body.id, (try? CMIIdentifier.guid(bodyID)) != id {
            throw ServiceError(.badRequest, message: "Body id \(bodyID) does not match the path id \(id)", field: "id")
        }
        guard let current = try await self.messages.message(id: id) else { throw ServiceError.cmiNotFound }
        guard current.message.destinations.destination.allSatisfy({ ($0.status ?? .added) == .added }) else {
            throw ServiceError(.conflict, message: "Message \(id) is already being sent")
        }
        let message = try MessageRules.validated(
            body, id: id, creationTime: current.message.creationTime ?? CMITime.format(self.clock.date()), queueAddresses: try await self.queueAddresses()
        )
        try await self.store(StoredMessage(message: message, revision: UUID().uuidString))
        return CMIResponses.noContent
    }

    /// Deletes the message; its pending sends find it gone and do nothing.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try Self.messageID(context)
        guard try await self.messages.message(id: id) != nil else { throw ServiceError.cmiNotFound }
        try await self.messages.delete(id: id)
        return CMIResponses.noContent
    }

    private func store(_ stored: StoredMessage) async throws {
        let due = stored.message.sendTime.flatMap(CMITime.parse) ?? self.clock.date()
        try await self.database.withTransaction { database in
            try await self.messages.put(stored, on: database)
            try await self.sender.schedule(stored, attempt: 0, at: due, on: database)
        }
    }

    private func queueAddresses() async throws -> Set<String> {
        Set(try await self.queues.queues().flatMap(\.addresses))
    }

    static func messageID(_ context: AuthenticatedContext) throws -> String {
        try CMIIdentifier.guid(try context.parameters.require("messageId"))
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/messages`: scheduled outbound SMS, WhatsApp and other messages (seed L1732–L2020).
struct MessageController {
    let database: Database
    let sender: MessageSender
    let clock: WallClock

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("messages")
        api.get(
            "/messages", "List messages (fields source, subType with wildcards; send and creation time windows)", returns: [CMIMessage].self,
            use: self.list)
        api.raw(
            .post, "/messages", "Create or schedule an outbound message", body: CMIMessage.self, responses: CMIResponses.createdResponses,
            use: self.create)
        api.get("/messages/{messageId}", "One message with per-destination status", returns: CMIMessage.self, use: self.get)
        api.put(
            "/messages/{messageId}", "Replace a message that has not started sending", body: CMIMessage.self, returns: EmptyBody.self,
            status: .noContent, errors: [409: "Already sending"], use: self.replace)
        api.delete(
            "/messages/{messageId}", "Delete a message, cancelling what has not been sent", returns: EmptyBody.self, status: .noContent,
            use: self.delete)
    }

    /// The time windows of `GET /messages`: inclusive bounds on the send and creation times.
    struct Query: Decodable {
        var sendTime, sendTimeEnd, creationTime, creationTimeEnd: CMITimeBound?
    }

    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMIMessage] {
        let query = try request.decodeQuery(as: Query.self)
        let search = try CMIFieldSearch(request, searchable: MessageSQLRepository.columns.keys, documented: query)
        return try await self.database.read {
            try await $0.messages.messages(
                matching: search, sendTime: (query.sendTime?.value, query.sendTimeEnd?.value),
                creationTime: (query.creationTime?.value, query.creationTimeEnd?.value))
        }
    }

    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMIMessage {
        let id = try context.guid("messageId")
        return try await self.database.found { try await $0.messages.message(id: id)?.message }
    }

    /// Stores the message and schedules its send (at `sendTime`, or now) in one transaction; 201 with the id.
    @Sendable func create(_ request: Request, context: CMIContext) async throws -> Response {
        let body = try await request.decode(as: CMIMessage.self, context: context)
        let id = CMIIdentifier.make()
        try await self.database.transaction { tx in
            let message = try await MessageRules.validated(body, id: id, creationTime: CMITime.format(self.clock.date()), queues: tx.queues)
            try await self.store(message, on: tx)
        }
        return CMIResponses.created(id: id, request: request)
    }

    /// Full replacement while nothing has been sent: every field comes from the body (missing ones take their
    /// defaults); sends scheduled for the old version find it replaced and do nothing.
    @Sendable func replace(_ request: Request, context: CMIContext, body: CMIMessage) async throws -> EmptyBody {
        let id = try context.guid("messageId")
        if let bodyID = body.id, (try? CMIIdentifier.guid(bodyID)) != id {
            throw ServiceError(.badRequest, message: "Body id \(bodyID) does not match the path id \(id)", field: "id")
        }
        try await self.database.transaction { tx in
            guard let current = try await tx.messages.message(id: id) else { throw ServiceError.cmiNotFound }
            guard current.message.destinations.destination.allSatisfy({ ($0.status ?? .added) == .added }) else {
                throw ServiceError(.conflict, message: "Message \(id) is already being sent")
            }
            let creationTime = current.message.creationTime ?? CMITime.format(self.clock.date())
            let message = try await MessageRules.validated(body, id: id, creationTime: creationTime, queues: tx.queues)
            try await self.store(message, on: tx)
        }
        return EmptyBody()
    }

    /// Deletes the message; its pending sends find it gone and do nothing.
    @Sendable func delete(_ request: Request, context: CMIContext) async throws -> EmptyBody {
        let id = try context.guid("messageId")
        guard try await self.database.transaction({ try await $0.messages.delete(id: id) }) else { throw ServiceError.cmiNotFound }
        return EmptyBody()
    }

    /// Stores `message` as a new revision (sends scheduled for an older one do nothing) and schedules its send.
    private func store(_ message: CMIMessage, on tx: Tx) async throws {
        let stored = StoredMessage(message: message, revision: UUID().uuidString)
        try await tx.messages.put(stored)
        try await self.sender.schedule(stored, attempt: 0, at: message.sendTime.flatMap(CMITime.parse) ?? self.clock.date(), on: tx)
    }
}

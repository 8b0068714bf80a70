import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/chats`: list, create from a transcript, and one chat with participants and transcript
/// (seed L554–L949).
struct ChatController {
    let chats: any ChatRepository
    let queues: any QueueRepository
    let contacts: any ContactRepository
    let clock: WallClock

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/chats", use: self.list)
        group.post("/chats", use: self.create)
        group.get("/chats/:chatId", use: self.get)
        let tag = "chats"
        let security = ["basicAuth"]
        document.describe(.get, "/RI/cmi/chats", .init("List chats (without participants and transcript)", tag: tag, security: security, responses: [200: "Chat[]", 400: "Bad Request"]))
        document.describe(.post, "/RI/cmi/chats", .init("Create a chat with its transcript, inbound or outbound", tag: tag, security: security, responses: [201: "The new chat's id", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/chats/{chatId}", .init("One chat with participants and transcript", tag: tag, security: security, responses: [200: "Chat", 404: "Not Found"]))
    }

    /// Chats filtered by `originator`, `channel_sub_type` and `destination`; the list leaves out participants
    /// and transcript ("Included only when only one chat is fetched").
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let query = CMIQuery(request)
        let found = try await self.chats.chats(
            originator: query.string("originator"), channelSubType: query.string("channel_sub_type"),
            destination: query.string("destination"), limit: try query.limit()
        )
        let language = CMITranslations.language(query: query.string("language"), user: context.identity.language)
        return try CMICoder.response(found.map { chat in
            var chat = Self.translated(chat, to: language)
            chat.participants = nil
            chat.transcript = nil
            return chat
        }, format: format)
    }

    /// One chat, its transcript newest first as the seed's examples are.
    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let id = try CMIIdentifier.guid(try context.parameters.require("chatId"))
        guard var chat = try await self.chats.chat(id: id) else { throw ServiceError.cmiNotFound }
        chat.transcript?.messages.sort { CMITime.canonical($0.timestamp) > CMITime.canonical($1.timestamp) }
        let language = CMITranslations.language(query: CMIQuery(request).string("language"), user: context.identity.language)
        return try CMICoder.response(Self.translated(chat, to: language), format: format)
    }

    /// Creates an inbound chat (queued to `from_queue`) or an outbound one (already sent); 201 with the id.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let new = try await CMICoder.decode(CMINewChat.self, from: request, context: context)
        guard new.title.count <= 256 else { throw ServiceError(.badRequest, message: "Invalid value for title: longer than 256 characters", field: "title") }
        for (field, value) in [("channel_sub_type", new.channelSubType), ("originator", new.originator), ("destination", new.destination)] where value.isEmpty {
            throw ServiceError(.badRequest, message: "Invalid value for \(field): empty", field: field)
        }
        let queueID = try CMIIdentifier.guid(new.fromQueue.id)
        guard let queue = try await self.queues.queue(id: queueID) else {
            throw ServiceError(.badRequest, message: "Invalid value for from_queue.id: \(new.fromQueue.id)", field: "from_queue.id")
        }
        let now = CMITime.format(self.clock.date())
        var messages: [CMIChatTranscriptMessage] = []
        for (index, message) in new.transcript.messages.enumerated() {
            if let type = message.type, type != .text {
                throw ServiceError(.badRequest, message: "Invalid value for transcript.messages[\(index)].type: \(type.rawValue)", field: "transcript.messages[\(index)].type")
            }
            let timestamp = try message.timestamp.map { stamp -> String in
                try CMITime.validate(stamp, field: "transcript.messages[\(index)].timestamp")
                return CMITime.canonical(stamp)
            } ?? now
            messages.append(CMIChatTranscriptMessage(
                message: message.message, originator: message.originator, timestamp: timestamp, systemMessage: message.systemMessage ?? false, type: .text
            ))
        }
        let inbound = new.channelType == .chat
        let chat = CMIChat(
            id: CMIIdentifier.make(), channelType: new.channelType.rawValue, channelSubType: new.channelSubType,
            type: inbound ? .chatIn : .chatOut, typeDetails: inbound ? "Chat" : "ChatOut",
            status: inbound ? .inQueue : .handled, statusDetails: inbound ? "Open" : "Sent",
            originator: new.originator, destination: new.destination, title: new.title, dateCreated: now,
            fromQueue: CMIQueueRef(id: queue.id, name: queue.name), participants: new.participants ?? [],
            transcript: CMIChatTranscript(messages: messages)
        )
        try await self.chats.put(chat)
        try await self.contacts.put(Self.contact(for: chat, inbound: inbound))
        return CMIResponses.created(id: chat.id, request: request)
    }

    /// A new chat is also a contact of channel CHAT, in a group of its own (36-character id, as chats have).
    static func contact(for chat: CMIChat, inbound: Bool) -> CMIContactRecord {
        CMIContactRecord(
            contact: CMIContact(
                id: chat.id, contactGroupId: UUID().uuidString, channel: .chat, type: inbound ? .chatIn : .chatOut,
                typeDetails: chat.typeDetails ?? "Chat", subtype: chat.channelSubType, status: inbound ? .inQueue : .handled,
                statusDetails: chat.statusDetails ?? "Open", source: chat.originator, destination: chat.destination,
                queueId: chat.fromQueue.id, queueName: chat.fromQueue.name, arrivalTime: chat.dateCreated,
                disconnectTime: inbound ? nil : chat.dateCreated, totalDuration: 0, subject: chat.title
            ),
            body: chat.transcript?.messages.map(\.message).joined(separator: "\n"),
            remarks: ""
        )
    }

    static func translated(_ chat: CMIChat, to language: String?) -> CMIChat {
        var chat = chat
        chat.typeDetails = chat.typeDetails.map { CMITranslations.translate($0, to: language) }
        chat.statusDetails = chat.statusDetails.map { CMITranslations.translate($0, to: language) }
        return chat
    }
}

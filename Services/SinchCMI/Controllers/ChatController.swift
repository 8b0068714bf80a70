import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/chats`: list, create from a transcript, and one chat with participants and transcript
/// (seed L554–L949).
struct ChatController {
    let database: Database
    let clock: WallClock

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("chats")
        api.get("/chats", "List chats (without participants and transcript)", returns: [CMIChat].self, use: self.list)
        api.raw(
            .post, "/chats", "Create a chat with its transcript, inbound or outbound", body: CMINewChat.self,
            responses: CMIResponses.createdResponses, use: self.create)
        api.get("/chats/{chatId}", "One chat with participants and transcript", returns: CMIChat.self, use: self.get)
    }

    /// `GET /chats`'s parameters.
    struct Query: Decodable {
        var language, originator, channel_sub_type, destination: String?
        var limit: CMILimit?
    }

    /// Chats filtered by `originator`, `channel_sub_type` and `destination`, trimmed and ignoring case.
    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMIChat] {
        let query = try request.decodeQuery(as: Query.self)
        let found = try await self.database.read {
            try await $0.chats.chats(
                originator: query.originator.nonEmpty, channelSubType: query.channel_sub_type.nonEmpty, destination: query.destination.nonEmpty,
                limit: query.limit?.value
            )
        }
        return found.map { CMITranslations.translated($0, to: context.language(query.language)) }
    }

    /// One chat, its transcript newest first as the seed's examples are.
    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMIChat {
        let (id, query) = (try context.guid("chatId"), try request.decodeQuery(as: CMILanguageQuery.self))
        var chat = try await self.database.found { try await $0.chats.chat(id: id) }
        chat.transcript?.messages.sort { CMITime.canonical($0.timestamp) > CMITime.canonical($1.timestamp) }
        return CMITranslations.translated(chat, to: context.language(query.language))
    }

    /// Creates an inbound chat (queued to `from_queue`) and its contact, or an outbound one (already sent); 201 with the id.
    @Sendable func create(_ request: Request, context: CMIContext) async throws -> Response {
        let new = try await request.decode(as: CMINewChat.self, context: context)
        guard new.title.count <= 256 else { throw ServiceError.cmiInvalid("title", "longer than 256 characters") }
        for (field, value) in [("channel_sub_type", new.channelSubType), ("originator", new.originator), ("destination", new.destination)]
        where value.isEmpty {
            throw ServiceError.cmiInvalid(field, "empty")
        }
        let queueID = try CMIIdentifier.guid(new.fromQueue.id)
        let now = CMITime.format(self.clock.date())
        let transcript = try new.transcript.messages.enumerated().map { index, message in
            let field = "transcript.messages[\(index)]"
            if let type = message.type, type != .text { throw ServiceError.cmiInvalid("\(field).type", type.rawValue) }
            let timestamp = try message.timestamp.map { try CMITime.bound($0, field: "\(field).timestamp") } ?? now
            return CMIChatTranscriptMessage(
                message: message.message, originator: message.originator, timestamp: timestamp, systemMessage: message.systemMessage ?? false,
                type: .text)
        }
        let inbound = new.channelType == .chat
        let id = try await self.database.transaction { tx in
            guard let queue = try await tx.queues.queue(id: queueID) else { throw ServiceError.cmiInvalid("from_queue.id", new.fromQueue.id) }
            let chat = CMIChat(
                id: CMIIdentifier.make(), channelType: new.channelType.rawValue, channelSubType: new.channelSubType,
                type: inbound ? .chatIn : .chatOut, typeDetails: inbound ? "Chat" : "ChatOut",
                status: inbound ? .inQueue : .handled, statusDetails: inbound ? "Open" : "Sent",
                originator: new.originator, destination: new.destination, title: new.title, dateCreated: now,
                fromQueue: CMIQueueRef(id: queue.id, name: queue.name), participants: new.participants ?? [],
                transcript: CMIChatTranscript(messages: transcript)
            )
            try await tx.chats.put(chat)
            try await tx.contacts.put(Self.contact(for: chat, inbound: inbound))
            return chat.id
        }
        return CMIResponses.created(id: id, request: request)
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
}

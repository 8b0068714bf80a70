import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Chats: created through the CMI or loaded through the administration extension.
struct ChatSQLRepository {
    let sql: any SQLDatabase

    func put(_ chat: CMIChat) async throws {
        try await self.sql.delete(from: "chats").where("id", .equal, chat.id).run()
        try await self.sql.insert(into: "chats").row(ChatRow(chat)).run()
    }

    func chat(id: String) async throws -> CMIChat? {
        try await self.sql.select().column("*").from("chats").where("id", .equal, id).first(ChatRow.self)?.chat
    }

    /// Chats by originator, sub type and destination, newest first, without participants and transcript. Values
    /// compare trimmed and ignoring case (the seed's own pair differs by a leading space, L575 and L627; notes A32).
    func chats(originator: String?, channelSubType: String?, destination: String?, limit: Int?) async throws -> [CMIChat] {
        let select = self.sql.select().columns(ChatRow.listColumns).from("chats").orderBy("date_created", .descending).orderBy("id").limit(limit)
        for (column, value) in [("originator", originator), ("channel_sub_type", channelSubType), ("destination", destination)] {
            guard let value else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespaces).lowercased()
            select.where(SQLFunction("LOWER", args: SQLFunction("TRIM", args: SQLColumn(column))), .equal, SQLBind(trimmed))
        }
        return try await select.all(ChatRow.self).map(\.chat)
    }
}

/// A `chats` row; participants and transcript are JSON, read and written whole with the chat.
struct ChatRow: Codable, Sendable {
    var id, channelType, channelSubType, originator, destination, dateCreated, fromQueueId, fromQueueName: String
    var type: CMIChatType?
    var status: CMIChatStatus?
    var typeDetails, statusDetails, title, agentId, agentName: String?
    var participants: JSONText<[CMIChatParticipant]>?
    var transcript: JSONText<CMIChatTranscript>?

    /// What a list shows: everything but participants and transcript ("Included only when only one chat is fetched").
    static let listColumns = [
        "id", "channel_type", "channel_sub_type", "originator", "destination", "date_created", "from_queue_id", "from_queue_name", "type",
        "type_details", "status", "status_details", "title", "agent_id", "agent_name",
    ]

    init(_ c: CMIChat) {
        (self.id, self.channelType, self.channelSubType, self.originator, self.destination) = (
            c.id, c.channelType, c.channelSubType, c.originator, c.destination
        )
        (self.dateCreated, self.fromQueueId, self.fromQueueName, self.type, self.typeDetails) = (
            c.dateCreated, c.fromQueue.id, c.fromQueue.name, c.type, c.typeDetails
        )
        (self.status, self.statusDetails, self.title, self.agentId, self.agentName) = (
            c.status, c.statusDetails, c.title, c.agentId, c.agentName
        )
        (self.participants, self.transcript) = (c.participants.map(JSONText.init), c.transcript.map(JSONText.init))
    }

    var chat: CMIChat {
        CMIChat(
            id: self.id, channelType: self.channelType, channelSubType: self.channelSubType, type: self.type,
            typeDetails: self.typeDetails, status: self.status, statusDetails: self.statusDetails,
            originator: self.originator, destination: self.destination, title: self.title, dateCreated: self.dateCreated,
            fromQueue: CMIQueueRef(id: self.fromQueueId, name: self.fromQueueName), participants: self.participants?.value,
            transcript: self.transcript?.value, agentId: self.agentId, agentName: self.agentName
        )
    }
}

import Foundation
import Hummingbird
import ServiceKit
import WireModels

/// Where the Anytime API's requests reach the database: reads on one snapshot, writes in one transaction holding the
/// lock of the conversation they change (so a message's position and the checks before a write see the same rows on
/// PostgreSQL too; SQLite has one writer).
struct ConversationStore: Sendable {
    let database: Database
    let clock: WallClock
    /// Agents, departments, contacts and visitors for `include=`.
    let directory: ConversationDirectory

    var now: Int64 { self.clock.milliseconds() }

    func read<T: Sendable>(_ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.database.read(body)
    }

    /// A transaction holding the locks of `conversations` (in id order, so two writers never wait on each other).
    func write<T: Sendable>(locking conversations: [Int64] = [], _ body: @Sendable (Tx) async throws -> T) async throws -> T {
        try await self.database.transaction { tx in
            for id in Set(conversations).sorted() { try await tx.lock(Self.lockKey(conversation: id)) }
            return try await body(tx)
        }
    }

    /// The advisory lock of one conversation: FNV-1a of its id in its own key space.
    static func lockKey(conversation id: Int64) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "conversation:\(id)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }

    /// The wire form of `rows`, with their tags and mentions (two more queries for all of them).
    static func wire(_ rows: [ConversationRow], tx: Tx) async throws -> [AnytimeConversation] {
        let ids = rows.map(\.id)
        let tags = try await tx.conversations.tags(of: ids)
        let mentions = try await tx.conversations.mentions(of: ids)
        let customFields = try await CustomFieldValues.wire(of: ids, tx: tx)
        let drafts = try await tx.drafts.withDrafts(ids)
        return rows.map {
            var conversation = $0.wire(tags: tags[$0.id] ?? [], mentions: mentions[$0.id] ?? [])
            conversation.hasDraft = drafts.contains($0.id)
            conversation.customFields = customFields[$0.id] ?? []
            return conversation
        }
    }

    /// One conversation's wire form with what `include` asks for.
    static func wire(_ row: ConversationRow, include: ConversationInclude, tx: Tx) async throws -> AnytimeConversation {
        var conversation = try await Self.wire([row], tx: tx)[0]
        if include.messages { conversation.messages = try await tx.conversations.messages(of: row.id) }
        if include.eventLogs { conversation.eventLogs = try await tx.conversations.eventLogs(of: row.id) }
        return conversation
    }
}

/// `include=` of conversations (spec §2.5, decision 251): the agent, department, contact or visitor objects beside their
/// ids on lists and single conversations, and `messages` and `eventLogs` on single ones. An unknown name is a 400.
struct ConversationInclude: Sendable {
    var messages = false
    var eventLogs = false
    var assignedAgent = false
    var assignedDepartment = false
    var contactOrVisitor = false
    var createdBy = false
    var lastRepliedBy = false

    /// Whether another service is asked.
    var expandsPeople: Bool { self.assignedAgent || self.assignedDepartment || self.contactOrVisitor || self.createdBy || self.lastRepliedBy }

    init(_ text: String?, single: Bool) throws {
        for name in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            switch name.lowercased() {
            case "messages" where single: self.messages = true
            case "eventlogs" where single: self.eventLogs = true
            case "assignedagent": self.assignedAgent = true
            case "assigneddepartment": self.assignedDepartment = true
            case "contactorvisitor": self.contactOrVisitor = true
            case "createdby": self.createdBy = true
            case "lastrepliedby": self.lastRepliedBy = true
            default: throw ServiceError.invalid("include", "Parameter 'include' does not know '\(AnytimeLimits.shortened(name))'.")
            }
        }
    }
}

/// `include=` of messages (spec §2.5): `sender` only.
struct MessageInclude: Sendable {
    var sender = false

    init(_ text: String?) throws {
        for name in (text ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard name.lowercased() == "sender" else {
                throw ServiceError.invalid("include", "Parameter 'include' does not know '\(AnytimeLimits.shortened(name))'.")
            }
            self.sender = true
        }
    }
}

extension AuthenticatedContext {
    /// The signed-in agent's site: every row the Anytime API reads or writes is scoped by it.
    var site: String { self.identity.tenant }

    /// The agent making the request.
    var agentId: String { self.identity.principalID }

    /// The integer id in the path parameter `name`; 400 naming it when it is not one.
    func conversationId(_ name: String = "id") throws -> Int64 {
        let text = try self.parameters.require(name)
        guard let id = Int64(text), id > 0 else {
            throw ServiceError.invalid(
                name, "Parameter '\(name)' must be a conversation id (a positive integer), not '\(AnytimeLimits.shortened(text))'.")
        }
        return id
    }
}

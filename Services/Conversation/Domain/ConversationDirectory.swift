import Foundation
import ServiceKit
import WireModels

/// The people a conversation names, from the services that own them (ARCHITECTURE §3; spec §2.5, decision 251):
/// agents and departments from livechat-config, contacts and visitors (a contact's `visitor` identity) from
/// outreach-contact, each through its typed client with its short cache. A peer that is down is a 503 naming it.
struct ConversationDirectory: Sendable {
    let liveChat: LiveChatConfigClient
    let contacts: OutreachContactClient
    let visitors = ExpiringCache<String, JSONValue>(ttl: .seconds(10))

    /// `conversations` with what `include` asks for beside their ids.
    func expand(_ conversations: [AnytimeConversation], _ include: ConversationInclude, site: String) async throws -> [AnytimeConversation] {
        guard include.expandsPeople, !conversations.isEmpty else { return conversations }
        var people = People()
        for conversation in conversations {
            if include.assignedAgent { people.want(agent: conversation.assignedAgentId) }
            if include.assignedDepartment { people.want(department: conversation.assignedDepartmentId) }
            if include.contactOrVisitor { people.want(conversation.relatedType.flatMap(AnytimeActorType.init(related:)), conversation.relatedId) }
            if include.createdBy { people.want(conversation.createdByType, conversation.createdById) }
            if include.lastRepliedBy { people.want(conversation.lastRepliedByType, conversation.lastRepliedById) }
        }
        let found = try await self.resolve(people, site: site)
        return conversations.map { conversation in
            var conversation = conversation
            if include.assignedAgent { conversation.assignedAgent = found.agent(conversation.assignedAgentId) }
            if include.assignedDepartment { conversation.assignedDepartment = found.department(conversation.assignedDepartmentId) }
            if include.contactOrVisitor {
                conversation.contactOrVisitor = found.actor(conversation.relatedType.flatMap(AnytimeActorType.init(related:)), conversation.relatedId)
            }
            if include.createdBy { conversation.createdBy = found.actor(conversation.createdByType, conversation.createdById) }
            if include.lastRepliedBy { conversation.lastRepliedBy = found.actor(conversation.lastRepliedByType, conversation.lastRepliedById) }
            return conversation
        }
    }

    /// `messages` with their `sender` when `include=sender` asks for it.
    func expand(_ messages: [AnytimeMessage], sender: Bool, site: String) async throws -> [AnytimeMessage] {
        guard sender, !messages.isEmpty else { return messages }
        var people = People()
        for message in messages { people.want(message.senderType, message.senderId) }
        let found = try await self.resolve(people, site: site)
        return messages.map { message in
            var message = message
            message.sender = found.actor(message.senderType, message.senderId)
            return message
        }
    }

    /// The ids a page names, by kind.
    struct People {
        var agents: Set<String> = []
        var departments: Set<String> = []
        var contacts: Set<String> = []
        var visitors: Set<String> = []

        mutating func want(agent id: String?) { if let id { self.agents.insert(id) } }
        mutating func want(department id: String?) { if let id { self.departments.insert(id) } }

        mutating func want(_ type: AnytimeActorType?, _ id: String?) {
            guard let type, let id else { return }
            switch type {
            case .agent: self.agents.insert(id)
            case .contact: self.contacts.insert(id)
            case .visitor: self.visitors.insert(id)
            case .system: break
            }
        }
    }

    /// The objects found for a page's ids, as JSON; anyone not found is `null`.
    struct Found {
        var agents: [String: JSONValue] = [:]
        var departments: [String: JSONValue] = [:]
        var contacts: [String: JSONValue] = [:]
        var visitors: [String: JSONValue] = [:]

        func agent(_ id: String?) -> JSONValue { id.flatMap { self.agents[$0] } ?? .null }
        func department(_ id: String?) -> JSONValue { id.flatMap { self.departments[$0] } ?? .null }

        func actor(_ type: AnytimeActorType?, _ id: String?) -> JSONValue {
            guard let type, let id else { return .null }
            switch type {
            case .agent: return self.agents[id] ?? .null
            case .contact: return self.contacts[id] ?? .null
            case .visitor: return self.visitors[id] ?? .null
            case .system: return .null
            }
        }
    }

    func resolve(_ people: People, site: String) async throws -> Found {
        var found = Found()
        if !people.agents.isEmpty {
            for agent in try await self.liveChat.agents(siteId: site) {
                guard people.agents.contains(String(agent.id)) else { continue }
                found.agents[String(agent.id)] = try JSONValue(encoding: agent)
            }
        }
        if !people.departments.isEmpty {
            for department in try await self.liveChat.departments(siteId: site) {
                guard let id = department.id.map(String.init), people.departments.contains(id) else { continue }
                found.departments[id] = try JSONValue(encoding: department)
            }
        }
        if !people.contacts.isEmpty {
            for (id, contact) in try await self.contacts.contacts(ids: people.contacts, site: site) {
                found.contacts[id] = try JSONValue(encoding: contact)
            }
        }
        // A visitor is found by its identity, one lookup each: a page's lookups run side by side, a few at a time.
        found.visitors = try await withThrowingTaskGroup(of: (String, JSONValue).self) { group in
            var pending = people.visitors.sorted()[...]
            var visitors: [String: JSONValue] = [:]
            for _ in 0..<Self.visitorLookups {
                if let visitor = pending.popFirst() { group.addTask { (visitor, try await self.visitor(visitor, site: site)) } }
            }
            while let (visitor, object) = try await group.next() {
                visitors[visitor] = object
                if let next = pending.popFirst() { group.addTask { (next, try await self.visitor(next, site: site)) } }
            }
            return visitors
        }
        return found
    }

    /// Visitor lookups of one page that run at once.
    static let visitorLookups = 8

    /// The contact holding the visitor identity `id`, as JSON, or `null`.
    func visitor(_ id: String, site: String) async throws -> JSONValue {
        try await self.visitors.value(for: "\(site)/\(id)") {
            let owners = try await self.contacts.identify(identityType: Comm100IdentityType.visitor.rawValue, value: id, site: site)
            return try owners.first.map { try JSONValue(encoding: $0) } ?? .null
        }
    }
}

extension AnytimeActorType {
    /// The actor a conversation's `relatedType` names.
    init?(related: AnytimeRelatedType) {
        switch related {
        case .contact: self = .contact
        case .visitor: self = .visitor
        case .agent: self = .agent
        }
    }
}

extension JSONValue {
    /// `value` as JSON.
    init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}

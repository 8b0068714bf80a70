import Conditions
import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension AnytimeConversation: ResponseEncodable {}
extension AnytimeConversationPage: ResponseEncodable {}
extension AnytimeDeletedConversationPage: ResponseEncodable {}
extension AnytimeEventLog: ResponseEncodable {}

/// `/api/v3/anytime/conversations` and `/deletedConversations` (seed 000 L221–L496; spec §3.1, §3.3, §5.1–§5.3, §5.5).
struct ConversationController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Conversations")
        let errors = [400: "Invalid conversation or parameter", 404: "Not found"]
        let listQuery = [
            QueryParameter("keywords", "Matched in the subject and the messages' text, any case"),
            QueryParameter("tagId", "A tag the conversation has"),
            QueryParameter("timeFrom", "On the last reply time; 30 days ago by default"),
            QueryParameter("timeTo", "On the last reply time; now by default"),
            QueryParameter("timeZoneOffset", "Hours east of UTC for times without a zone"),
            QueryParameter("pageIndex", "From 1; 50 a page", .integer),
            QueryParameter("viewId", "Only conversations the view shows"),
            QueryParameter("conditions", "conditions[i][field], conditions[i][matchType], conditions[i][value]: all must hold"),
        ]
        api.get(
            "/conversations", "List conversations (50 a page)", returns: AnytimeConversationPage.self,
            query: listQuery + [
                QueryParameter("sortBy", "lastReplyTime (default), lastActivityTime, priority, status or nextSLABreach"),
                QueryParameter("sortOrder", "descending (default) or ascending"),
            ], errors: errors, use: self.list)
        api.post(
            "/conversations", "Submit a new conversation with its first message", body: AnytimeConversationInput.self,
            returns: AnytimeConversation.self, status: .created, errors: errors, use: self.create)
        api.get(
            "/conversations/{id}", "Get a conversation", returns: AnytimeConversation.self,
            query: [QueryParameter("include", "assignedAgent, assignedDepartment, contactOrVisitor, createdBy, lastRepliedBy, messages, eventLogs")],
            errors: errors, use: self.get)
        api.put(
            "/conversations/{id}", "Update a conversation (members left out keep their value)", body: AnytimeConversationUpdate.self,
            returns: AnytimeConversation.self, errors: errors, use: self.update)
        api.put(
            "/conversations", "Update conversations: status, priority, assignment or read state of every id, all or nothing",
            body: AnytimeConversationBatchUpdate.self, returns: [AnytimeConversation].self, errors: errors, use: self.updateMany)
        api.delete(
            "/conversations/{id}", "Move a conversation to the trash", returns: EmptyBody.self, status: .noContent, errors: errors, use: self.delete)
        api.delete(
            "/conversations", "Move conversations to the trash: ids in the query (repeated or comma-separated) or a JSON body {\"ids\": [...]}",
            returns: EmptyBody.self, status: .noContent, query: [QueryParameter("ids", "Conversation ids")], errors: errors, use: self.deleteMany)
        for (path, read, summary) in [
            ("/conversations/{id}/read", true, "Mark a conversation, its messages and the caller's mentions read"),
            ("/conversations/{id}/unread", false, "Mark a conversation unread"),
        ] {
            api.raw(.put, path, summary, responses: [204: summary].merging(errors) { $1 }) { _, context in
                try await self.mark(read: read, context: context)
                return Response(status: .noContent)
            }
        }
        api.get("/conversations/{id}/eventLogs", "A conversation's event logs, oldest first", returns: [AnytimeEventLog].self, errors: errors) {
            request, context in
            let (site, id) = (context.site, try context.conversationId())
            return try await self.store.read { tx in
                guard try await tx.conversations.conversation(id: id, site: site, deleted: false) != nil else {
                    throw ServiceError.notFound("Conversation")
                }
                return try await tx.conversations.eventLogs(of: id)
            }
        }
        let trash = api.tagged("Deleted conversations")
        trash.get(
            "/deletedConversations", "List deleted conversations (50 a page, last reply first)", returns: AnytimeDeletedConversationPage.self,
            query: listQuery, errors: errors, use: self.listDeleted)
        trash.get(
            "/deletedConversations/{id}", "Get a deleted conversation", returns: AnytimeConversation.self,
            query: [QueryParameter("include", "assignedAgent, assignedDepartment, contactOrVisitor, createdBy, lastRepliedBy, messages, eventLogs")],
            errors: errors
        ) { request, context in try await self.find(request, context: context, deleted: true) }
        trash.post(
            "/deletedConversations/{id}/restore", "Restore a deleted conversation", returns: AnytimeConversation.self, errors: errors,
            use: self.restore)
        trash.delete(
            "/deletedConversations/{id}", "Delete a conversation permanently", returns: EmptyBody.self, status: .noContent, errors: errors,
            use: self.purge)
    }

    // MARK: Lists

    struct ListParameters: Decodable {
        var keywords: String?
        var tagId: String?
        var timeFrom: String?
        var timeTo: String?
        var timeZoneOffset: String?
        @QueryInteger var pageIndex: Int?
        var sortBy: String?
        var sortOrder: String?
        var include: String?
        var viewId: String?
        var conditions: IndexedList<QueryCondition>?
    }

    /// One `conditions[i]` of the list (L234–L237); `fieldId` is read for `field` (spec §6 C11).
    struct QueryCondition: Decodable {
        var field: String?
        var fieldId: String?
        var matchType: String?
        var value: String?
    }

    static let pageSize = 50

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeConversationPage {
        let parameters = try request.decodeQuery(as: ListParameters.self)
        let (search, listQuery) = try self.search(parameters, request: request, site: context.site, deleted: false)
        let include = try ConversationInclude(parameters.include, single: false)
        let (total, conversations) = try await self.store.read { tx in
            let query = try await Self.narrowed(listQuery, toView: parameters.viewId, conditions: parameters.conditions, context: context, tx: tx)
            let found = try await tx.conversations.page(search, query)
            let wired = try await ConversationStore.wire(found.rows, tx: tx)
            return (found.total, try await ConversationStore.markActive(wired, agent: context.agentId, tx: tx))
        }
        let links = Self.links(request: request, pageIndex: listQuery.pageIndex, total: total)
        return AnytimeConversationPage(
            conversations: try await self.store.directory.expand(conversations, include, site: context.site), total: total,
            previousPage: links.previous, nextPage: links.next, currentPage: links.current)
    }

    @Sendable func listDeleted(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeDeletedConversationPage {
        var parameters = try request.decodeQuery(as: ListParameters.self)
        (parameters.sortBy, parameters.sortOrder) = (nil, nil)
        let (search, listQuery) = try self.search(parameters, request: request, site: context.site, deleted: true)
        let include = try ConversationInclude(parameters.include, single: false)
        let (viewId, conditions) = (parameters.viewId, parameters.conditions)
        let (total, conversations) = try await self.store.read { tx in
            let query = try await Self.narrowed(listQuery, toView: viewId, conditions: conditions, context: context, tx: tx)
            let found = try await tx.conversations.page(search, query)
            return (found.total, try await ConversationStore.wire(found.rows, tx: tx))
        }
        let links = Self.links(request: request, pageIndex: listQuery.pageIndex, total: total)
        return AnytimeDeletedConversationPage(
            deletedConversations: try await self.store.directory.expand(conversations, include, site: context.site), total: total,
            previousPage: links.previous, nextPage: links.next, currentPage: links.current)
    }

    /// `query` narrowed to the conversations `conditions` match and the view `id` shows, when there is one; 404 for a
    /// view the caller cannot see (spec §2.8, §5.10).
    static func narrowed(
        _ query: ListQuery, toView id: String?, conditions: IndexedList<QueryCondition>?, context: AuthenticatedContext, tx: Tx
    ) async throws -> ListQuery {
        var query = query
        let fieldIds = (conditions?.elements ?? []).compactMap { $0.field ?? $0.fieldId }
        let custom = ConversationConditions.needsCustomFields(fieldIds) ? try await FieldCatalog.all(site: context.site, tx: tx) : []
        if let predicate = try Self.conditionsPredicate(conditions, custom: custom) { query.filter(predicate) }
        guard let id = id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { return query }
        let view = try await ViewController.visibleView(id, context: context, tx: tx)
        if let predicate = try await ViewDefinition.predicate(of: view, tx: tx) { query.filter(predicate) }
        return query
    }

    /// The `conditions[i][field|matchType|value]` of the list, all of which must hold (spec §2.8, decision 221).
    static func conditionsPredicate(_ list: IndexedList<QueryCondition>?, custom: [FieldDefinition]) throws -> (any SQLExpression)? {
        let indexed = list?.indexed ?? []
        guard indexed.count <= ConversationConditions.maxConditions else {
            throw ServiceError.invalid("conditions", "Parameter 'conditions' may hold at most \(ConversationConditions.maxConditions) conditions.")
        }
        var checked: [ConversationConditions.Checked] = []
        for (number, (index, condition)) in indexed.enumerated() {
            let member = "conditions[\(index)]"
            let matchType = try condition.matchType.map { text in
                guard
                    let type = AnytimeMatchType.allCases.first(where: {
                        $0.rawValue.lowercased() == text.trimmingCharacters(in: .whitespaces).lowercased()
                    })
                else {
                    throw ServiceError.invalid(
                        "\(member)[matchType]",
                        "Parameter '\(member)[matchType]' must be one of \(AnytimeMatchType.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return type
            }
            checked.append(
                try ConversationConditions.check(
                    field: condition.field ?? condition.fieldId, matchType: matchType, value: condition.value, orderNum: number + 1,
                    custom: custom, name: { "\(member)[\($0)]" }, fieldPart: "field"))
        }
        return try ConversationConditions.predicate(checked, combination: .all)
    }

    /// The list's filters and page (spec §2.6, §2.7, §3.1 #1; decisions 200–201).
    func search(_ parameters: ListParameters, request: Request, site: String, deleted: Bool) throws -> (ConversationSearch, ListQuery) {
        _ = try ConversationInclude(parameters.include, single: false)
        var offset = 0.0
        if let text = parameters.timeZoneOffset?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let hours = Double(text), (-14...14).contains(hours) else {
                throw ServiceError.invalid("timeZoneOffset", "Parameter 'timeZoneOffset' must be a number of hours between -14 and 14.")
            }
            offset = hours
        }
        let now = self.store.now
        func time(_ text: String?, _ member: String, default value: Int64) throws -> Int64 {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return value }
            return try AnytimeTime.parse(text, member: member, offsetHours: offset)
        }
        let from = try time(parameters.timeFrom, "timeFrom", default: now - 30 * AnytimeTime.dayMilliseconds)
        let to = try time(parameters.timeTo, "timeTo", default: now)
        guard from <= to else { throw ServiceError.invalid("timeFrom", "Parameter 'timeFrom' must not be after 'timeTo'.") }
        let keywords = (parameters.keywords ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard keywords.count <= AnytimeLimits.subject else {
            throw ServiceError.invalid("keywords", "Parameter 'keywords' may hold at most \(AnytimeLimits.subject) characters.")
        }
        let search = ConversationSearch(
            site: site, deleted: deleted, keywords: keywords.isEmpty ? nil : keywords, from: from, to: to,
            tagId: try AnytimeLimits.id(parameters.tagId, "tagId"))
        let pageIndex = parameters.pageIndex ?? 1
        guard (1...ListQuery.Limits().maxIndex).contains(pageIndex) else {
            throw ServiceError.invalid("pageIndex", "Parameter 'pageIndex' must be between 1 and \(ListQuery.Limits().maxIndex).")
        }
        let ascending: Bool
        switch (parameters.sortOrder ?? "").trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "descending", "desc": ascending = false
        case "ascending", "asc": ascending = true
        default: throw ServiceError.invalid("sortOrder", "Parameter 'sortOrder' must be ascending or descending.")
        }
        let column = { (name: String) in SQLColumn(name, table: "conversations") }
        let direction: SQLDirection = ascending ? .ascending : .descending
        var sort: [ListQuery.SortKey]
        switch (parameters.sortBy ?? "").trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "lastreplytime", "lastrepliedtime": sort = [.init(column("last_replied_time"), direction)]
        case "lastactivitytime": sort = [.init(column("last_activity_time"), direction)]
        case "priority": sort = [.init(column("priority_rank"), direction)]
        case "status": sort = [.init(column("status_rank"), direction)]
        case "nextslabreach":
            // Conversations without a target come last either way (spec §2.7).
            sort = [
                .init(SQLBinaryExpression(column("next_sla_breach"), .is, SQLLiteral.null)),
                .init(column("next_sla_breach"), direction),
            ]
        default:
            throw ServiceError.invalid(
                "sortBy", "Parameter 'sortBy' must be one of nextSLABreach, lastReplyTime, lastActivityTime, priority, status.")
        }
        // Ties: the newest conversation first (spec §2.7).
        sort.append(.init(column("id"), .descending))
        var query = ListQuery(pageIndex: pageIndex, pageSize: Self.pageSize, sort: sort)
        return (search, query)
    }

    /// Relative page URIs keeping every other query parameter (spec §2.6, decision 201).
    static func links(request: Request, pageIndex: Int, total: Int) -> (previous: String?, next: String?, current: String) {
        let query = (URLComponents(string: request.uri.description)?.queryItems ?? []).filter {
            $0.name.lowercased() != "pageindex" && $0.name.lowercased() != "siteid"
        }
        func link(_ index: Int) -> String {
            var components = URLComponents()
            components.queryItems = query + [URLQueryItem(name: "pageIndex", value: String(index))]
            return "\(request.uri.path)?\(components.percentEncodedQuery ?? "")"
        }
        let lastPage = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        return (
            pageIndex > 1 && total > 0 ? link(min(pageIndex - 1, lastPage)) : nil, pageIndex * Self.pageSize < total ? link(pageIndex + 1) : nil,
            link(pageIndex)
        )
    }

    // MARK: One conversation

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeConversation {
        try await self.find(request, context: context, deleted: false)
    }

    func find(_ request: Request, context: AuthenticatedContext, deleted: Bool) async throws -> AnytimeConversation {
        struct Parameters: Decodable { var include: String? }
        let include = try ConversationInclude(try request.decodeQuery(as: Parameters.self).include, single: true)
        let (site, id) = (context.site, try context.conversationId())
        let conversation = try await self.store.read { tx in
            guard let row = try await tx.conversations.conversation(id: id, site: site, deleted: deleted) else {
                throw ServiceError.notFound(deleted ? "Deleted conversation" : "Conversation")
            }
            let wired = try await ConversationStore.wire(row, include: include, tx: tx)
            return try await ConversationStore.markActive([wired], agent: context.agentId, tx: tx)[0]
        }
        return try await self.store.directory.expand([conversation], include, site: site)[0]
    }

    /// Creates the conversation and its first message in one transaction, with the "created" event log (spec §5.1).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeConversationInput) async throws -> AnytimeConversation {
        guard let subjectText = input.subject?.trimmingCharacters(in: .whitespacesAndNewlines), !subjectText.isEmpty else {
            throw ServiceError.missing("subject")
        }
        let subject = try AnytimeLimits.bounded(subjectText, "subject", limit: AnytimeLimits.subject)
        guard let messageInput = input.message else { throw ServiceError.missing("message") }
        let channel = try AnytimeChannel.named(messageInput.channelId, member: "message.channelId")
        if messageInput.mentionedAgentIds?.isEmpty == false {
            throw ServiceError.invalid("message.mentionedAgentIds", "The first message is a message, not a note: it mentions nobody.")
        }
        let contents = try ContentRules.contents(messageInput.contents, channel: channel, member: "message.contents", sending: true)
        let tags = try TagRules.tags(input.tagIds ?? [])
        let (site, agent, now) = (context.site, context.agentId, self.store.now)
        let priority = input.priority ?? .normal
        let status = input.status ?? .new
        let contactIdentityId = try AnytimeLimits.id(messageInput.contactIdentityId, "message.contactIdentityId")
        let row = ConversationRow(
            id: 0, guid: UUID().uuidString.lowercased(), siteId: site, subject: subject, status: status.rawValue, statusRank: status.rank,
            priority: priority.rawValue, priorityRank: priority.rank, assignedAgentId: try AnytimeLimits.id(input.assignedAgentId, "assignedAgentId"),
            assignedDepartmentId: try AnytimeLimits.id(input.assignedDepartmentId, "assignedDepartmentId"), relatedType: nil, relatedId: nil,
            originalId: nil, channelId: channel.id, isRead: true, isReadByContact: false, isDeleted: false, createdById: agent,
            createdByType: AnytimeActorType.agent.rawValue, createdTime: now, lastActivityTime: now, lastStatusChangeTime: now, lastRepliedTime: now,
            lastRepliedById: agent, lastRepliedByType: AnytimeActorType.agent.rawValue, slaPolicyId: nil, firstRespondBreachAt: nil,
            nextRespondBreachAt: nil, resolveBreachAt: nil, nextSlaBreach: nil)
        let firstSubject = try messageInput.subject.map { try AnytimeLimits.bounded($0, "message.subject", limit: AnytimeLimits.subject) }
        let cc = try messageInput.cc.map { try AnytimeLimits.bounded($0, "message.cc", limit: AnytimeLimits.subject) }
        let account = try AnytimeLimits.id(messageInput.channelAccountId, "message.channelAccountId")
        let stored = row
        let staff = try await self.store.staff(site: site)
        return try await self.store.write { tx in
            var row = stored
            row.id = try await tx.conversations.insert(row)
            try await tx.conversations.setTags(tags, of: row.id, site: site)
            try await CustomFieldValues.apply(input.customFields, conversation: row.id, site: site, creating: true, tx: tx)
            // An agent starts the conversation: the message is sent, and "sending" until the connector reports (spec §6 C18).
            let message = AnytimeMessage(
                id: UUID().uuidString.lowercased(), conversationId: Int(row.id), channelId: channel.id, type: .message, directType: .send,
                channelAccountId: account, contactIdentityId: contactIdentityId, originalMessageId: nil, originalMessageUrl: nil, parentId: nil,
                subject: firstSubject, cc: cc, contents: contents, mentionedAgentIds: [], isRead: true, sendStatus: .sending, senderId: agent,
                senderType: .agent, time: AnytimeTime.format(now))
            try await tx.conversations.insert(message, site: site)
            try await tx.conversations.log("created", "Created by agent \(agent) via \(channel.id).", conversation: row.id, site: site, time: now)
            try await NewConversationPipeline.run(&row, staff: staff, now: now, tx: tx)
            return try await ConversationStore.wire(row, include: ConversationInclude(nil, single: true), tx: tx)
        }
    }

    /// A partial update: each change of status, priority, assignment, subject, related contact or tags is logged;
    /// property changes move `lastActivityTime`, status changes `lastStatusChangeTime` (spec §5.1–§5.2, §5.5).
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeConversationUpdate) async throws -> AnytimeConversation {
        let (site, id, agent, now) = (context.site, try context.conversationId(), context.agentId, self.store.now)
        let changes = try ConversationChanges(input)
        let staff = changes.unassignsAgent ? try await self.store.staff(site: site) : .notAsked
        return try await self.store.write(locking: [id]) { tx in
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else {
                throw ServiceError.notFound("Conversation")
            }
            let wasAssigned = row.assignedAgentId != nil
            if try await CustomFieldValues.apply(input.customFields, conversation: id, site: site, creating: false, tx: tx) {
                row.lastActivityTime = now
                try await tx.conversations.log("customFields", "Custom fields changed by agent \(agent).", conversation: id, site: site, time: now)
            }
            try await changes.apply(to: &row, agent: agent, now: now, tx: tx)
            try await ConversationAllocation.unassigned(&row, wasAssigned: wasAssigned, staff: staff, now: now, tx: tx)
            // The caller opens or closes it in their work area: not a change of the conversation (spec §5.8).
            if let active = input.isActive { try await tx.activeAgents.set(agent, active: active, conversation: id, site: site, now: now) }
            let wired = try await ConversationStore.wire(row, include: ConversationInclude(nil, single: true), tx: tx)
            return try await ConversationStore.markActive([wired], agent: agent, tx: tx)[0]
        }
    }

    /// Batch update (L310–L320): the same changes to every conversation of `ids`, all or nothing (spec §6 C16).
    @Sendable func updateMany(
        _ request: Request, context: AuthenticatedContext, input: AnytimeConversationBatchUpdate
    ) async throws
        -> [AnytimeConversation]
    {
        let (site, agent, now) = (context.site, context.agentId, self.store.now)
        guard let given = input.ids, !given.isEmpty else { throw ServiceError.missing("ids") }
        guard given.count <= AnytimeLimits.batch else {
            throw ServiceError.invalid("ids", "Field 'ids' may name at most \(AnytimeLimits.batch) conversations.")
        }
        var ids: [Int64] = []
        for id in given.map(Int64.init) where !ids.contains(id) { ids.append(id) }
        let changes = try ConversationChanges(
            AnytimeConversationUpdate(
                assignedAgentId: input.assignedAgentId, assignedDepartmentId: input.assignedDepartmentId, priority: input.priority,
                status: input.status, isRead: input.isRead))
        let targets = ids
        let staff = changes.unassignsAgent ? try await self.store.staff(site: site) : .notAsked
        return try await self.store.write(locking: targets) { tx in
            var rows: [ConversationRow] = []
            var missing: [Int64] = []
            for id in targets {
                if let row = try await tx.conversations.conversation(id: id, site: site, deleted: false) {
                    rows.append(row)
                } else {
                    missing.append(id)
                }
            }
            guard missing.isEmpty else {
                throw ServiceError(.notFound, message: "Conversation not found: \(missing.map(String.init).joined(separator: ", ")).", field: "ids")
            }
            for index in rows.indices {
                let wasAssigned = rows[index].assignedAgentId != nil
                try await changes.apply(to: &rows[index], agent: agent, now: now, tx: tx)
                try await ConversationAllocation.unassigned(&rows[index], wasAssigned: wasAssigned, staff: staff, now: now, tx: tx)
            }
            return try await ConversationStore.wire(rows, tx: tx)
        }
    }

    /// Read: the conversation, its messages and the caller's mentions; unread: the conversation only (spec §5.5).
    static func mark(_ row: inout ConversationRow, read: Bool, agent: String, tx: Tx) async throws {
        row.isRead = read
        if read {
            try await tx.conversations.readMessages(of: row.id)
            try await tx.conversations.readMentions(of: agent, in: row.id)
        }
    }

    func mark(read: Bool, context: AuthenticatedContext) async throws {
        let (site, id, agent) = (context.site, try context.conversationId(), context.agentId)
        try await self.store.write(locking: [id]) { tx in
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else {
                throw ServiceError.notFound("Conversation")
            }
            try await Self.mark(&row, read: read, agent: agent, tx: tx)
            try await tx.conversations.update(row)
        }
    }

    // MARK: Trash

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try await self.trash([try context.conversationId()], context: context)
        return EmptyBody()
    }

    /// All or nothing: an id that is not a conversation of the site in use is a 404 naming it (spec §6 C16).
    @Sendable func deleteMany(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        var texts = (URLComponents(string: request.uri.description)?.queryItems ?? []).filter { ["ids", "ids[]"].contains($0.name.lowercased()) }
            .flatMap { ($0.value ?? "").split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let body = try await request.body.collect(upTo: context.maxBodySize)
        var ids: [Int64] = []
        if !String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            ids += (try JSONBody.decode(AnytimeConversationIds.self, from: body).ids ?? []).map { Int64($0) }
        }
        for text in texts {
            guard let id = Int64(text), id > 0 else {
                throw ServiceError.invalid("ids", "Parameter 'ids' must hold conversation ids, not '\(AnytimeLimits.shortened(text))'.")
            }
            ids.append(id)
        }
        texts = []
        guard !ids.isEmpty else { throw ServiceError.missing("ids") }
        guard ids.count <= AnytimeLimits.batch else {
            throw ServiceError.invalid("ids", "Parameter 'ids' may name at most \(AnytimeLimits.batch) conversations.")
        }
        try await self.trash(Array(Set(ids)), context: context)
        return EmptyBody()
    }

    func trash(_ ids: [Int64], context: AuthenticatedContext) async throws {
        let (site, agent, now) = (context.site, context.agentId, self.store.now)
        try await self.store.write(locking: ids) { tx in
            let found = try await tx.conversations.existing(ids: ids, site: site, deleted: false)
            let missing = ids.filter { !found.contains($0) }.sorted()
            guard missing.isEmpty else {
                throw ServiceError(.notFound, message: "Conversation not found: \(missing.map(String.init).joined(separator: ", ")).", field: "ids")
            }
            try await tx.conversations.setDeleted(true, ids: ids, site: site, now: now)
            for id in ids.sorted() {
                try await tx.conversations.log("deleted", "Deleted by agent \(agent).", conversation: id, site: site, time: now)
            }
        }
    }

    @Sendable func restore(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeConversation {
        let (site, id, agent, now) = (context.site, try context.conversationId(), context.agentId, self.store.now)
        return try await self.store.write(locking: [id]) { tx in
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: true) else {
                throw ServiceError.notFound("Deleted conversation")
            }
            try await tx.conversations.setDeleted(false, ids: [id], site: site, now: now)
            row.isDeleted = false
            try await tx.conversations.log("restored", "Restored by agent \(agent).", conversation: id, site: site, time: now)
            return try await ConversationStore.wire(row, include: ConversationInclude(nil, single: true), tx: tx)
        }
    }

    /// Only a conversation in the trash can be deleted for good; its messages and logs go with it (spec §5.3).
    @Sendable func purge(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.conversationId())
        try await self.store.write(locking: [id]) { tx in
            guard try await tx.conversations.conversation(id: id, site: site, deleted: true) != nil else {
                throw ServiceError.notFound("Deleted conversation")
            }
            try await tx.conversations.purge(id: id, site: site)
            try await tx.settings.deleteCustomValues(of: id, site: site)
            try await tx.triggers.forget(conversation: id, site: site)
        }
        return EmptyBody()
    }
}

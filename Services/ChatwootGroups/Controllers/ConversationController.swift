import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import SQLKit
import ServiceKit
import WireModels

extension ChatwootConversation: ResponseEncodable {}
extension ChatwootConversationList: ResponseEncodable {}
extension ChatwootConversationCounts: ResponseEncodable {}
extension ChatwootToggleStatus: ResponseEncodable {}
extension ChatwootLabelList: ResponseEncodable {}
extension ChatwootCustomAttributes: ResponseEncodable {}
extension ChatwootMessage: ResponseEncodable {}
extension ChatwootMessageList: ResponseEncodable {}
extension ChatwootConversationAssignee: ResponseEncodable {}

/// Conversations of an account (Chatwoot's `ConversationsController`, `AssignmentsController`, `LabelsController`
/// and `MessagesController`): the list and its counts, create, show, status, priority, assignment, labels, custom
/// attributes, messages; agents reach only the conversations of their inboxes.
struct ConversationController {
    let access: ChatwootAccess
    let conversations: ConversationSQLRepository
    let messages: MessageSQLRepository

    /// `conversation_create_payload`.
    struct CreateInput: Codable, Sendable {
        var sourceId: String?
        var inboxId: Int?
        var contactId: Int?
        var additionalAttributes: JSONValue?
        var customAttributes: JSONValue?
        var status: String?
        var assigneeId: Int?
        var teamId: Int?
        var snoozedUntil: JSONValue?
        var message: InitialMessage?

        /// The first message.
        struct InitialMessage: Codable, Sendable {
            var content: String?
            var templateParams: JSONValue?

            enum CodingKeys: String, CodingKey {
                case content
                case templateParams = "template_params"
            }
        }

        enum CodingKeys: String, CodingKey {
            case status, message
            case sourceId = "source_id"
            case inboxId = "inbox_id"
            case contactId = "contact_id"
            case additionalAttributes = "additional_attributes"
            case customAttributes = "custom_attributes"
            case assigneeId = "assignee_id"
            case teamId = "team_id"
            case snoozedUntil = "snoozed_until"
        }
    }

    /// `PATCH /conversations/{id}`: the priority (and an SLA policy, an Enterprise feature not kept).
    struct UpdateInput: Codable, Sendable {
        var priority: String?
        var slaPolicyId: Int?

        enum CodingKeys: String, CodingKey {
            case priority
            case slaPolicyId = "sla_policy_id"
        }
    }

    /// `toggle_status`.
    struct ToggleStatusInput: Codable, Sendable {
        var status: String?
        var snoozedUntil: JSONValue?

        enum CodingKeys: String, CodingKey {
            case status
            case snoozedUntil = "snoozed_until"
        }
    }

    /// `toggle_priority`.
    struct TogglePriorityInput: Codable, Sendable {
        var priority: String?
    }

    /// `custom_attributes`.
    struct CustomAttributesInput: Codable, Sendable {
        var customAttributes: JSONValue?

        enum CodingKeys: String, CodingKey {
            case customAttributes = "custom_attributes"
        }
    }

    /// Labels to set.
    struct LabelsInput: Codable, Sendable {
        var labels: [String]?
    }

    /// `assignments`: `assignee_id` (null unassigns) or, without it, `team_id`.
    struct AssignmentInput: Codable, Sendable {
        var assigneeId: Int?
        var teamId: Int?
        var hasAssignee = false
        var hasTeam = false

        enum CodingKeys: String, CodingKey {
            case assigneeId = "assignee_id"
            case teamId = "team_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.hasAssignee = container.contains(.assigneeId)
            self.hasTeam = container.contains(.teamId)
            self.assigneeId = try container.decodeIfPresent(Int.self, forKey: .assigneeId)
            self.teamId = try container.decodeIfPresent(Int.self, forKey: .teamId)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(self.assigneeId, forKey: .assigneeId)
            try container.encodeIfPresent(self.teamId, forKey: .teamId)
        }
    }

    /// `conversation_message_create_payload` (JSON; multipart/form-data carries the same fields and `attachments[]`).
    struct MessageInput: Codable, Sendable {
        var content: String?
        var messageType: String?
        var `private`: Bool?
        var contentType: String?
        var contentAttributes: JSONValue?
        var campaignId: Int?
        var templateParams: JSONValue?
        var echoId: String?
        var sourceId: String?

        enum CodingKeys: String, CodingKey {
            case content, `private`
            case messageType = "message_type"
            case contentType = "content_type"
            case contentAttributes = "content_attributes"
            case campaignId = "campaign_id"
            case templateParams = "template_params"
            case echoId = "echo_id"
            case sourceId = "source_id"
        }
    }

    static let listQuery = [
        QueryParameter("assignee_type", "me, unassigned, assigned or all (default)"),
        QueryParameter("status", "open (default), resolved, pending, snoozed or all"), QueryParameter("q", "Text in the messages"),
        QueryParameter("inbox_id", "An inbox", .integer), QueryParameter("team_id", "A team", .integer),
        QueryParameter("labels", "Labels (labels[]=a&labels[]=b), any of them"), QueryParameter("page", "From 1; 25 a page", .integer),
    ]

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>, bots: Endpoints<AuthenticatedContext>) {
        let api = accounts.tagged("Conversations")
        api.get(
            "/{account_id}/conversations/meta", "Get Conversation Counts", returns: ChatwootConversationCounts.self,
            query: Self.listQuery.filter { $0.name != "assignee_type" && $0.name != "page" }, use: self.meta)
        api.get("/{account_id}/conversations", "Conversations List", returns: ChatwootConversationList.self, query: Self.listQuery, use: self.list)
        api.post(
            "/{account_id}/conversations/filter", "Conversations Filter", body: ChatwootFilterPayload.self, returns: ChatwootConversationList.self,
            query: [QueryParameter("page", "From 1; 25 a page", .integer)], use: self.filter)
        bots.tagged("Conversations").post(
            "/{account_id}/conversations", "Create New Conversation", body: CreateInput.self, returns: ChatwootConversation.self, use: self.create)
        api.get("/{account_id}/conversations/{conversation_id}", "Conversation Details", returns: ChatwootConversation.self, use: self.show)
        bots.tagged("Conversations")
            .patch(
                "/{account_id}/conversations/{conversation_id}", "Update Conversation", body: UpdateInput.self, returns: ChatwootConversation.self,
                use: self.update
            )
            .post(
                "/{account_id}/conversations/{conversation_id}/toggle_status", "Toggle Status", body: ToggleStatusInput.self,
                returns: ChatwootToggleStatus.self, use: self.toggleStatus
            )
            .raw(
                .post, "/{account_id}/conversations/{conversation_id}/toggle_priority", "Toggle Priority", body: TogglePriorityInput.self,
                responses: [200: "Priority changed", 401: "Unauthorized", 404: "Not found"], use: self.togglePriority)
        api.post(
            "/{account_id}/conversations/{conversation_id}/custom_attributes", "Update Custom Attributes", body: CustomAttributesInput.self,
            returns: ChatwootCustomAttributes.self, use: self.customAttributes)
        api.get("/{account_id}/conversations/{conversation_id}/labels", "List Labels", returns: ChatwootLabelList.self, use: self.labels)
            .post(
                "/{account_id}/conversations/{conversation_id}/labels", "Add Labels", body: LabelsInput.self, returns: ChatwootLabelList.self,
                use: self.setLabels)
        bots.tagged("Conversation Assignments").raw(
            .post, "/{account_id}/conversations/{conversation_id}/assignments", "Assign Conversation", body: AssignmentInput.self,
            responses: [200: "The assignee (or team); null when unassigned", 401: "Unauthorized", 404: "Not found"], use: self.assign)
        let messagesAPI = accounts.tagged("Messages")
        messagesAPI.get(
            "/{account_id}/conversations/{conversation_id}/messages", "Get messages", returns: ChatwootMessageList.self,
            query: [
                QueryParameter("before", "Messages before this id (20)", .integer), QueryParameter("after", "Messages after this id (100)", .integer),
            ], use: self.listMessages)
        bots.tagged("Messages").raw(
            .post, "/{account_id}/conversations/{conversation_id}/messages", "Create New Message", body: MessageInput.self,
            responses: [200: "The message", 401: "Unauthorized", 404: "Not found", 422: "Invalid message"], use: self.createMessage)
        messagesAPI.delete(
            "/{account_id}/conversations/{conversation_id}/messages/{message_id}", "Delete a message", returns: ChatwootMessage.self,
            use: self.deleteMessage)
        // Chatwoot's dashboard routes beside the swagger's: mute, unmute, update_last_seen (empty 200s).
        let dashboard = accounts.tagged("Conversations", isExtension: true)
        for (action, summary) in [
            ("mute", "Mute a conversation (extension: Chatwoot's dashboard route)"),
            ("unmute", "Unmute a conversation (extension: Chatwoot's dashboard route)"),
            ("update_last_seen", "Mark a conversation seen (extension: Chatwoot's dashboard route)"),
        ] {
            dashboard.raw(
                .post, "/{account_id}/conversations/{conversation_id}/\(action)", summary,
                responses: [200: "Done", 401: "Unauthorized", 404: "Not found"]
            ) { request, context in try await self.dashboardAction(action, context: context) }
        }
        dashboard.raw(
            .post, "/{account_id}/conversations/{conversation_id}/toggle_typing_status",
            "Show or hide the agent typing (extension: Chatwoot's dashboard route)", body: TypingInput.self,
            responses: [200: "Done", 400: "Bad field type", 401: "Unauthorized", 404: "Not found"], use: self.toggleTyping)
        accounts.tagged("Messages", isExtension: true).raw(
            .get, "/{account_id}/attachments/{attachment_id}", "Download a message's file (extension: the attachment's data_url)",
            responses: [200: "The file", 401: "Unauthorized", 404: "Not found"], use: self.download)
    }

    // MARK: List

    /// The four counts under the list's filters.
    @Sendable func meta(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootConversationCounts {
        let caller = try await self.access.member(context)
        return ChatwootConversationCounts(meta: try await self.conversations.counts(caller, try Self.filters(request)))
    }

    /// A page of conversations with the counts.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootConversationList {
        let caller = try await self.access.member(context)
        let (counts, rows) = try await self.conversations.list(caller, try Self.filters(request))
        return ChatwootConversationList(meta: counts, payload: try await self.conversations.render(rows))
    }

    /// The conversations matching a filter payload (spec §5.4), with the counts; Chatwoot's 422 `{"error"}` for an
    /// unknown attribute, operator or query operator, or missing values.
    @Sendable func filter(_ request: Request, context: AuthenticatedContext, input: ChatwootFilterPayload) async throws -> ChatwootConversationList {
        let caller = try await self.access.member(context)
        let page = try Self.integer(request.uri.queryParameters.get("page"), "page") ?? 1
        let (counts, rows) = try await self.conversations.filter(caller, input.payload, page: page)
        return ChatwootConversationList(meta: counts, payload: try await self.conversations.render(rows))
    }

    /// The list's query parameters; an unknown status or assignee type, or a non-numeric id or page, is a 400 naming it.
    static func filters(_ request: Request) throws -> ConversationSQLRepository.Filters {
        let query = request.uri.queryParameters
        var filters = ConversationSQLRepository.Filters()
        if let status = query.get("status"), !status.isEmpty {
            guard ConversationSQLRepository.statuses.contains(status) || status == "all" else { throw Self.invalid("status", status) }
            filters.status = status
        }
        if let type = query.get("assignee_type"), !type.isEmpty {
            guard ["me", "unassigned", "assigned", "all"].contains(type) else { throw Self.invalid("assignee_type", type) }
            filters.assigneeType = type
        }
        filters.inboxID = try Self.integer(query.get("inbox_id"), "inbox_id")
        filters.teamID = try Self.integer(query.get("team_id"), "team_id")
        filters.page = try Self.integer(query.get("page"), "page") ?? 1
        filters.query = query.get("q")
        filters.labels = (query.getAll("labels[]") + query.getAll("labels")).map { String($0) }.filter { !$0.isEmpty }
        return filters
    }

    private static func integer(_ text: String?, _ field: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw ServiceError(.badRequest, message: "\(field) must be an integer, not '\(text.prefix(40))'", field: field)
        }
        return value
    }

    private static func invalid(_ field: String, _ value: String) -> ServiceError {
        ServiceError(.unprocessableContent, message: "'\(value.prefix(40))' is not a valid \(field)", field: field)
    }

    // MARK: One conversation

    /// Creates a conversation for a contact inbox (by `source_id`, or made for `contact_id` in `inbox_id`).
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: CreateInput) async throws -> ChatwootConversation {
        let caller = try await self.access.member(context, bots: true)
        if let inbox = input.inboxId { try await self.access.requireInbox(caller, inbox) }
        let status = input.status ?? "open"
        guard ConversationSQLRepository.statuses.contains(status) else { throw Self.invalid("status", status) }
        _ = try ChatwootRows.object(input.additionalAttributes, field: "additional_attributes")
        _ = try ChatwootRows.object(input.customAttributes, field: "custom_attributes")
        let found = try await self.conversations.contactInbox(
            account: caller.accountID, inboxID: input.inboxId, contactID: input.contactId, sourceID: input.sourceId)
        let inbox = try await self.conversations.inboxOf(contactInbox: found.contactInbox)
        try await self.access.requireInbox(caller, inbox)
        // Chatwoot's `Current.account.users.find_by` / `teams.find_by`: someone outside the account assigns nobody.
        var assignee = input.assigneeId
        if let id = assignee, try await !self.conversations.member(account: caller.accountID, user: id) { assignee = nil }
        var team = input.teamId
        if let id = team, try await !self.conversations.team(account: caller.accountID, team: id) { team = nil }
        let first: MessageSQLRepository.Creation? = try input.message.map { message in
            guard let content = message.content, !content.isEmpty else { throw ChatwootRows.blank("content") }
            return MessageSQLRepository.Creation(
                content: content, messageType: MessageSQLRepository.outgoing, private: false, contentType: "text", contentAttributes: .object([:]),
                additionalAttributes: message.templateParams.map { .object(["template_params": $0]) } ?? .object([:]), sourceID: nil, uploads: [])
        }
        let row = try await self.conversations.create(
            account: caller.accountID,
            .init(
                inboxID: inbox, contactID: found.contact, contactInboxID: found.contactInbox, status: status, assigneeID: assignee, teamID: team,
                snoozedUntil: try Self.time(input.snoozedUntil, "snoozed_until"), additionalAttributes: input.additionalAttributes ?? .object([:]),
                customAttributes: input.customAttributes ?? .object([:])),
            actor: try await self.actor(caller), message: first)
        return try await self.rendered(row)
    }

    /// One conversation.
    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootConversation {
        let caller = try await self.access.member(context)
        return try await self.rendered(try await self.conversation(caller, context))
    }

    /// Changes the priority (Chatwoot permits only `priority` here).
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: UpdateInput) async throws -> ChatwootConversation {
        let caller = try await self.access.member(context, bots: true)
        let row = try await self.conversation(caller, context)
        guard let priority = input.priority else { return try await self.rendered(row) }
        let changed = try await self.conversations.update(
            row, .init(priority: .some(try Self.priority(priority))), actor: try await self.actor(caller))
        return try await self.rendered(changed)
    }

    /// Sets the status given, or toggles open and resolved; snoozed takes `snoozed_until`.
    @Sendable func toggleStatus(_ request: Request, context: AuthenticatedContext, input: ToggleStatusInput) async throws -> ChatwootToggleStatus {
        let caller = try await self.access.member(context, bots: true)
        let row = try await self.conversation(caller, context)
        let status: String
        if let given = input.status, !given.isEmpty {
            guard ConversationSQLRepository.statuses.contains(given) else { throw Self.invalid("status", given) }
            status = given
        } else {
            status = row.status == "open" ? "resolved" : "open"
        }
        let until = try Self.time(input.snoozedUntil, "snoozed_until")
        let changed = try await self.conversations.update(
            row, .init(status: status, snoozedUntil: .some(until)), actor: try await self.actor(caller))
        return ChatwootToggleStatus(success: true, currentStatus: changed.status, conversationId: changed.displayId)
    }

    /// Sets or (`none`, or no priority) removes the priority; an empty 200.
    @Sendable func togglePriority(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context, bots: true)
        let input = try await request.decode(as: TogglePriorityInput.self, context: context)
        let row = try await self.conversation(caller, context)
        let priority = try input.priority.flatMap { try Self.priority($0) }
        try await self.conversations.update(row, .init(priority: .some(priority)), actor: try await self.actor(caller))
        return Response(status: .ok)
    }

    /// Replaces the conversation's custom attributes.
    @Sendable func customAttributes(
        _ request: Request, context: AuthenticatedContext, input: CustomAttributesInput
    ) async throws
        -> ChatwootCustomAttributes
    {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        guard let attributes = try ChatwootRows.object(input.customAttributes, field: "custom_attributes") else {
            throw ServiceError(.badRequest, message: "param is missing or the value is empty: custom_attributes", field: "custom_attributes")
        }
        let changed = try await self.conversations.update(row, .init(customAttributes: attributes), actor: try await self.actor(caller))
        return ChatwootCustomAttributes(customAttributes: ChatwootRows.json(changed.customAttributes))
    }

    /// The conversation's labels.
    @Sendable func labels(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootLabelList {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        return ChatwootLabelList(payload: try await self.labelList(row.id))
    }

    /// Replaces the conversation's labels (Chatwoot's `update_labels`), writing the added and removed activities.
    @Sendable func setLabels(_ request: Request, context: AuthenticatedContext, input: LabelsInput) async throws -> ChatwootLabelList {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        guard let labels = input.labels else {
            throw ServiceError(.badRequest, message: "param is missing or the value is empty: labels", field: "labels")
        }
        var unique: [String] = []
        for label in labels.map({ $0.trimmingCharacters(in: .whitespaces) }) where !label.isEmpty && !unique.contains(label) {
            guard label.count <= 255 else { throw ServiceError(.unprocessableContent, message: "Label is too long", field: "labels") }
            unique.append(label)
        }
        try await self.conversations.update(row, .init(labels: unique), actor: try await self.actor(caller))
        return ChatwootLabelList(payload: try await self.labelList(row.id))
    }

    /// Assigns an agent (`assignee_id`, null unassigns) or else a team (`team_id`); answers the agent or team, or null.
    @Sendable func assign(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context, bots: true)
        let input = try await request.decode(as: AssignmentInput.self, context: context)
        let row = try await self.conversation(caller, context)
        let actor = try await self.actor(caller)
        if input.hasAssignee {
            var assignee = input.assigneeId
            if let id = assignee, try await !self.conversations.member(account: caller.accountID, user: id) { assignee = nil }
            let changed = try await self.conversations.update(row, .init(assigneeID: .some(assignee)), actor: actor)
            guard let id = changed.assigneeId,
                let agent = try await self.database.readStatement({ sql in
                    try await self.conversations.assignees(sql, account: caller.accountID, [id])[id]
                })
            else { return Self.json(Data("null".utf8)) }
            return Self.json(try Self.encoder.encode(agent))
        }
        if input.hasTeam {
            var team = input.teamId
            if let id = team, try await !self.conversations.team(account: caller.accountID, team: id) { team = nil }
            let changed = try await self.conversations.update(row, .init(teamID: .some(team)), actor: actor)
            guard let id = changed.teamId,
                let found = try await self.database.readStatement({ sql in try await self.conversations.teams(sql, [id])[id] })
            else { return Self.json(Data("null".utf8)) }
            return Self.json(try Self.encoder.encode(found))
        }
        return Self.json(Data("null".utf8))
    }

    /// Mute and unmute (with Chatwoot's activity message), or mark seen by the caller (and as the assignee).
    func dashboardAction(_ action: String, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        switch action {
        case "update_last_seen": try await self.conversations.seen(row, by: caller)
        default: try await self.conversations.update(row, .init(muted: action == "mute"), actor: try await self.actor(caller))
        }
        return Response(status: .ok)
    }

    /// `toggle_typing_status`'s body: `typing_status` `on` or `off` (anything else announces nothing) and whether the
    /// agent is typing a private note.
    struct TypingInput: Codable, Sendable {
        var typingStatus: String?
        var isPrivate: Bool?

        enum CodingKeys: String, CodingKey {
            case typingStatus = "typing_status"
            case isPrivate = "is_private"
        }
    }

    /// Chatwoot's `Conversations::TypingStatusManager`: `conversation_typing_on`/`_off` with the conversation, the agent
    /// and `is_private`; any other status does nothing; always an empty 200.
    @Sendable func toggleTyping(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        let body = try await request.body.collect(upTo: context.maxBodySize)
        let input = body.readableBytes > 0 ? try JSONBody.decode(TypingInput.self, from: body) : nil
        guard let user = caller.userID, let status = input?.typingStatus, status == "on" || status == "off" else { return Response(status: .ok) }
        let conversation = try await self.rendered(row)
        try await self.database.transaction { tx in
            let agent = try await MessageSQLRepository.senders(tx.sql, users: [user], contacts: [], bots: [])[.init(type: "User", id: user)]
            try await ChatwootEvents.publish(
                status == "on" ? .conversationTypingOn : .conversationTypingOff,
                payload: ChatwootEventPayloads.Typing(conversation: conversation, user: agent, isPrivate: input?.isPrivate ?? false),
                account: row.accountId, inbox: row.inboxId, tx: tx)
        }
        return Response(status: .ok)
    }

    // MARK: Messages

    /// The latest 20 messages (or those `before`/`after` a message id) with the conversation's labels and people.
    @Sendable func listMessages(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootMessageList {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        let query = request.uri.queryParameters
        let before = try Self.integer(query.get("before"), "before")
        let after = try Self.integer(query.get("after"), "after")
        let rows = try await self.messages.list(conversation: row.id, before: before, after: after)
        return try await self.database.read { tx in
            let payload = try await self.messages.render(tx.sql, rows, displayIDs: [row.id: row.displayId])
            let contact = try await MessageSQLRepository.contacts(tx.sql, [row.contactId]).first
            var assignee: ChatwootConversationAssignee?
            if let id = row.assigneeId { assignee = try await self.conversations.assignees(tx.sql, account: row.accountId, [id])[id] }
            let labels = try await self.conversations.labels(tx.sql, [row.id])[row.id] ?? []
            return ChatwootMessageList(
                meta: .init(
                    labels: labels, additionalAttributes: ChatwootRows.json(row.additionalAttributes), contact: contact, assignee: assignee,
                    agentLastSeenAt: row.agentLastSeenAt.map(ChatwootRows.iso), assigneeLastSeenAt: row.assigneeLastSeenAt.map(ChatwootRows.iso)),
                payload: payload)
        }
    }

    /// Creates a message (JSON, or multipart/form-data with `attachments[]`); `echo_id` comes back as given.
    @Sendable func createMessage(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context, bots: true)
        let row = try await self.conversation(caller, context)
        var uploads: [MessageSQLRepository.Upload] = []
        var input: MessageInput
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
            let body = try await request.body.collect(upTo: context.maxBodySize)
            let form = try MultipartForm(body: Array(buffer: body), contentType: type, expecting: "the message's fields and files in attachments[]")
            let parsed = try Self.message(form)
            input = parsed.input
            uploads = parsed.uploads
        } else {
            input = try await request.decode(as: MessageInput.self, context: context)
        }
        let typeName = input.messageType ?? "outgoing"
        guard let type = MessageSQLRepository.types[typeName], type != MessageSQLRepository.activity else {
            throw Self.invalid("message_type", typeName)
        }
        let contentType = input.contentType ?? "text"
        guard MessageSQLRepository.contentTypes.contains(contentType) else { throw Self.invalid("content_type", contentType) }
        let attributes = try ChatwootRows.object(input.contentAttributes, field: "content_attributes") ?? .object([:])
        guard (input.content.map { !$0.isEmpty } ?? false) || !uploads.isEmpty else { throw ChatwootRows.blank("content") }
        if let content = input.content, content.count > 150_000 {
            throw ServiceError(.unprocessableContent, message: "Content is too long (maximum is 150000 characters)", field: "content")
        }
        var additional: [String: JSONValue] = [:]
        if let template = input.templateParams { additional["template_params"] = template }
        if let campaign = input.campaignId { additional["campaign_id"] = .number(Double(campaign)) }
        let created = try await self.messages.create(
            conversation: row,
            .init(
                content: input.content, messageType: type, private: input.private ?? false, contentType: contentType, contentAttributes: attributes,
                additionalAttributes: .object(additional), sourceID: input.sourceId, uploads: uploads),
            actor: try await self.actor(caller))
        let echoID = input.echoId
        let message = try await self.database.read { tx in
            try await self.messages.render(tx.sql, [created], displayIDs: [row.id: row.displayId], echoID: echoID).first
        }
        return Self.json(try Self.encoder.encode(message))
    }

    /// The fields and files of a multipart message.
    static func message(_ form: MultipartForm) throws -> (input: MessageInput, uploads: [MessageSQLRepository.Upload]) {
        func text(_ name: String) -> String? {
            form.parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.data, as: UTF8.self) }
        }
        var input = MessageInput()
        input.content = text("content")
        input.messageType = text("message_type")
        input.contentType = text("content_type")
        input.echoId = text("echo_id")
        input.sourceId = text("source_id")
        if let flag = text("private") {
            guard ["true", "false", "1", "0"].contains(flag) else {
                throw ServiceError(.badRequest, message: "private must be a boolean", field: "private")
            }
            input.private = flag == "true" || flag == "1"
        }
        if let attributes = text("content_attributes") {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(attributes.utf8)) else {
                throw ServiceError(.badRequest, message: "content_attributes must be a JSON object", field: "content_attributes")
            }
            input.contentAttributes = value
        }
        let files = form.parts.filter { $0.name == "attachments[]" || $0.name == "attachments" }
        let uploads = try files.map { part -> MessageSQLRepository.Upload in
            let name = (part.filename ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 255, !name.contains(where: { $0.isNewline || $0 == "/" || $0 == "\\" }) else {
                throw ServiceError(.unprocessableContent, message: "Invalid attachment", field: "attachments")
            }
            let type = part.contentType.flatMap { $0.count <= 255 && !$0.contains(where: \.isNewline) ? $0 : nil } ?? "application/octet-stream"
            return MessageSQLRepository.Upload(fileName: name, contentType: type, data: part.data)
        }
        return (input, uploads)
    }

    /// Marks a message deleted and removes its files.
    @Sendable func deleteMessage(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootMessage {
        let caller = try await self.access.member(context)
        let row = try await self.conversation(caller, context)
        let message = try await self.messages.row(try ChatwootAccess.id(context, "message_id"), conversation: row.id)
        let deleted = try await self.messages.delete(message)
        return try await self.database.read { tx in
            guard let rendered = try await self.messages.render(tx.sql, [deleted], displayIDs: [row.id: row.displayId]).first else {
                throw ChatwootRows.notFound
            }
            return rendered
        }
    }

    /// A message's file, to members of the account who may see its conversation.
    @Sendable func download(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "attachment_id")
        let inbox = try await self.database.readStatement { sql in
            try await sql.select().column(SQLColumn("inbox_id", table: "m"), as: "id")
                .from(SQLAlias(SQLIdentifier("message_attachments"), as: SQLIdentifier("a")))
                .join(
                    SQLAlias(SQLIdentifier("messages"), as: SQLIdentifier("m")), on: SQLColumn("message_id", table: "a"), .equal,
                    SQLColumn("id", table: "m")
                )
                .where(SQLColumn("id", table: "a"), .equal, SQLBind(id)).where(SQLColumn("account_id", table: "a"), .equal, SQLBind(caller.accountID))
                .first(IDRow.self)
        }
        guard let inbox else { throw ChatwootRows.notFound }
        try await self.access.requireInbox(caller, Int(inbox.id))
        return AttachmentController.response(try await self.messages.attachment(account: caller.accountID, id: id))
    }

    // MARK: Helpers

    var database: Database { self.conversations.database }

    /// The path's conversation (`{conversation_id}` is the display id).
    private func conversation(_ caller: ChatwootCaller, _ context: AuthenticatedContext) async throws -> ConversationSQLRepository.Row {
        try await self.conversations.find(caller, displayID: try ChatwootAccess.id(context, "conversation_id"))
    }

    private func rendered(_ row: ConversationSQLRepository.Row) async throws -> ChatwootConversation {
        guard let conversation = try await self.conversations.render([row]).first else { throw ChatwootRows.notFound }
        return conversation
    }

    private func labelList(_ id: Int) async throws -> [String] {
        try await self.database.readStatement { sql in try await self.conversations.labels(sql, [id])[id] ?? [] }
    }

    /// Who acts: the user with their name (activity messages name them), or the bot.
    private func actor(_ caller: ChatwootCaller) async throws -> ConversationSQLRepository.Actor {
        switch caller.principal {
        case .agentBot(let id): return .agentBot(id: id)
        case .user(let id):
            let name = try await self.database.readStatement { sql in
                try await sql.select().column("name").column("display_name").from("users").where("id", .equal, id).first(UserName.self)
            }
            // Chatwoot names `Current.user.name` in activity messages.
            return .user(id: id, name: name?.name ?? "")
        }
    }

    private struct UserName: Codable {
        var name: String
        var displayName: String?
    }

    /// A priority of Chatwoot's enum; `none` removes it.
    private static func priority(_ value: String) throws -> String? {
        if value == "none" || value.isEmpty { return nil }
        guard ConversationSQLRepository.priorities.contains(value) else { throw Self.invalid("priority", value) }
        return value
    }

    /// A time given as epoch seconds or an ISO 8601 date, in epoch milliseconds.
    static func time(_ value: JSONValue?, _ field: String) throws -> Int64? {
        switch value {
        case nil, .null: return nil
        case .number(let seconds): return Int64(seconds * 1000)
        case .string(let text):
            if text.isEmpty { return nil }
            if let seconds = Double(text) { return Int64(seconds * 1000) }
            for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
                if let date = try? style.parse(text) { return Int64(date.timeIntervalSince1970 * 1000) }
            }
            throw ServiceError(.unprocessableContent, message: "\(field) is not a valid time", field: field)
        default:
            throw ServiceError(.badRequest, message: "\(field) must be a time", field: field)
        }
    }

    /// Encodes as Chatwoot's JSON: slashes unescaped.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// A JSON body (for answers that may be `null`).
    static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}

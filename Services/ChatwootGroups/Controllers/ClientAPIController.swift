import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import SQLKit
import ServiceKit
import WireModels

extension ChatwootPublicInbox: ResponseEncodable {}
extension ChatwootPublicContact: ResponseEncodable {}
extension ChatwootPublicContactRecord: ResponseEncodable {}
extension ChatwootPublicConversation: ResponseEncodable {}
extension ChatwootPublicMessage: ResponseEncodable {}
extension ChatwootCSATSurvey: ResponseEncodable {}

/// Chatwoot's Client API (`/public/api/v1/inboxes/{inbox_identifier}/...`, no token): the API inbox's identifier and
/// the contact inbox's source id (`contact_identifier`) are the credentials; a contact of another inbox is a 404.
/// Conversations and messages go through the account API's repositories, so their events, display ids and the
/// conversation's changes are the same.
struct ClientAPIController {
    let store: ClientAPISQLRepository
    let clock: WallClock

    /// `public_contact_create_update_payload`.
    struct ContactInput: Codable, Sendable {
        var identifier: String?
        var identifierHash: String?
        var sourceId: String?
        var email: String?
        var name: String?
        var phoneNumber: String?
        var avatarUrl: String?
        var customAttributes: JSONValue?

        enum CodingKeys: String, CodingKey {
            case identifier, email, name
            case identifierHash = "identifier_hash"
            case sourceId = "source_id"
            case phoneNumber = "phone_number"
            case avatarUrl = "avatar_url"
            case customAttributes = "custom_attributes"
        }
    }

    /// `public_conversation_create_payload`.
    struct ConversationInput: Codable, Sendable {
        var customAttributes: JSONValue?

        enum CodingKeys: String, CodingKey {
            case customAttributes = "custom_attributes"
        }
    }

    /// `toggle_typing`'s body (the query's `typing_status` works too).
    struct TypingInput: Codable, Sendable {
        var typingStatus: String?

        enum CodingKeys: String, CodingKey {
            case typingStatus = "typing_status"
        }
    }

    /// `public_message_create_payload`.
    struct MessageInput: Codable, Sendable {
        var content: String?
        var echoId: String?

        enum CodingKeys: String, CodingKey {
            case content
            case echoId = "echo_id"
        }
    }

    /// `public_message_update_payload`.
    struct MessageUpdateInput: Codable, Sendable {
        var submittedValues: JSONValue?

        enum CodingKeys: String, CodingKey {
            case submittedValues = "submitted_values"
        }
    }

    /// The survey page's answer (Chatwoot's `csat_survey#update`: `{message: {submitted_values: ...}}`).
    struct SurveyInput: Codable, Sendable {
        var message: MessageUpdateInput?
    }

    func addRoutes(to api: Endpoints<AppRequestContext>, survey: Endpoints<AppRequestContext>, surveyAPI: Endpoints<AppRequestContext>) {
        let contactPath = "/{inbox_identifier}/contacts/{contact_identifier}"
        let conversationPath = contactPath + "/conversations/{conversation_id}"
        api.get("/{inbox_identifier}", "Inbox details", returns: ChatwootPublicInbox.self, use: self.inbox)
        api.tagged("Contacts API")
            .post(
                "/{inbox_identifier}/contacts", "Create a contact", body: ContactInput.self, returns: ChatwootPublicContact.self,
                use: self.createContact
            )
            .get(contactPath, "Get a contact", returns: ChatwootPublicContact.self, use: self.showContact)
            .patch(contactPath, "Update a contact", body: ContactInput.self, returns: ChatwootPublicContactRecord.self, use: self.updateContact)
        let conversations = api.tagged("Conversations API")
        conversations.get(contactPath + "/conversations", "List all conversations", returns: [ChatwootPublicConversation].self, use: self.list)
            .raw(
                .post, contactPath + "/conversations", "Create a conversation", body: ConversationInput.self,
                responses: [200: "The conversation", 400: "Bad input", 422: "Invalid attributes"], use: self.create
            )
            .get(conversationPath, "Get a single conversation", returns: ChatwootPublicConversation.self, use: self.show)
            .post(conversationPath + "/toggle_status", "Resolve a conversation", returns: ChatwootPublicConversation.self, use: self.resolve)
            .raw(
                .post, conversationPath + "/toggle_typing", "Toggle typing status", body: TypingInput.self,
                responses: [200: "Typing status toggled", 422: "Unknown typing status"],
                query: [QueryParameter("typing_status", "on, recording or off")], use: self.typing
            )
            .raw(.post, conversationPath + "/update_last_seen", "Update last seen", responses: [200: "Last seen updated"], use: self.seen)
        api.tagged("Messages API")
            .get(
                conversationPath + "/messages", "List all messages", returns: [ChatwootPublicMessage].self,
                query: [
                    QueryParameter("before", "Messages before this id (20)", .integer),
                    QueryParameter("after", "Messages after this id (100)", .integer),
                ], use: self.messages
            )
            .raw(
                .post, conversationPath + "/messages", "Create a message", body: MessageInput.self,
                responses: [200: "The message", 400: "Bad input", 422: "Invalid message"], use: self.createMessage
            )
            .patch(
                conversationPath + "/messages/{message_id}", "Update a message", body: MessageUpdateInput.self, returns: ChatwootPublicMessage.self,
                use: self.updateMessage)
        survey.raw(
            .get, "/responses/{conversation_uuid}", "Get CSAT survey page",
            responses: [200: "The survey page (HTML), or its survey as JSON when JSON is asked for", 404: "No survey"], use: self.surveyPage)
        surveyAPI.get(
            "/{conversation_uuid}", "The CSAT survey of a conversation (extension: Chatwoot's survey page API)",
            returns: ChatwootCSATSurvey.self, use: self.showSurvey
        )
        .put(
            "/{conversation_uuid}", "Answer the CSAT survey (extension: Chatwoot's survey page API)", body: SurveyInput.self,
            returns: ChatwootCSATSurvey.self, use: self.answerSurvey)
    }

    // MARK: Inbox and contacts

    /// The API inbox's public details.
    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> ChatwootPublicInbox {
        let found = try await self.publicInbox(context)
        let inbox = found.inbox
        return ChatwootPublicInbox(
            identifier: found.identifier, identityValidationEnabled: inbox.hmacMandatory ?? false, name: inbox.name, timezone: inbox.timezone,
            workingHours: inbox.workingHours, workingHoursEnabled: inbox.workingHoursEnabled, csatSurveyEnabled: inbox.csatSurveyEnabled,
            greetingEnabled: inbox.greetingEnabled)
    }

    /// Creates (or finds) the contact and a contact inbox with a new source id and websocket token.
    @Sendable func createContact(_ request: Request, context: AppRequestContext, input: ContactInput) async throws -> ChatwootPublicContact {
        let inbox = try await self.publicInbox(context)
        try Self.checkHash(inbox, identifier: input.identifier, hash: input.identifierHash)
        let made = try await self.store.createContact(inbox, sourceID: input.sourceId, try Self.attributes(input))
        return try await self.store.publicContact(made)
    }

    /// The contact of the contact inbox.
    @Sendable func showContact(_ request: Request, context: AppRequestContext) async throws -> ChatwootPublicContact {
        let inbox = try await self.publicInbox(context)
        let query = request.uri.queryParameters
        let contactInbox = try await self.contactInbox(
            inbox, context, identifier: query.get("identifier"), hash: query.get("identifier_hash"))
        return try await self.store.publicContact(contactInbox)
    }

    /// Chatwoot's `ContactIdentifyAction` on the contact (the identifier stays as it is); answers the contact record.
    @Sendable func updateContact(_ request: Request, context: AppRequestContext, input: ContactInput) async throws -> ChatwootPublicContactRecord {
        let inbox = try await self.publicInbox(context)
        let contactInbox = try await self.contactInbox(inbox, context, identifier: input.identifier, hash: input.identifierHash)
        var attributes = try Self.attributes(input)
        attributes.identifier = nil
        let contact = try await self.store.identify(contactInbox, account: inbox.accountId, attributes)
        return try await self.store.record(contact)
    }

    // MARK: Conversations

    /// The conversations the contact inbox reaches.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [ChatwootPublicConversation] {
        let (_, contactInbox) = try await self.caller(context)
        return try await self.store.render(try await self.store.conversations(contactInbox))
    }

    /// Creates a conversation for the contact in the inbox (Chatwoot's `ConversationBuilder`): pending when the
    /// inbox has an agent bot, the last one again when the inbox is locked to a single conversation.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, contactInbox) = try await self.caller(context)
        let input = try await Self.optionalBody(ConversationInput.self, request, context) ?? ConversationInput()
        let custom = try ChatwootRows.object(input.customAttributes, field: "custom_attributes") ?? .object([:])
        if inbox.inbox.lockToSingleConversation, let last = try await self.store.lastConversation(contactInbox) {
            return try Self.json(try await self.rendered(last))
        }
        let bot = try await self.store.inboxes.agentBotID(inbox.id, account: inbox.accountId)
        let row = try await self.store.conversations.create(
            account: inbox.accountId,
            .init(
                inboxID: inbox.id, contactID: contactInbox.contactId, contactInboxID: contactInbox.id, status: bot == nil ? "open" : "pending",
                assigneeID: nil, teamID: nil, snoozedUntil: nil, additionalAttributes: .object([:]), customAttributes: custom),
            actor: .system, message: nil)
        return try Self.json(try await self.rendered(row))
    }

    /// One conversation the contact inbox reaches.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ChatwootPublicConversation {
        let (inbox, contactInbox) = try await self.caller(context)
        return try await self.rendered(try await self.conversation(inbox, contactInbox, context))
    }

    /// Resolves the conversation, as its contact (a resolved one is left as it is).
    @Sendable func resolve(_ request: Request, context: AppRequestContext) async throws -> ChatwootPublicConversation {
        let (inbox, contactInbox) = try await self.caller(context)
        let row = try await self.conversation(inbox, contactInbox, context)
        guard row.status != "resolved" else { return try await self.rendered(row) }
        let resolved = try await self.store.conversations.update(row, .init(status: "resolved", snoozedUntil: .some(nil)), actor: .system)
        let name = try await self.store.record(row.contactId).name ?? ""
        let now = self.clock.milliseconds()
        // Chatwoot's `conversations.activity.status.contact_resolved`, written as the contact resolves it.
        try await self.store.database.transaction { tx in
            try await MessageSQLRepository.insertActivity(
                tx, conversation: resolved, content: "Conversation was resolved by \(name.prefix(1).uppercased() + name.dropFirst())", at: now)
        }
        return try await self.rendered(resolved)
    }

    /// Announces the contact typing (`conversation_typing_on`/`_off`; `recording` announces nothing, as in Chatwoot).
    @Sendable func typing(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, contactInbox) = try await self.caller(context)
        let row = try await self.conversation(inbox, contactInbox, context)
        let body = try await Self.optionalBody(TypingInput.self, request, context)
        guard let status = body?.typingStatus ?? request.uri.queryParameters.get("typing_status") else {
            throw ContactSQLRepository.missing("typing_status")
        }
        guard ["on", "recording", "off"].contains(status) else {
            throw ServiceError(.unprocessableContent, message: "'\(status.prefix(40))' is not a valid typing_status", field: "typing_status")
        }
        guard status != "recording" else { return Response(status: .ok) }
        let conversation = try await self.store.conversations.render([row]).first
        let contact = try await self.store.database.readStatement { sql in try await MessageSQLRepository.contacts(sql, [row.contactId]).first }
        try await self.store.database.transaction { tx in
            try await ChatwootEvents.publish(
                status == "on" ? .conversationTypingOn : .conversationTypingOff,
                payload: ChatwootEventPayloads.Typing(conversation: conversation, user: contact, isPrivate: false), account: row.accountId,
                inbox: row.inboxId,
                tx: tx)
        }
        return Response(status: .ok)
    }

    /// Records when the contact last saw the conversation.
    @Sendable func seen(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, contactInbox) = try await self.caller(context)
        try await self.store.seen(try await self.conversation(inbox, contactInbox, context))
        return Response(status: .ok)
    }

    // MARK: Messages

    /// The latest chat messages (neither private notes nor activities).
    @Sendable func messages(_ request: Request, context: AppRequestContext) async throws -> [ChatwootPublicMessage] {
        let (inbox, contactInbox) = try await self.caller(context)
        let row = try await self.conversation(inbox, contactInbox, context)
        let query = request.uri.queryParameters
        return try await self.store.messages(
            row, before: try Self.integer(query.get("before"), "before"), after: try Self.integer(query.get("after"), "after"))
    }

    /// An incoming message from the contact (JSON, or multipart/form-data with `attachments[]`).
    @Sendable func createMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (inbox, contactInbox) = try await self.caller(context)
        let row = try await self.conversation(inbox, contactInbox, context)
        var content: String?
        var echoID: String?
        var uploads: [MessageSQLRepository.Upload] = []
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
            let body = try await request.body.collect(upTo: context.maxBodySize)
            let form = try MultipartForm(body: Array(buffer: body), contentType: type, expecting: "the message's content and files in attachments[]")
            let parsed = try ConversationController.message(form)
            content = parsed.input.content
            echoID = parsed.input.echoId
            uploads = parsed.uploads
        } else {
            let input = try await request.decode(as: MessageInput.self, context: context)
            content = input.content
            echoID = input.echoId
        }
        guard (content.map { !$0.isEmpty } ?? false) || !uploads.isEmpty else { throw ChatwootRows.blank("content") }
        if let content, content.count > 150_000 {
            throw ServiceError(.unprocessableContent, message: "Content is too long (maximum is 150000 characters)", field: "content")
        }
        let created = try await self.store.messages.create(
            conversation: row,
            .init(
                content: content, messageType: MessageSQLRepository.incoming, private: false, contentType: "text", contentAttributes: .object([:]),
                additionalAttributes: .object([:]), sourceID: nil, uploads: uploads),
            actor: .system, echoID: echoID)
        return try Self.json(try await self.store.message(created.id, conversation: row))
    }

    /// The contact's answer to an input message (`submitted_values`); a CSAT answer's rating is stored.
    @Sendable func updateMessage(_ request: Request, context: AppRequestContext, input: MessageUpdateInput) async throws -> ChatwootPublicMessage {
        let (inbox, contactInbox) = try await self.caller(context)
        let row = try await self.conversation(inbox, contactInbox, context)
        let message = try await self.store.messages.row(try ChatwootAccess.id(context, "message_id"), conversation: row.id)
        try await self.submit(message, conversation: row, values: input.submittedValues)
        return try await self.store.message(message.id, conversation: row)
    }

    /// Stores `values` on the message once checked: an object or a list of objects, of the keys Chatwoot permits.
    private func submit(_ message: MessageSQLRepository.Row, conversation row: ConversationSQLRepository.Row, values: JSONValue?) async throws {
        guard let values, values != .null else { throw ContactSQLRepository.missing("submitted_values") }
        func permitted(_ value: JSONValue) throws -> JSONValue {
            guard case .object(let members) = value else {
                throw ServiceError(.badRequest, message: "submitted_values must be an object or a list of objects", field: "submitted_values")
            }
            var kept: [String: JSONValue] = [:]
            for key in ["name", "title", "value"] { if let member = members[key] { kept[key] = member } }
            if let csat = members["csat_survey_response"] {
                guard case .object(let answer) = csat else {
                    throw ServiceError(.badRequest, message: "csat_survey_response must be an object", field: "csat_survey_response")
                }
                kept["csat_survey_response"] = .object(answer.filter { ["rating", "feedback_message"].contains($0.key) })
            }
            return .object(kept)
        }
        let cleaned: JSONValue
        if case .array(let items) = values { cleaned = .array(try items.map(permitted)) } else { cleaned = try permitted(values) }
        if message.contentType == "input_csat" {
            _ = try ChatwootCSAT.answer(cleaned)
            guard !ChatwootCSAT.isLocked(message, now: self.clock.milliseconds()) else {
                throw ServiceError(.unprocessableContent, message: "You cannot update the CSAT survey after 14 days")
            }
        }
        try await self.store.submit(message, conversation: row, values: cleaned)
    }

    // MARK: CSAT survey page

    /// The survey page: a small page that shows the survey and posts the answer, or, when JSON is asked for, the
    /// survey itself (Chatwoot's page loads it from `/public/api/v1/csat_survey/{uuid}`).
    @Sendable func surveyPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let uuid = try Self.uuid(context)
        let (conversation, message) = try await ChatwootCSAT.survey(self.store.database, uuid: uuid)
        let survey = try await ChatwootCSAT.render(self.store.database, conversation: conversation, message: message)
        if request.headers[.accept]?.contains("application/json") == true { return try Self.json(survey) }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: ChatwootSurveyPage.html(uuid: uuid, survey: survey))))
    }

    /// The conversation's survey with its answer, if any.
    @Sendable func showSurvey(_ request: Request, context: AppRequestContext) async throws -> ChatwootCSATSurvey {
        let (conversation, message) = try await ChatwootCSAT.survey(self.store.database, uuid: try Self.uuid(context))
        return try await ChatwootCSAT.render(self.store.database, conversation: conversation, message: message)
    }

    /// Answers the conversation's survey.
    @Sendable func answerSurvey(_ request: Request, context: AppRequestContext, input: SurveyInput) async throws -> ChatwootCSATSurvey {
        let (conversation, message) = try await ChatwootCSAT.survey(self.store.database, uuid: try Self.uuid(context))
        try await self.submit(message, conversation: conversation, values: input.message?.submittedValues)
        return try await ChatwootCSAT.render(self.store.database, conversation: conversation, message: message)
    }

    // MARK: Helpers

    private func publicInbox(_ context: AppRequestContext) async throws -> ClientAPISQLRepository.PublicInbox {
        guard let identifier = context.parameters.get("inbox_identifier"), !identifier.isEmpty else { throw ChatwootRows.notFound }
        return try await self.store.inbox(identifier: identifier)
    }

    /// The path's inbox and contact inbox (the conversation and message routes take no identity hash, as Chatwoot's).
    private func caller(_ context: AppRequestContext) async throws -> (ClientAPISQLRepository.PublicInbox, ClientAPISQLRepository.ContactInbox) {
        let inbox = try await self.publicInbox(context)
        guard let source = context.parameters.get("contact_identifier"), !source.isEmpty else { throw ChatwootRows.notFound }
        return (inbox, try await self.store.contactInbox(inbox, sourceID: source))
    }

    /// The contact routes' contact inbox, with Chatwoot's `process_hmac`: an identity hash is checked when given or
    /// when the inbox makes it mandatory; one that proves the contact's own identifier verifies the contact inbox.
    private func contactInbox(
        _ inbox: ClientAPISQLRepository.PublicInbox, _ context: AppRequestContext, identifier: String?, hash: String?
    ) async throws -> ClientAPISQLRepository.ContactInbox {
        guard let source = context.parameters.get("contact_identifier"), !source.isEmpty else { throw ChatwootRows.notFound }
        let contactInbox = try await self.store.contactInbox(inbox, sourceID: source)
        guard try Self.checkHash(inbox, identifier: identifier, hash: hash) else { return contactInbox }
        let own = try await self.store.identifier(contact: contactInbox.contactId) ?? ""
        if !own.isEmpty {
            guard SecretHasher.constantTimeEquals(own, identifier ?? "") else {
                throw ServiceError(.unauthorized, message: "HMAC failed: Identifier does not match contact")
            }
            try await self.store.verify(contactInbox)
        }
        return contactInbox
    }

    /// Checks the identity hash when given or mandatory (401 when wrong); answers whether one was checked.
    @discardableResult
    private static func checkHash(_ inbox: ClientAPISQLRepository.PublicInbox, identifier: String?, hash: String?) throws -> Bool {
        guard (hash.map { !$0.isEmpty } ?? false) || inbox.inbox.hmacMandatory == true else { return false }
        let expected = ClientAPISQLRepository.identityHash(identifier ?? "", token: inbox.hmacToken ?? "")
        guard let hash, !inbox.hmacToken.isNilOrEmpty, SecretHasher.constantTimeEquals(hash, expected) else {
            throw ServiceError(.unauthorized, message: "HMAC failed: Invalid Identifier Hash Provided")
        }
        return true
    }

    private static func attributes(_ input: ContactInput) throws -> ClientAPISQLRepository.ContactAttributes {
        guard let custom = try ChatwootRows.object(input.customAttributes, field: "custom_attributes") else {
            return .init(
                identifier: input.identifier, name: input.name, email: input.email, phoneNumber: input.phoneNumber, avatarUrl: input.avatarUrl)
        }
        return .init(
            identifier: input.identifier, name: input.name, email: input.email, phoneNumber: input.phoneNumber, avatarUrl: input.avatarUrl,
            customAttributes: custom.object)
    }

    private func conversation(
        _ inbox: ClientAPISQLRepository.PublicInbox, _ contactInbox: ClientAPISQLRepository.ContactInbox, _ context: AppRequestContext
    ) async throws -> ConversationSQLRepository.Row {
        try await self.store.conversation(contactInbox, account: inbox.accountId, displayID: try ChatwootAccess.id(context, "conversation_id"))
    }

    private func rendered(_ row: ConversationSQLRepository.Row) async throws -> ChatwootPublicConversation {
        guard let conversation = try await self.store.render([row]).first else { throw ChatwootRows.notFound }
        return conversation
    }

    private static func uuid(_ context: AppRequestContext) throws -> String {
        guard let uuid = context.parameters.get("conversation_uuid"), !uuid.isEmpty, uuid.count <= 64 else { throw ChatwootRows.notFound }
        return uuid
    }

    private static func integer(_ text: String?, _ field: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw ServiceError(.badRequest, message: "\(field) must be an integer, not '\(text.prefix(40))'", field: field)
        }
        return value
    }

    /// A JSON body that may be left out.
    private static func optionalBody<T: Decodable>(_ type: T.Type, _ request: Request, _ context: AppRequestContext) async throws -> T? {
        let body = try await request.body.collect(upTo: context.maxBodySize)
        guard body.readableBytes > 0 else { return nil }
        return try JSONBody.decode(T.self, from: body)
    }

    static func json(_ value: some Encodable) throws -> Response {
        ConversationController.json(try ConversationController.encoder.encode(value))
    }
}

extension Optional where Wrapped == String {
    fileprivate var isNilOrEmpty: Bool { self?.isEmpty ?? true }
}

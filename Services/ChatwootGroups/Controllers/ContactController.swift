import Foundation
import HTTPTypes
import Hummingbird
import SQLKit
import ServiceKit
import WireModels

extension ChatwootContactList: ResponseEncodable {}
extension ChatwootContactEnvelope: ResponseEncodable {}
extension ChatwootContactCreated: ResponseEncodable {}
extension ChatwootContact: ResponseEncodable {}
extension ChatwootContactInbox: ResponseEncodable {}
extension ChatwootContactableInboxes: ResponseEncodable {}
extension ChatwootContactLabels: ResponseEncodable {}

/// Contacts (`/api/v1/accounts/{account_id}/contacts`), their labels, contact inboxes and merges. Every member of
/// the account sees every contact (Chatwoot's `ContactPolicy`); only administrators delete; inboxes are offered and
/// joined only where the caller may act.
struct ContactController {
    let access: ChatwootAccess
    let contacts: ContactSQLRepository
    /// The conversations a merge moves (their `conversation.contact_changed`).
    let conversations: ConversationSQLRepository
    let clock: WallClock

    /// `contact_create_payload` / `contact_update_payload` (`inbox_id` and `source_id` on create only).
    struct ContactInput: Codable, Sendable {
        var inboxId: Int?
        var sourceId: String?
        var name: String?
        var email: String?
        var phoneNumber: String?
        var identifier: String?
        var blocked: Bool?
        var avatarUrl: String?
        var additionalAttributes: JSONValue?
        var customAttributes: JSONValue?

        enum CodingKeys: String, CodingKey {
            case name, email, identifier, blocked
            case inboxId = "inbox_id"
            case sourceId = "source_id"
            case phoneNumber = "phone_number"
            case avatarUrl = "avatar_url"
            case additionalAttributes = "additional_attributes"
            case customAttributes = "custom_attributes"
        }

        func changes() throws -> ContactSQLRepository.Changes {
            .init(
                name: self.name, email: self.email, phoneNumber: self.phoneNumber, identifier: self.identifier, blocked: self.blocked,
                avatarUrl: self.avatarUrl, additionalAttributes: try Self.object(self.additionalAttributes, "additional_attributes"),
                customAttributes: try Self.object(self.customAttributes, "custom_attributes"))
        }

        /// A hash parameter: an object, or nothing (`null`); anything else is a 422 naming it.
        static func object(_ value: JSONValue?, _ field: String) throws -> [String: JSONValue]? {
            switch value {
            case .none, .null: return nil
            case .object(let members): return members
            default: throw ServiceError(.unprocessableContent, message: "\(field) must be an object", field: field)
            }
        }
    }

    /// `POST /contacts/{id}/contact_inboxes`.
    struct ContactInboxInput: Codable, Sendable {
        var inboxId: Int?
        var sourceId: String?

        enum CodingKeys: String, CodingKey {
            case inboxId = "inbox_id"
            case sourceId = "source_id"
        }
    }

    /// `POST /contacts/{id}/labels`.
    struct LabelsInput: Codable, Sendable {
        var labels: [String]?
    }

    /// `POST /actions/contact_merge`.
    struct MergeInput: Codable, Sendable {
        var baseContactId: Int?
        var mergeeContactId: Int?

        enum CodingKeys: String, CodingKey {
            case baseContactId = "base_contact_id"
            case mergeeContactId = "mergee_contact_id"
        }
    }

    /// The list parameters: `page` (from 1), `sort` (`-` for descending), `q`, `labels[]`, `include_contact_inboxes`.
    struct ListParameters: Decodable, Sendable {
        var page: String?
        var sort: String?
        var q: String?
        var labels: [String]?
        var includeContactInboxes: String?

        enum CodingKeys: String, CodingKey {
            case page, sort, q, labels
            case includeContactInboxes = "include_contact_inboxes"
        }

        /// Kaminari's page: a number from 1; anything else is the first page.
        var pageIndex: Int { max(1, Int(self.page ?? "") ?? 1) }
        /// What `meta.current_page` echoes: the `page` given, or 1.
        var currentPage: String { self.page ?? "1" }
        /// `include_contact_inboxes` is true unless given as anything but `true`.
        var includeInboxes: Bool { self.includeContactInboxes.map { $0 == "true" } ?? true }
    }

    static let listQuery = [
        QueryParameter("page", "The page, from 1 (15 contacts a page)", .integer),
        QueryParameter(
            "sort", "name, email, phone_number, last_activity_at, created_at, company_name, city or country; a leading - sorts descending"),
        QueryParameter("include_contact_inboxes", "false leaves out each contact's contact_inboxes"),
    ]

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        let contacts = accounts.tagged("Contacts")
        contacts
            .get(
                "/{account_id}/contacts", "List Contacts", returns: ChatwootContactList.self,
                query: Self.listQuery + [QueryParameter("labels[]", "Only contacts with one of these labels")], use: self.list
            )
            .post("/{account_id}/contacts", "Create Contact", body: ContactInput.self, returns: ChatwootContactCreated.self, use: self.create)
            .get(
                "/{account_id}/contacts/search", "Search Contacts", returns: ChatwootContactList.self,
                query: Self.listQuery + [QueryParameter("q", "Searched in name, email, phone number and identifier", required: true)],
                use: self.search
            )
            .post(
                "/{account_id}/contacts/filter", "Contact Filter", body: ChatwootFilterPayload.self, returns: ChatwootContactList.self,
                query: Self.listQuery, use: self.filter
            )
            .get("/{account_id}/contacts/{id}", "Show Contact", returns: ChatwootContactEnvelope.self, use: self.get)
            .put("/{account_id}/contacts/{id}", "Update Contact", body: ContactInput.self, returns: ChatwootContactEnvelope.self, use: self.update)
            .raw(
                .delete, "/{account_id}/contacts/{id}", "Delete Contact", responses: [200: "Deleted", 401: "Unauthorized", 404: "Not found"],
                use: self.delete
            )
            .post(
                "/{account_id}/contacts/{id}/contact_inboxes", "Create contact inbox", body: ContactInboxInput.self,
                returns: ChatwootContactInbox.self,
                use: self.createContactInbox
            )
            .get(
                "/{account_id}/contacts/{id}/contactable_inboxes", "Get Contactable Inboxes", returns: ChatwootContactableInboxes.self,
                use: self.contactableInboxes
            )
            .post(
                "/{account_id}/actions/contact_merge", "Merge Contacts", body: MergeInput.self, returns: ChatwootContact.self, use: self.merge
            )
        accounts.tagged("Contact Labels")
            .get("/{account_id}/contacts/{id}/labels", "List Labels", returns: ChatwootContactLabels.self, use: self.labels)
            .post(
                "/{account_id}/contacts/{id}/labels", "Add Labels", body: LabelsInput.self, returns: ChatwootContactLabels.self, use: self.setLabels)
    }

    // MARK: Lists

    /// The account's resolved contacts (an email, a phone number or an identifier), 15 a page.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootContactList {
        let caller = try await self.access.member(context)
        let parameters = try request.decodeQuery(as: ListParameters.self)
        var predicates: [any SQLExpression] = [ContactSQLRepository.resolved]
        if let labels = parameters.labels, !labels.isEmpty { predicates.append(ContactSQLRepository.labelled(labels)) }
        return try await self.page(caller, parameters, predicates)
    }

    /// Contacts whose name, email, phone number or identifier holds `q`.
    @Sendable func search(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootContactList {
        let caller = try await self.access.member(context)
        let parameters = try request.decodeQuery(as: ListParameters.self)
        guard let text = parameters.q?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw ServiceError(.unprocessableContent, message: "Specify search string with parameter q")
        }
        return try await self.page(caller, parameters, [ContactSQLRepository.search(text)])
    }

    /// Contacts matching the filter payload (standard, additional and custom attributes; `AND`/`OR` chains).
    @Sendable func filter(_ request: Request, context: AuthenticatedContext, input: ChatwootFilterPayload) async throws -> ChatwootContactList {
        let caller = try await self.access.member(context)
        let parameters = try request.decodeQuery(as: ListParameters.self)
        let filter = ChatwootFilter(
            attributes: ContactSQLRepository.filterAttributes, custom: try await self.contacts.customAttributes(account: caller.accountID),
            customColumn: SQLColumn("custom_attributes", table: "contacts"), equality: .firstValue, now: self.clock.date())
        return try await self.page(caller, parameters, [try filter.predicate(input.payload)])
    }

    private func page(_ caller: ChatwootCaller, _ parameters: ListParameters, _ predicates: [any SQLExpression]) async throws -> ChatwootContactList {
        let (total, contacts) = try await self.contacts.page(
            account: caller.accountID, page: parameters.pageIndex, sort: parameters.sort, predicates: predicates,
            includeInboxes: parameters.includeInboxes)
        return ChatwootContactList(meta: .init(count: total, currentPage: parameters.currentPage), payload: contacts)
    }

    // MARK: One contact

    /// Creates a contact, and its contact inbox when `inbox_id` is given.
    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: ContactInput) async throws -> ChatwootContactCreated {
        let caller = try await self.access.member(context)
        let (contact, inbox) = try await self.contacts.create(
            try input.changes(), account: caller.accountID, inbox: input.inboxId, sourceID: input.sourceId)
        return ChatwootContactCreated(payload: .init(contact: contact, contactInbox: inbox))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootContactEnvelope {
        let caller = try await self.access.member(context)
        let parameters = try request.decodeQuery(as: ListParameters.self)
        return .init(
            payload: try await self.contacts.get(
                try ChatwootAccess.id(context, "id"), account: caller.accountID, includeInboxes: parameters.includeInboxes))
    }

    /// Changes the given members; attribute hashes are merged into the stored ones.
    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: ContactInput) async throws -> ChatwootContactEnvelope {
        let caller = try await self.access.member(context)
        let parameters = try request.decodeQuery(as: ListParameters.self)
        let id = try ChatwootAccess.id(context, "id")
        return .init(
            payload: try await self.contacts.update(id, account: caller.accountID, try input.changes(), includeInboxes: parameters.includeInboxes))
    }

    /// Administrators only; an empty 200.
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        // Chatwoot finds the contact before its policy speaks: another account's contact is a 404 even for an agent.
        _ = try await self.contacts.get(id, account: caller.accountID, includeInboxes: false)
        guard caller.isAdministrator else { throw ServiceError(.unauthorized, message: ChatwootAccess.notAuthorized) }
        try await self.contacts.delete(id, account: caller.accountID)
        return Response(status: .ok)
    }

    // MARK: Inboxes

    /// The contact in one more inbox the caller may act in, with the source id given or the channel's own.
    @Sendable func createContactInbox(
        _ request: Request, context: AuthenticatedContext, input: ContactInboxInput
    ) async throws -> ChatwootContactInbox {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        _ = try await self.contacts.get(id, account: caller.accountID, includeInboxes: false)
        let inbox = try await self.contacts.database.readStatement { sql in
            try await ContactSQLRepository.inbox(
                input.inboxId ?? 0, account: caller.accountID, sql, missing: ServiceError(.notFound, message: "Inbox not found"))
        }
        try await self.access.requireInbox(caller, inbox.id)
        return try await self.contacts.addInbox(contact: id, account: caller.accountID, inbox: inbox, sourceID: input.sourceId)
    }

    /// The inboxes the caller may see where a conversation with the contact could start, with their source ids.
    @Sendable func contactableInboxes(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootContactableInboxes {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        return .init(payload: try await self.contacts.contactable(id, account: caller.accountID, inboxes: try await self.access.inboxIDs(caller)))
    }

    // MARK: Labels

    @Sendable func labels(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootContactLabels {
        let caller = try await self.access.member(context)
        return .init(payload: try await self.contacts.labels(try ChatwootAccess.id(context, "id"), account: caller.accountID))
    }

    /// Replaces the contact's labels with `labels` (none given: none left, as Chatwoot's `update_labels(nil)`).
    @Sendable func setLabels(_ request: Request, context: AuthenticatedContext, input: LabelsInput) async throws -> ChatwootContactLabels {
        let caller = try await self.access.member(context)
        let id = try ChatwootAccess.id(context, "id")
        return .init(payload: try await self.contacts.setLabels(id, account: caller.accountID, input.labels ?? []))
    }

    // MARK: Merge

    /// Merges the mergee into the base contact and answers the base.
    @Sendable func merge(_ request: Request, context: AuthenticatedContext, input: MergeInput) async throws -> ChatwootContact {
        let caller = try await self.access.member(context)
        guard let base = input.baseContactId, let mergee = input.mergeeContactId else { throw ChatwootRows.notFound }
        return try await self.contacts.merge(base: base, mergee: mergee, account: caller.accountID, conversations: self.conversations)
    }
}

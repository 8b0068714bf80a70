import Hummingbird
import ServiceKit
import WireModels

extension ChatwootCannedResponse: ResponseEncodable {}
extension ChatwootCustomAttribute: ResponseEncodable {}
extension ChatwootCustomFilter: ResponseEncodable {}

/// An empty answer with Chatwoot's `head :no_content`.
struct NoContent: ResponseEncodable, Codable, Sendable, Equatable {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .noContent)
    }
}

/// The account's small resources: canned responses, custom attribute definitions and custom filters. Every member may
/// use them (Chatwoot's controllers check no policy); custom filters are each user's own.
struct AccountResourceController {
    let access: ChatwootAccess
    let cannedResponses: CannedResponseSQLRepository
    let customAttributes: CustomAttributeSQLRepository
    let customFilters: CustomFilterSQLRepository

    /// `canned_response_create_update_payload`, flat or wrapped in `canned_response`.
    struct CannedInput: Codable, Sendable {
        /// The members, at the top or under `canned_response`.
        struct Fields: Codable, Sendable {
            var shortCode: String?
            var content: String?

            enum CodingKeys: String, CodingKey {
                case content
                case shortCode = "short_code"
            }
        }

        var cannedResponse: Fields?
        var shortCode: String?
        var content: String?

        enum CodingKeys: String, CodingKey {
            case content
            case shortCode = "short_code"
            case cannedResponse = "canned_response"
        }

        var fields: Fields {
            Fields(shortCode: self.cannedResponse?.shortCode ?? self.shortCode, content: self.cannedResponse?.content ?? self.content)
        }
    }

    /// `custom_attribute_create_update_payload`, flat or wrapped in `custom_attribute_definition`; the two enums by number
    /// (the swagger) or by name (Chatwoot's dashboard).
    struct AttributeInput: Codable, Sendable {
        /// The members, at the top or under `custom_attribute_definition`.
        struct Fields: Codable, Sendable {
            var attributeDisplayName: String?
            var attributeDisplayType: JSONValue?
            var attributeDescription: String?
            var attributeKey: String?
            var attributeValues: [String]?
            var attributeModel: JSONValue?
            var regexPattern: String?
            var regexCue: String?

            enum CodingKeys: String, CodingKey {
                case attributeDisplayName = "attribute_display_name"
                case attributeDisplayType = "attribute_display_type"
                case attributeDescription = "attribute_description"
                case attributeKey = "attribute_key"
                case attributeValues = "attribute_values"
                case attributeModel = "attribute_model"
                case regexPattern = "regex_pattern"
                case regexCue = "regex_cue"
            }
        }

        var customAttributeDefinition: Fields?
        var attributeDisplayName: String?
        var attributeDisplayType: JSONValue?
        var attributeDescription: String?
        var attributeKey: String?
        var attributeValues: [String]?
        var attributeModel: JSONValue?
        var regexPattern: String?
        var regexCue: String?

        enum CodingKeys: String, CodingKey {
            case customAttributeDefinition = "custom_attribute_definition"
            case attributeDisplayName = "attribute_display_name"
            case attributeDisplayType = "attribute_display_type"
            case attributeDescription = "attribute_description"
            case attributeKey = "attribute_key"
            case attributeValues = "attribute_values"
            case attributeModel = "attribute_model"
            case regexPattern = "regex_pattern"
            case regexCue = "regex_cue"
        }

        func changes() throws -> CustomAttributeSQLRepository.Changes {
            let nested = self.customAttributeDefinition
            return CustomAttributeSQLRepository.Changes(
                displayName: nested?.attributeDisplayName ?? self.attributeDisplayName,
                displayType: try AccountResourceController.enumName(
                    nested?.attributeDisplayType ?? self.attributeDisplayType, CustomAttributeSQLRepository.displayTypes,
                    field: "attribute_display_type"),
                description: nested?.attributeDescription ?? self.attributeDescription, key: nested?.attributeKey ?? self.attributeKey,
                model: try AccountResourceController.enumName(
                    nested?.attributeModel ?? self.attributeModel, CustomAttributeSQLRepository.models, field: "attribute_model"),
                regexPattern: nested?.regexPattern ?? self.regexPattern, regexCue: nested?.regexCue ?? self.regexCue,
                values: nested?.attributeValues ?? self.attributeValues)
        }
    }

    /// `custom_filter_create_update_payload`, flat or wrapped in `custom_filter`; the type as `filter_type` (Chatwoot)
    /// or `type` (the swagger).
    struct FilterInput: Codable, Sendable {
        /// The members, at the top or under `custom_filter`.
        struct Fields: Codable, Sendable {
            var name: String?
            var filterType: String?
            var type: String?
            var query: JSONValue?

            enum CodingKeys: String, CodingKey {
                case name, type, query
                case filterType = "filter_type"
            }
        }

        var customFilter: Fields?
        var name: String?
        var filterType: String?
        var type: String?
        var query: JSONValue?

        enum CodingKeys: String, CodingKey {
            case name, type, query
            case filterType = "filter_type"
            case customFilter = "custom_filter"
        }

        var changes: CustomFilterSQLRepository.Changes {
            let nested = self.customFilter
            return CustomFilterSQLRepository.Changes(
                name: nested?.name ?? self.name, filterType: nested?.filterType ?? nested?.type ?? self.filterType ?? self.type,
                query: nested?.query ?? self.query)
        }
    }

    func addRoutes(to accounts: Endpoints<AuthenticatedContext>) {
        accounts.tagged("Canned Responses")
            .get(
                "/{account_id}/canned_responses", "List all Canned Responses in an Account", returns: [ChatwootCannedResponse].self,
                query: [QueryParameter("search", "Text the short code or content contains")], use: self.listCanned
            )
            .post(
                "/{account_id}/canned_responses", "Add a New Canned Response", body: CannedInput.self, returns: ChatwootCannedResponse.self,
                errors: [422: "Invalid"], use: self.createCanned
            )
            .patch(
                "/{account_id}/canned_responses/{id}", "Update Canned Response in Account", body: CannedInput.self,
                returns: ChatwootCannedResponse.self, errors: [422: "Invalid"], use: self.updateCanned
            )
            .delete("/{account_id}/canned_responses/{id}", "Remove a Canned Response from Account", returns: EmptyBody.self, use: self.deleteCanned)
        accounts.tagged("Custom Attributes")
            .get(
                "/{account_id}/custom_attribute_definitions", "List all custom attributes in an account", returns: [ChatwootCustomAttribute].self,
                query: [QueryParameter("attribute_model", "conversation_attribute or contact_attribute")], use: self.listAttributes
            )
            .post(
                "/{account_id}/custom_attribute_definitions", "Add a new custom attribute", body: AttributeInput.self,
                returns: ChatwootCustomAttribute.self, errors: [422: "Invalid"], use: self.createAttribute
            )
            .get(
                "/{account_id}/custom_attribute_definitions/{id}", "Get a custom attribute details", returns: ChatwootCustomAttribute.self,
                use: self.getAttribute
            )
            .patch(
                "/{account_id}/custom_attribute_definitions/{id}", "Update custom attribute in Account", body: AttributeInput.self,
                returns: ChatwootCustomAttribute.self, errors: [422: "Invalid"], use: self.updateAttribute
            )
            .delete(
                "/{account_id}/custom_attribute_definitions/{id}", "Remove a custom attribute from account", returns: NoContent.self,
                status: .noContent, use: self.deleteAttribute)
        accounts.tagged("Custom Filters")
            .get(
                "/{account_id}/custom_filters", "List all custom filters", returns: [ChatwootCustomFilter].self,
                query: [QueryParameter("filter_type", "conversation, contact or report")], use: self.listFilters
            )
            .post(
                "/{account_id}/custom_filters", "Create a custom filter", body: FilterInput.self, returns: ChatwootCustomFilter.self,
                errors: [422: "Invalid"], use: self.createFilter
            )
            .get(
                "/{account_id}/custom_filters/{custom_filter_id}", "Get a custom filter details", returns: ChatwootCustomFilter.self,
                use: self.getFilter
            )
            .patch(
                "/{account_id}/custom_filters/{custom_filter_id}", "Update a custom filter", body: FilterInput.self,
                returns: ChatwootCustomFilter.self,
                errors: [422: "Invalid"], use: self.updateFilter
            )
            .delete(
                "/{account_id}/custom_filters/{custom_filter_id}", "Delete a custom filter", returns: NoContent.self, status: .noContent,
                use: self.deleteFilter)
    }

    /// A Rails enum given by number or by name, as its name; an unknown one is Rails' 422.
    static func enumName(_ value: JSONValue?, _ names: [String], field: String) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?:
            if number.rounded() == number, number >= 0, Int(number) < names.count { return names[Int(number)] }
            let text = number.rounded() == number ? String(Int(number)) : String(number)
            throw ServiceError(.unprocessableContent, message: "'\(text)' is not a valid \(field)", field: field)
        case .string(let name)?:
            if names.contains(name) { return name }
            if let number = Int(name), names.indices.contains(number) { return names[number] }
            throw ServiceError(.unprocessableContent, message: "'\(name)' is not a valid \(field)", field: field)
        default:
            throw ServiceError(.badRequest, message: "\(field) must be a number or a string", field: field)
        }
    }

    // MARK: Canned responses

    /// The account's canned responses, or those matching `search` best first.
    @Sendable func listCanned(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootCannedResponse] {
        let caller = try await self.access.member(context)
        return try await self.cannedResponses.list(account: caller.accountID, search: request.uri.queryParameters.get("search"))
    }

    /// Adds a canned response.
    @Sendable func createCanned(_ request: Request, context: AuthenticatedContext, input: CannedInput) async throws -> ChatwootCannedResponse {
        let caller = try await self.access.member(context)
        let fields = input.fields
        return try await self.cannedResponses.create(account: caller.accountID, shortCode: fields.shortCode, content: fields.content)
    }

    /// Changes a canned response's short code or content.
    @Sendable func updateCanned(_ request: Request, context: AuthenticatedContext, input: CannedInput) async throws -> ChatwootCannedResponse {
        let caller = try await self.access.member(context)
        let fields = input.fields
        return try await self.cannedResponses.update(
            try ChatwootAccess.id(context, "id"), account: caller.accountID, shortCode: fields.shortCode, content: fields.content)
    }

    /// Removes a canned response.
    @Sendable func deleteCanned(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let caller = try await self.access.member(context)
        try await self.cannedResponses.delete(try ChatwootAccess.id(context, "id"), account: caller.accountID)
        return EmptyBody()
    }

    // MARK: Custom attribute definitions

    /// The account's definitions, of one model when `attribute_model` says.
    @Sendable func listAttributes(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootCustomAttribute] {
        let caller = try await self.access.member(context)
        let model = request.uri.queryParameters.get("attribute_model").flatMap { text -> String? in
            try? Self.enumName(.string(text), CustomAttributeSQLRepository.models, field: "attribute_model") ?? text
        }
        // An unknown model lists nothing, as Rails' `where` on an unknown enum value.
        if let text = request.uri.queryParameters.get("attribute_model"), !text.isEmpty, model == nil { return [] }
        return try await self.customAttributes.list(account: caller.accountID, model: model)
    }

    /// Defines a custom attribute.
    @Sendable func createAttribute(_ request: Request, context: AuthenticatedContext, input: AttributeInput) async throws -> ChatwootCustomAttribute {
        let caller = try await self.access.member(context)
        return try await self.customAttributes.create(account: caller.accountID, try input.changes())
    }

    /// One definition.
    @Sendable func getAttribute(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootCustomAttribute {
        let caller = try await self.access.member(context)
        return try await self.customAttributes.get(try ChatwootAccess.id(context, "id"), account: caller.accountID)
    }

    /// Changes a definition.
    @Sendable func updateAttribute(_ request: Request, context: AuthenticatedContext, input: AttributeInput) async throws -> ChatwootCustomAttribute {
        let caller = try await self.access.member(context)
        return try await self.customAttributes.update(try ChatwootAccess.id(context, "id"), account: caller.accountID, try input.changes())
    }

    /// Removes a definition.
    @Sendable func deleteAttribute(_ request: Request, context: AuthenticatedContext) async throws -> NoContent {
        let caller = try await self.access.member(context)
        try await self.customAttributes.delete(try ChatwootAccess.id(context, "id"), account: caller.accountID)
        return NoContent()
    }

    // MARK: Custom filters

    /// The caller's own filters of `filter_type` (default conversation).
    @Sendable func listFilters(_ request: Request, context: AuthenticatedContext) async throws -> [ChatwootCustomFilter] {
        let (caller, user) = try await self.user(context)
        return try await self.customFilters.list(account: caller.accountID, user: user, type: request.uri.queryParameters.get("filter_type"))
    }

    /// Saves a filter for the caller.
    @Sendable func createFilter(_ request: Request, context: AuthenticatedContext, input: FilterInput) async throws -> ChatwootCustomFilter {
        let (caller, user) = try await self.user(context)
        return try await self.customFilters.create(account: caller.accountID, user: user, input.changes)
    }

    /// One of the caller's filters.
    @Sendable func getFilter(_ request: Request, context: AuthenticatedContext) async throws -> ChatwootCustomFilter {
        let (caller, user) = try await self.user(context)
        return try await self.customFilters.get(try ChatwootAccess.id(context, "custom_filter_id"), account: caller.accountID, user: user)
    }

    /// Changes one of the caller's filters.
    @Sendable func updateFilter(_ request: Request, context: AuthenticatedContext, input: FilterInput) async throws -> ChatwootCustomFilter {
        let (caller, user) = try await self.user(context)
        return try await self.customFilters.update(
            try ChatwootAccess.id(context, "custom_filter_id"), account: caller.accountID, user: user, input.changes)
    }

    /// Removes one of the caller's filters.
    @Sendable func deleteFilter(_ request: Request, context: AuthenticatedContext) async throws -> NoContent {
        let (caller, user) = try await self.user(context)
        try await self.customFilters.delete(try ChatwootAccess.id(context, "custom_filter_id"), account: caller.accountID, user: user)
        return NoContent()
    }

    /// The caller and their user id (filters belong to users; bots never reach these routes).
    private func user(_ context: AuthenticatedContext) async throws -> (ChatwootCaller, Int) {
        let caller = try await self.access.member(context)
        guard let user = caller.userID else { throw ServiceError(.unauthorized, message: ChatwootAccess.notAuthorized) }
        return (caller, user)
    }
}

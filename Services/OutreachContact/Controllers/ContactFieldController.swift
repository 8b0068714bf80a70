import Foundation
import Hummingbird
import ServiceKit
import WireModels

extension Comm100ContactField: ResponseEncodable {}

/// `/contact/fields`: the site's contact field definitions (seed 002 L1095–L1280; spec §5.12).
struct ContactFieldController {
    let store: ContactStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Contact Fields")
        let errors = [400: "Invalid field", 403: "Missing permission \(ContactPermission.fields)", 404: "Not found", 409: "Name already used"]
        api.get(
            "/fields", "List the contact fields, by order (a bare array, L1109)", returns: [Comm100ContactField].self, errors: errors, use: self.list)
        api.get("/fields/{id}", "Get a contact field", returns: Comm100ContactField.self, errors: errors, use: self.get)
        api.post(
            "/fields", "Create a custom contact field", body: Comm100ContactFieldInput.self, returns: Comm100ContactField.self, status: .created,
            errors: errors, use: self.create)
        api.put(
            "/fields/{id}",
            "Update a contact field (members left out keep their value; system fields: isRequired, isVisible, helpText, "
                + "defaultValue and order)", body: Comm100ContactFieldInput.self, returns: Comm100ContactField.self, errors: errors, use: self.update)
        api.delete(
            "/fields/{id}", "Delete a custom contact field and every contact's value of it", returns: EmptyBody.self, status: .noContent,
            errors: errors, use: self.delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [Comm100ContactField] {
        let site = context.site
        return try await self.store.read(site: site) { tx in try await tx.contactFields.fields(site: site) }.map(\.wire)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Comm100ContactField {
        let (site, id) = (context.site, try context.guid())
        let fields = try await self.store.read(site: site) { tx in try await tx.contactFields.fields(site: site) }
        return try Self.field(id, in: fields).wire
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: Comm100ContactFieldInput) async throws -> Comm100ContactField {
        try context.require(permission: ContactPermission.fields)
        let site = context.site
        return try await self.store.write(site: site) { tx in
            let field = try FieldRules.created(input, fields: try await tx.contactFields.fields(site: site))
            try await tx.contactFields.insert(field, site: site)
            return field.wire
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: Comm100ContactFieldInput) async throws -> Comm100ContactField {
        try context.require(permission: ContactPermission.fields)
        let (site, id) = (context.site, try context.guid())
        return try await self.store.write(site: site) { tx in
            let fields = try await tx.contactFields.fields(site: site)
            let field = try FieldRules.updated(input, current: try Self.field(id, in: fields), fields: fields)
            try await tx.contactFields.update(field, site: site)
            return field.wire
        }
    }

    /// System fields stay (400); a custom field goes with its values (spec §5.12).
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        try context.require(permission: ContactPermission.fields)
        let (site, id) = (context.site, try context.guid())
        try await self.store.write(site: site) { tx in
            let field = try Self.field(id, in: try await tx.contactFields.fields(site: site))
            guard !field.isSystem else {
                throw ServiceError.invalid("id", "'\(field.name)' is a system field; system fields cannot be deleted.")
            }
            try await tx.contactFields.delete(field, site: site)
        }
        return EmptyBody()
    }

    static func field(_ id: String, in fields: [FieldDefinition]) throws -> FieldDefinition {
        guard let field = fields.first(where: { $0.id == id }) else { throw ServiceError.notFound("Contact field") }
        return field
    }
}

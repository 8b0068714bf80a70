import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

extension AnytimeField: ResponseEncodable {}

/// `/api/v3/anytime/fields` (seed 000 L1217–L1302; spec §3.14, §5.18; decisions 231–233).
struct FieldController {
    let store: ConversationStore

    func addRoutes(to api: Endpoints<AuthenticatedContext>) {
        let api = api.tagged("Fields")
        let errors = [400: "Invalid field", 403: "A system field cannot change so", 404: "Not found", 409: "Name already used"]
        api.get(
            "/fields", "List fields with their options: system fields, then custom fields oldest first", returns: [AnytimeField].self,
            query: [QueryParameter("isSystemField", "true or false: only system or only custom fields")], errors: errors, use: self.list)
        // The literal path first (spec §6 F3).
        api.raw(
            .put, "/fields/mapping", "Map fields to chat and offline-message fields", body: AnytimeFieldMappings.self,
            responses: [204: "Mapped"].merging(errors) { $1 }
        ) { request, context in
            try await self.map(try await JSONBody.decode(AnytimeFieldMappings.self, from: request.body.collect(upTo: context.maxBodySize)), context)
            return Response(status: .noContent)
        }
        api.get("/fields/{id}", "Get a field", returns: AnytimeField.self, errors: errors, use: self.get)
        api.post(
            "/fields", "Create a custom field", body: AnytimeFieldInput.self, returns: AnytimeField.self, status: .created, errors: errors,
            use: self.create)
        api.put(
            "/fields/{id}", "Update a field (members left out keep their value; a system field takes only helpText)", body: AnytimeFieldInput.self,
            returns: AnytimeField.self, errors: errors, use: self.update)
        api.delete(
            "/fields/{id}", "Delete a custom field and every conversation's value of it", returns: EmptyBody.self, status: .noContent, errors: errors,
            use: self.delete)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> [AnytimeField] {
        struct Parameters: Decodable { var isSystemField: String? }
        let site = context.site
        let filter: Bool?
        switch try request.decodeQuery(as: Parameters.self).isSystemField?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "": filter = nil
        case "true": filter = true
        case "false": filter = false
        default: throw ServiceError.invalid("isSystemField", "Parameter 'isSystemField' must be true or false.")
        }
        return try await self.store.read { tx in
            try await FieldCatalog.all(site: site, tx: tx).filter { filter == nil || $0.row.isSystemField == filter }.map(\.wire)
        }
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> AnytimeField {
        let (site, id) = (context.site, try context.parameters.require("id"))
        return try await self.store.read { tx in try await FieldCatalog.find(id, site: site, tx: tx).wire }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext, input: AnytimeFieldInput) async throws -> AnytimeField {
        let (site, now) = (context.site, self.store.now)
        return try await self.store.write(site: site, scope: "fields") { tx in
            let field = try await FieldRules.create(input, site: site, now: now, tx: tx)
            try await tx.settings.save(field.row, replacing: false)
            try await tx.settings.setOptions(field.options, field: field.row.id, site: site)
            return field.wire
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext, input: AnytimeFieldInput) async throws -> AnytimeField {
        let (site, id, now) = (context.site, try context.parameters.require("id"), self.store.now)
        return try await self.store.write(site: site, scope: "fields") { tx in
            let found = try await FieldCatalog.find(id, site: site, tx: tx)
            var field = try await FieldRules.update(found, with: input, tx: tx)
            if !field.isStored { field.row.createdTime = now }
            try await tx.settings.save(field.row, replacing: field.isStored)
            if !field.row.isSystemField { try await tx.settings.setOptions(field.options, field: id, site: site) }
            return field.wire
        }
    }

    /// A system field cannot be deleted (403).
    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> EmptyBody {
        let (site, id) = (context.site, try context.parameters.require("id"))
        try await self.store.write(site: site, scope: "fields") { tx in
            let field = try await FieldCatalog.find(id, site: site, tx: tx)
            guard !field.row.isSystemField else { throw ServiceError.forbidden("The system field '\(id)' cannot be deleted.") }
            try await tx.settings.deleteField(id: id, site: site)
        }
        return EmptyBody()
    }

    /// Sets each listed field's chat and offline-message mapping (null or "" clears one); all or nothing. A chat or
    /// offline-message field maps to one field at most (spec §5.18, decision 233).
    func map(_ input: AnytimeFieldMappings, _ context: AuthenticatedContext) async throws {
        let site = context.site
        guard let mappings = input.fieldMappings, !mappings.isEmpty else { throw ServiceError.missing("fieldMappings") }
        guard mappings.count <= AnytimeLimits.batch else {
            throw ServiceError.invalid("fieldMappings", "Field 'fieldMappings' may hold at most \(AnytimeLimits.batch) mappings.")
        }
        var checked: [(member: String, fieldId: String, chat: String?, offline: String?)] = []
        for (index, mapping) in mappings.enumerated() {
            let member = "fieldMappings[\(index)]"
            guard let fieldId = try AnytimeLimits.id(mapping.fieldId, "\(member).fieldId") else { throw ServiceError.missing("\(member).fieldId") }
            guard !checked.contains(where: { $0.fieldId == fieldId }) else {
                throw ServiceError.invalid("\(member).fieldId", "Field '\(member).fieldId' repeats the field '\(fieldId)'.")
            }
            checked.append(
                (
                    member, fieldId, try AnytimeLimits.id(mapping.chatFieldMapping, "\(member).chatFieldMapping"),
                    try AnytimeLimits.id(mapping.offlineMessageFieldMapping, "\(member).offlineMessageFieldMapping")
                ))
        }
        let now = self.store.now
        let changes = checked
        try await self.store.write(site: site, scope: "fields") { tx in
            var fields = try await FieldCatalog.all(site: site, tx: tx)
            var changed: Set<Int> = []
            for change in changes {
                guard let index = fields.firstIndex(where: { $0.row.id == change.fieldId }) else {
                    throw ServiceError(.notFound, message: "Field not found: \(change.fieldId).", field: "\(change.member).fieldId")
                }
                (fields[index].row.chatFieldMapping, fields[index].row.offlineMessageFieldMapping) = (change.chat, change.offline)
                changed.insert(index)
            }
            for (key, name) in [
                (\FieldRow.chatFieldMapping, "chatFieldMapping"), (\FieldRow.offlineMessageFieldMapping, "offlineMessageFieldMapping"),
            ] {
                var seen: [String: String] = [:]
                for field in fields {
                    guard let target = field.row[keyPath: key] else { continue }
                    if let other = seen[target] {
                        let member = changes.first { $0.fieldId == field.row.id || $0.fieldId == other }?.member ?? "fieldMappings"
                        throw ServiceError.invalid(
                            "\(member).\(name)", "Field '\(member).\(name)': '\(target)' would map to both '\(other)' and '\(field.row.id)'.")
                    }
                    seen[target] = field.row.id
                }
            }
            for index in changed.sorted() {
                var row = fields[index].row
                if !fields[index].isStored { row.createdTime = now }
                try await tx.settings.save(row, replacing: fields[index].isStored)
            }
        }
    }
}

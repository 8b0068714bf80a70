import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi-admin/`: Switchboard's extension for loading what the contact center itself produces (the seed
/// only reads it). Administrators only; bodies in JSON or XML like the CMI's own.
struct AdminController {
    let emails: any EmailRepository
    let scriptResults: any ScriptResultRepository

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.put("/emails/:emailId", use: self.putEmail)
        group.put("/scriptResults/:scriptResultId", use: self.putScriptResult)
        let tag = "Administration (extension)"
        document.describe(
            .put, "/RI/cmi-admin/emails/{emailId}",
            .init("Load or replace an email", tag: tag, security: ["basicAuth"], isExtension: true, responses: [204: "Stored", 400: "Bad Request", 403: "Not an administrator"])
        )
        document.describe(
            .put, "/RI/cmi-admin/scriptResults/{scriptResultId}",
            .init("Load or replace a script result", tag: tag, security: ["basicAuth"], isExtension: true, responses: [204: "Stored", 400: "Bad Request", 403: "Not an administrator"])
        )
    }

    @Sendable func putEmail(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireAdministrator(context)
        var email = try await CMICoder.decode(CMIEmail.self, from: request)
        email.id = try Self.pathID("emailId", matching: email.id, context: context)
        email.fromQueue.id = try CMIIdentifier.guid(email.fromQueue.id)
        if let agentId = email.agentId { email.agentId = try CMIIdentifier.guid(agentId) }
        try CMITime.validate(email.dateCreated, field: "date_created")
        try await self.emails.put(email)
        return CMIResponses.noContent
    }

    @Sendable func putScriptResult(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireAdministrator(context)
        var result = try await CMICoder.decode(CMIScriptResult.self, from: request)
        result.id = try Self.pathID("scriptResultId", matching: result.id, context: context)
        result.contactId = try CMIIdentifier.guid(result.contactId)
        result.originalcontactId = try CMIIdentifier.guid(result.originalcontactId)
        result.scriptId = try CMIIdentifier.guid(result.scriptId)
        try CMITime.validate(result.modificationtime, field: "modificationtime")
        try await self.scriptResults.put(result)
        return CMIResponses.noContent
    }

    /// The id in the path, which the body's `id` must match.
    static func pathID(_ parameter: String, matching bodyID: String, context: AuthenticatedContext) throws -> String {
        let id = try CMIIdentifier.guid(try context.parameters.require(parameter))
        guard try CMIIdentifier.guid(bodyID) == id else {
            throw ServiceError(.badRequest, message: "Body id \(bodyID) does not match the path id \(id)", field: "id")
        }
        return id
    }

    static func requireAdministrator(_ context: AuthenticatedContext) throws {
        guard context.identity.has(permission: "ADMIN") else {
            throw ServiceError(.forbidden, message: "The ADMIN right is required.")
        }
    }
}

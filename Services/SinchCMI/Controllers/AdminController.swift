import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi-admin/`: Switchboard's extension for loading what the contact center itself produces (the seed
/// only reads it). Administrators only; bodies in JSON or XML like the CMI's own.
struct AdminController {
    let emails: any EmailRepository
    let scriptResults: any ScriptResultRepository
    let queues: any QueueRepository
    let chats: any ChatRepository
    let recordings: any CallRecordingRepository
    let settings: any SettingsRepository
    let contacts: any ContactRepository
    let users: any UserRepository
    let userCache: CachingVerifier

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.put("/emails/:emailId", use: self.putEmail)
        group.put("/scriptResults/:scriptResultId", use: self.putScriptResult)
        group.put("/queues/:queueId", use: self.putQueue)
        group.get("/queues", use: self.listQueues)
        group.put("/chats/:chatId", use: self.putChat)
        group.put("/callRecordings/:callRecordingId", use: self.putCallRecording)
        group.put("/contacts/:contactId", use: self.putContact)
        group.put("/users/:login", use: self.putUser)
        group.get("/settings", use: self.getSettings)
        group.put("/settings", use: self.putSettings)
        let tag = "Administration (extension)"
        let stored: [Int: String] = [204: "Stored", 400: "Bad Request", 403: "Not an administrator"]
        document.describe(.put, "/RI/cmi-admin/queues/{queueId}", .init("Define a queue and its addresses", tag: tag, security: ["basicAuth"], isExtension: true, responses: stored))
        document.describe(.get, "/RI/cmi-admin/queues", .init("List the defined queues", tag: tag, security: ["basicAuth"], isExtension: true, responses: [200: "Queue[]", 403: "Not an administrator"]))
        document.describe(.put, "/RI/cmi-admin/callRecordings/{callRecordingId}", .init("Load or replace a recording's metadata", tag: tag, security: ["basicAuth"], isExtension: true, responses: stored))
        document.describe(.put, "/RI/cmi-admin/contacts/{contactId}", .init("Load or replace a contact with its times, text and remarks", tag: tag, security: ["basicAuth"], isExtension: true, responses: stored))
        document.describe(.put, "/RI/cmi-admin/users/{login}", .init("Define a user: password, language and rights", tag: tag, security: ["basicAuth"], isExtension: true, responses: stored))
        document.describe(.get, "/RI/cmi-admin/settings", .init("The callback IVR number and callback defaults", tag: tag, security: ["basicAuth"], isExtension: true, responses: [200: "Settings", 403: "Not an administrator"]))
        document.describe(.put, "/RI/cmi-admin/settings", .init("Change the callback IVR number or callback defaults (members left out keep their value)", tag: tag, security: ["basicAuth"], isExtension: true, responses: stored))
        document.describe(.put, "/RI/cmi-admin/chats/{chatId}", .init("Load or replace a chat with its transcript", tag: tag, security: ["basicAuth"], isExtension: true, responses: stored))
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
        try await self.load(CMIEmail.self, request, context, id: "emailId", \.id) { email in
            email.fromQueue.id = try CMIIdentifier.guid(email.fromQueue.id)
            if let agentId = email.agentId { email.agentId = try CMIIdentifier.guid(agentId) }
            try CMITime.validate(email.dateCreated, field: "date_created")
        } store: { try await self.emails.put($0) }
    }

    @Sendable func putScriptResult(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await self.load(CMIScriptResult.self, request, context, id: "scriptResultId", \.id) { result in
            result.contactId = try CMIIdentifier.guid(result.contactId)
            result.originalcontactId = try CMIIdentifier.guid(result.originalcontactId)
            result.scriptId = try CMIIdentifier.guid(result.scriptId)
            try CMITime.validate(result.modificationtime, field: "modificationtime")
        } store: { try await self.scriptResults.put($0) }
    }

    @Sendable func putQueue(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await self.load(CMIQueue.self, request, context, id: "queueId", \.id) { queue in
            guard !queue.name.isEmpty else { throw ServiceError(.badRequest, message: "Invalid value for name: empty", field: "name") }
            for address in queue.addresses where !(1...256).contains(address.count) {
                throw ServiceError(.badRequest, message: "Invalid value for addresses: \(address)", field: "addresses")
            }
        } store: { try await self.queues.put($0) }
    }

    @Sendable func listQueues(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireAdministrator(context)
        return try CMICoder.response(try await self.queues.queues(), format: try CMIFormat.response(for: request))
    }

    @Sendable func putChat(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await self.load(CMIChat.self, request, context, id: "chatId", \.id) { chat in
            chat.fromQueue.id = try CMIIdentifier.guid(chat.fromQueue.id)
            try CMITime.validate(chat.dateCreated, field: "date_created")
        } store: { try await self.chats.put($0) }
    }

    @Sendable func putCallRecording(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await self.load(CMICallRecording.self, request, context, id: "callRecordingId", \.id) { recording in
            recording.callId = try CMIIdentifier.guid(recording.callId)
            recording.contactId = try CMIIdentifier.guid(recording.contactId)
            recording.ownerId = try CMIIdentifier.guid(recording.ownerId)
            try CMITime.validate(recording.creationTime, field: "creation_time")
        } store: { try await self.recordings.put($0) }
    }

    @Sendable func putContact(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await self.load(CMIContactRecord.self, request, context, id: "contactId", \.contact.id) { record in
            record.contact.contactGroupId = try CMIIdentifier.contactGroup(record.contact.contactGroupId)
            if let agent = record.contact.agentId { record.contact.agentId = try CMIIdentifier.guid(agent) }
            if let queue = record.contact.queueId { record.contact.queueId = try CMIIdentifier.guid(queue) }
            if let creator = record.creatorId { record.creatorId = try CMIIdentifier.guid(creator) }
            try CMITime.validate(record.contact.arrivalTime, field: "contact.arrivalTime")
            for (field, value) in [("contact.disconnectTime", record.contact.disconnectTime), ("connectTime", record.connectTime), ("wrapUpEndTime", record.wrapUpEndTime)] {
                if let value { try CMITime.validate(value, field: field) }
            }
        } store: { try await self.contacts.put($0) }
    }

    @Sendable func putUser(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireAdministrator(context)
        var user = try await CMICoder.decode(CMIUserDefinition.self, from: request, context: context)
        guard user.login == (try context.parameters.require("login")) else {
            throw ServiceError(.badRequest, message: "Body login \(user.login) does not match the path", field: "login")
        }
        user.guid = try CMIIdentifier.guid(user.guid)
        guard !user.name.isEmpty else { throw ServiceError(.badRequest, message: "Invalid value for name: empty", field: "name") }
        try await self.users.put(user)
        self.userCache.invalidate()
        return CMIResponses.noContent
    }

    @Sendable func getSettings(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireAdministrator(context)
        return try CMICoder.response(try await self.settings.settings(), format: try CMIFormat.response(for: request))
    }

    @Sendable func putSettings(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.requireAdministrator(context)
        let patch = try await CMICoder.decode(CMISettingsPatch.self, from: request, context: context)
        if let maxCalls = patch.callbackMaxCalls, maxCalls < 1 {
            throw ServiceError(.badRequest, message: "Invalid value for callbackMaxCalls: \(maxCalls)", field: "callbackMaxCalls")
        }
        // A partial document: what the body leaves out keeps its stored value (`{}` used to empty the settings).
        try await self.settings.put(patch.applied(to: try await self.settings.settings()))
        return CMIResponses.noContent
    }

    /// What every load shares: administrators only, a body in JSON or XML whose id matches the path, the
    /// object's own checks, then storage; 204.
    private func load<T: CMIRepresentable>(
        _ type: T.Type, _ request: Request, _ context: AuthenticatedContext, id parameter: String, _ id: WritableKeyPath<T, String>,
        check: (inout T) throws -> Void, store: (T) async throws -> Void
    ) async throws -> Response {
        try Self.requireAdministrator(context)
        var value = try await CMICoder.decode(T.self, from: request, context: context)
        value[keyPath: id] = try Self.pathID(parameter, matching: value[keyPath: id], context: context)
        try check(&value)
        try await store(value)
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

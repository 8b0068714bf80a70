import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi-admin/`: Switchboard's extension for loading what the contact center itself produces (the seed
/// only reads it). Administrators only; bodies in JSON or XML like the CMI's own.
struct AdminController {
    let database: Database
    let clock: WallClock
    let userCache: CachingVerifier

    func addRoutes(to api: Endpoints<CMIContext>) {
        func load<T: CMIRepresentable>(
            _ path: String, _ summary: String, _ type: T.Type, id: WritableKeyPath<T, String>,
            store: @escaping @Sendable (Tx, T) async throws -> Void,
            check: @escaping @Sendable (inout T) throws -> Void
        ) {
            nonisolated(unsafe) let id = id  // key paths to stored properties are immutable
            api.put(path, summary, body: T.self, returns: EmptyBody.self, status: .noContent) { _, context, value in
                try context.require("ADMIN")
                var value = value
                value[keyPath: id] = try Self.pathID(
                    String(path.split(separator: "{").last!.dropLast()), matching: value[keyPath: id], context: context)
                try check(&value)
                try await self.database.transaction { [value] in try await store($0, value) }
                return EmptyBody()
            }
        }
        load("/emails/{emailId}", "Load or replace an email", CMIEmail.self, id: \.id, store: { try await $0.emails.put($1) }, check: Self.check)
        load(
            "/scriptResults/{scriptResultId}", "Load or replace a script result", CMIScriptResult.self, id: \.id,
            store: { try await $0.scriptResults.put($1) },
            check: {
                ($0.contactId, $0.originalcontactId, $0.scriptId) = (
                    try CMIIdentifier.guid($0.contactId), try CMIIdentifier.guid($0.originalcontactId), try CMIIdentifier.guid($0.scriptId)
                )
                $0.modificationtime = try CMITime.bound($0.modificationtime, field: "modificationtime")
            })
        load(
            "/queues/{queueId}", "Define a queue and its addresses", CMIQueue.self, id: \.id, store: { try await $0.queues.put($1) },
            check: { queue in
                guard !queue.name.isEmpty else { throw ServiceError.cmiInvalid("name", "empty") }
                for address in queue.addresses where !(1...256).contains(address.count) { throw ServiceError.cmiInvalid("addresses", address) }
            })
        api.get("/queues", "List the defined queues", returns: [CMIQueue].self) { _, context in
            try context.require("ADMIN")
            return try await self.database.read { try await $0.queues.queues() }
        }
        load(
            "/chats/{chatId}", "Load or replace a chat with its transcript", CMIChat.self, id: \.id, store: { try await $0.chats.put($1) },
            check: Self.check)
        load(
            "/callRecordings/{callRecordingId}", "Load or replace a recording's metadata", CMICallRecording.self, id: \.id,
            store: { try await $0.recordings.put($1) },
            check: {
                ($0.callId, $0.contactId, $0.ownerId) = (
                    try CMIIdentifier.guid($0.callId), try CMIIdentifier.guid($0.contactId), try CMIIdentifier.guid($0.ownerId)
                )
                $0.creationTime = try CMITime.bound($0.creationTime, field: "creation_time")
            })
        load(
            "/contacts/{contactId}", "Load or replace a contact with its times, text and remarks", CMIContactRecord.self, id: \.contact.id,
            store: { try await $0.contacts.put($1) }, check: Self.check)
        api.put(
            "/users/{login}", "Define a user: password, language and rights", body: CMIUserDefinition.self, returns: EmptyBody.self,
            status: .noContent, use: self.putUser)
        api.get("/settings", "The callback IVR number and callback defaults", returns: CMISettings.self) { _, context in
            try context.require("ADMIN")
            return try await self.database.read { try await $0.settings.settings() }
        }
        api.put(
            "/settings", "Change the callback IVR number or callback defaults (members left out keep their value)", body: CMISettingsPatch.self,
            returns: EmptyBody.self, status: .noContent
        ) { _, context, patch in
            try context.require("ADMIN")
            if let maxCalls = patch.callbackMaxCalls, maxCalls < 1 { throw ServiceError.cmiInvalid("callbackMaxCalls", String(maxCalls)) }
            // A partial document: what the body leaves out keeps its stored value (`{}` used to empty the settings).
            try await self.database.transaction { try await $0.settings.put(patch.applied(to: try await $0.settings.settings())) }
            return EmptyBody()
        }
    }

    @Sendable func putUser(_ request: Request, context: CMIContext, user: CMIUserDefinition) async throws -> EmptyBody {
        try context.require("ADMIN")
        var user = user
        guard user.login == (try context.parameters.require("login")) else {
            throw ServiceError(.badRequest, message: "Body login \(user.login) does not match the path", field: "login")
        }
        user.guid = try CMIIdentifier.guid(user.guid)
        guard !user.name.isEmpty else { throw ServiceError.cmiInvalid("name", "empty") }
        try await self.database.transaction { [user] in try await $0.users(clock: self.clock).put(user) }
        self.userCache.invalidate()
        return EmptyBody()
    }

    /// An email as the CMI shows it: ids checked, the time in the seed's form, and the members the seed requires
    /// (L45–L65) derived when the load leaves them out: the type from the sub type (`outbound` is EmailOut), the
    /// details from type and status, an attachment's originator from the direction, an address's name from itself.
    static func check(_ email: inout CMIEmail) throws {
        email.fromQueue.id = try CMIIdentifier.guid(email.fromQueue.id)
        email.agentId = try email.agentId.map(CMIIdentifier.guid)
        email.dateCreated = try CMITime.bound(email.dateCreated, field: "date_created")
        let type = email.type ?? (email.channelSubType.lowercased() == "outbound" ? .emailOut : .emailIn)
        (email.type, email.typeDetails, email.statusDetails) = (
            type, email.typeDetails ?? type.rawValue.uppercased(), email.statusDetails ?? email.status
        )
        email.attachments = email.attachments?.map {
            var a = $0
            a.originator = a.originator ?? (type == .emailOut ? .agent : .customer)
            return a
        }
        func named(_ address: CMIEmailAddress) -> CMIEmailAddress { CMIEmailAddress(name: address.name ?? address.address, address: address.address) }
        (email.fromAddress, email.toAddress) = (named(email.fromAddress), email.toAddress.map(named))
        (email.ccAddress, email.bccAddress) = (email.ccAddress?.map(named), email.bccAddress?.map(named))
    }

    /// A chat as the CMI shows it: the queue id checked, the time in the seed's form, and type and status (required,
    /// L588–L592) derived when left out: `chatout` is ChatOut, and a loaded chat is history, so Handled.
    static func check(_ chat: inout CMIChat) throws {
        chat.fromQueue.id = try CMIIdentifier.guid(chat.fromQueue.id)
        chat.dateCreated = try CMITime.bound(chat.dateCreated, field: "date_created")
        let type = chat.type ?? (chat.channelType.lowercased() == "chatout" ? .chatOut : .chatIn)
        (chat.type, chat.typeDetails) = (type, chat.typeDetails ?? (type == .chatOut ? "ChatOut" : "Chat"))
        (chat.status, chat.statusDetails) = (chat.status ?? .handled, chat.statusDetails ?? (chat.status ?? .handled).rawValue)
    }

    static func check(_ record: inout CMIContactRecord) throws {
        record.contact.contactGroupId = try CMIIdentifier.contactGroup(record.contact.contactGroupId)
        (record.contact.agentId, record.contact.queueId) = (
            try record.contact.agentId.map(CMIIdentifier.guid), try record.contact.queueId.map(CMIIdentifier.guid)
        )
        record.creatorId = try record.creatorId.map(CMIIdentifier.guid)
        try CMITime.validate(record.contact.arrivalTime, field: "contact.arrivalTime")
        for (field, value) in [
            ("contact.disconnectTime", record.contact.disconnectTime), ("connectTime", record.connectTime), ("wrapUpEndTime", record.wrapUpEndTime),
        ] {
            if let value { try CMITime.validate(value, field: field) }
        }
    }

    /// The id in the path, which the body's `id` must match.
    static func pathID(_ parameter: String, matching bodyID: String, context: CMIContext) throws -> String {
        let id = try context.guid(parameter)
        guard try CMIIdentifier.guid(bodyID) == id else {
            throw ServiceError(.badRequest, message: "Body id \(bodyID) does not match the path id \(id)", field: "id")
        }
        return id
    }
}

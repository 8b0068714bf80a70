import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/callbacks`: callback requests for the dialler (seed L1224–L1414).
struct CallbackController {
    let callbacks: any CallbackRepository
    let queues: any QueueRepository
    let settings: any SettingsRepository
    let clock: WallClock

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/callbacks", use: self.list)
        group.post("/callbacks", use: self.create)
        group.get("/callbacks/:callbackId", use: self.get)
        group.put("/callbacks/:callbackId", use: self.update)
        let tag = "callbacks"
        let security = ["basicAuth"]
        document.describe(.get, "/RI/cmi/callbacks", .init("List callbacks (field customerNumber; * and ? wildcards)", tag: tag, security: security, responses: [200: "Callback[]", 400: "Bad Request"]))
        document.describe(.post, "/RI/cmi/callbacks", .init("Add a callback (needs the callback IVR number)", tag: tag, security: security, responses: [201: "The new callback's id", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/callbacks/{callbackId}", .init("One callback", tag: tag, security: security, responses: [200: "Callback", 404: "Not Found"]))
        document.describe(.put, "/RI/cmi/callbacks/{callbackId}", .init("Update customerNumber, notes, lastResult and nextCallTime", tag: tag, security: security, responses: [204: "Updated", 400: "Bad Request", 404: "Not Found"]))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let search = try CMIFieldSearch(query: CMIQuery(request), searchable: Set(CallbackSQLRepository.columns.keys))
        return try CMICoder.response(try await self.callbacks.callbacks(matching: search), format: format)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        guard let callback = try await self.callbacks.callback(id: try Self.callbackID(context)) else { throw ServiceError.cmiNotFound }
        return try CMICoder.response(callback, format: format)
    }

    /// A new callback: added by the signed-in user, no failures yet, due at `nextCallTime` or now.
    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let new = try await CMICoder.decode(CMINewCallback.self, from: request, context: context)
        let settings = try await self.settings.settings()
        guard settings.callbackIvrNumber?.isEmpty == false else {
            throw ServiceError(.badRequest, message: "Built-in Callback IVR Number is not defined")
        }
        for (field, value) in [("customerNumber", new.customerNumber), ("callbackQueueNumber", new.callbackQueueNumber)] where value.isEmpty {
            throw ServiceError(.badRequest, message: "Invalid value for \(field): empty", field: field)
        }
        let now = CMITime.format(self.clock.date())
        let nextCallTime = try new.nextCallTime.map { try CMITime.bound($0, field: "nextCallTime") } ?? now
        let queueName = try await self.queues.queues().first { $0.addresses.contains(new.callbackQueueNumber) }?.name
        let callback = CMICallback(
            id: CMIIdentifier.make(), callbackQueueNumber: new.callbackQueueNumber, creationTime: now,
            creatorId: context.identity.principalID, creatorName: context.identity.name, customerNumber: new.customerNumber,
            extraData: new.extraData, gwPrefix: new.gwPrefix, failures: 0, lastResult: "ADDED", maxCalls: settings.callbackMaxCalls ?? 99,
            nextCallTime: nextCallTime, notes: new.notes, originalQueueNumber: new.callbackQueueNumber, originalQueueName: queueName
        )
        try await self.callbacks.put(callback)
        return CMIResponses.created(id: callback.id, request: request)
    }

    /// Applies only `customerNumber`, `notes`, `lastResult` and `nextCallTime`; the last only with
    /// `CUSTOM_TIME` or `RESCHEDULE` (seed L1378–L1414).
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try Self.callbackID(context)
        let update = try await CMICoder.decode(CMICallbackUpdate.self, from: request, context: context)
        guard var callback = try await self.callbacks.callback(id: id) else { throw ServiceError.cmiNotFound }
        guard !update.customerNumber.isEmpty else { throw ServiceError(.badRequest, message: "Invalid value for customerNumber: empty", field: "customerNumber") }
        if let next = update.nextCallTime {
            guard update.lastResult == .customTime || update.lastResult == .reschedule else {
                throw ServiceError(
                    .badRequest, message: "nextCallTime is only allowed when lastResult is CUSTOM_TIME or RESCHEDULE", field: "nextCallTime"
                )
            }
            callback.nextCallTime = try CMITime.bound(next, field: "nextCallTime")
        }
        callback.customerNumber = update.customerNumber
        callback.notes = update.notes
        callback.lastResult = update.lastResult.rawValue
        try await self.callbacks.put(callback)
        return CMIResponses.noContent
    }

    static func callbackID(_ context: AuthenticatedContext) throws -> String {
        try CMIIdentifier.guid(try context.parameters.require("callbackId"))
    }
}

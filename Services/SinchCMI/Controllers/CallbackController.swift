import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/callbacks`: callback requests for the dialler (seed L1224–L1414).
struct CallbackController {
    let database: Database
    let clock: WallClock

    func addRoutes(to api: Endpoints<CMIContext>) {
        let api = api.tagged("callbacks")
        api.get("/callbacks", "List callbacks (field customerNumber; * and ? wildcards)", returns: [CMICallback].self, use: self.list)
        api.raw(
            .post, "/callbacks", "Add a callback (needs the callback IVR number)", body: CMINewCallback.self,
            responses: CMIResponses.createdResponses, use: self.create)
        api.get("/callbacks/{callbackId}", "One callback", returns: CMICallback.self, use: self.get)
        api.put(
            "/callbacks/{callbackId}", "Update customerNumber, notes, lastResult and nextCallTime", body: CMICallbackUpdate.self,
            returns: EmptyBody.self, status: .noContent, use: self.update)
    }

    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMICallback] {
        let search = try CMIFieldSearch(request, searchable: CallbackSQLRepository.columns.keys)
        return try await self.database.read { try await $0.callbacks.callbacks(matching: search) }
    }

    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMICallback {
        let id = try context.guid("callbackId")
        return try await self.database.found { try await $0.callbacks.callback(id: id) }
    }

    /// A new callback: added by the signed-in user, no failures yet, due at `nextCallTime` or now; its original queue
    /// is the one the body names, else the callback queue, named after the queue answering on that number.
    @Sendable func create(_ request: Request, context: CMIContext) async throws -> Response {
        let new = try await request.decode(as: CMINewCallback.self, context: context)
        for (field, value) in [("customerNumber", new.customerNumber), ("callbackQueueNumber", new.callbackQueueNumber)] where value.isEmpty {
            throw ServiceError.cmiInvalid(field, "empty")
        }
        let now = CMITime.format(self.clock.date())
        let nextCallTime = try new.nextCallTime.map { try CMITime.bound($0, field: "nextCallTime") } ?? now
        let original = new.originalQueueNumber.nonEmpty ?? new.callbackQueueNumber
        let id = try await self.database.transaction { tx in
            let settings = try await tx.settings.settings()
            guard settings.callbackIvrNumber?.isEmpty == false else {
                throw ServiceError(.badRequest, message: "Built-in Callback IVR Number is not defined")
            }
            let callback = CMICallback(
                id: CMIIdentifier.make(), callbackQueueNumber: new.callbackQueueNumber, creationTime: now,
                creatorId: context.identity.principalID, creatorName: context.identity.name, customerNumber: new.customerNumber,
                extraData: new.extraData, gwPrefix: new.gwPrefix, failures: 0, lastResult: "ADDED", maxCalls: settings.callbackMaxCalls ?? 99,
                nextCallTime: nextCallTime, notes: new.notes, originalQueueNumber: original,
                originalQueueName: try await tx.queues.queue(address: original)?.name
            )
            try await tx.callbacks.put(callback)
            return callback.id
        }
        return CMIResponses.created(id: id, request: request)
    }

    /// Applies only `customerNumber`, `notes`, `lastResult` and `nextCallTime`; the last only with
    /// `CUSTOM_TIME` or `RESCHEDULE` (seed L1378–L1414).
    @Sendable func update(_ request: Request, context: CMIContext, update: CMICallbackUpdate) async throws -> EmptyBody {
        let id = try context.guid("callbackId")
        guard !update.customerNumber.isEmpty else { throw ServiceError.cmiInvalid("customerNumber", "empty") }
        let next = try update.nextCallTime.map { next in
            guard update.lastResult == .customTime || update.lastResult == .reschedule else {
                throw ServiceError(
                    .badRequest, message: "nextCallTime is only allowed when lastResult is CUSTOM_TIME or RESCHEDULE", field: "nextCallTime")
            }
            return try CMITime.bound(next, field: "nextCallTime")
        }
        try await self.database.transaction { tx in
            guard var callback = try await tx.callbacks.callback(id: id) else { throw ServiceError.cmiNotFound }
            (callback.customerNumber, callback.notes, callback.lastResult) = (update.customerNumber, update.notes, update.lastResult.rawValue)
            callback.nextCallTime = next ?? callback.nextCallTime
            try await tx.callbacks.put(callback)
        }
        return EmptyBody()
    }
}

import HTTPTypes
import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/callRecordings`: recording metadata and the listen log (seed L950–L1223).
struct CallRecordingController {
    let recordings: any CallRecordingRepository
    let clock: WallClock

    func addRoutes(to group: RouterGroup<AuthenticatedContext>, document: OpenAPIDocument) {
        group.get("/callRecordings", use: self.list)
        group.get("/callRecordings/:callRecordingId", use: self.get)
        group.get("/callRecordings/:callRecordingId/listenLog", use: self.listenLog)
        group.post("/callRecordings/:callRecordingId/listenLog", use: self.addListenLog)
        let tag = "callRecordings"
        let security = ["basicAuth"]
        document.describe(.get, "/RI/cmi/callRecordings", .init("List recording metadata (without listen_log)", tag: tag, security: security, responses: [200: "CallRecording[]", 400: "Bad Request"]))
        document.describe(.get, "/RI/cmi/callRecordings/{callRecordingId}", .init("One recording with its listen log", tag: tag, security: security, responses: [200: "CallRecording", 404: "Not Found"]))
        document.describe(.get, "/RI/cmi/callRecordings/{callRecordingId}/listenLog", .init("The listen log of a recording", tag: tag, security: security, responses: [200: "ListenLog[]", 400: "Bad Request", 404: "Not Found"]))
        document.describe(.post, "/RI/cmi/callRecordings/{callRecordingId}/listenLog", .init("Record that the signed-in user listened", tag: tag, security: security, responses: [201: "The new entry's id", 400: "Bad Request", 404: "Not Found"]))
    }

    /// Recordings by `call_id`, `contact_id` and a `start_time`/`end_time` window on their creation time.
    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let query = CMIQuery(request)
        let from = try query.string("start_time").map { try CMITime.bound($0, field: "start_time") }
        let to = try query.string("end_time").map { try CMITime.bound($0, field: "end_time") }
        let found = try await self.recordings.recordings(
            callId: try query.guid("call_id"), contactId: try query.guid("contact_id"), from: from, to: to, limit: try query.limit()
        )
        return try CMICoder.response(found, format: format)
    }

    @Sendable func get(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        guard let recording = try await self.recordings.recording(id: try Self.recordingID(context), withListenLog: true) else {
            throw ServiceError.cmiNotFound
        }
        return try CMICoder.response(recording, format: format)
    }

    @Sendable func listenLog(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let format = try CMIFormat.response(for: request)
        let id = try Self.recordingID(context)
        guard try await self.recordings.recording(id: id, withListenLog: false) != nil else { throw ServiceError.cmiNotFound }
        return try CMICoder.response(try await self.recordings.listenLog(recordingId: id), format: format)
    }

    /// A new entry by the signed-in user: `description` and `userSessionId` are required; the user fields are
    /// always the signed-in user's; `time_stamp` defaults to now (seed L1192–L1223).
    @Sendable func addListenLog(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try Self.recordingID(context)
        var entry = try await CMICoder.decode(CMIListenLog.self, from: request, context: context)
        guard try await self.recordings.recording(id: id, withListenLog: false) != nil else { throw ServiceError.cmiNotFound }
        guard !entry.description.isEmpty else { throw ServiceError(.badRequest, message: "Invalid value for description: empty", field: "description") }
        guard let session = entry.userSessionId, !session.isEmpty else {
            throw ServiceError(.badRequest, message: "Invalid value for userSessionId: empty", field: "userSessionId")
        }
        if let stamp = entry.timeStamp {
            try CMITime.validate(stamp, field: "time_stamp")
            entry.timeStamp = CMITime.canonical(stamp)
        } else {
            entry.timeStamp = CMITime.format(self.clock.date())
        }
        entry.id = CMIIdentifier.make()
        entry.userGuid = context.identity.principalID
        entry.userId = context.identity.email
        entry.userName = context.identity.name
        try await self.recordings.addListenLog(entry, recordingId: id)
        return CMIResponses.created(id: entry.id!, request: request)
    }

    static func recordingID(_ context: AuthenticatedContext) throws -> String {
        try CMIIdentifier.guid(try context.parameters.require("callRecordingId"))
    }
}

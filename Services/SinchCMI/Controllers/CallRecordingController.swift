import Hummingbird
import ServiceKit
import WireModels

/// `/RI/cmi/callRecordings`: recording metadata and the listen log (seed L950–L1223), for users with the `LISTEN`
/// right (decision 110).
struct CallRecordingController {
    let database: Database
    let clock: WallClock

    func addRoutes(to api: Endpoints<CMIContext>) {
        let (api, listen) = (api.tagged("callRecordings"), [403: "Without the LISTEN right"])
        api.get("/callRecordings", "List recording metadata (without listen_log)", returns: [CMICallRecording].self, errors: listen, use: self.list)
        api.get(
            "/callRecordings/{callRecordingId}", "One recording with its listen log", returns: CMICallRecording.self, errors: listen, use: self.get)
        api.get(
            "/callRecordings/{callRecordingId}/listenLog", "The listen log of a recording", returns: [CMIListenLog].self, errors: listen,
            use: self.listenLog)
        api.raw(
            .post, "/callRecordings/{callRecordingId}/listenLog", "Record that the signed-in user listened", body: CMIListenLog.self,
            responses: CMIResponses.createdResponses.merging(listen) { $1 }, use: self.addListenLog)
        // What the POST's `Location` names (notes A41: the seed serves no such URL).
        api.tagged("callRecordings", isExtension: true).get(
            "/callRecordings/{callRecordingId}/listenLog/{entryId}", "One listen-log entry", returns: CMIListenLog.self, errors: listen,
            use: self.listenLogEntry)
    }

    /// `GET /callRecordings`'s parameters.
    struct Query: Decodable {
        var call_id, contact_id: CMIGUID?
        var start_time, end_time: CMITimeBound?
        var limit: CMILimit?
    }

    /// Recordings by `call_id`, `contact_id` and a `start_time`/`end_time` window on their creation time.
    @Sendable func list(_ request: Request, context: CMIContext) async throws -> [CMICallRecording] {
        try context.require("LISTEN")
        let query = try request.decodeQuery(as: Query.self)
        return try await self.database.read {
            try await $0.recordings.recordings(
                callId: query.call_id?.value, contactId: query.contact_id?.value, from: query.start_time?.value, to: query.end_time?.value,
                limit: query.limit?.value
            )
        }
    }

    @Sendable func get(_ request: Request, context: CMIContext) async throws -> CMICallRecording {
        try context.require("LISTEN")
        let id = try context.guid("callRecordingId")
        return try await self.database.found { try await $0.recordings.recording(id: id, withListenLog: true) }
    }

    @Sendable func listenLog(_ request: Request, context: CMIContext) async throws -> [CMIListenLog] {
        try context.require("LISTEN")
        let id = try context.guid("callRecordingId")
        return try await self.database.found { try await $0.recordings.recording(id: id, withListenLog: true)?.listenLog }
    }

    @Sendable func listenLogEntry(_ request: Request, context: CMIContext) async throws -> CMIListenLog {
        try context.require("LISTEN")
        let (id, entryID) = (try context.guid("callRecordingId"), try context.guid("entryId"))
        return try await self.database.found { try await $0.recordings.listenLog(recordingId: id, id: entryID).first }
    }

    /// A new entry by the signed-in user: `description` and `userSessionId` are required; the user fields are
    /// always the signed-in user's; `time_stamp` defaults to now (seed L1192–L1223).
    @Sendable func addListenLog(_ request: Request, context: CMIContext) async throws -> Response {
        try context.require("LISTEN")
        let id = try context.guid("callRecordingId")
        var entry = try await request.decode(as: CMIListenLog.self, context: context)
        guard !entry.description.isEmpty else { throw ServiceError.cmiInvalid("description", "empty") }
        guard let session = entry.userSessionId, !session.isEmpty else { throw ServiceError.cmiInvalid("userSessionId", "empty") }
        entry.timeStamp = try entry.timeStamp.map { try CMITime.bound($0, field: "time_stamp") } ?? CMITime.format(self.clock.date())
        entry.id = CMIIdentifier.make()
        (entry.userGuid, entry.userId, entry.userName) = (context.identity.principalID, context.identity.email, context.identity.name)
        try await self.database.transaction { [entry] tx in
            guard try await tx.recordings.recording(id: id, withListenLog: false) != nil else { throw ServiceError.cmiNotFound }
            try await tx.recordings.addListenLog(entry, recordingId: id)
        }
        return CMIResponses.created(id: entry.id ?? "", request: request)
    }
}

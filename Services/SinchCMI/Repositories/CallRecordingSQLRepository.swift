import SQLKit
import ServiceKit
import WireModels

/// Call-recording metadata and the audit log of who listened.
struct CallRecordingSQLRepository {
    let sql: any SQLDatabase

    /// Stores a recording's metadata and the listen-log entries it carries (the log it had is kept).
    func put(_ recording: CMICallRecording) async throws {
        try await self.sql.delete(from: "call_recordings").where("id", .equal, recording.id).run()
        var stored = recording
        stored.listenLog = nil
        // The wire type is the row: its members are named as the columns are (`call_id`).
        try await self.sql.insert(into: "call_recordings").model(stored).run()
        for entry in recording.listenLog ?? [] {
            try await self.addListenLog(entry, recordingId: recording.id)
        }
    }

    /// A recording, with its listen log when `withListenLog`.
    func recording(id: String, withListenLog: Bool) async throws -> CMICallRecording? {
        guard
            var recording = try await self.sql.select().column("*").from("call_recordings").where("id", .equal, id).first(
                decoding: CMICallRecording.self)
        else { return nil }
        if withListenLog { recording.listenLog = try await self.listenLog(recordingId: id) }
        return recording
    }

    /// Recordings by call, contact and an inclusive creation-time window, newest first.
    func recordings(callId: String?, contactId: String?, from: String?, to: String?, limit: Int?) async throws -> [CMICallRecording] {
        let select = self.sql.select().column("*").from("call_recordings").orderBy("creation_time", .descending).orderBy("id").limit(limit)
        if let callId { select.where("call_id", .equal, callId) }
        if let contactId { select.where("contact_id", .equal, contactId) }
        if let from { select.where("creation_time", .greaterThanOrEqual, from) }
        if let to { select.where("creation_time", .lessThanOrEqual, to) }
        return try await select.all(decoding: CMICallRecording.self)
    }

    /// A recording's log, oldest first; `id` narrows it to one entry.
    func listenLog(recordingId: String, id: String? = nil) async throws -> [CMIListenLog] {
        let select = self.sql.select().column("*").from("listen_log").where("recording_id", .equal, recordingId).orderBy("time_stamp").orderBy("id")
        if let id { select.where("id", .equal, id) }
        return try await select.all(CMIListenLog.self)
    }

    /// A `listen_log` row is the entry (its members named as the columns are) and the recording it belongs to.
    func addListenLog(_ entry: CMIListenLog, recordingId: String) async throws {
        var entry = entry
        (entry.id, entry.timeStamp) = (entry.id ?? CMIIdentifier.make(), CMITime.canonical(entry.timeStamp ?? ""))
        let row = try SQLRowCoding.encoder.encode(entry) + [("recording_id", SQLBind(recordingId))]
        try await self.sql.insert(into: "listen_log").columns(row.map(\.0)).values(row.map(\.1)).run()
    }
}

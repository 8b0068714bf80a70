import ServiceKit
import WireModels

/// Call-recording metadata and the audit log of who listened.
protocol CallRecordingRepository: Sendable {
    /// Stores a recording's metadata (its `listen_log` lives apart and is kept).
    func put(_ recording: CMICallRecording) async throws
    /// A recording, with its listen log when `withListenLog`.
    func recording(id: String, withListenLog: Bool) async throws -> CMICallRecording?
    func recordings(callId: String?, contactId: String?, from: String?, to: String?, limit: Int?) async throws -> [CMICallRecording]
    func listenLog(recordingId: String) async throws -> [CMIListenLog]
    func addListenLog(_ entry: CMIListenLog, recordingId: String) async throws
}

/// ``CallRecordingRepository`` on SQLite or PostgreSQL.
struct CallRecordingSQLRepository: CallRecordingRepository {
    let recordings: DocumentStore<CMICallRecording>
    let log: DocumentStore<CMIListenLog>

    init(database: Database) {
        self.recordings = DocumentStore(database: database, table: "call_recordings")
        self.log = DocumentStore(database: database, table: "listen_log")
    }

    func put(_ recording: CMICallRecording) async throws {
        var stored = recording
        stored.listenLog = nil
        try await self.recordings.put(
            stored,
            columns: [
                ("id", recording.id), ("call_id", recording.callId), ("contact_id", recording.contactId),
                ("creation_time", CMITime.canonical(recording.creationTime)),
            ]
        )
        for entry in recording.listenLog ?? [] {
            try await self.addListenLog(entry, recordingId: recording.id)
        }
    }

    func recording(id: String, withListenLog: Bool) async throws -> CMICallRecording? {
        guard var recording = try await self.recordings.get(id: id) else { return nil }
        if withListenLog { recording.listenLog = try await self.listenLog(recordingId: id) }
        return recording
    }

    func recordings(callId: String?, contactId: String?, from: String?, to: String?, limit: Int?) async throws -> [CMICallRecording] {
        typealias Condition = DocumentStore<CMICallRecording>.Condition
        var conditions: [Condition] = []
        if let callId { conditions.append(Condition(column: "call_id", comparison: .equal, value: callId)) }
        if let contactId { conditions.append(Condition(column: "contact_id", comparison: .equal, value: contactId)) }
        if let from { conditions.append(Condition(column: "creation_time", comparison: .atLeast, value: from)) }
        if let to { conditions.append(Condition(column: "creation_time", comparison: .atMost, value: to)) }
        return try await self.recordings.list(matching: conditions, orderBy: "creation_time DESC", limit: limit)
    }

    func listenLog(recordingId: String) async throws -> [CMIListenLog] {
        try await self.log.list(where: [("recording_id", recordingId)], orderBy: "time_stamp", limit: nil)
    }

    func addListenLog(_ entry: CMIListenLog, recordingId: String) async throws {
        let id = entry.id ?? CMIIdentifier.make()
        var stored = entry
        stored.id = id
        try await self.log.put(
            stored, columns: [("id", id), ("recording_id", recordingId), ("time_stamp", CMITime.canonical(entry.timeStamp ?? ""))]
        )
    }
}

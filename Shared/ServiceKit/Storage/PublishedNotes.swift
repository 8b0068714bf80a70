import Foundation
import Logging
import PostgresKit
import SQLKit
import Synchronization

// Notes published to every instance of a service (docs/design/servicekit-2.md §5.1).

extension Tx {
    /// Publishes `note` on `channel` to every instance of the service: each ``Database/listen(to:_:)`` listener of
    /// `channel` on this database, in this process and in every other process on the same PostgreSQL schema, hears it
    /// once, after the transaction has committed and in commit order. If the transaction rolls back, nobody hears it.
    ///
    /// On PostgreSQL it is `pg_notify` on this transaction (the server delivers it at commit to every `LISTEN`ing
    /// instance, this one included; a note longer than a notification can carry is stored in `servicekit_notes` on this
    /// transaction and its id sent instead). Call it in a write transaction: PostgreSQL refuses `NOTIFY` in a read-only
    /// one. On SQLite (one process owns the file) it goes to this process's listeners after the commit.
    ///
    /// `channel`: letters, digits and underscores, at most 40.
    public func publish(_ note: String, on channel: String) async throws {
        precondition(PublishedNote.isValid(channel: channel), "channel names are letters, digits and underscores, at most 40")
        guard self.engine == .postgres else {
            self.notes?.append(PublishedNote(channel: channel, note: note))
            return
        }
        let name = PublishedNote.serverChannel(channel, salt: self.lockSalt)
        let payload: String
        if note.utf8.count <= PublishedNote.inlineLimit {
            // The sequence keeps two equal notes of one transaction apart: PostgreSQL sends equal payloads of one
            // transaction once.
            payload = "i\(PublishedNote.sequence.add(1, ordering: .relaxed).newValue) " + note
        } else {
            let stored = try await self.sql.insert(into: PublishedNote.table).columns("channel", "payload", "created_at")
                .values(SQLBind(channel), SQLBind(note), SQLBind(WallClock.epochMilliseconds()))
                .returning("id").first(decoding: PublishedNote.IDRow.self)
            guard let stored else { throw DatabaseConfigurationError("servicekit_notes returned no id") }
            payload = "s\(stored.id)"
        }
        try await self.sql.select().column(SQLFunction("pg_notify", args: SQLBind(name), SQLBind(payload))).run()
    }
}

extension Database {
    /// Hands every note published on `channel` (``Tx/publish(_:on:)``) to `listener`, one at a time, in commit order.
    /// `listener` must not wait (hand the note to a stream of your own). Call it before the database runs: on
    /// PostgreSQL ``run()`` opens one connection of its own that `LISTEN`s on every channel with a listener, and opens
    /// it again after it drops (a server restart), logging that notes published meanwhile may have been missed.
    /// Several listeners of one channel each hear every note.
    public func listen(to channel: String, _ listener: @escaping @Sendable (String) -> Void) {
        precondition(PublishedNote.isValid(channel: channel), "channel names are letters, digits and underscores, at most 40")
        if self.noteListeners.add(channel, listener), self.engine == .postgres {
            self.logger.error(
                "A listener of a channel new after the database started hears nothing: call listen(to:) before it runs",
                metadata: ["channel": "\(channel)"])
        }
    }
}

/// A note published on a transaction of SQLite, kept with the transaction's other notes until it commits.
struct PublishedNote: Sendable {
    var channel: String
    var note: String

    /// The longest note sent inline (UTF-8 bytes): PostgreSQL takes payloads under 8,000 bytes, and the prefix takes a few.
    static let inlineLimit = 7_900
    /// Where longer notes wait for their listeners.
    static let table = "servicekit_notes"
    /// How long a stored note is kept for listeners to read.
    static let keepMilliseconds: Int64 = 10 * 60 * 1000

    static let sequence = Atomic<Int>(0)

    static func isValid(channel: String) -> Bool {
        !channel.isEmpty && channel.utf8.count <= 40 && channel.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The server's channel: PostgreSQL's channels are database-wide, so the schema's hash keeps services and test
    /// suites in other schemas of the same database from hearing each other.
    static func serverChannel(_ channel: String, salt: Int64) -> String {
        "sk_" + String(UInt32(truncatingIfNeeded: salt), radix: 16) + "_" + channel
    }

    struct IDRow: Decodable {
        var id: Int64
    }

    struct PayloadRow: Decodable {
        var payload: String
    }
}

/// Who listens to each channel in this process.
final class NoteListeners: Sendable {
    private let listeners = Mutex<(byChannel: [String: [@Sendable (String) -> Void]], started: Bool)>(([:], false))

    /// Adds `listener`; answers whether the channels were already taken (``start()``), too late for a new channel.
    func add(_ channel: String, _ listener: @escaping @Sendable (String) -> Void) -> Bool {
        self.listeners.withLock { state in
            let late = state.started && state.byChannel[channel] == nil
            state.byChannel[channel, default: []].append(listener)
            return late
        }
    }

    /// The channels listened to, taken once the database runs.
    func start() -> [String] {
        self.listeners.withLock { state in
            state.started = true
            return Array(state.byChannel.keys).sorted()
        }
    }

    func deliver(_ note: String, on channel: String) {
        for listener in self.listeners.withLock({ $0.byChannel[channel] ?? [] }) { listener(note) }
    }
}

extension PostgresStore {
    /// `LISTEN`s on `channels` (the server's channel name of each service channel) on a connection of its own until
    /// cancelled, handing each note to `deliver` in the order the server sends them. A dropped connection is opened
    /// again (after 1 s, then up to 30 s apart).
    func listen(_ channels: [String: String], deliver: @escaping @Sendable (String, String) -> Void) async {
        var pause = Duration.seconds(1)
        var lost = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try self.listeningConfiguration(), id: Int.random(in: 1_000_000...9_999_999), logger: self.logger)
                pause = .seconds(1)
                if lost {
                    self.logger.warning("Listening for published notes again; notes published while the connection was down were missed")
                    lost = false
                }
                do {
                    try await self.consume(channels, on: connection, deliver: deliver)
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch {
                if Task.isCancelled { return }
                if !lost {
                    self.logger.warning(
                        "Lost the connection listening for published notes; notes published until it is back may be missed",
                        metadata: ["error": "\(String(reflecting: error))"])
                    lost = true
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
            }
        }
    }

    /// Listens on `connection` until it fails (it always ends in an error).
    private func consume(
        _ channels: [String: String], on connection: PostgresConnection, deliver: @escaping @Sendable (String, String) -> Void
    )
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (server, channel) in channels {
                group.addTask {
                    try await connection.listen(on: server) { notifications in
                        for try await notification in notifications {
                            guard let note = try await self.note(notification.payload, on: connection) else { continue }
                            deliver(note, channel)
                        }
                    }
                }
            }
            // A connection that went away without a word (no reset) is found out within a minute.
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(30))
                    try await connection.sql().raw("SELECT 1").run()
                }
            }
            // Stored notes older than anyone waits for go, at most once a minute, by whichever instance.
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(60))
                    try await connection.sql().delete(from: PublishedNote.table)
                        .where("created_at", .lessThan, SQLBind(WallClock.epochMilliseconds() - PublishedNote.keepMilliseconds)).run()
                }
            }
            _ = try await group.next()
            throw DatabaseConfigurationError("the listening connection stopped listening")
        }
    }

    /// A notification's note: inline (`i<sequence> <note>`), or stored (`s<id>`) and read on `connection`.
    private func note(_ payload: String, on connection: PostgresConnection) async throws -> String? {
        switch payload.first {
        case "i":
            guard let space = payload.firstIndex(of: " ") else { return nil }
            return String(payload[payload.index(after: space)...])
        case "s":
            guard let id = Int64(payload.dropFirst()) else { return nil }
            let row = try await connection.sql().select().column("payload").from(PublishedNote.table).where("id", .equal, SQLBind(id))
                .first(decoding: PublishedNote.PayloadRow.self)
            if row == nil { self.logger.error("A published note was swept before it was read", metadata: ["id": "\(id)"]) }
            return row?.payload
        default:
            return nil
        }
    }
}

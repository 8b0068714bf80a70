import Foundation
import SQLKit
import ServiceKit
import Synchronization
import TestSupport
import Testing

@Suite("What a transaction announces is heard after its commit, never after a rollback")
struct CommitAnnouncementTests {
    static let notes = Migration("test-notes", statements: ["CREATE TABLE notes (name VARCHAR(50) PRIMARY KEY)"])

    @Test("Announcements reach the listener after the commit, in order, nested ones with their outer transaction; a rollback drops them")
    func announcements() async throws {
        try await withTestDatabase(migrations: [Self.notes]) { database in
            let heard = Mutex<[String]>([])
            database.onCommit { notes in heard.withLock { $0 += notes.compactMap { $0 as? String } } }

            try await database.transaction { tx in
                try await tx.sql.insert(into: "notes").columns("name").values("first").run()
                tx.announce("first")
                // Not yet: the transaction has not committed.
                #expect(heard.withLock { $0 }.isEmpty)
                try await database.transaction { inner in inner.announce("nested") }
                #expect(heard.withLock { $0 }.isEmpty)
            }
            #expect(heard.withLock { $0 } == ["first", "nested"])

            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await database.transaction { tx in
                    try await tx.sql.insert(into: "notes").columns("name").values("rolled back").run()
                    tx.announce("rolled back")
                    throw Refused()
                }
            }
            #expect(heard.withLock { $0 } == ["first", "nested"])
            let names = try await database.read { tx in try await tx.sql.select().column("name").from("notes").all(Name.self) }
            #expect(names.map(\.name) == ["first"])
        }
    }

    struct Name: Decodable {
        var name: String
    }
}

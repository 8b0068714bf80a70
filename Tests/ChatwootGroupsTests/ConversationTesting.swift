import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import ServiceKit
import TestSupport
import Testing

@testable import ChatwootGroups

/// An app whose database the test reaches too (SQLite in a temporary file, or the PostgreSQL test schema), to put in
/// place what other lanes' APIs make: inboxes and their members, contacts, teams.
struct ConversationWorld {
    let values: [AbsoluteConfigKey: ConfigValue]
    let directory: String

    init() throws {
        let directory = NSTemporaryDirectory() + "chatwoot-conversations-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var values: [AbsoluteConfigKey: ConfigValue] = [
            "data.dir": .init(.string(directory), isSecret: false),
            "db.schema": .init(.string("t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)), isSecret: false),
        ]
        if TestConfiguration.databaseURL.hasPrefix("sqlite") {
            values["db.url"] = .init(.string("sqlite:\(directory)/chatwoot.sqlite"), isSecret: true)
        }
        self.values = values
        self.directory = directory
    }

    /// Runs `body` against the app, with the seeding database beside it.
    func run(_ body: @escaping @Sendable (any TestClientProtocol, Seeder) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(atPath: self.directory) }
        let app = try await buildApplication(reader: TestConfiguration.reader(self.values))
        let database = try TestConfiguration.database(self.values)
        try await database.withRunning {
            // The seeder's connections open before the app's: SQLite's switch to WAL wants the file to itself.
            try await database.transaction { tx in try await tx.sql.raw("SELECT 1").run() }
            try await app.test(.router) { client in
                // The app has migrated by its first answer.
                _ = try await client.execute(uri: "/readyz", method: .get)
                try await body(client, Seeder(database: database))
            }
        }
    }
}

/// Inserts what the inbox, contact and team APIs of other lanes make.
struct Seeder: Sendable {
    let database: Database
    var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func inbox(account: Int = 1, _ name: String, channel: String = "Channel::Api") async throws -> Int {
        let now = self.now
        return try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "inboxes").columns("account_id", "name", "channel_type", "channel_id", "created_at", "updated_at")
                .values(account, name, channel, 1, now, now).returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
    }

    func member(inbox: Int, user: Int) async throws {
        let now = self.now
        try await self.database.transaction { tx in
            try await tx.sql.insert(into: "inbox_members").columns("inbox_id", "user_id", "created_at").values(inbox, user, now).run()
        }
    }

    func connect(bot: Int, inbox: Int) async throws {
        try await self.database.transaction { tx in
            try await tx.sql.update("inboxes").set("agent_bot_id", to: bot).where("id", .equal, inbox).run()
        }
    }

    func contact(account: Int = 1, _ name: String, email: String? = nil) async throws -> Int {
        let now = self.now
        return try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "contacts").columns("account_id", "name", "email", "created_at", "updated_at")
                .values(account, name, email, now, now).returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
    }

    func team(account: Int = 1, _ name: String) async throws -> Int {
        let now = self.now
        return try await self.database.transaction { tx in
            let row = try await tx.sql.insert(into: "teams").columns("account_id", "name", "created_at", "updated_at").values(account, name, now, now)
                .returning("id").first(IDRow.self)
            return Int(row?.id ?? 0)
        }
    }
}

extension TestClientProtocol {
    /// A new conversation of `contact` in `inbox` (account 1 unless given); answers its display id.
    func conversation(
        account: Int = 1, inbox: Int, contact: Int, extra: String = "", token: String? = TestConfiguration.bootstrapKey,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int {
        let response = try await self.chatwoot(
            .post, "/api/v1/accounts/\(account)/conversations", token: token,
            json: #"{"inbox_id": \#(inbox), "contact_id": \#(contact)\#(extra)}"#, sourceLocation: sourceLocation)
        #expect(response.status == .ok, sourceLocation: sourceLocation)
        return try #require(response.object["id"] as? Int, sourceLocation: sourceLocation)
    }

    /// The contents of the conversation's messages, oldest first.
    func contents(account: Int = 1, _ conversation: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        let response = try await self.chatwoot(
            .get, "/api/v1/accounts/\(account)/conversations/\(conversation)/messages", sourceLocation: sourceLocation)
        return ((response.object["payload"] as? [[String: Any]]) ?? []).compactMap { $0["content"] as? String }
    }
}

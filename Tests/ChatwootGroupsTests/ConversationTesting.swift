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

/// A fresh app (its own SQLite database, or its own PostgreSQL test schema) and a seeder that puts in place, through
/// the public account, inbox, team and contact APIs, what conversations need.
struct ConversationWorld {
    /// Runs `body` against the app, with the seeder beside it.
    func run(_ body: @escaping @Sendable (any TestClientProtocol, Seeder) async throws -> Void) async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            try await body(client, Seeder(client: client))
        }
    }
}

/// Makes inboxes and their members, contacts, teams and bot connections through the APIs: account 1 with the
/// bootstrap key (its administrator), another account with a new administrator of it (made through the Platform API).
final class Seeder: @unchecked Sendable {
    let client: any TestClientProtocol
    private var administrators: [Int: String] = [1: TestConfiguration.bootstrapKey]
    private let lock = NSLock()

    init(client: any TestClientProtocol) { self.client = client }

    /// A token of an administrator of `account`.
    func token(account: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        if let token = self.lock.withLock({ self.administrators[account] }) { return token }
        let user = try await self.client.chatwootUser("Admin \(account)", account: account, role: "administrator", sourceLocation: sourceLocation)
        self.lock.withLock { self.administrators[account] = user.token }
        return user.token
    }

    /// A new API inbox; answers its id.
    func inbox(account: Int = 1, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let response = try await self.client.chatwoot(
            .post, "/api/v1/accounts/\(account)/inboxes", token: try await self.token(account: account, sourceLocation: sourceLocation),
            json: #"{"name": "\#(name)", "channel": {"type": "api"}}"#, sourceLocation: sourceLocation)
        #expect(response.status == .ok, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try #require(response.object["id"] as? Int, sourceLocation: sourceLocation)
    }

    /// Makes `user` an agent of `inbox` (account 1).
    func member(inbox: Int, user: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await self.client.chatwoot(
            .post, "/api/v1/accounts/1/inbox_members", json: #"{"inbox_id": \#(inbox), "user_ids": [\#(user)]}"#, sourceLocation: sourceLocation)
        #expect(response.status == .ok, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    }

    /// Connects agent bot `bot` to `inbox` (account 1).
    func connect(bot: Int, inbox: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await self.client.chatwoot(
            .post, "/api/v1/accounts/1/inboxes/\(inbox)/set_agent_bot", json: #"{"agent_bot": \#(bot)}"#, sourceLocation: sourceLocation)
        #expect(response.status.code / 100 == 2, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    }

    /// A new contact; answers its id.
    func contact(account: Int = 1, _ name: String, email: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let email = email.map { #", "email": "\#($0)""# } ?? ""
        return try await self.client.contact(
            #"{"name": "\#(name)"\#(email)}"#, account: account, token: try await self.token(account: account, sourceLocation: sourceLocation),
            sourceLocation: sourceLocation)
    }

    /// A new team; answers its id.
    func team(account: Int = 1, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let response = try await self.client.chatwoot(
            .post, "/api/v1/accounts/\(account)/teams", token: try await self.token(account: account, sourceLocation: sourceLocation),
            json: #"{"name": "\#(name)"}"#, sourceLocation: sourceLocation)
        #expect(response.status == .ok, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try #require(response.object["id"] as? Int, sourceLocation: sourceLocation)
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

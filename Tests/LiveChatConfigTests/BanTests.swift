import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing
import WireModels

@testable import LiveChatConfig

@Suite("livechat-config bans")
struct BanTests {
    static let admin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)

    @Test(
        "IP blocks: single addresses, CIDR and dash ranges, IPv4 and IPv6, with their boundaries",
        arguments: [
            ("192.168.8.113", "192.168.8.113", true), ("192.168.8.113", "192.168.8.114", false),
            ("192.168.8.0/24", "192.168.8.0", true), ("192.168.8.0/24", "192.168.8.255", true), ("192.168.8.0/24", "192.168.9.0", false),
            ("192.168.8.7/32", "192.168.8.7", true), ("192.168.8.7/32", "192.168.8.8", false), ("0.0.0.0/0", "8.8.8.8", true),
            ("192.168.8.0-192.168.8.255", "192.168.8.255", true), ("192.168.8.0 - 192.168.8.10", "192.168.8.11", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false), ("::1", "::1", true),
            ("2001:db8::1-2001:db8::ff", "2001:db8::80", true), ("192.168.8.0/24", "::ffff:192.168.8.5", true),
            ("2001:db8::/32", "192.168.8.5", false),
        ])
    func ranges(block: String, address: String, inside: Bool) throws {
        let range = try #require(IPRange(block))
        #expect(range.contains(address) == inside)
    }

    @Test(
        "Malformed blocks are refused",
        arguments: ["192.168.8.255-192.168.8.0", "192.168.8.0/33", "2001:db8::/129", "192.168.8", "10.0.0.1-::1", "x", ""])
    func malformed(block: String) {
        #expect(IPRange(block) == nil)
    }

    @Test("A visitor is banned by id or by any IP ban that holds its address")
    func matching() throws {
        let bans = [LiveChatBan(id: 1, type: "visitor", visitorId: "visitor-7"), LiveChatBan(id: 2, type: "ip", ipAddress: "10.0.0.0/8")]
        func ban(_ visitorId: String, _ ip: String) -> Int? { bans.first { $0.bans(visitorId: visitorId, ip: ip) }?.id }
        #expect(ban("visitor-7", "192.0.2.1") == 1)
        #expect(ban("visitor-8", "10.20.30.40") == 2)
        #expect(ban("visitor-8", "192.0.2.1") == nil)
    }

    @Test("CRUD with partial updates, 200 and an empty body on DELETE, and 400s naming the field")
    func crud() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            func send(
                _ method: HTTPRequest.Method, _ uri: String, _ body: String = "", as credential: String = BanTests.admin
            ) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: method, headers: [.authorization: credential, .contentType: "application/json"], body: ByteBuffer(string: body))
            }
            let created = try await send(
                .post, "/api/v1/livechat/bans?siteId=10000", #"{"type": "IP", "ipAddress": " 192.168.8.0/24 ", "comment": "spam"}"#)
            #expect(created.status == .ok)
            let ban = try JSONDecoder().decode(LiveChatBan.self, from: Data(buffer: created.body))
            #expect(ban.type == "ip" && ban.ipAddress == "192.168.8.0/24" && ban.id != nil)
            let id = ban.id!

            let updated = try await send(.put, "/api/v1/livechat/bans/\(id)", #"{"comment": "still spam"}"#)
            let merged = try JSONDecoder().decode(LiveChatBan.self, from: Data(buffer: updated.body))
            #expect(merged == LiveChatBan(id: id, type: "ip", ipAddress: "192.168.8.0/24", comment: "still spam"))
            let listed = try await send(.get, "/api/v1/livechat/bans")
            #expect(try JSONDecoder().decode([LiveChatBan].self, from: Data(buffer: listed.body)) == [merged])

            let badRange = try await send(.post, "/api/v1/livechat/bans", #"{"type": "ip", "ipAddress": "192.168.8.255-192.168.8.0"}"#)
            #expect(badRange.status == .badRequest)
            #expect(String(buffer: badRange.body).contains("ipAddress"))
            let noVisitor = try await send(.post, "/api/v1/livechat/bans", #"{"type": "visitor"}"#)
            #expect(noVisitor.status == .badRequest && String(buffer: noVisitor.body).contains("visitorId"))
            let badType = try await send(.post, "/api/v1/livechat/bans", #"{"type": "country", "ipAddress": "1.2.3.4"}"#)
            #expect(badType.status == .badRequest)
            let missingType = try await send(.post, "/api/v1/livechat/bans", #"{"ipAddress": "1.2.3.4"}"#)
            #expect(missingType.status == .badRequest && String(buffer: missingType.body).contains("type"))

            let deleted = try await send(.delete, "/api/v1/livechat/bans/\(id)")
            #expect(deleted.status == .ok && deleted.body.readableBytes == 0)
            let gone = try await send(.get, "/api/v1/livechat/bans/\(id)")
            #expect(gone.status == .notFound)
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: gone.body)) as? [String: Any])?["code"] as? Int == 404000)
        }
    }

    @Test("An agent without 'Manage Ban List' gets 403; one with it may manage bans; no credentials is 401")
    func permissions() async throws {
        try await buildApplication(reader: TestConfiguration.reader()).test(.router) { client in
            for (email, permissions) in [("plain@example.com", "[]"), ("moderator@example.com", #"["Manage Ban List"]"#)] {
                let created = try await client.execute(
                    uri: "/api/v1/livechat/admin/agents", method: .post, headers: [.authorization: Self.admin, .contentType: "application/json"],
                    body: ByteBuffer(
                        string: #"{"email": "\#(email)", "displayName": "Agent", "apiKey": "key-\#(email)", "permissions": \#(permissions)}"#)
                )
                #expect(created.status == .ok)
            }
            let plain = basicAuthorization("plain@example.com", "key-plain@example.com")
            let forbidden = try await client.execute(uri: "/api/v1/livechat/bans", method: .get, headers: [.authorization: plain])
            #expect(forbidden.status == .forbidden)
            #expect((try JSONSerialization.jsonObject(with: Data(buffer: forbidden.body)) as? [String: Any])?["code"] as? Int == 403000)
            let moderator = basicAuthorization("moderator@example.com", "key-moderator@example.com")
            #expect(try await client.execute(uri: "/api/v1/livechat/bans", method: .get, headers: [.authorization: moderator]).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/livechat/bans", method: .get).status == .unauthorized)
            let notAdmin = try await client.execute(
                uri: "/api/v1/livechat/admin/agents", method: .post, headers: [.authorization: moderator, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"email": "x@example.com", "displayName": "X", "apiKey": "k"}"#)
            )
            #expect(notAdmin.status == .forbidden)
            let taken = try await client.execute(
                uri: "/api/v1/livechat/admin/agents", method: .post, headers: [.authorization: Self.admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"email": "plain@example.com", "displayName": "Again", "apiKey": "key-long-enough-to-use"}"#)
            )
            #expect(taken.status == .conflict)
        }
    }
}

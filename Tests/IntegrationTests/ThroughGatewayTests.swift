import AsyncHTTPClient
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ServiceKit
import TestSupport
import Testing

import struct WireModels.LiveChatAgent
import struct WireModels.LiveChatDepartment

@testable import ChatwootGroups
@testable import Conversation
@testable import Gateway
@testable import LiveChatConfig

@Suite("Services through the gateway")
struct ThroughGatewayTests {
    @Test("The Chatwoot profile answers through the gateway with the bootstrap token")
    func chatwootProfile() async throws {
        let chatwoot = try await ChatwootGroups.buildApplication(reader: TestConfiguration.reader())
        try await chatwoot.test(.live) { service in
            let gateway = try await Gateway.buildApplication(
                reader: TestConfiguration.reader([
                    "upstream.chatwootGroups.urls": .init(.stringArray(["http://127.0.0.1:\(service.port!)"]), isSecret: false)
                ])
            )
            try await gateway.test(.live) { client in
                let response = try await client.execute(
                    uri: "/api/v1/profile", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("admin@example.com"))
            }
        }
    }

    @Test("Conversation's typed client reads a site's agents and departments from livechat-config, and names it when it is down")
    func liveChatDirectory() async throws {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { service in
            let admin = basicAuthorization("admin@example.com", TestConfiguration.bootstrapKey)
            let agent = try await service.execute(
                uri: "/api/v1/livechat/admin/agents", method: .post, headers: [.authorization: admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"email": "ann@example.com", "displayName": "Ann", "apiKey": "ann-key-0123456789"}"#)
            )
            #expect(agent.status == .ok)
            let department = try await service.execute(
                uri: "/api/v1/livechat/departments", method: .post, headers: [.authorization: admin, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "Billing", "agents": [2]}"#)
            )
            #expect(department.status == .ok)

            let client = Self.liveChatClient(url: "http://127.0.0.1:\(service.port!)")
            let agents = try await client.agents(siteId: "10000")
            let departments = try await client.departments(siteId: "10000")
            #expect(departments.map(\.name) == ["Billing"] && departments.first?.agents == [2])
            #expect(agents.map(\.id).sorted() == [1, 2])
            #expect(agents.first { $0.id == 2 }?.email == "ann@example.com")
            #expect(agents.first { $0.id == 2 }?.departments == departments.compactMap(\.id))
            #expect(try await client.agents(siteId: "20000").isEmpty)

            let down = Self.liveChatClient(url: "http://127.0.0.1:1")
            let error = await #expect(throws: ServiceError.self) { try await down.departments(siteId: "10000") }
            #expect(error?.status == .serviceUnavailable && error?.message.contains("livechat-config") == true)
            let wrongToken = LiveChatConfigClient(
                client: InternalClient(peer: "livechat-config", baseURL: "http://127.0.0.1:\(service.port!)", token: "wrong", httpClient: .shared)
            )
            await #expect(throws: ServiceError.self) { try await wrongToken.agents(siteId: "10000") }
        }
    }

    static func liveChatClient(url: String) -> LiveChatConfigClient {
        LiveChatConfigClient(
            client: InternalClient(
                peer: "livechat-config", baseURL: url, token: TestConfiguration.internalToken, timeout: .seconds(10), httpClient: .shared)
        )
    }

    @Test("/docs/ lists every upstream and serves each one's OpenAPI document from a running instance")
    func documents() async throws {
        let chatwoot = try await ChatwootGroups.buildApplication(reader: TestConfiguration.reader())
        try await chatwoot.test(.live) { service in
            let gateway = try await Gateway.buildApplication(
                reader: TestConfiguration.reader([
                    "upstream.chatwootGroups.urls": .init(.stringArray(["http://127.0.0.1:\(service.port!)"]), isSecret: false),
                    "upstream.sinchCmi.urls": .init(.stringArray(["http://127.0.0.1:1"]), isSecret: false),
                ])
            )
            try await gateway.test(.live) { client in
                let page = try await client.execute(uri: "/docs/", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: page.body).contains(#"href="/docs/chatwoot-groups/openapi.json""#))

                let listing = try await client.execute(uri: "/docs/", method: .get, headers: [.accept: "application/json"])
                let object = try JSONSerialization.jsonObject(with: Data(buffer: listing.body)) as? [String: Any]
                let services = try #require(object?["services"] as? [[String: Any]])
                #expect(
                    services.compactMap { $0["name"] as? String }.sorted() == [
                        "chatwoot-groups", "conversation", "livechat-config", "outreach-contact", "sinch-cmi",
                    ])

                let chatwootDocument = try await client.execute(uri: "/docs/chatwoot-groups/openapi.json", method: .get)
                #expect(chatwootDocument.status == .ok)
                let parsed = try JSONSerialization.jsonObject(with: Data(buffer: chatwootDocument.body)) as? [String: Any]
                #expect((parsed?["paths"] as? [String: Any])?["/api/v1/profile"] != nil)

                #expect(try await client.execute(uri: "/docs/nobody/openapi.json", method: .get).status == .notFound)
                let unreachable = try await client.execute(uri: "/docs/sinch-cmi/openapi.json", method: .get)
                #expect(unreachable.status == .badGateway || unreachable.status == .serviceUnavailable)
                #expect(String(buffer: unreachable.body).contains("sinch-cmi"))
            }
        }
    }

    @Test("A token from livechat-config's /oauth/token signs in to conversation, which verifies it with livechat-config")
    func bearerAcrossServices() async throws {
        let liveChat = try await LiveChatConfig.buildApplication(reader: TestConfiguration.reader())
        try await liveChat.test(.live) { liveChatClient in
            let liveChatURL = "http://127.0.0.1:\(liveChatClient.port!)"
            let conversation = try await Conversation.buildApplication(
                reader: TestConfiguration.reader(["peers.livechatConfig.url": .init(.string(liveChatURL), isSecret: false)])
            )
            try await conversation.test(.live) { conversationClient in
                let gateway = try await Gateway.buildApplication(
                    reader: TestConfiguration.reader([
                        "upstream.livechatConfig.urls": .init(.stringArray([liveChatURL]), isSecret: false),
                        "upstream.conversation.urls": .init(.stringArray(["http://127.0.0.1:\(conversationClient.port!)"]), isSecret: false),
                    ])
                )
                try await gateway.test(.live) { client in
                    let issued = try await client.execute(
                        uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "grant_type=password&email=admin%40example.com&password=\(TestConfiguration.bootstrapKey)")
                    )
                    #expect(issued.status == .ok)
                    let token = try JSONSerialization.jsonObject(with: Data(buffer: issued.body)) as? [String: Any]
                    let access = try #require(token?["access_token"] as? String)
                    // Signed in (the site's page of conversations, empty on a new store) versus refused (401).
                    let signedIn = try await client.execute(
                        uri: "/api/v3/anytime/conversations?siteId=10000", method: .get, headers: [.authorization: "Bearer \(access)"])
                    #expect(signedIn.status == .ok)
                    #expect(String(buffer: signedIn.body).contains(#""total":0"#), "\(String(buffer: signedIn.body))")
                    let refused = try await client.execute(
                        uri: "/api/v3/anytime/conversations?siteId=10000", method: .get, headers: [.authorization: "Bearer wrong"])
                    #expect(refused.status == .unauthorized)
                    #expect(String(buffer: refused.body).contains("401000"))
                    let otherSite = try await client.execute(
                        uri: "/api/v3/anytime/conversations?siteId=20000", method: .get, headers: [.authorization: "Bearer \(access)"])
                    #expect(otherSite.status == .unauthorized)
                }
            }
        }
    }
}

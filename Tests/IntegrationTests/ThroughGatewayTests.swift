import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import TestSupport

@testable import ChatwootGroups
@testable import Gateway

@Suite("Services through the gateway")
struct ThroughGatewayTests {
    @Test("The Chatwoot profile answers through the gateway with the bootstrap token")
    func chatwootProfile() async throws {
        let chatwoot = try await ChatwootGroups.buildApplication(reader: TestConfiguration.reader())
        try await chatwoot.test(.live) { service in
            let gateway = try await Gateway.buildApplication(
                reader: TestConfiguration.reader(["upstream.chatwootGroups.urls": .init(.stringArray(["http://127.0.0.1:\(service.port!)"]), isSecret: false)])
            )
            try await gateway.test(.live) { client in
                let response = try await client.execute(uri: "/api/v1/profile", method: .get, headers: [.apiAccessToken: TestConfiguration.bootstrapKey])
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("admin@example.com"))
            }
        }
    }
}

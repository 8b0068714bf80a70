import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import TestSupport
import Testing

@testable import SinchCMI

@Suite("sinch-cmi foundation")
struct SinchCMITests {
    @Test("The bootstrap admin user verifies with its password and nothing else")
    func bootstrapUser() async throws {
        try await withTestDatabase(migrations: SinchMigrations.all) { database in
            try await database.transaction { tx in
                let users = tx.users(clock: .system)
                try await users.bootstrap(password: TestConfiguration.bootstrapKey)
                try await users.bootstrap(password: "second start changes nothing")
                let admin = try await users.user(login: "admin", password: TestConfiguration.bootstrapKey)
                #expect(admin?.permissions.contains("SERVE") == true)
                let wrong = try await users.user(login: "admin", password: "second start changes nothing")
                #expect(wrong == nil)
            }
        }
    }

    @Test("Health, readiness and the OpenAPI document answer")
    func platformRoutes() async throws {
        let app = try await buildApplication(reader: TestConfiguration.reader())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let document = try ServiceChecks.documentedRoutes(try await client.execute(uri: "/openapi.json", method: .get).body)
            #expect(document.isSuperset(of: ["GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "GET /RI/cmi/emails"]))
        }
    }
}

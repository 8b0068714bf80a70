import Atomics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import TestSupport
import Testing

@testable import ServiceKit

@Suite("Idempotency keys")
struct IdempotencyTests {
    /// A service whose POST counts how often it really ran.
    static func app(counter: ManagedAtomic<Int>, database: Database, dialect: any APIDialect = Comm100ErrorDialect()) -> some ApplicationProtocol {
        let router = ServiceRouter<AppRequestContext>.service(
            dialect: dialect, registry: PrometheusCollectorRegistry(), document: OpenAPIDocument(title: "t"), readiness: [],
            accessLog: false
        )
        router.add(middleware: IdempotencyMiddleware(database: database, reader: TestConfiguration.reader()))
        router.post("/things") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1024)
            let n = counter.wrappingIncrementThenLoad(ordering: .relaxed)
            return Response(
                status: .created, headers: [.location: "/things/\(n)"],
                body: .init(byteBuffer: ByteBuffer(string: "{\"n\":\(n),\"echo\":\(String(buffer: body))}")))
        }
        return Application(router: router)
    }

    @Test("A repeated key returns the first response without running the handler again")
    func replay() async throws {
        let counter = ManagedAtomic(0)
        try await withTestDatabase { database in
            try await Self.app(counter: counter, database: database).test(.router) { client in
                let headers: HTTPFields = [.idempotencyKey: "abc", .authorization: "Bearer one"]
                let first = try await client.execute(uri: "/things", method: .post, headers: headers, body: ByteBuffer(string: "{\"a\":1}"))
                let second = try await client.execute(uri: "/things", method: .post, headers: headers, body: ByteBuffer(string: "{\"a\":1}"))
                #expect(first.status == .created)
                #expect(second.status == .created)
                #expect(String(buffer: second.body) == String(buffer: first.body))
                #expect(second.headers[.location] == "/things/1")
                #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                #expect(counter.load(ordering: .relaxed) == 1)
            }
        }
    }

    @Test("The same key with a different body is a 422; another credential has its own keys")
    func mismatchAndScope() async throws {
        let counter = ManagedAtomic(0)
        try await withTestDatabase { database in
            try await Self.app(counter: counter, database: database).test(.router) { client in
                let headers: HTTPFields = [.idempotencyKey: "k1", .authorization: "Bearer one"]
                _ = try await client.execute(uri: "/things", method: .post, headers: headers, body: ByteBuffer(string: "{\"a\":1}"))
                let changed = try await client.execute(uri: "/things", method: .post, headers: headers, body: ByteBuffer(string: "{\"a\":2}"))
                #expect(changed.status == .unprocessableContent)
                #expect(String(buffer: changed.body).contains("Idempotency-Key"))
                let other = try await client.execute(
                    uri: "/things", method: .post, headers: [.idempotencyKey: "k1", .authorization: "Bearer two"],
                    body: ByteBuffer(string: "{\"a\":2}")
                )
                #expect(other.status == .created)
                #expect(counter.load(ordering: .relaxed) == 2)
            }
        }
    }

    @Test("A dialect's own credential header scopes keys: Comm100 visitors by X-Visitor-Token, elsewhere it is no credential")
    func dialectCredentialScopes() async throws {
        let body = ByteBuffer(string: "{\"a\":1}")
        let visitor: @Sendable (String) -> HTTPFields = { [.idempotencyKey: "v1", HTTPField.Name("X-Visitor-Token")!: $0] }
        let comm100 = ManagedAtomic(0)
        try await withTestDatabase { database in
            try await Self.app(counter: comm100, database: database).test(.router) { client in
                let first = try await client.execute(uri: "/things", method: .post, headers: visitor("one"), body: body)
                let again = try await client.execute(uri: "/things", method: .post, headers: visitor("one"), body: body)
                let other = try await client.execute(uri: "/things", method: .post, headers: visitor("two"), body: body)
                #expect(first.status == .created && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                #expect(other.status == .created && other.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
                #expect(comm100.load(ordering: .relaxed) == 2)
            }
        }
        // Chatwoot has no visitors: both requests are anonymous, so the second is a replay of the first.
        let chatwoot = ManagedAtomic(0)
        try await withTestDatabase { database in
            try await Self.app(counter: chatwoot, database: database, dialect: ChatwootErrorDialect()).test(.router) { client in
                _ = try await client.execute(uri: "/things", method: .post, headers: visitor("one"), body: body)
                let other = try await client.execute(uri: "/things", method: .post, headers: visitor("two"), body: body)
                #expect(other.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                #expect(chatwoot.load(ordering: .relaxed) == 1)
            }
        }
    }
}

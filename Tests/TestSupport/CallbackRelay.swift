import AsyncHTTPClient
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What stands for the gateway in front of outreach-contact: the test framework starts the service on a port of its
/// choosing, so the callback base URL given to carriers is this relay's, which forwards every POST to the service.
public struct CallbackRelay: Sendable {
    public let url: String
    public let target: NIOLockedValueBox<String>

    public static func run(_ body: @Sendable (CallbackRelay) async throws -> Void) async throws {
        let target = NIOLockedValueBox("")
        let router = Router()
        router.post("/**") { request, _ -> Response in
            var forwarded = HTTPClientRequest(url: target.withLockedValue { $0 } + request.uri.description)
            forwarded.method = .POST
            for field in request.headers { forwarded.headers.add(name: field.name.rawName, value: field.value) }
            forwarded.body = .bytes(try await request.body.collect(upTo: 1 << 20))
            let answer = try await HTTPClient.shared.execute(forwarded, timeout: .seconds(2))
            let bytes = try await answer.body.collect(upTo: 1 << 20)
            return Response(status: .init(code: Int(answer.status.code)), body: .init(byteBuffer: bytes))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(CallbackRelay(url: "http://127.0.0.1:\(client.port!)", target: target))
        }
    }
}

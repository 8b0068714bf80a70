import Atomics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore

/// A real HTTP server that records the webhooks it receives and answers as told.
public final class WebhookReceiver: Sendable {
    public struct Delivery: Sendable {
        public let headers: HTTPFields
        public let body: String
    }

    let deliveries = NIOLockedValueBox<[Delivery]>([])
    /// Status codes to answer in turn; 200 once they run out.
    let script: NIOLockedValueBox<[HTTPResponse.Status]>
    /// Requests that never get an answer, to stand for a worker killed mid-delivery.
    let hangFirst: ManagedAtomic<Int>

    public init(answers: [HTTPResponse.Status] = [], hangFirst: Int = 0) {
        self.script = .init(answers)
        self.hangFirst = .init(hangFirst)
    }

    public var received: [Delivery] { self.deliveries.withLockedValue { $0 } }

    /// Runs the receiver on a free port for the duration of `body`.
    public func run(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            self.deliveries.withLockedValue { $0.append(Delivery(headers: request.headers, body: text)) }
            if self.hangFirst.loadThenWrappingDecrement(ordering: .relaxed) > 0 {
                try await Task.sleep(for: .seconds(3))
            }
            let status = self.script.withLockedValue { $0.isEmpty ? .ok : $0.removeFirst() }
            return Response(status: status)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore

/// An in-process SMS gateway speaking HTTP: records each send and answers the statuses it is told to.
final class CarrierReceiver: Sendable {
    let received = NIOLockedValueBox<[String]>([])
    let answers: NIOLockedValueBox<[HTTPResponse.Status]>

    init(answers: [HTTPResponse.Status] = []) {
        self.answers = .init(answers)
    }

    var sends: [String] { self.received.withLockedValue { $0 } }

    func run(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
        let router = Router()
        router.post("/send") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 16))
            self.received.withLockedValue { $0.append(text) }
            return Response(status: self.answers.withLockedValue { $0.isEmpty ? .ok : $0.removeFirst() })
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/send")
        }
    }

    /// Waits up to two seconds for `count` sends.
    func waitFor(_ count: Int) async throws {
        for _ in 0..<200 where self.sends.count < count { try await Task.sleep(for: .milliseconds(10)) }
    }
}

import Atomics
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A real HTTP upstream for gateway tests: echoes, counts, hangs or streams on demand.
final class TestUpstream: Sendable {
    let requests = ManagedAtomic(0)
    let posts = ManagedAtomic(0)
    /// Upload bytes received so far, counted as they arrive.
    let uploaded = ManagedAtomic(0)

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("/RI/cmi/echo") { request, _ -> Response in
            self.requests.wrappingIncrement(ordering: .relaxed)
            let id = request.headers[HTTPField.Name("X-Request-ID")!] ?? ""
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"requestId":"\#(id)"}"#)))
        }
        router.post("/RI/cmi/messages") { _, _ -> Response in
            self.posts.wrappingIncrement(ordering: .relaxed)
            return Response(status: .created)
        }
        router.get("/RI/cmi/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(8))
            return Response(status: .ok)
        }
        // Counts an upload as it streams, never holding it whole.
        router.post("/RI/cmi/upload") { request, _ -> String in
            var total = 0
            for try await buffer in request.body {
                total += buffer.readableBytes
                self.uploaded.wrappingIncrement(by: buffer.readableBytes, ordering: .relaxed)
            }
            return String(total)
        }
        router.get("/internal/secret") { _, _ in "must never be reached through the gateway" }
        router.get("/healthz") { _, _ in "ok" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// Runs the upstream on a free port for the duration of `body`.
    func run(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
        try await self.application().test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }
}

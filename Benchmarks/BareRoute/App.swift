import Foundation
import Hummingbird

/// The benchmark's baseline: one Hummingbird route with Hummingbird's defaults, no middleware, no storage, so
/// `scripts/bench` can say what a Switchboard request costs beyond the framework's own floor. Not a service.
@main
struct BareRoute {
    static func main() async throws {
        let port = ProcessInfo.processInfo.environment["HTTP_PORT"].flatMap(Int.init) ?? 18099
        let router = Router()
        let body = ByteBuffer(string: #"{"id":1,"name":"Administrator","email":"admin@example.com"}"#)
        router.get("/api/v1/profile") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceKit
import WireModels

extension ChatwootCable {
    /// HTTP/1.1 that upgrades `GET /cable` to the cable's websocket (choosing `actioncable-v1-json` when the client
    /// offers it); every other request goes to the router as before.
    func server() -> HTTPServerBuilder {
        .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 16))) { request, _, _ in
            guard request.method == .get, let path = request.path, Self.isCable(path: path) else { return .dontUpgrade }
            var headers = HTTPFields()
            let offered = request.headerFields[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if offered.contains(Self.subprotocol) { headers[.secWebSocketProtocol] = Self.subprotocol }
            return .upgrade(headers) { inbound, outbound, _ in try await self.serve(inbound: inbound, outbound: outbound) }
        }
    }

    /// One connection: `welcome`, a ping every 3 s, the client's commands, and the frames its subscriptions hear,
    /// written in order by one writer.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (frames, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(Self.backlog))
        let id = self.connect(sink)
        defer { self.disconnect(id) }
        sink.yield(Self.frame(["type": .string("welcome")]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await frame in frames { try await outbound.writeTextMessage(frame) }
                // The stream ended: the client fell too far behind, or the service is stopping.
                try? await outbound.close(.goingAway, reason: nil)
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: Self.pingInterval)
                    sink.yield(Self.frame(["type": .string("ping"), "message": .number(Double(self.clock.milliseconds() / 1000))]))
                }
            }
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message else { continue }
                await self.command(text, connection: id)
            }
            group.cancelAll()
        }
    }
}

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// One status report for one message: where it goes and how to make each attempt's request (Telnyx's body names
/// the attempt, so each is signed afresh).
struct StatusCallback: Sendable {
    var messageID: String
    var status: String
    var url: String
    var request: @Sendable (_ attempt: Int) -> HTTPClientRequest
}

/// Delivers a message's status callbacks in order, each after `callbackDelay`, retried with a doubling wait while
/// the receiver does not answer 2xx (decision 143). Runs beside the server and stops with it.
struct CallbackDispatcher: Service {
    let settings: SandboxSettings
    let httpClient: HTTPClient
    let log: MessageLog
    let logger: Logger
    private let stream: AsyncStream<[StatusCallback]>
    private let continuation: AsyncStream<[StatusCallback]>.Continuation

    init(settings: SandboxSettings, httpClient: HTTPClient, log: MessageLog, logger: Logger) {
        self.settings = settings
        self.httpClient = httpClient
        self.log = log
        self.logger = logger
        (self.stream, self.continuation) = AsyncStream.makeStream()
    }

    /// Queues one message's callbacks, delivered one after the other.
    func enqueue(_ callbacks: [StatusCallback]) {
        guard !callbacks.isEmpty else { return }
        self.continuation.yield(callbacks)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await callbacks in self.stream {
                    group.addTask { await self.deliver(callbacks) }
                }
            }
        }
        self.continuation.finish()
    }

    private func deliver(_ callbacks: [StatusCallback]) async {
        for callback in callbacks {
            guard (try? await Task.sleep(for: self.settings.callbackDelay)) != nil else { return }
            var wait = self.settings.retryDelay
            for attempt in 1...self.settings.callbackAttempts {
                let answer = await self.post(callback.request(attempt))
                let delivered = answer.httpStatus.map { (200..<300).contains($0) } ?? false
                self.log.record(messageID: callback.messageID, status: callback.status, attempt: answer, delivered: delivered)
                if delivered { break }
                self.logger.notice(
                    "status callback not taken", metadata: ["url": "\(callback.url)", "attempt": "\(attempt)", "answer": "\(answer.httpStatus ?? 0)"])
                guard attempt < self.settings.callbackAttempts else { break }
                guard (try? await Task.sleep(for: wait)) != nil else { return }
                wait *= 2
            }
        }
    }

    private func post(_ request: HTTPClientRequest) async -> MessageLog.Attempt {
        do {
            let response = try await self.httpClient.execute(request, timeout: TimeAmount(self.settings.callbackTimeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return MessageLog.Attempt(at: .now, httpStatus: Int(response.status.code), error: nil)
        } catch {
            return MessageLog.Attempt(at: .now, httpStatus: nil, error: "\(error)")
        }
    }
}

import Foundation
import Synchronization

/// What the Sandbox accepted, and every callback attempt it made, for `GET /sandbox/messages`.
final class MessageLog: Sendable {
    /// One accepted message.
    struct Message: Codable, Sendable {
        var carrier: String
        var id: String
        var from: String
        var to: String
        var body: String
        var callbackURL: String?
        var outcome: Outcome
        var acceptedAt: Date
        var callbacks: [Callback]
    }

    /// One status report and its attempts.
    struct Callback: Codable, Sendable {
        var status: String
        var attempts: [Attempt]
        /// A 2xx answer ended the attempts.
        var delivered: Bool
    }

    /// One POST of a callback: the receiver's status code, or why there was none.
    struct Attempt: Codable, Sendable {
        var at: Date
        var httpStatus: Int?
        var error: String?
    }

    private struct State {
        var messages: [String: Message] = [:]
        var order: [String] = []
    }

    private let state = Mutex(State())
    let keep: Int

    init(keep: Int) {
        self.keep = keep
    }

    func accepted(_ message: Message) {
        self.state.withLock { state in
            state.messages[message.id] = message
            state.order.append(message.id)
            // Trim in chunks, so a long run does not shift the array on every send.
            if state.order.count > self.keep + self.keep / 10 + 1 {
                for id in state.order.prefix(state.order.count - self.keep) { state.messages[id] = nil }
                state.order.removeFirst(state.order.count - self.keep)
            }
        }
    }

    func record(messageID: String, status: String, attempt: Attempt, delivered: Bool) {
        self.state.withLock { state in
            guard var message = state.messages[messageID] else { return }
            if let index = message.callbacks.lastIndex(where: { $0.status == status }) {
                message.callbacks[index].attempts.append(attempt)
                message.callbacks[index].delivered = delivered
            } else {
                message.callbacks.append(Callback(status: status, attempts: [attempt], delivered: delivered))
            }
            state.messages[messageID] = message
        }
    }

    /// Oldest first; `to` and `carrier` filter when given.
    func list(to: String?, carrier: String?) -> [Message] {
        self.state.withLock { state in
            state.order.compactMap { state.messages[$0] }.filter { message in
                (to == nil || message.to == to) && (carrier == nil || message.carrier == carrier)
            }
        }
    }
}

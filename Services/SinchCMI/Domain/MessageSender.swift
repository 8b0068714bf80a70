import Foundation
import Logging
import ServiceKit
import WireModels

/// Sends scheduled outbound messages on the durable scheduler: at `sendTime` each pending destination goes
/// PROCESSING and is sent through the carrier; a success is HANDLED, a failure is retried `retryDelay` seconds
/// later until `maxRetryCount` retries are spent, then FAILED (seed L1732–L2020, spec note §5.12).
struct MessageSender: Sendable {
    static let jobKind = "cmi.message.send"

    /// A due send: the message, the revision it was scheduled for, and how many retries came before it.
    struct Job: Codable, Sendable {
        var id: String
        var revision: String
        var attempt: Int
    }

    let database: Database
    let carrier: any CarrierAdapter
    let clock: WallClock
    let logger: Logger

    /// Schedules a send of `stored` in `tx`, the transaction that stores the message.
    func schedule(_ stored: StoredMessage, attempt: Int, at date: Date, on tx: Tx) async throws {
        let payload = String(
            decoding: try JSONEncoder().encode(Job(id: stored.message.id ?? "", revision: stored.revision, attempt: attempt)), as: UTF8.self)
        try await tx.scheduler.schedule(kind: Self.jobKind, payload: payload, at: date)
    }

    /// Runs one due send. A message deleted or replaced since it was scheduled is left alone.
    func run(_ job: ScheduledJob) async throws {
        let due = try JSONDecoder().decode(Job.self, from: Data(job.payload.utf8))
        guard let stored = try await self.database.read({ try await $0.messages.message(id: due.id) }), stored.revision == due.revision else {
            return
        }
        var message = stored.message
        let pending = message.destinations.destination.indices.filter {
            [.added, .processing].contains(message.destinations.destination[$0].status ?? .added)
        }
        guard !pending.isEmpty else { return }
        for index in pending { message.destinations.destination[index].status = .processing }
        let marked = message
        guard try await self.database.transaction({ try await $0.messages.update(marked, revision: due.revision) }) else { return }

        var failed: [Int] = []
        for index in pending {
            let address = message.destinations.destination[index].address
            do {
                try await self.carrier.send(message, to: address)
                message.destinations.destination[index].status = .handled
            } catch {
                self.logger.warning(
                    "Outbound message not sent",
                    metadata: ["message": .string(due.id), "attempt": .stringConvertible(due.attempt), "error": .string("\(error)")])
                failed.append(index)
            }
        }
        let retry = !failed.isEmpty && due.attempt < (message.maxRetryCount ?? MessageRules.defaultMaxRetryCount)
        for index in failed { message.destinations.destination[index].status = retry ? .processing : .failed }
        let finished = message
        let next = self.clock.date().addingTimeInterval(TimeInterval(message.retryDelay ?? MessageRules.defaultRetryDelay))
        try await self.database.transaction { tx in
            guard try await tx.messages.update(finished, revision: due.revision), retry else { return }
            try await self.schedule(StoredMessage(message: finished, revision: due.revision), attempt: due.attempt + 1, at: next, on: tx)
        }
    }
}

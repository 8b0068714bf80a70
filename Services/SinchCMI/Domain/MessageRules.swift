import Foundation
import HTTPTypes
import ServiceKit
import WireModels

/// What a scheduled message must be (seed L1764–L1785): text 1–2000 characters, a source that is a chat queue
/// address, at least one destination of 1–256 characters, `maxRetryCount` ≤ 10 (default 5), `retryDelay`
/// 60–3600 seconds (default 300), and a template that is JSON.
enum MessageRules {
    static let defaultMaxRetryCount = 5
    static let defaultRetryDelay = 300

    /// The message as stored: defaults filled, system fields set, every destination ADDED.
    static func validated(_ message: CMIMessage, id: String, creationTime: String, queues: QueueSQLRepository) async throws -> CMIMessage {
        var message = message
        guard (1...2000).contains(message.message.count) else {
            throw ServiceError.cmiInvalid("message", "\(message.message.count) characters (1 to 2000 allowed)")
        }
        guard try await queues.queue(address: message.source) != nil else { throw ServiceError.cmiInvalid("source", message.source) }
        guard !message.subType.isEmpty else { throw ServiceError.cmiInvalid("subType", "empty") }
        let retries = message.maxRetryCount ?? defaultMaxRetryCount
        guard (0...10).contains(retries) else { throw ServiceError.cmiInvalid("maxRetryCount", String(retries)) }
        let delay = message.retryDelay ?? defaultRetryDelay
        guard (60...3600).contains(delay) else { throw ServiceError.cmiInvalid("retryDelay", String(delay)) }
        let contentType = message.contentType ?? .text
        if contentType == .template, (try? JSONSerialization.jsonObject(with: Data(message.message.utf8))) == nil {
            throw ServiceError.cmiInvalid("message", "a template message must be JSON")
        }
        guard !message.destinations.destination.isEmpty else { throw ServiceError.cmiInvalid("destinations", "none") }
        for destination in message.destinations.destination where !(1...256).contains(destination.address.count) {
            throw ServiceError.cmiInvalid("destinations.address", destination.address)
        }
        if let sendTime = message.sendTime { message.sendTime = try CMITime.bound(sendTime, field: "sendTime") }
        (message.id, message.creationTime, message.creationDate) = (id, creationTime, creationTime)
        (message.maxRetryCount, message.retryDelay, message.contentType) = (retries, delay, contentType)
        // Status belongs to the system: whatever the client sent, every destination starts ADDED.
        message.destinations.destination = message.destinations.destination.map { CMIMessageDestination(address: $0.address, status: .added) }
        return message
    }
}

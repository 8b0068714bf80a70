import Hummingbird

/// A contact-center queue, as Switchboard's administration extension defines it: the CMI refers to queues
/// by id (`from_queue`) and `messages.source` must be one of a chat queue's addresses (seed L1840).
struct CMIQueue: Codable, Sendable, Equatable, CMIRepresentable {
    static let xmlRootName = "queue"
    static let xmlListRootName = "queues"

    var id: String
    var name: String
    /// Addresses the queue answers on, such as `12345678@sms.social365.com`.
    var addresses: [String]
}

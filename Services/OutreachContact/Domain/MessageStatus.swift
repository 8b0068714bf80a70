/// The status of an outreach message and of an outbound message alike (seed 002 L1460, L1541; spec §5.3).
///
/// Carrier and unichannel reports only ever raise the rank: a duplicate or a report that arrives after a later one
/// changes nothing. `PUT /outreach/messages/{id}` is the administrative override and may set any status.
enum MessageStatus: String, Codable, Sendable, CaseIterable {
    case queued, sending, sent, failed, delivered, undelivered

    /// queued 0 < sending 1 < sent 2 < the three terminal statuses 3.
    var rank: Int {
        switch self {
        case .queued: 0
        case .sending: 1
        case .sent: 2
        case .failed, .delivered, .undelivered: 3
        }
    }

    var isTerminal: Bool { self.rank == 3 }

    /// Whether a report of `next` moves a message that is in this status.
    func advances(to next: MessageStatus) -> Bool { next.rank > self.rank }
}

import Hummingbird
import WireModels

/// A contact as Switchboard's administration extension loads it: the CMI object plus the facts the CMI
/// computes from or searches in but never shows (seed L1415–L1731, spec note §5.1–§5.7).
struct CMIContactRecord: Codable, Sendable, Equatable, CMIRepresentable {
    static let xmlRootName = "contactRecord"
    static let xmlListRootName = "contactRecords"

    /// The contact as the CMI returns it; `totalDuration` and the statistics fields are computed on read.
    var contact: CMIContact
    /// When an agent answered; drives `connectTime`, `waitingDuration` and `handlingDuration`.
    var connectTime: String?
    /// When wrap-up ended; drives `wrapUpTotalDuration` (never shown itself).
    var wrapUpEndTime: String?
    /// Operative text searched by `body`: an email's content or a chat's messages.
    var body: String?
    /// Operative remarks; nil when the operative database has no row (phone calls until remarks are added).
    var remarks: String?
    /// Email case id, for `caseId`.
    var caseId: String?
    /// The agent who created an outbound email (for `pickable`).
    var creatorId: String?
}

extension CMIContact: CMIRepresentable {}

import Foundation
import ServiceKit

/// Told, inside the transaction that changed it, whenever an outbound message that an outreach message sent moves to
/// a new status, so the outreach message follows it (and its own callback leaves) in the same commit.
///
/// The Outbound Unichannel calls it; the Outreach API implements it (spec §5.4: outreach is the receiver of the
/// unichannel callback, in process).
protocol OutboundStatusObserver: Sendable {
    /// `outreachMessageID` is the outreach message the outbound message was queued for; `status` has already passed
    /// the rank rule on the outbound side; `failedReason` is set for `failed` and `undelivered`.
    func outboundMessageChanged(
        outreachMessageID: UUID, site: String, status: MessageStatus, failedReason: String?, sentTime: Date?, in tx: Tx
    ) async throws
}

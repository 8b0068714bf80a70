import Foundation
import WireModels

/// The durations the CMI computes from a contact's times against now (seed L1467–L1474, L1541–L1548; all in
/// milliseconds).
enum ContactStatistics {
    /// The contact as shown: `totalDuration` always; with `statistics`, `connectTime` (when connected) and the
    /// waiting, handling and wrap-up durations.
    static func apply(to record: CMIContactRecord, statistics: Bool, now: Date) -> CMIContact {
        var contact = record.contact
        let arrival = CMITime.parse(contact.arrivalTime) ?? now
        let disconnect = contact.disconnectTime.flatMap(CMITime.parse)
        let connect = record.connectTime.flatMap(CMITime.parse)
        contact.totalDuration = milliseconds((disconnect ?? now).timeIntervalSince(arrival))
        guard statistics else { return contact }
        contact.connectTime = connect.map(CMITime.format)
        contact.waitingDuration = milliseconds((connect ?? disconnect ?? now).timeIntervalSince(arrival))
        contact.handlingDuration = connect.map { milliseconds((disconnect ?? now).timeIntervalSince($0)) } ?? 0
        let wrapUpEnd = record.wrapUpEndTime.flatMap(CMITime.parse) ?? now
        contact.wrapUpTotalDuration = disconnect.map { milliseconds(wrapUpEnd.timeIntervalSince($0)) } ?? 0
        return contact
    }

    static func milliseconds(_ interval: TimeInterval) -> Int {
        max(0, Int((interval * 1000).rounded()))
    }
}

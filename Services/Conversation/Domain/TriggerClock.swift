import Foundation
import SQLKit
import ServiceKit
import WireModels

/// `conversationStatusLastForCertainTime` (spec §5.16, §6 T3; decision 276): each such enabled trigger has one durable
/// job of the ServiceKit scheduler (one instance runs it on PostgreSQL) that sweeps the site's conversations whose
/// status has lasted longer than the trigger's `statusDurationHours isMoreThan N` and that meet its conditions, fires it
/// once for each status episode (the episode is the status change time; a firing is recorded), and arms itself again
/// for the next episode to come of age, or within an hour at most (conditions other than the duration can come true
/// later in an episode). A new status episode brings the job forward when it would come of age sooner.
enum TriggerClock {
    static let jobKind = "conversation.triggerTimer"
    /// The longest a sweep waits.
    static let period: Int64 = 3_600_000
    /// The conversations one sweep fires for; more make the next sweep come at once.
    static let batch = 100

    struct Job: Codable {
        var triggerId: String
        var site: String
    }

    /// The trigger's threshold: the smallest `statusDurationHours isMoreThan` hours, in milliseconds.
    static func threshold(of trigger: TriggerRow, tx: Tx) async throws -> Int64? {
        let rows = try await tx.triggers.conditions(of: [trigger.id])[trigger.id] ?? []
        return rows.filter { TriggerDefinition.isDuration($0.fieldId) && $0.matchType == AnytimeMatchType.isMoreThan.rawValue }
            .compactMap { Double($0.matchValue) }.min().map { Int64(($0 * 3_600_000).rounded()) }
    }

    /// Points the trigger's job at `due` (nil: none; the trigger is disabled, deleted, or of another event), replacing
    /// the one armed before. The caller stores `trigger`.
    static func arm(_ trigger: inout TriggerRow, at due: Int64?, tx: Tx) async throws {
        guard due != trigger.jobDue || (due != nil && trigger.jobId == nil) else { return }
        if let job = trigger.jobId { try await tx.scheduler.cancel(id: job) }
        trigger.jobId = nil
        if let due {
            let payload = String(decoding: try JSONEncoder().encode(Job(triggerId: trigger.id, site: trigger.siteId)), as: UTF8.self)
            trigger.jobId = try await tx.scheduler.schedule(kind: Self.jobKind, payload: payload, at: Date(timeIntervalSince1970: Double(due) / 1000))
        }
        trigger.jobDue = due
    }

    /// Arms a trigger just saved, enabled or disabled: a sweep at once when it is an enabled time-based one.
    static func arm(_ trigger: inout TriggerRow, now: Int64, tx: Tx) async throws {
        let active = trigger.isEnabled && trigger.eventValue == .conversationStatusLastForCertainTime
        try await Self.arm(&trigger, at: active ? now : nil, tx: tx)
    }

    /// A conversation's status episode began at `row.lastStatusChangeTime`: each time-based trigger of the site sweeps
    /// by the time it comes of age.
    static func episodeStarted(_ row: ConversationRow, now: Int64, tx: Tx) async throws {
        for var trigger in try await tx.triggers.triggers(site: row.siteId, enabledFor: .conversationStatusLastForCertainTime) {
            guard let threshold = try await Self.threshold(of: trigger, tx: tx) else { continue }
            let due = row.lastStatusChangeTime + threshold + 1
            guard trigger.jobDue.map({ $0 > due }) ?? true else { continue }
            try await Self.arm(&trigger, at: due, tx: tx)
            try await tx.triggers.armed(trigger)
        }
    }

    /// The sweep job: fires the trigger for each conversation due, once an episode, then arms the next sweep. A job the
    /// trigger has since replaced does nothing.
    static func run(_ job: ScheduledJob, store: ConversationStore) async throws {
        let due = try JSONDecoder().decode(Job.self, from: Data(job.payload.utf8))
        let now = store.now
        let candidates = try await store.read { tx -> [Int64] in
            guard let trigger = try await tx.triggers.trigger(id: due.triggerId, site: due.site), trigger.jobId == job.id else { return [] }
            let set = try await TriggerSet([trigger], site: due.site, tx: tx)
            return try await tx.triggers.unfired(
                trigger: trigger.id, site: due.site, predicate: try set.predicate(trigger, now: now), limit: Self.batch)
        }
        // Each conversation under its own lock, its conditions checked again there.
        for id in candidates {
            try await store.write(locking: [id]) { tx in
                guard let trigger = try await tx.triggers.trigger(id: due.triggerId, site: due.site), trigger.isEnabled,
                    trigger.eventValue == .conversationStatusLastForCertainTime,
                    var row = try await tx.conversations.conversation(id: id, site: due.site, deleted: false)
                else { return }
                let set = try await TriggerSet([trigger], site: due.site, tx: tx)
                guard try await set.matches(trigger, conversation: row, now: now, tx: tx),
                    try await tx.triggers.recordFiring(
                        trigger: trigger.id, conversation: id, episode: row.lastStatusChangeTime, site: due.site, time: now)
                else { return }
                try await TriggerEngine.run(trigger, updates: set.updates[trigger.id] ?? [], on: &row, now: now, creating: false, tx: tx)
                try await tx.conversations.update(row)
            }
        }
        try await store.write(site: due.site, scope: "triggers") { tx in
            guard var trigger = try await tx.triggers.trigger(id: due.triggerId, site: due.site), trigger.jobId == job.id else { return }
            // This job is spent: arming must not cancel it.
            (trigger.jobId, trigger.jobDue) = (nil, nil)
            var next: Int64? = nil
            if trigger.isEnabled, let threshold = try await Self.threshold(of: trigger, tx: tx) {
                if candidates.count >= Self.batch {
                    next = now
                } else {
                    let coming = try await tx.triggers.earliestEpisode(after: now - threshold, site: due.site).map { $0 + threshold + 1 }
                    next = min(coming ?? Int64.max, now + Self.period)
                }
            }
            try await Self.arm(&trigger, at: next, tx: tx)
            try await tx.triggers.armed(trigger)
        }
    }
}

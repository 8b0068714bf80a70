import Conditions
import Foundation
import SQLKit
import ServiceKit
import WireModels

/// The SLA targets of conversations (spec §5.17, §5.25 step 7; decisions 258–261). When a conversation opens, the first
/// enabled policy by `orderNum` whose conditions it meets (the conditions engine's SQL predicate, as views use) sets
/// `slaPolicyId` and the due times: first response and resolution from the created time (an agent-made conversation
/// has no first-response target), next response from a contact message that follows an agent reply. An agent reply
/// meets the response targets; closing stops every target. A durable job of the ServiceKit scheduler is armed for the
/// earliest target not yet breached; when it runs the breach is recorded and logged, and the job re-armed.
enum SLAClock {
    static let jobKind = "conversation.slaBreach"

    /// A target's name in outcomes and event logs.
    enum Target: String, CaseIterable {
        case firstResponse, nextResponse, resolution

        var label: String {
            switch self {
            case .firstResponse: "First response"
            case .nextResponse: "Next response"
            case .resolution: "Resolution"
            }
        }

        func due(_ row: ConversationRow) -> Int64? {
            switch self {
            case .firstResponse: row.firstRespondBreachAt
            case .nextResponse: row.nextRespondBreachAt
            case .resolution: row.resolveBreachAt
            }
        }
    }

    /// The job's payload.
    struct Job: Codable {
        var conversationId: Int64
        var site: String
    }

    // MARK: Events

    /// A conversation just stored (with its tags and field values): matches it, sets its targets, stores it and arms
    /// the breach job. The last step of ``NewConversationPipeline``.
    static func start(_ row: inout ConversationRow, now: Int64, tx: Tx) async throws {
        // An agent's first message (an outbound conversation) counts as the agent's reply: the contact's answer starts the
        // next-response target.
        var clock = SLAClockRow(
            conversationId: row.id, siteId: row.siteId, agentReplied: row.createdByType == AnytimeActorType.agent.rawValue, nextAnchor: nil,
            isStopped: row.statusValue == .closed, jobId: nil, jobDue: nil)
        try await Self.compute(&row, policy: try await Self.match(row, tx: tx), clock: clock, tx: tx)
        try await tx.conversations.update(row)
        try await tx.slaClocks.insert(clock)
        try await Self.arm(row, &clock, tx: tx)
    }

    /// A message on the conversation at `time`: an agent's reply meets the response targets; a contact's message
    /// after an agent reply starts the next-response target. Changes `row`, which the caller stores.
    static func message(on row: inout ConversationRow, agentReply: Bool, fromContact: Bool, time: Int64, now: Int64, tx: Tx) async throws {
        guard agentReply || fromContact else { return }
        var clock = try await Self.clock(of: row, tx: tx)
        if agentReply {
            for target in [Target.firstResponse, .nextResponse] {
                if let due = target.due(row) { try await Self.record(target, due: due, row: row, at: time, tx: tx) }
            }
            (row.firstRespondBreachAt, row.nextRespondBreachAt) = (nil, nil)
            (clock.agentReplied, clock.nextAnchor) = (true, nil)
        } else if clock.agentReplied, clock.nextAnchor == nil, row.statusValue != .closed {
            clock.nextAnchor = time
            if let policy = try await Self.policy(of: row, tx: tx) {
                row.nextRespondBreachAt = try await Self.add(policy.nextRespondWithin, to: time, policy: policy, tx: tx)
            }
        }
        row.nextSlaBreach = Self.earliest(row)
        try await tx.slaClocks.save(clock)
        try await Self.arm(row, &clock, tx: tx)
    }

    /// The conversation's properties changed (stored here before matching, and by the caller after): closing meets or
    /// misses the resolution target and stops every target; otherwise the policy is matched again and, when it is
    /// another, every pending target is counted again from its anchor under the new one.
    static func changed(_ row: inout ConversationRow, now: Int64, tx: Tx) async throws {
        var clock = try await Self.clock(of: row, tx: tx)
        if row.statusValue == .closed {
            guard !clock.isStopped || Self.earliest(row) != nil else { return }
            if let due = row.resolveBreachAt { try await Self.record(.resolution, due: due, row: row, at: now, tx: tx) }
            (clock.isStopped, clock.nextAnchor) = (true, nil)
            (row.firstRespondBreachAt, row.nextRespondBreachAt, row.resolveBreachAt, row.nextSlaBreach) = (nil, nil, nil, nil)
        } else {
            try await tx.conversations.update(row)
            let policy = try await Self.match(row, tx: tx)
            guard policy?.id != row.slaPolicyId else { return }
            try await Self.compute(&row, policy: policy, clock: clock, tx: tx)
        }
        try await tx.slaClocks.save(clock)
        try await Self.arm(row, &clock, tx: tx)
    }

    /// Matches again the site's conversations `policy` governed (it was deleted or turned off), each under its lock.
    static func rematch(under policy: String, site: String, now: Int64, tx: Tx) async throws {
        for id in try await tx.slaPolicies.conversations(under: policy, site: site) {
            try await tx.lock(ConversationStore.lockKey(conversation: id))
            guard var row = try await tx.conversations.conversation(id: id, site: site, deleted: false) else { continue }
            var clock = try await Self.clock(of: row, tx: tx)
            try await Self.compute(&row, policy: try await Self.match(row, tx: tx), clock: clock, tx: tx)
            try await tx.conversations.update(row)
            try await tx.slaClocks.save(clock)
            try await Self.arm(row, &clock, tx: tx)
        }
    }

    /// The breach job: records and logs each target of the conversation due by now and not yet breached, then arms the
    /// job for the next one. A job the conversation has since replaced does nothing.
    static func run(_ job: ScheduledJob, store: ConversationStore) async throws {
        let due = try JSONDecoder().decode(Job.self, from: Data(job.payload.utf8))
        try await store.write(locking: [due.conversationId]) { tx in
            guard let row = try await tx.conversations.conversation(id: due.conversationId, site: due.site, deleted: false),
                var clock = try await tx.slaClocks.clock(of: row.id), clock.jobId == job.id
            else { return }
            let now = store.now
            let breached = try await tx.slaClocks.breached(row.id)
            for target in Target.allCases {
                guard let at = target.due(row), at <= now, !breached.contains("\(target.rawValue)@\(at)") else { continue }
                // Due now is breached too: the job runs once its time has come.
                try await Self.record(target, due: at, row: row, at: now, breached: true, tx: tx)
                try await tx.conversations.log(
                    "sla", "\(target.label) target of SLA policy \(row.slaPolicyId ?? "-") breached: it was due at \(AnytimeTime.format(at)).",
                    conversation: row.id, site: row.siteId, time: now)
            }
            // This job is spent: arming must not cancel it.
            (clock.jobId, clock.jobDue) = (nil, nil)
            try await Self.arm(row, &clock, tx: tx)
        }
    }

    // MARK: Parts

    /// The first enabled policy by `orderNum` whose conditions the stored conversation meets.
    static func match(_ row: ConversationRow, tx: Tx) async throws -> SLAPolicyRow? {
        let policies = try await tx.slaPolicies.policies(site: row.siteId).filter(\.isEnabled)
        let conditions = try await tx.slaPolicies.conditions(of: policies.map(\.id))
        let fieldIds = conditions.values.flatMap { $0.map(\.fieldId) }
        let custom = ConversationConditions.needsCustomFields(fieldIds) ? try await FieldCatalog.all(site: row.siteId, tx: tx) : []
        for policy in policies {
            let checked = (conditions[policy.id] ?? []).map { $0.checked(custom: custom) }
            let combination = try ConversationConditions.combination(
                policy.when, expression: policy.logicExpression, conditions: checked, member: "conditions.logicExpression")
            let predicate = try ConversationConditions.predicate(checked, combination: combination)
            if try await tx.slaPolicies.matches(conversation: row.id, site: row.siteId, predicate: predicate) { return policy }
        }
        return nil
    }

    static func policy(of row: ConversationRow, tx: Tx) async throws -> SLAPolicyRow? {
        guard let id = row.slaPolicyId else { return nil }
        return try await tx.slaPolicies.policy(id: id, site: row.siteId)
    }

    /// `hours` after `start` in the policy's hours (business hours: the site's working time and holidays); nil for 0.
    static func add(_ hours: Int, to start: Int64, policy: SLAPolicyRow, tx: Tx) async throws -> Int64? {
        guard hours > 0 else { return nil }
        guard policy.isBusinessHours else { return start + Int64(hours) * 3_600_000 }
        return try await tx.workingTime.calendar(site: policy.siteId).instant(after: Int64(hours) * 60, from: start)
    }

    /// Every target of `row` under `policy` counted from its anchor, as far as the clock lets it run.
    static func compute(_ row: inout ConversationRow, policy: SLAPolicyRow?, clock: SLAClockRow, tx: Tx) async throws {
        row.slaPolicyId = policy?.id
        (row.firstRespondBreachAt, row.nextRespondBreachAt, row.resolveBreachAt) = (nil, nil, nil)
        if let policy {
            let agentMade = row.createdByType == AnytimeActorType.agent.rawValue
            if !clock.isStopped, !clock.agentReplied, !agentMade {
                row.firstRespondBreachAt = try await Self.add(policy.firstRespondWithin, to: row.createdTime, policy: policy, tx: tx)
            }
            if let anchor = clock.nextAnchor {
                row.nextRespondBreachAt = try await Self.add(policy.nextRespondWithin, to: anchor, policy: policy, tx: tx)
            }
            if !clock.isStopped {
                row.resolveBreachAt = try await Self.add(policy.resolveRespondWithin, to: row.createdTime, policy: policy, tx: tx)
            }
        }
        row.nextSlaBreach = Self.earliest(row)
    }

    /// The earliest due time of the row's targets (the list's `nextSLABreach`).
    static func earliest(_ row: ConversationRow) -> Int64? {
        Target.allCases.compactMap { $0.due(row) }.min()
    }

    /// The conversation's clock; one for a conversation older than SLA, replied to if an agent replied last.
    static func clock(of row: ConversationRow, tx: Tx) async throws -> SLAClockRow {
        if let clock = try await tx.slaClocks.clock(of: row.id) { return clock }
        let clock = SLAClockRow(
            conversationId: row.id, siteId: row.siteId, agentReplied: row.lastRepliedByType == AnytimeActorType.agent.rawValue, nextAnchor: nil,
            isStopped: row.statusValue == .closed, jobId: nil, jobDue: nil)
        try await tx.slaClocks.insert(clock)
        return clock
    }

    /// A target met (at or before its due time) or missed, once.
    static func record(_ target: Target, due: Int64, row: ConversationRow, at time: Int64, breached: Bool = false, tx: Tx) async throws {
        try await tx.slaClocks.record(
            SLAOutcomeRow(
                siteId: row.siteId, conversationId: row.id, policyId: row.slaPolicyId ?? "", target: target.rawValue, dueAt: due,
                outcome: breached || time > due ? "breached" : "achieved", time: time))
    }

    /// Points the breach job at the earliest target not yet breached (none: no job), replacing the one armed before.
    static func arm(_ row: ConversationRow, _ clock: inout SLAClockRow, tx: Tx) async throws {
        let breached = try await tx.slaClocks.breached(row.id)
        let due = Target.allCases.compactMap { target in target.due(row).flatMap { breached.contains("\(target.rawValue)@\($0)") ? nil : $0 } }
            .min()
        guard due != clock.jobDue || (due != nil && clock.jobId == nil) else { return }
        if let job = clock.jobId { try await tx.scheduler.cancel(id: job) }
        clock.jobId = nil
        if let due {
            let payload = String(decoding: try JSONEncoder().encode(Job(conversationId: row.id, site: row.siteId)), as: UTF8.self)
            clock.jobId = try await tx.scheduler.schedule(kind: Self.jobKind, payload: payload, at: Date(timeIntervalSince1970: Double(due) / 1000))
        }
        clock.jobDue = due
        try await tx.slaClocks.save(clock)
    }
}

/// Conversations' SLA clocks and the outcomes of their targets.
struct SLAClockSQLRepository {
    let sql: any SQLDatabase

    func clock(of conversation: Int64) async throws -> SLAClockRow? {
        try await self.sql.select().column("*").from("conversation_sla_clocks").where("conversation_id", .equal, conversation)
            .first(SLAClockRow.self)
    }

    func insert(_ clock: SLAClockRow) async throws {
        try await self.sql.insert(into: "conversation_sla_clocks").row(clock).run()
    }

    func save(_ clock: SLAClockRow) async throws {
        try await self.sql.update("conversation_sla_clocks").set(row: clock).where("conversation_id", .equal, clock.conversationId).run()
    }

    /// Stores an outcome unless the target (at that due time) has one.
    func record(_ outcome: SLAOutcomeRow) async throws {
        let existing =
            try await self.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("conversation_sla_outcomes")
            .where("conversation_id", .equal, outcome.conversationId).where("target", .equal, outcome.target).where("due_at", .equal, outcome.dueAt)
            .first(CountRow.self)?.count ?? 0
        guard existing == 0 else { return }
        try await self.sql.insert(into: "conversation_sla_outcomes").row(outcome).run()
    }

    /// The conversation's breached targets as `target@dueAt`.
    func breached(_ conversation: Int64) async throws -> Set<String> {
        let rows = try await self.sql.select().column("*").from("conversation_sla_outcomes").where("conversation_id", .equal, conversation)
            .where("outcome", .equal, "breached").all(SLAOutcomeRow.self)
        return Set(rows.map { "\($0.target)@\($0.dueAt)" })
    }

    /// The conversation's outcomes in the order they happened.
    func outcomes(of conversation: Int64) async throws -> [SLAOutcomeRow] {
        try await self.sql.select().column("*").from("conversation_sla_outcomes").where("conversation_id", .equal, conversation).orderBy("id")
            .all(SLAOutcomeRow.self)
    }
}

extension Tx {
    var slaClocks: SLAClockSQLRepository { SLAClockSQLRepository(sql: self.sql) }
}

/// A `conversation_sla_clocks` row.
struct SLAClockRow: Codable, Sendable {
    var conversationId: Int64
    var siteId: String
    var agentReplied: Bool
    /// The contact message the next-response target counts from.
    var nextAnchor: Int64?
    /// Closing stopped the first-response and resolution targets for good.
    var isStopped: Bool
    var jobId, jobDue: Int64?
}

/// A `conversation_sla_outcomes` row: `outcome` is `achieved` or `breached`.
struct SLAOutcomeRow: Codable, Sendable {
    var siteId: String
    var conversationId: Int64
    var policyId, target: String
    var dueAt: Int64
    var outcome: String
    var time: Int64
}

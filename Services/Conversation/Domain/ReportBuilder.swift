import Foundation
import ServiceKit
import WireModels

/// The 12 reports of a site computed from what happened (spec §5.22; decisions 280–284): conversations' creation times,
/// the status changes of ``StatusHistory``, messages with their sender and time, and SLA outcomes; counts are grouped
/// in SQL (``ReportSQLRepository``), and only sequences (waiting periods, SLA durations) are walked here. "Today" is
/// the UTC day of the service's clock.
struct ReportBuilder: Sendable {
    let store: ConversationStore
    let site: String

    /// One row of a historical report: its key (bucket number or member id) and bounds.
    struct Row {
        var key: String
        var start: Int64
        var end: Int64
    }

    var now: Int64 { self.store.now }

    /// The start of the UTC day of `instant`.
    static func midnight(_ instant: Int64) -> Int64 { instant.floorDivided(by: AnytimeTime.dayMilliseconds) * AnytimeTime.dayMilliseconds }

    // MARK: Realtime

    /// Open conversations now by status and priority, and those without an agent.
    func now() async throws -> Reports.Now {
        let counts = try await self.store.read { tx in try await tx.reports.openNow(site: self.site, view: .site, by: .whole) }
        var report = Reports.Now()
        for count in counts { Self.add(count, to: &report) }
        return report
    }

    private static func add(_ count: OpenCount, to report: inout Reports.Now) {
        let value = Int(count.count)
        guard !count.status.isEmpty else {
            report.unassignedConversations += value
            return
        }
        report.openConversations += value
        switch AnytimeStatus(rawValue: count.status) {
        case .new: report.newConversations += value
        case .pendingInternal: report.pendingInternalConversations += value
        case .pendingExternal: report.pendingExternalConversations += value
        case .onHold: report.onHoldConversations += value
        case .closed, nil: break
        }
        switch AnytimePriority(rawValue: count.priority) {
        case .urgent: report.urgentPriorityConversations += value
        case .high: report.highPriorityConversations += value
        default: break
        }
    }

    /// Created, resolved, replied and reopened over the last `days` UTC days up to now.
    func byTime(days: Int) async throws -> Reports.ByTime {
        let now = self.now
        let (from, to) = (Self.midnight(now) - Int64(days - 1) * AnytimeTime.dayMilliseconds, now + 1)
        return try await self.store.read { tx in
            let reports = tx.reports
            func first(_ counts: [String: Int64]) -> Int { Int(counts.values.reduce(0, +)) }
            return Reports.ByTime(
                createdConversations: first(try await reports.created(site: self.site, view: .site, from: from, to: to, by: .whole)),
                resolvedConversations: first(
                    try await reports.statusChanges(reopened: false, distinct: true, site: self.site, view: .site, from: from, to: to, by: .whole)),
                repliedConversations: first(try await reports.replied(site: self.site, view: .site, from: from, to: to, by: .whole)),
                reopenedConversations: first(
                    try await reports.statusChanges(reopened: true, distinct: true, site: self.site, view: .site, from: from, to: to, by: .whole)))
        }
    }

    /// The realtime counters per department or agent (`grouping` `.department` or `.agent`) over the conversations
    /// `view` selects; `members` are the rows shown even without a count (nil: only those with one).
    func members(_ grouping: ReportGrouping, view: ReportView, members: [String]?, showAll: Bool) async throws -> [Reports.MemberNow] {
        let now = self.now
        let (from, to) = (Self.midnight(now), now + 1)
        let (open, replied, resolved) = try await self.store.read { tx in
            (
                try await tx.reports.openNow(site: self.site, view: view, by: grouping),
                try await tx.reports.replied(site: self.site, view: view, from: from, to: to, by: grouping),
                try await tx.reports.statusChanges(reopened: false, distinct: true, site: self.site, view: view, from: from, to: to, by: grouping)
            )
        }
        var rows: [String: Reports.Now] = [:]
        for count in open where !count.reportKey.isEmpty { Self.add(count, to: &rows[count.reportKey, default: Reports.Now()]) }
        var keys = Set(members ?? [])
        if showAll {
            keys.formUnion(rows.keys)
            keys.formUnion(replied.keys)
            keys.formUnion(resolved.keys)
        }
        keys.remove("")
        let isDepartment = if case .department = grouping { true } else { false }
        return keys.sorted(by: Self.memberOrder).map { key in
            let counts = rows[key] ?? Reports.Now()
            return Reports.MemberNow(
                departmentId: isDepartment ? key : nil, agentId: isDepartment ? nil : key, openConversations: counts.openConversations,
                todayRepliedConversations: Int(replied[key] ?? 0), todayResolvedConversations: Int(resolved[key] ?? 0),
                newConversations: counts.newConversations, pendingInternalConversations: counts.pendingInternalConversations,
                pendingExternalConversations: counts.pendingExternalConversations, onHoldConversations: counts.onHoldConversations,
                urgentPriorityConversations: counts.urgentPriorityConversations, highPriorityConversations: counts.highPriorityConversations)
        }
    }

    /// Numeric ids in number order, then the rest.
    static func memberOrder(_ left: String, _ right: String) -> Bool {
        switch (Int(left), Int(right)) {
        case (let l?, let r?): l < r
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): left < right
        }
    }

    // MARK: Historical

    static func grouping(_ dimension: ReportParameters.Dimension, _ parameters: ReportParameters) -> ReportGrouping {
        switch dimension {
        case .byTime: .time(parameters.buckets)
        case .byAgent: .agent
        case .byDepartment: .department
        case .byChannel: .channel
        }
    }

    /// The rows: every bucket for `byTime`, else every member with a count, over the whole range.
    static func rows(_ dimension: ReportParameters.Dimension, _ parameters: ReportParameters, keys: [[String: Int64]]) -> [Row] {
        guard dimension != .byTime else {
            let bounds = parameters.buckets.bounds
            return (1..<bounds.count).map { Row(key: String($0), start: bounds[$0 - 1], end: bounds[$0]) }
        }
        return Set(keys.flatMap(\.keys)).sorted(by: Self.memberOrder).map { Row(key: $0, start: parameters.start, end: parameters.end) }
    }

    /// The volume report.
    func volume(_ parameters: ReportParameters, _ dimension: ReportParameters.Dimension) async throws -> (Reports.Volume, [Row]) {
        let grouping = Self.grouping(dimension, parameters)
        let (site, view, from, to) = (self.site, parameters.view, parameters.start, parameters.end)
        let (created, closed, replied, reopened, open) = try await self.store.read { tx in
            let reports = tx.reports
            let created = try await reports.created(site: site, view: view, from: from, to: to, by: grouping)
            let closed = try await reports.statusChanges(reopened: false, distinct: false, site: site, view: view, from: from, to: to, by: grouping)
            let reopened = try await reports.statusChanges(reopened: true, distinct: false, site: site, view: view, from: from, to: to, by: grouping)
            var open: [String: Int64] = [:]
            if dimension == .byTime {
                // Open at each bucket's end: open at the start, plus what opened, less what closed, bucket by bucket.
                let createdOpen = try await reports.created(site: site, view: view, from: from, to: to, by: grouping, openOnly: true)
                var count = try await reports.open(at: from, site: site, view: view, by: .whole).values.reduce(0, +)
                for bucket in 1...parameters.buckets.count {
                    let key = String(bucket)
                    count += (createdOpen[key] ?? 0) - (closed[key] ?? 0) + (reopened[key] ?? 0)
                    open[key] = count
                }
            } else {
                open = try await reports.open(at: to, site: site, view: view, by: grouping)
            }
            return (created, closed, try await reports.replied(site: site, view: view, from: from, to: to, by: grouping), reopened, open)
        }
        let rows = Self.rows(dimension, parameters, keys: [created, closed, replied, reopened, open])
        func values(_ counts: [String: Int64]) -> [Int] { rows.map { Int(counts[$0.key] ?? 0) } }
        let columns = [created, closed, replied, reopened, open].map(values)
        let sums = columns.map { $0.reduce(0, +) }
        let list = rows.enumerated().map { index, row in
            Reports.VolumeRow(
                id: row.key, createdConversations: columns[0][index],
                createdConversationsPercentage: Reports.percentage(columns[0][index], of: sums[0]),
                closedConversations: columns[1][index], closedConversationsPercentage: Reports.percentage(columns[1][index], of: sums[1]),
                repliedConversations: columns[2][index], repliedConversationsPercentage: Reports.percentage(columns[2][index], of: sums[2]),
                reopenedConversations: columns[3][index], reopenedConversationsPercentage: Reports.percentage(columns[3][index], of: sums[3]),
                openConversations: columns[4][index], openConversationsPercentage: Reports.percentage(columns[4][index], of: sums[4]),
                startTime: AnytimeTime.format(row.start), endTime: AnytimeTime.format(row.end))
        }
        // Open at the end of the range: the last bucket's, or every member's.
        let totalOpen = dimension == .byTime ? (columns[4].last ?? 0) : sums[4]
        return (
            Reports.Volume(
                dataList: list, totalCreatedConversations: sums[0], totalClosedConversations: sums[1], totalRepliedConversations: sums[2],
                totalReopenedConversations: sums[3], totalOpenConversations: totalOpen), rows
        )
    }

    /// The channel report: messages (not notes, both directions) per row and channel.
    func channel(_ parameters: ReportParameters, _ dimension: ReportParameters.Dimension) async throws -> (Reports.Channel, [Row]) {
        let grouping = Self.grouping(dimension, parameters)
        let counts = try await self.store.read { tx in
            try await tx.reports.channelMessages(site: self.site, view: parameters.view, from: parameters.start, to: parameters.end, by: grouping)
        }
        let byKey = Dictionary(grouping: counts, by: \.reportKey)
        let rows = Self.rows(dimension, parameters, keys: [byKey.mapValues { _ in 0 }])
        let names = try await self.names(dimension, keys: rows.map(\.key), parameters: parameters, rows: rows)
        let channels = AnytimeChannel.all.map { ($0.id, $0.info.name) }
        let list = rows.map { row in
            let numbers = channels.map { channel in Int((byKey[row.key] ?? []).filter { $0.channel == channel.0 }.reduce(0) { $0 + $1.count }) }
            let total = numbers.reduce(0, +)
            return Reports.ChannelRow(
                id: row.key, name: names[row.key] ?? row.key,
                channelEfficiencies: zip(channels, numbers).map {
                    Reports.ChannelEfficiency(
                        channelId: $0.0.0, channelName: $0.0.1, channelMessageNumber: $0.1, channelPercentage: Reports.percentage($0.1, of: total))
                }, startTime: AnytimeTime.format(row.start), endTime: AnytimeTime.format(row.end))
        }
        let totals = channels.map { channel in
            Reports.ChannelTotal(
                channelId: channel.0, channelName: channel.1,
                totalNumber: Int(counts.filter { $0.channel == channel.0 }.reduce(0) { $0 + $1.count }))
        }
        return (Reports.Channel(dataList: list, channelTotalNumbers: totals), rows)
    }

    /// A name for each row: the bucket's start in `dateFormat` at `timeOffset`, or the agent's, department's or
    /// channel's name (from livechat-config and the channel catalog); an id without one is its own name.
    func names(_ dimension: ReportParameters.Dimension, keys: [String], parameters: ReportParameters, rows: [Row]) async throws -> [String: String] {
        switch dimension {
        case .byTime: return Dictionary(uniqueKeysWithValues: rows.map { ($0.key, parameters.display($0.start)) })
        case .byChannel:
            return Dictionary(uniqueKeysWithValues: AnytimeChannel.all.map { ($0.id, $0.info.name) })
        case .byAgent:
            guard !keys.isEmpty else { return [:] }
            let agents = try await self.store.directory.liveChat.agents(siteId: self.site)
            return Dictionary(agents.map { (String($0.id), $0.displayName) }) { first, _ in first }
        case .byDepartment:
            guard !keys.isEmpty else { return [:] }
            let departments = try await self.store.directory.liveChat.departments(siteId: self.site)
            return Dictionary(departments.compactMap { department in department.id.map { (String($0), department.name ?? String($0)) } }) {
                first, _ in first
            }
        }
    }

    /// The efficiency report.
    func efficiency(_ parameters: ReportParameters, _ dimension: ReportParameters.Dimension) async throws -> (Reports.Efficiency, [Row]) {
        let grouping = Self.grouping(dimension, parameters)
        let (site, view, from, to) = (self.site, parameters.view, parameters.start, parameters.end)
        let read = try await self.store.read { tx in
            let reports = tx.reports
            return (
                firstReplies: try await reports.firstReplies(site: site, view: view, from: from, to: to),
                timeline: try await reports.conversationMessages(site: site, view: view, from: from, to: to),
                closes: try await reports.closes(site: site, view: view, from: from, to: to),
                contact: try await reports.messageCounts(.contact, site: site, view: view, from: from, to: to, by: grouping),
                agent: try await reports.messageCounts(.agent, site: site, view: view, from: from, to: to, by: grouping),
                conversations: try await reports.messageCounts(.any, conversations: true, site: site, view: view, from: from, to: to, by: grouping)
            )
        }
        func key(_ time: Int64, agent: String?, department: String?, channel: String) -> String? {
            switch dimension {
            case .byTime: parameters.buckets.index(of: time).map { String($0 + 1) }
            case .byAgent: agent ?? ""
            case .byDepartment: department ?? ""
            case .byChannel: channel
            }
        }
        var first: [String: [Int64]] = [:]
        var waits: [String: [Int64]] = [:]
        var lengths: [String: [Int64]] = [:]
        for reply in read.firstReplies where reply.firstReply < to {
            guard let key = key(reply.firstReply, agent: reply.assignedAgentId, department: reply.assignedDepartmentId, channel: reply.channelId)
            else { continue }
            first[key, default: []].append(reply.firstReply - reply.createdTime)
        }
        // A contact message starts a waiting period unless one is running; the next agent reply ends it.
        var waitingSince: (conversation: Int64, time: Int64)?
        for message in read.timeline {
            if let since = waitingSince, since.conversation != message.conversationId { waitingSince = nil }
            if message.senderType == AnytimeActorType.agent.rawValue {
                if let since = waitingSince, since.time >= from, since.time < to,
                    let key = key(since.time, agent: message.senderId, department: message.assignedDepartmentId, channel: message.channelId)
                {
                    waits[key, default: []].append(message.time - since.time)
                }
                waitingSince = nil
            } else if message.senderType == AnytimeActorType.contact.rawValue || message.senderType == AnytimeActorType.visitor.rawValue,
                waitingSince == nil
            {
                waitingSince = (message.conversationId, message.time)
            }
        }
        for close in read.closes {
            guard let key = key(close.time, agent: close.agentId, department: close.departmentId, channel: close.channelId) else { continue }
            lengths[key, default: []].append(close.time - close.createdTime)
        }
        let rows = Self.rows(
            dimension, parameters,
            keys: [first, waits, lengths].map { $0.mapValues { _ in Int64(0) } } + [read.contact, read.agent, read.conversations])
        func average(_ count: Int64, _ conversations: Int64) -> Double {
            conversations == 0 ? 0 : Reports.rounded(Double(count) / Double(conversations))
        }
        let list = rows.map { row in
            Reports.EfficiencyRow(
                id: row.key, avgAgentResponseTime: Reports.duration(waits[row.key] ?? []),
                avgFirstResponseTime: Reports.duration(first[row.key] ?? []),
                avgConversationTime: Reports.duration(lengths[row.key] ?? []),
                avgContactMessages: average(read.contact[row.key] ?? 0, read.conversations[row.key] ?? 0),
                avgAgentMessages: average(read.agent[row.key] ?? 0, read.conversations[row.key] ?? 0), startTime: AnytimeTime.format(row.start),
                endTime: AnytimeTime.format(row.end))
        }
        // The whole range: every sample once, and messages over the conversations that have one in the range.
        let whole = try await self.store.read { tx in
            (
                contact: try await tx.reports.messageCounts(.contact, site: site, view: view, from: from, to: to, by: .whole).values.reduce(0, +),
                agent: try await tx.reports.messageCounts(.agent, site: site, view: view, from: from, to: to, by: .whole).values.reduce(0, +),
                conversations: try await tx.reports.messageCounts(.any, conversations: true, site: site, view: view, from: from, to: to, by: .whole)
                    .values.reduce(0, +)
            )
        }
        return (
            Reports.Efficiency(
                dataList: list, totalAvgAgentResponseTime: Reports.duration(waits.values.flatMap { $0 }),
                totalAvgFirstResponseTime: Reports.duration(first.values.flatMap { $0 }),
                totalAvgConversationTime: Reports.duration(lengths.values.flatMap { $0 }),
                totalAvgContactMessages: average(whole.contact, whole.conversations), totalAvgAgentMessages: average(whole.agent, whole.conversations)
            ),
            rows
        )
    }

    /// The SLA report: per member (policy, agent or department) and time bucket of the outcome, the share of targets
    /// met, the mean minutes they took and the conversations with a breach.
    func sla(_ parameters: ReportParameters, _ dimension: ReportParameters.SLADimension) async throws -> (Reports.SLA, [Row]) {
        let site = self.site
        let (outcomes, policies, calendar) = try await self.store.read { tx in
            (
                try await tx.reports.slaOutcomes(site: site, from: parameters.start, to: parameters.end),
                try await tx.slaPolicies.policies(site: site), try await tx.workingTime.calendar(site: site)
            )
        }
        let policyById = Dictionary(policies.map { ($0.id, $0) }) { first, _ in first }
        struct Tally {
            var achieved: [String: Int] = [:]
            var breached: [String: Int] = [:]
            var minutes: [String: [Double]] = [:]
            var breachedConversations: Set<Int64> = []
        }
        var tallies: [String: Tally] = [:]
        var rowsByKey: [String: Row] = [:]
        let bounds = parameters.buckets.bounds
        for outcome in outcomes {
            guard let bucket = parameters.buckets.index(of: outcome.time) else { continue }
            let member =
                switch dimension {
                case .slaPolicies: outcome.policyId
                case .agent: outcome.assignedAgentId ?? ""
                case .department: outcome.assignedDepartmentId ?? ""
                }
            let key = "\(member)\u{1F}\(bucket)"
            rowsByKey[key] = Row(key: member, start: bounds[bucket], end: bounds[bucket + 1])
            var tally = tallies[key] ?? Tally()
            if outcome.outcome == "breached" {
                tally.breached[outcome.target, default: 0] += 1
                tally.breachedConversations.insert(outcome.conversationId)
            } else {
                tally.achieved[outcome.target, default: 0] += 1
            }
            if let policy = policyById[outcome.policyId] {
                tally.minutes[outcome.target, default: []].append(Self.minutes(outcome, policy: policy, calendar: calendar))
            }
            tallies[key] = tally
        }
        let keys = rowsByKey.keys.sorted { left, right in
            let (l, r) = (rowsByKey[left]!, rowsByKey[right]!)
            return l.key != r.key ? Self.memberOrder(l.key, r.key) : l.start < r.start
        }
        func percentage(_ tally: Tally, _ target: SLAClock.Target) -> Double {
            let achieved = tally.achieved[target.rawValue] ?? 0
            return Reports.percentage(achieved, of: achieved + (tally.breached[target.rawValue] ?? 0))
        }
        func mean(_ tally: Tally, _ target: SLAClock.Target) -> Double {
            let values = tally.minutes[target.rawValue] ?? []
            return values.isEmpty ? 0 : Reports.rounded(values.reduce(0, +) / Double(values.count))
        }
        let list = keys.map { key in
            let (row, tally) = (rowsByKey[key]!, tallies[key]!)
            return Reports.SLARow(
                id: row.key, firstRespondTimeAchievedPercentage: percentage(tally, .firstResponse), avgFirstRespondTime: mean(tally, .firstResponse),
                nextRespondTimeAchievedPercentage: percentage(tally, .nextResponse), avgNextRespondTime: mean(tally, .nextResponse),
                resolveTimeAchievedPercentage: percentage(tally, .resolution), avgResolveTime: mean(tally, .resolution),
                breachedTickets: tally.breachedConversations.count, startTime: AnytimeTime.format(row.start), endTime: AnytimeTime.format(row.end))
        }
        return (Reports.SLA(dataList: list), keys.map { rowsByKey[$0]! })
    }

    /// The minutes a target took, in its policy's hours (decision 284): first response and resolution from the
    /// conversation's creation; next response is the target's length give or take the time between its due time and
    /// the outcome. A breach the scheduler found counts at the time it was found.
    static func minutes(_ outcome: OutcomeRow, policy: SLAPolicyRow, calendar: WorkingCalendar) -> Double {
        func between(_ start: Int64, _ end: Int64) -> Double {
            guard policy.isBusinessHours else { return Double(end - start) / 60_000 }
            return end >= start ? Double(calendar.workingMinutes(from: start, to: end)) : -Double(calendar.workingMinutes(from: end, to: start))
        }
        switch SLAClock.Target(rawValue: outcome.target) {
        case .nextResponse: return Double(policy.nextRespondWithin * 60) + between(outcome.dueAt, outcome.time)
        case .firstResponse, .resolution, nil: return between(outcome.createdTime, outcome.time)
        }
    }
}

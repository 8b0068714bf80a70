import Foundation
import SQLKit
import ServiceKit
import WireModels

/// Chatwoot's `ReportingEventListener`: the reporting events written as things happen, in the transaction of the
/// change that makes them (a first response, a reply, a resolution, a bot handoff), which the reports aggregate.
enum ChatwootReporting {
    static let firstResponse = "first_response"
    static let replyTime = "reply_time"
    static let resolved = "conversation_resolved"
    static let botHandoff = "conversation_bot_handoff"
    static let botResolved = "conversation_bot_resolved"

    /// Whether an outgoing message is a human's response (Chatwoot's `Message#human_response?`): a user sent it, not
    /// an automation rule or a campaign.
    static func isHumanResponse(_ creation: MessageSQLRepository.Creation) -> Bool {
        if case .object(let attributes) = creation.contentAttributes, attributes["automation_rule_id"].map({ $0 != .null }) == true { return false }
        if case .object(let attributes) = creation.additionalAttributes, attributes["campaign_id"].map({ $0 != .null }) == true { return false }
        return true
    }

    /// A user's public reply: the conversation's first response (from its creation or its bot handoff), or a reply
    /// to a contact who was waiting (Chatwoot's `first_reply_created` and `reply_created`).
    static func replied(_ tx: Tx, conversation: ConversationSQLRepository.Row, user: Int, at now: Int64) async throws {
        if conversation.firstReplyCreatedAt == nil {
            // `last_non_human_activity`: the end of the bot handoff, if the bot handed the conversation over.
            let handoff = try await tx.sql.select().column("event_end_time", as: "id").from("reporting_events")
                .where("conversation_id", .equal, conversation.id).where("name", .equal, Self.botHandoff).orderBy("id", .descending)
                .first(IDRow.self)
            let start = handoff.map { Int64($0.id) } ?? conversation.createdAt
            try await self.record(tx, Self.firstResponse, conversation, user: user, from: start, to: now)
        } else if let waiting = conversation.waitingSince {
            try await self.record(tx, Self.replyTime, conversation, user: user, from: waiting, to: now)
        }
    }

    /// A status change: a resolution (and the bot's, when the inbox has a bot and no user replied), or the handoff
    /// of a pending conversation a bot opens (once per conversation).
    static func statusChanged(
        _ tx: Tx, _ before: ConversationSQLRepository.Row, to status: String, assignee: Int?, actor: ConversationSQLRepository.Actor,
        at now: Int64
    ) async throws {
        if status == "resolved" {
            try await self.record(tx, Self.resolved, before, user: assignee, from: before.createdAt, to: now)
            let bot = try await tx.sql.select().column("agent_bot_id", as: "id").from("inboxes").where("id", .equal, before.inboxId)
                .where("agent_bot_id", .isNot, SQLLiteral.null).first(IDRow.self)
            guard bot != nil else { return }
            let replied = try await tx.sql.select().column("id").from("messages").where("conversation_id", .equal, before.id)
                .where("message_type", .equal, MessageSQLRepository.outgoing).where("sender_type", .equal, "User").limit(1).first(IDRow.self)
            if replied == nil { try await self.record(tx, Self.botResolved, before, user: assignee, from: before.createdAt, to: now) }
        } else if status == "open", before.status == "pending", case .agentBot = actor {
            let handedOver = try await tx.sql.select().column("id").from("reporting_events").where("conversation_id", .equal, before.id)
                .where("name", .equal, Self.botHandoff).limit(1).first(IDRow.self)
            if handedOver == nil { try await self.record(tx, Self.botHandoff, before, user: assignee, from: before.createdAt, to: now) }
        }
    }

    /// Gives each new label title of the account its id (the label reports name labels by id).
    static func labelled(_ tx: Tx, account: Int, titles: [String], at now: Int64) async throws {
        for title in titles {
            try await tx.sql.insert(into: "labels").columns("account_id", "title", "created_at").values(account, title, now)
                .ignoringConflicts(with: ["account_id", "title"]).run()
        }
    }

    /// Writes one event: its value in whole seconds, and within the inbox's working hours.
    private static func record(
        _ tx: Tx, _ name: String, _ conversation: ConversationSQLRepository.Row, user: Int?, from start: Int64, to end: Int64
    ) async throws {
        let settings = try await tx.sql.select().column("settings").from("inboxes").where("id", .equal, conversation.inboxId)
            .first(SettingsRow.self)
        let hours = settings.flatMap { try? ChatwootRows.decode(WorkingHours.self, $0.settings) }
        let value = Double(end / 1000 - start / 1000)
        try await tx.sql.insert(into: "reporting_events")
            .columns(
                "account_id", "inbox_id", "user_id", "conversation_id", "name", "value", "value_in_business_hours", "event_start_time",
                "event_end_time", "created_at", "updated_at"
            )
            .values(
                conversation.accountId, conversation.inboxId, user, conversation.id, name, value, self.businessSeconds(hours, from: start, to: end),
                start, end, end, end
            ).run()
    }

    private struct SettingsRow: Codable {
        var settings: String
    }

    /// The working-hours part of an inbox's settings.
    struct WorkingHours: Decodable {
        var workingHoursEnabled: Bool?
        var workingHours: [ChatwootInbox.WorkingHour]?
        var timezone: String?

        enum CodingKeys: String, CodingKey {
            case timezone
            case workingHoursEnabled = "working_hours_enabled"
            case workingHours = "working_hours"
        }
    }

    /// Seconds between `start` and `end` (epoch milliseconds) within the inbox's working hours, in its time zone;
    /// 0 when the inbox keeps no working hours, as Chatwoot's `ReportingEventHelper#business_hours` (decision 316).
    static func businessSeconds(_ hours: WorkingHours?, from start: Int64, to end: Int64) -> Double {
        guard let hours, hours.workingHoursEnabled == true, let days = hours.workingHours, end > start else { return 0 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = hours.timezone.flatMap { TimeZone(identifier: $0) } ?? TimeZone(identifier: "UTC")!
        let from = Date(timeIntervalSince1970: Double(start / 1000))
        let to = Date(timeIntervalSince1970: Double(end / 1000))
        var day = calendar.startOfDay(for: from)
        var total = 0.0
        // At most ten years of days: a longer interval counts its first ten years.
        for _ in 0..<3660 where day < to {
            let weekday = calendar.component(.weekday, from: day) - 1
            if let hour = days.first(where: { $0.dayOfWeek == weekday }), !hour.closedAllDay {
                // Chatwoot's open-all-day is 00:00 to 23:59.
                let open = hour.openAllDay ? 0 : (hour.openHour ?? 0) * 60 + (hour.openMinutes ?? 0)
                let close = hour.openAllDay ? 23 * 60 + 59 : (hour.closeHour ?? 0) * 60 + (hour.closeMinutes ?? 0)
                if close > open, let opening = calendar.date(byAdding: .minute, value: open, to: day),
                    let closing = calendar.date(byAdding: .minute, value: close, to: day)
                {
                    total += max(0, min(closing, to).timeIntervalSince(max(opening, from)))
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return total.rounded(.down)
    }
}

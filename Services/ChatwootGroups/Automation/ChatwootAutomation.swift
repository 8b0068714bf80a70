import Foundation
import HTTPTypes
import Logging
import SQLKit
import ServiceKit
import WireModels

/// Chatwoot's automation rules at work (`AutomationRuleListener`, `AutomationRules::ConditionsFilterService`,
/// `AutomationRules::ActionService`). Every conversation and message event passes through ``ChatwootEvents``; when
/// its account has an active rule for it, ``enqueue(_:body:account:tx:)`` writes one durable job in the event's own
/// transaction, and the job (after commit, as Chatwoot's asynchronous listener) checks each rule's conditions in SQL
/// and performs its actions. What an action does publishes its own events, which never run rules again (Chatwoot's
/// `Current.executed_by = rule` loop guard).
struct ChatwootAutomation: Sendable {
    let database: Database
    let clock: WallClock
    let conversations: ConversationSQLRepository
    let messages: MessageSQLRepository
    /// Where `send_email_to_team` and `send_email_transcript` go; unconfigured, they are skipped with a warning.
    let mail: SMTPClient
    let logger: Logger

    static let jobKind = "chatwoot.automation.event"
    /// The events a rule may run on (Chatwoot's listener, and `conversation_resolved` of the swagger's payload enum).
    static let events = ["conversation_created", "conversation_updated", "conversation_opened", "conversation_resolved", "message_created"]
    /// `AutomationRule#conditions_attributes`.
    static let conditionKeys = [
        "content", "email", "country_code", "status", "message_type", "browser_language", "assignee_id", "team_id", "referer", "city", "company",
        "inbox_id", "mail_subject", "phone_number", "priority", "conversation_language", "labels",
    ]
    /// `AutomationRule#actions_attributes`.
    static let actionNames = [
        "send_message", "add_label", "remove_label", "send_email_to_team", "assign_team", "assign_agent", "send_webhook_event", "mute_conversation",
        "send_attachment", "change_status", "resolve_conversation", "open_conversation", "pending_conversation", "snooze_conversation",
        "change_priority", "send_email_transcript", "add_private_note",
    ]
    /// Who activity messages name for a rule's changes (Chatwoot's `automation.system_name`). Its id is no user's:
    /// it only names the change, it never sends a message.
    static let system = ConversationSQLRepository.Actor.user(id: 0, name: "Automation System")

    /// The rule whose actions the current task performs: their events run no rules (the loop guard).
    @TaskLocal static var executingRule: Int?

    /// The job: an event of a conversation (and message), with the changes `conversation_updated` carried.
    struct EventJob: Codable, Sendable {
        var event: String
        var account: Int
        var conversationId: Int
        var messageId: Int?
        var changes: JSONValue?
    }

    // MARK: The hook

    /// Called by ``ChatwootEvents`` inside the event's transaction: writes the job when the account has an active rule
    /// for the event and the event was not caused by a rule.
    static func enqueue(_ event: ChatwootEvent, body: Data, account: Int, tx: Tx) async throws {
        guard Self.executingRule == nil, Self.events.contains(event.rawValue) else { return }
        let rule = try await tx.sql.select().column("id").from("automation_rules").where("account_id", .equal, account)
            .where("event_name", .equal, event.rawValue).where("active", .equal, true).limit(1).first(IDRow.self)
        guard rule != nil, let members = (try? JSONDecoder().decode(JSONValue.self, from: body))?.object else { return }
        // A message's payload names its conversation by display id; a conversation's own id is its display id.
        let isMessage = event == .messageCreated
        guard case .number(let display)? = isMessage ? members["conversation_id"] : members["id"] else {
            return
        }
        guard
            let conversation = try await tx.sql.select().column("id").from("conversations").where("account_id", .equal, account)
                .where("display_id", .equal, Int(display)).first(IDRow.self)
        else { return }
        var messageID: Int?
        if isMessage, case .number(let id)? = members["id"] { messageID = Int(id) }
        let job = EventJob(
            event: event.rawValue, account: account, conversationId: Int(conversation.id), messageId: messageID,
            changes: members["changed_attributes"])
        // Due at once, whatever the scheduler's clock says.
        _ = try await tx.scheduler.schedule(kind: Self.jobKind, payload: try ChatwootRows.text(encoding: job), at: Date(timeIntervalSince1970: 0))
    }

    // MARK: Running rules

    /// A rule as the engine reads it.
    struct RuleRow: Codable, Sendable {
        var id: Int
        var eventName: String
        var conditions: String
        var actions: String
    }

    /// The job: each active rule of the event whose conditions match performs its actions, in rule order.
    func run(_ job: ScheduledJob) async throws {
        let due = try ChatwootRows.decode(EventJob.self, job.payload)
        let rules = try await self.database.readStatement { sql in
            try await sql.select().columns("id", "event_name", "conditions", "actions").from("automation_rules").where(
                "account_id", .equal, due.account
            )
            .where("event_name", .equal, due.event).where("active", .equal, true).orderBy("id").all(RuleRow.self)
        }
        for rule in rules {
            let matched: Bool
            do {
                matched = try await self.matches(rule, due)
            } catch {
                // Chatwoot's `rule_valid?`: a rule whose conditions no longer hold together (a custom attribute gone) is skipped.
                self.logger.warning("Automation rule skipped", metadata: ["rule": .stringConvertible(rule.id), "error": .string("\(error)")])
                continue
            }
            guard matched else { continue }
            await Self.$executingRule.withValue(rule.id) { await self.perform(rule, due) }
        }
    }

    /// Whether the rule's conditions hold for the conversation (and the event's message), checked in SQL as Chatwoot's
    /// `ConditionsFilterService`; `attribute_changed` conditions read the event's changed attributes.
    func matches(_ rule: RuleRow, _ due: EventJob) async throws -> Bool {
        let conditions = try AutomationRuleSQLRepository.conditions(AutomationRuleSQLRepository.Row.items(rule.conditions))
        for condition in conditions where condition.filterOperator == "attribute_changed" {
            guard Self.changed(condition, due.changes) else { return false }
        }
        let now = Date(timeIntervalSince1970: Double(self.clock.milliseconds()) / 1000)
        return try await self.database.read { tx in
            let custom = try await Self.customAttributes(tx.sql, account: due.account)
            let predicate = try Self.filter(custom: custom, now: now).predicate(conditions.filter { $0.filterOperator != "attribute_changed" })
            var joined: any SQLExpression = SQLBinaryExpression(
                SQLColumn("conversation_id", table: "messages"), .equal, SQLColumn("id", table: "conversations"))
            if let message = due.messageId {
                joined = SQLBinaryExpression(joined, .and, SQLBinaryExpression(SQLColumn("id", table: "messages"), .equal, SQLBind(message)))
            }
            let found = try await tx.sql.select().column(SQLColumn("id", table: "conversations")).from("conversations")
                .join(
                    "contacts", method: SQLJoinMethod.left, on: SQLColumn("id", table: "contacts"), .equal,
                    SQLColumn("contact_id", table: "conversations")
                )
                .join("messages", method: SQLJoinMethod.left, on: joined)
                .where(SQLColumn("id", table: "conversations"), .equal, SQLBind(due.conversationId)).where(predicate).limit(1).first(IDRow.self)
            return found != nil
        }
    }

    /// `attribute_changed`: the attribute changed from one of `values.from` to one of `values.to`.
    static func changed(_ condition: ChatwootFilterCondition, _ changes: JSONValue?) -> Bool {
        guard case .array(let items)? = changes else { return false }
        guard let change = items.compactMap({ $0.object?[condition.attributeKey]?.object }).first else { return false }
        func texts(_ value: JSONValue?) -> [String] {
            switch value {
            case .array(let items)?: items.map(Self.text)
            case let value?: [Self.text(value)]
            default: []
            }
        }
        let values = condition.values?.object
        let from = texts(values?["from"])
        let to = texts(values?["to"])
        return (from.isEmpty || from.contains(Self.text(change["previous_value"] ?? .null)))
            && (to.isEmpty || to.contains(Self.text(change["current_value"] ?? .null)))
    }

    /// The filter compiler over what a rule's conditions may name: the conversation's filter keys, the contact's and
    /// the message's (`content`, `message_type`), and the account's conversation custom attributes.
    static func filter(custom: ChatwootFilter.CustomAttributes, now: Date) -> ChatwootFilter {
        let additional = SQLColumn("additional_attributes", table: "conversations")
        var attributes = ConversationSQLRepository.filterAttributes
        attributes += [
            .json("conversation_language", in: additional, operators: ChatwootFilter.equality),
            .json("mail_subject", in: additional, operators: ChatwootFilter.text),
        ]
        let taken = Set(attributes.map(\.key))
        attributes += ContactSQLRepository.filterAttributes.filter { !taken.contains($0.key) }
        attributes += [
            .init("content", .text(caseInsensitive: true), column: SQLColumn("content", table: "messages"), operators: ChatwootFilter.text),
            .init(
                "message_type", .number, column: SQLColumn("message_type", table: "messages"), operators: ChatwootFilter.equality,
                prepare: { $0.map { MessageSQLRepository.types[$0].map(String.init) ?? $0 } }),
        ]
        return ChatwootFilter(
            attributes: attributes, custom: custom, customColumn: SQLColumn("custom_attributes", table: "conversations"), equality: .anyValue,
            now: now)
    }

    /// The account's conversation custom attribute definitions (key → display type).
    static func customAttributes(_ sql: any SQLDatabase, account: Int) async throws -> ChatwootFilter.CustomAttributes {
        let rows = try await sql.select().columns("attribute_key", "attribute_display_type").from("custom_attribute_definitions")
            .where("account_id", .equal, account).where("attribute_model", .equal, "conversation_attribute").all(DefinitionRow.self)
        return Dictionary(rows.map { ($0.attributeKey, $0.attributeDisplayType) }, uniquingKeysWith: { first, _ in first })
    }

    private struct DefinitionRow: Codable {
        var attributeKey: String
        var attributeDisplayType: String
    }

    // MARK: Actions

    /// Performs the rule's actions in order; one that fails is logged and the rest still run (Chatwoot rescues each).
    func perform(_ rule: RuleRow, _ due: EventJob) async {
        for action in AutomationRuleSQLRepository.Row.items(rule.actions) {
            guard case .string(let name)? = action.object?["action_name"] else { continue }
            let params = action.object?["action_params"]
            do {
                try await self.act(name, params, rule: rule, due)
            } catch {
                self.logger.error(
                    "Automation action failed",
                    metadata: ["rule": .stringConvertible(rule.id), "action": .string(name), "error": .string("\(error)")])
            }
        }
    }

    /// One action on the conversation as it is now.
    func act(_ name: String, _ params: JSONValue?, rule: RuleRow, _ due: EventJob) async throws {
        let conversation = try await self.conversations.reload(due.conversationId)
        let values = Self.texts(params)
        var changes = ConversationSQLRepository.Changes()
        switch name {
        case "assign_agent":
            guard let first = values.first else { return }
            if first == "nil" {
                changes.assigneeID = .some(nil)
            } else {
                guard let id = Int(first), try await self.conversations.member(account: due.account, user: id) else { return }
                changes.assigneeID = .some(id)
            }
        case "assign_team":
            guard let first = values.first else { return }
            if first == "nil" || first == "0" {
                changes.teamID = .some(nil)
            } else {
                guard let id = Int(first), try await self.conversations.team(account: due.account, team: id) else { return }
                changes.teamID = .some(id)
            }
        case "add_label", "remove_label":
            let labels = try await self.database.readStatement { sql in try await self.conversations.labels(sql, [conversation.id]) }
            let current = labels[conversation.id] ?? []
            let named = values.map { $0.lowercased() }.filter { !$0.isEmpty }
            guard !named.isEmpty else { return }
            changes.labels = name == "add_label" ? current + named.filter { !current.contains($0) } : current.filter { !named.contains($0) }
        case "change_status":
            guard let status = values.first, ConversationSQLRepository.statuses.contains(status) else { return }
            changes.status = status
        case "resolve_conversation": changes.status = "resolved"
        case "open_conversation": changes.status = "open"
        case "pending_conversation": changes.status = "pending"
        case "snooze_conversation": changes.status = "snoozed"
        case "change_priority":
            guard let priority = values.first else { return }
            if priority == "nil" || priority == "none" {
                changes.priority = .some(nil)
            } else {
                guard ConversationSQLRepository.priorities.contains(priority) else { return }
                changes.priority = .some(priority)
            }
        case "mute_conversation": changes.muted = true
        case "send_message", "add_private_note":
            guard let content = values.first, !content.isEmpty else { return }
            _ = try await self.messages.create(
                conversation: conversation,
                .init(
                    content: content, messageType: MessageSQLRepository.outgoing, private: name == "add_private_note", contentType: "text",
                    contentAttributes: .object(["automation_rule_id": .number(Double(rule.id))]), additionalAttributes: .object([:]), sourceID: nil,
                    uploads: []),
                actor: .system)
            return
        case "send_webhook_event":
            try await self.sendWebhook(to: values.first, conversation, rule: rule)
            return
        case "send_email_to_team":
            try await self.emailTeams(params, conversation)
            return
        case "send_email_transcript":
            try await self.emailTranscript(to: values, conversation)
            return
        default:
            // `send_attachment` needs files uploaded to the rule, which this API has no way to attach: nothing to send.
            return
        }
        try await self.conversations.update(conversation, changes, actor: Self.system)
    }

    /// `send_webhook_event`: the conversation's webhook data with `event: automation_event.<event>`, through the outbox.
    func sendWebhook(to url: String?, _ conversation: ConversationSQLRepository.Row, rule: RuleRow) async throws {
        guard let url, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            self.logger.warning("Automation webhook skipped: not an http(s) URL", metadata: ["rule": .stringConvertible(rule.id)])
            return
        }
        let rendered = try await self.conversations.render([conversation]).first
        var members = try JSONValue(encoding: rendered).object ?? [:]
        members["event"] = .string("automation_event.\(rule.eventName)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(JSONValue.object(members))
        try await self.database.transaction { tx in
            _ = try await tx.outbox.enqueue(
                OutboxMessage(tenant: String(conversation.accountId), eventType: "automation_event.\(rule.eventName)", targetURL: url, payload: body))
        }
    }

    /// `send_email_to_team`: `[{team_ids, message}]`, one email to the members of each team of the account.
    func emailTeams(_ params: JSONValue?, _ conversation: ConversationSQLRepository.Row) async throws {
        guard case .array(let items)? = params, let first = items.first?.object else { return }
        let teams = Self.texts(first["team_ids"]).compactMap(Int.init)
        let message = first["message"].map(Self.text) ?? ""
        guard !teams.isEmpty else { return }
        let emails = try await self.database.readStatement { sql in
            try await sql.select().column(SQLColumn("email", table: "users")).from("team_members")
                .join("teams", on: SQLColumn("id", table: "teams"), .equal, SQLColumn("team_id", table: "team_members"))
                .join("users", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "team_members"))
                .where(SQLColumn("account_id", table: "teams"), .equal, SQLBind(conversation.accountId))
                .where(SQLColumn("id", table: "teams"), .in, SQLBind.group(teams)).all(EmailRow.self)
        }.map(\.email)
        try await self.email(
            to: Array(Set(emails)).sorted(), subject: "Conversation #\(conversation.displayId): \(message.prefix(60))", text: message, conversation)
    }

    /// `send_email_transcript`: the conversation's messages to each address.
    func emailTranscript(to addresses: [String], _ conversation: ConversationSQLRepository.Row) async throws {
        let valid = addresses.filter(MailMessage.isAddress)
        guard !valid.isEmpty else { return }
        let rows = try await self.database.readStatement { sql in
            try await sql.select().columns(MessageSQLRepository.columns).from("messages").where("conversation_id", .equal, conversation.id)
                .where("private", .equal, false).where("message_type", .in, [MessageSQLRepository.incoming, MessageSQLRepository.outgoing])
                .orderBy("id").all(MessageSQLRepository.Row.self)
        }
        let lines = rows.map { row in
            let who = row.messageType == MessageSQLRepository.incoming ? "Contact" : "Agent"
            return "[\(ChatwootRows.iso(row.createdAt))] \(who): \(row.content ?? "")"
        }
        for address in valid {
            try await self.email(
                to: [address], subject: "[#\(conversation.displayId)] Conversation Transcript", text: lines.joined(separator: "\n"), conversation)
        }
    }

    /// Sends through the SMTP client, or says visibly that no server is configured.
    func email(to recipients: [String], subject: String, text: String, _ conversation: ConversationSQLRepository.Row) async throws {
        guard !recipients.isEmpty else { return }
        guard self.mail.settings.isConfigured else {
            self.logger.warning(
                "Automation email skipped: no SMTP server is configured (smtp.host)",
                metadata: ["conversation": .stringConvertible(conversation.id), "recipients": .stringConvertible(recipients.count)])
            return
        }
        let html = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\n", with: "<br>")
        try await self.mail.send(
            MailMessage(
                from: self.mail.settings.from, to: recipients, subject: subject, plainText: text, htmlText: "<p>\(html)</p>",
                messageID: "\(UUID().uuidString.lowercased())@chatwoot-groups",
                date: Date(timeIntervalSince1970: Double(self.clock.milliseconds()) / 1000)))
    }

    private struct EmailRow: Codable {
        var email: String
    }

    /// Parameters as texts: `["a", 1]` → `["a", "1"]`, a bare value → one text.
    static func texts(_ value: JSONValue?) -> [String] {
        switch value {
        case .array(let items)?: items.map(Self.text)
        case nil, .null?: []
        case let value?: [Self.text(value)]
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "nil"
        case .object(let members): members["id"].map(Self.text) ?? ""
        case .array: ""
        }
    }
}

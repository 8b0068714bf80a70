import Foundation
import Logging
import SQLKit
import ServiceKit
import WireModels

/// The emails triggers send (spec §5.16 (b), §6 T5; decisions 277–279, 298). Firing writes one email a recipient (the
/// conversation's contact; each of the trigger's agents, who never see each other's addresses) in the event's own
/// transaction, with a job of the ServiceKit scheduler to deliver it, so a crash loses none. Delivery resolves the
/// addresses then (contacts from outreach-contact, agents from livechat-config), sends over SMTP and records the outcome
/// on the email and in the conversation's event log; a server or peer that is down is tried again with the scheduler's
/// backoff, a send the server accepted never (only its record). With no SMTP server configured the email is recorded as
/// skipped, visibly.
enum TriggerMail {
    static let jobKind = "conversation.triggerEmail"
    /// Tries before an email that keeps failing is given up (about 20 minutes with the scheduler's backoff).
    static let maxAttempts = 8

    struct Job: Codable {
        var emailId: String
        var site: String
    }

    /// Who an email goes to.
    enum Audience: String {
        case contact, agents

        var label: String { self == .contact ? "the contact" : "agents" }
    }

    /// Queues the trigger's emails for the conversation, one a recipient (a refused one fails alone); answers the id
    /// of the contact's email, when one was queued.
    @discardableResult
    static func enqueue(_ trigger: TriggerRow, conversation row: ConversationRow, now: Int64, tx: Tx) async throws -> String? {
        var sets: [(Audience, [String])] = []
        var contactEmail: String?
        if trigger.ifSendToContacts {
            if row.relatedType == AnytimeRelatedType.contact.rawValue, let contact = row.relatedId {
                sets.append((.contact, [contact]))
            } else {
                try await tx.conversations.log(
                    "email", "Trigger '\(trigger.description)' email to the contact not sent: the conversation has no contact.", conversation: row.id,
                    site: row.siteId, time: now)
            }
        }
        if trigger.ifSendToAgents { sets += trigger.agents.map { (.agents, [$0]) } }
        for (audience, ids) in sets {
            let email = TriggerEmailRow(
                id: UUID().uuidString.lowercased(), siteId: row.siteId, conversationId: row.id, triggerId: trigger.id,
                description: trigger.description,
                audience: audience.rawValue, recipientIds: TriggerRow.json(ids), addresses: nil, subject: trigger.subject, htmlText: trigger.htmlText,
                plainText: trigger.plainText, attachmentIds: TriggerRow.json(trigger.files.map(\.id)), status: "pending", attempts: 0, lastError: nil,
                messageId: nil, createdTime: now, sentTime: nil)
            try await tx.sql.insert(into: "conversation_trigger_emails").row(email).run()
            let payload = String(decoding: try JSONEncoder().encode(Job(emailId: email.id, site: row.siteId)), as: UTF8.self)
            try await tx.scheduler.schedule(kind: Self.jobKind, payload: payload, at: Date(timeIntervalSince1970: Double(now) / 1000))
            if audience == .contact { contactEmail = email.id }
        }
        return contactEmail
    }

    /// The delivery job: sends the email once, or records why not; throws (the scheduler tries again later) while the
    /// server or a peer is down.
    static func deliver(_ job: ScheduledJob, store: ConversationStore, smtp: SMTPSettings) async throws {
        let due = try JSONDecoder().decode(Job.self, from: Data(job.payload.utf8))
        guard let email = try await store.read({ tx in try await tx.triggerEmails.email(id: due.emailId, site: due.site) }), email.status == "pending"
        else { return }
        let audience = Audience(rawValue: email.audience) ?? .contact
        let name = "Trigger '\(email.description)' email to \(audience.label)"
        guard smtp.isConfigured else {
            try await Self.finish(
                email, status: "skipped", error: "no SMTP server is configured (smtp.host)", log: "\(name) skipped: no SMTP server is configured.",
                store: store)
            return
        }
        let addresses: [String]
        let message: MailMessage
        do {
            addresses = try await Self.addresses(email, audience: audience, store: store)
            guard !addresses.isEmpty else {
                try await Self.finish(
                    email, status: "failed", error: "no email address", log: "\(name) not sent: no email address is known.", store: store)
                return
            }
            let files = try await store.read { tx in
                var files: [MailMessage.Attachment] = []
                for id in TriggerRow.list(email.attachmentIds) {
                    if let file = try await tx.attachments.content(id: id) {
                        files.append(MailMessage.Attachment(fileName: file.fileName, contentType: file.contentType, data: file.data))
                    }
                }
                return files
            }
            message = MailMessage(
                from: smtp.from, to: addresses, subject: email.subject, plainText: email.plainText, htmlText: email.htmlText, attachments: files,
                messageID: "\(email.id)@switchboard", date: Date(timeIntervalSince1970: Double(store.now) / 1000),
                headers: [("X-Switchboard-Conversation", String(email.conversationId)), ("X-Switchboard-Trigger", email.triggerId)])
            try await SMTPClient(settings: smtp).send(message)
        } catch {
            let reason = String(describing: error)
            let attempts = email.attempts + 1
            let permanent = (error as? SMTPError)?.isPermanent ?? false
            if permanent || attempts >= Self.maxAttempts {
                var failed = email
                failed.attempts = attempts
                try await Self.finish(failed, status: "failed", error: reason, log: "\(name) failed: \(reason)", store: store)
                return
            }
            try await store.write { tx in try await tx.triggerEmails.attempted(email.id, attempts: attempts, error: reason) }
            throw error
        }
        // The server has the message: only the record is tried again from here, never the send (decision 298).
        var row = email
        (row.addresses, row.messageId) = (addresses.joined(separator: ", "), message.messageID)
        let (sent, log) = (row, "\(name) sent to \(addresses.joined(separator: ", ")).")
        await Self.recordSent(sent.id) { try await Self.finish(sent, status: "sent", error: nil, log: log, store: store) }
    }

    /// Records an email the server accepted with `record`, trying the write again (about 25 s in all) while the database
    /// fails; past that it logs the error and gives up rather than let the job run again and send the email twice.
    /// Answers how many writes it tried.
    @discardableResult
    static func recordSent(
        _ emailId: String, pause: Duration = .milliseconds(200), tries: Int = 7, record: @Sendable () async throws -> Void
    ) async -> Int {
        var wait = pause
        for attempt in 1...tries {
            do {
                try await record()
                return attempt
            } catch  where attempt < tries {
                try? await Task.sleep(for: wait)
                wait *= 2
            } catch {
                Logger(label: "conversation.triggerMail").error(
                    "A trigger email was sent but its record failed; it stays pending and is not sent again",
                    metadata: ["emailId": "\(emailId)", "error": "\(String(reflecting: error))"])
                return attempt
            }
        }
        return tries
    }

    /// The recipients' addresses: the contact's email identities, or the agents' emails, as their services know them now.
    static func addresses(_ email: TriggerEmailRow, audience: Audience, store: ConversationStore) async throws -> [String] {
        let ids = TriggerRow.list(email.recipientIds)
        var found: [String] = []
        switch audience {
        case .contact:
            let contacts = try await store.directory.contacts.contacts(ids: Set(ids), site: email.siteId, fresh: true)
            for id in ids {
                for identity in contacts[id]?.contactIdentities ?? []
                where identity.contactIdentityType.lowercased() == "email" && !identity.isDeleted {
                    found.append(identity.value)
                }
            }
        case .agents:
            let agents = try await store.directory.liveChat.agents(siteId: email.siteId)
            for id in ids { if let agent = agents.first(where: { String($0.id) == id }) { found.append(agent.email) } }
        }
        var unique: [String] = []
        for address in found.map({ $0.trimmingCharacters(in: .whitespaces) }) where MailMessage.isAddress(address) && !unique.contains(address) {
            unique.append(address)
        }
        return unique
    }

    /// Records the email's outcome and logs it in its conversation.
    static func finish(_ email: TriggerEmailRow, status: String, error: String?, log: String, store: ConversationStore) async throws {
        let now = store.now
        try await store.write(locking: [email.conversationId]) { tx in
            // Deleted for good meanwhile: nothing is left to record it on.
            guard try await tx.triggerEmails.email(id: email.id, site: email.siteId) != nil else { return }
            var row = email
            (row.status, row.lastError, row.sentTime) = (status, error, status == "sent" ? now : nil)
            try await tx.triggerEmails.save(row)
            // The contact's email shown in the conversation is its message (decision 299): sent, or not.
            if email.audience == Audience.contact.rawValue {
                try await tx.triggerEmails.shown(
                    email.id, conversation: email.conversationId, status: status == "sent" ? .success : .failed, error: error)
            }
            try await tx.conversations.log("email", log, conversation: email.conversationId, site: email.siteId, time: now)
        }
    }
}

/// The emails triggers send.
struct TriggerEmailSQLRepository {
    let sql: any SQLDatabase

    func email(id: String, site: String) async throws -> TriggerEmailRow? {
        try await self.sql.select().column("*").from("conversation_trigger_emails").where("id", .equal, id).where("site_id", .equal, site)
            .first(TriggerEmailRow.self)
    }

    /// The conversation's emails, oldest first.
    func emails(of conversation: Int64) async throws -> [TriggerEmailRow] {
        try await self.sql.select().column("*").from("conversation_trigger_emails").where("conversation_id", .equal, conversation)
            .orderBy("created_time").orderBy("id").all(TriggerEmailRow.self)
    }

    func save(_ email: TriggerEmailRow) async throws {
        try await self.sql.update("conversation_trigger_emails").set(row: email).where("id", .equal, email.id).run()
    }

    /// Sets the send status of the message showing the email in its conversation (its id is the email's), if it has one.
    func shown(_ id: String, conversation: Int64, status: AnytimeSendStatus, error: String?) async throws {
        try await self.sql.update("conversation_messages").set("send_status", to: status.rawValue).set("fail_reason", to: error)
            .where("id", .equal, id).where("conversation_id", .equal, conversation).run()
    }

    func attempted(_ id: String, attempts: Int, error: String) async throws {
        try await self.sql.update("conversation_trigger_emails").set("attempts", to: attempts).set("last_error", to: error).where("id", .equal, id)
            .run()
    }
}

extension Tx {
    var triggerEmails: TriggerEmailSQLRepository { TriggerEmailSQLRepository(sql: self.sql) }
}

/// A `conversation_trigger_emails` row: `audience` is `contact` or `agents`; `status` `pending`, `sent`, `skipped` or
/// `failed`; id lists are JSON arrays.
struct TriggerEmailRow: Codable, Sendable {
    var id, siteId: String
    var conversationId: Int64
    var triggerId, description, audience, recipientIds: String
    var addresses: String?
    var subject, htmlText, plainText, attachmentIds, status: String
    var attempts: Int
    var lastError, messageId: String?
    var createdTime: Int64
    var sentTime: Int64?
}

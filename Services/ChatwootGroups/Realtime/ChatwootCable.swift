import Foundation
import Logging
import SQLKit
import ServiceKit
import ServiceLifecycle
import Synchronization
import WireModels

/// Chatwoot's realtime channel: ActionCable's `RoomChannel` on `/cable`, the stream Chatwoot's dashboard and widget
/// listen to. A connection subscribes with a user's or a contact inbox's `pubsub_token` and hears the events
/// Chatwoot's `ActionCableListener` sends that token: an inbox's conversation and message events reach the account's
/// administrators and the inbox's agents (and the conversation's contact where Chatwoot includes it), contact events
/// reach the account's users.
///
/// Events come from ``ChatwootEvents/publish(_:payload:changes:account:inbox:tx:)``, which publishes a ``Note`` on its
/// transaction (``publish(_:tx:)``); the database hands it to every instance's cable only once that transaction has
/// committed, in commit order (``ServiceKit/Tx/publish(_:on:)``: PostgreSQL's `NOTIFY`, or the process on SQLite), so
/// nothing rolled back is ever pushed and a dashboard hears what any instance committed, once (decision 361).
final class ChatwootCable: Service, Sendable {
    /// One event as ``ChatwootEvents`` published it: its payload (`webhook_data`) and the names of changed attributes.
    struct Note: Sendable, Codable {
        var event: ChatwootEvent
        var account: Int
        var inbox: Int?
        var payload: [String: JSONValue]
        var changed: [String]
    }

    /// A `RoomChannel` subscription: the token it streams, and who it is (a user in an account, or a contact).
    struct Subscription: Sendable, Equatable {
        var token: String
        var account: Int
        var user: Int?
        var contact: Int?
    }

    private struct Connection {
        var frames: AsyncStream<String>.Continuation
        /// By identifier (the subscribe command's JSON string, echoed in every frame of the subscription).
        var subscriptions: [String: Subscription] = [:]
    }

    private struct State {
        var nextID = 0
        var connections: [Int: Connection] = [:]
        /// The connections with a subscription on each token.
        var byToken: [String: Set<Int>] = [:]
    }

    let database: Database
    let clock: WallClock
    let logger: Logger
    private let state = Mutex(State())
    /// Users and contacts on the cable (of any instance), for `presence.update` and auto assignment.
    private let presence: ChatwootPresence
    private let notes: AsyncStream<Received>
    private let noteSink: AsyncStream<Received>.Continuation
    /// Audience lookups of the delivery loop (which alone uses them), reused for a note that arrived before they were made.
    private let lookups = Mutex(Lookups())

    /// ActionCable's ping, every 3 seconds.
    static let pingInterval = Duration.seconds(3)
    /// Frames a connection may have waiting; a client that falls further behind is disconnected (it reconnects and
    /// reloads, as Chatwoot's dashboard does after any disconnection) rather than held in memory.
    static let backlog = 1_000
    /// ActionCable's subprotocol.
    static let subprotocol = "actioncable-v1-json"
    /// The channel notes are published on.
    static let channel = "chatwoot_cable"

    init(database: Database, clock: WallClock, logger: Logger, presence: ChatwootPresence) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.presence = presence
        (self.notes, self.noteSink) = AsyncStream.makeStream(of: Received.self)
        database.listen(to: Self.channel) { [self] text in self.received(text) }
    }

    /// Publishes `note` on `tx`: every instance's cable hears it once the transaction has committed.
    static func publish(_ note: Note, tx: Tx) async throws {
        try await tx.publish(String(decoding: try JSONEncoder().encode(note), as: UTF8.self), on: Self.channel)
    }

    /// Whether a request's path (query aside) is the cable's.
    static func isCable(path: String) -> Bool {
        path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first == "/cable"
    }

    /// A committed note, as published; the database's listener calls it in commit order. Never waits.
    func received(_ text: String) {
        do {
            self.noteSink.yield(Received(note: try JSONDecoder().decode(Note.self, from: Data(text.utf8)), at: .now))
        } catch {
            self.logger.error("cable note unreadable", metadata: ["error": "\(error)"])
        }
    }

    /// Delivers committed events in commit order until shutdown, then ends every connection's stream.
    func run() async throws {
        await withGracefulShutdownHandler {
            for await received in self.notes { await self.deliver(received) }
        } onGracefulShutdown: {
            self.noteSink.finish()
        }
        let open = self.state.withLock { state in state.connections.values.map(\.frames) }
        for frames in open { frames.finish() }
    }

    // MARK: Connections

    /// Registers a connection whose frames go to `frames`; returns its id.
    func connect(_ frames: AsyncStream<String>.Continuation) -> Int {
        self.state.withLock { state in
            state.nextID += 1
            state.connections[state.nextID] = Connection(frames: frames)
            return state.nextID
        }
    }

    /// Forgets a closed connection and its subscriptions.
    func disconnect(_ id: Int) {
        self.state.withLock { state in
            guard let connection = state.connections.removeValue(forKey: id) else { return }
            for subscription in connection.subscriptions.values { Self.drop(id, token: subscription.token, in: &state) }
        }
    }

    private static func drop(_ id: Int, token: String, in state: inout State) {
        state.byToken[token]?.remove(id)
        if state.byToken[token]?.isEmpty == true { state.byToken[token] = nil }
    }

    /// Queues `frame` for connection `id`; a connection too far behind is ended.
    private static func send(_ frame: String, to id: Int, in state: State) {
        guard let connection = state.connections[id] else { return }
        if case .dropped = connection.frames.yield(frame) { connection.frames.finish() }
    }

    // MARK: Commands

    /// Handles one client frame: `subscribe`, `unsubscribe` or `message` (`update_presence`). What ActionCable would
    /// not understand (not JSON, an unknown command) is ignored, as ActionCable logs and ignores it.
    func command(_ text: String, connection id: Int) async {
        guard let object = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)).object,
            case .string(let command)? = object["command"], case .string(let identifier)? = object["identifier"]
        else { return }
        switch command {
        case "subscribe":
            await self.subscribe(identifier, connection: id)
        case "unsubscribe":
            self.state.withLock { state in
                guard let subscription = state.connections[id]?.subscriptions.removeValue(forKey: identifier) else { return }
                Self.drop(id, token: subscription.token, in: &state)
            }
        case "message":
            guard case .string(let data)? = object["data"],
                case .string("update_presence")? = (try? JSONDecoder().decode(JSONValue.self, from: Data(data.utf8)))?.object?["action"],
                let subscription = self.state.withLock({ $0.connections[id]?.subscriptions[identifier] })
            else { return }
            await self.present(subscription)
        default:
            return
        }
    }

    /// `RoomChannel#subscribed`: a user's token with its `user_id` and one of its accounts, or a contact inbox's token.
    /// Confirmed, then the subscriber's presence is recorded and `presence.update` sent to its token; anything else is
    /// rejected (decision 337).
    private func subscribe(_ identifier: String, connection id: Int) async {
        if self.state.withLock({ $0.connections[id]?.subscriptions[identifier] != nil }) { return }  // ActionCable: already subscribed
        let subscription: Subscription?
        do {
            subscription = try await self.authorize(identifier)
        } catch {
            self.logger.error("cable subscription lookup failed", metadata: ["error": "\(error)"])
            subscription = nil
        }
        let reply = Self.frame([
            "identifier": .string(identifier), "type": .string(subscription == nil ? "reject_subscription" : "confirm_subscription"),
        ])
        self.state.withLock { state in
            if let subscription, state.connections[id] != nil {
                state.connections[id]?.subscriptions[identifier] = subscription
                state.byToken[subscription.token, default: []].insert(id)
            }
            Self.send(reply, to: id, in: state)
        }
        if let subscription { await self.present(subscription) }
    }

    /// Who a subscribe command's identifier names, or nil when it names no one.
    private func authorize(_ identifier: String) async throws -> Subscription? {
        guard let params = try? JSONDecoder().decode(JSONValue.self, from: Data(identifier.utf8)).object,
            case .string("RoomChannel")? = params["channel"], case .string(let token)? = params["pubsub_token"], !token.isEmpty
        else { return nil }
        if let user = Self.integer(params["user_id"]) {
            guard let account = Self.integer(params["account_id"]) else { return nil }
            let member = try await self.database.readStatement { sql in
                try await sql.select().column(SQLColumn("id", table: "users")).from("users")
                    .join("account_users", on: SQLColumn("user_id", table: "account_users"), .equal, SQLColumn("id", table: "users"))
                    .where(SQLColumn("pubsub_token", table: "users"), .equal, SQLBind(token))
                    .where(SQLColumn("id", table: "users"), .equal, SQLBind(user))
                    .where(SQLColumn("account_id", table: "account_users"), .equal, SQLBind(account))
                    .first(IDRow.self)
            }
            return member == nil ? nil : Subscription(token: token, account: account, user: user)
        }
        let contact = try await self.database.readStatement { sql in
            try await sql.select().column(SQLColumn("id", table: "contacts")).column(SQLColumn("account_id", table: "contacts"))
                .from("contact_inboxes")
                .join("contacts", on: SQLColumn("id", table: "contacts"), .equal, SQLColumn("contact_id", table: "contact_inboxes"))
                .where(SQLColumn("pubsub_token", table: "contact_inboxes"), .equal, SQLBind(token))
                .first(ContactRow.self)
        }
        guard let contact else { return nil }
        return Subscription(token: token, account: contact.accountId, contact: contact.id)
    }

    /// A number or a numeric string (Chatwoot's clients send either), as an id.
    private static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .number(let number)? where number.rounded() == number: Int(exactly: number)
        case .string(let text)?: Int(text)
        default: nil
        }
    }

    // MARK: Presence

    /// `RoomChannel#update_presence` / `broadcast_presence`: records the subscriber as seen now, then sends its token
    /// `presence.update` with the account's online users (their availability) and, for a user, its online contacts.
    private func present(_ subscription: Subscription) async {
        let now = self.clock.milliseconds()
        var data: [String: JSONValue] = ["account_id": .number(Double(subscription.account))]
        do {
            if let user = subscription.user {
                try await self.presence.record(account: subscription.account, .user, user, at: now)
            } else if let contact = subscription.contact {
                try await self.presence.record(account: subscription.account, .contact, contact, at: now)
            }
            let users = try await self.presence.online(account: subscription.account, .user, at: now)
            let contacts = subscription.user == nil ? [] : try await self.presence.online(account: subscription.account, .contact, at: now)
            // Users present, and those who never go offline by themselves (`auto_offline` false), with their availability.
            let rows = try await self.database.readStatement { sql in
                try await sql.select().columns("user_id", "availability", "auto_offline").from("account_users")
                    .where("account_id", .equal, subscription.account).orderBy("user_id").all(AvailabilityRow.self)
            }
            var online: [String: JSONValue] = [:]
            for row in rows where users.contains(row.userId) || !row.autoOffline { online[String(row.userId)] = .string(row.availability) }
            data["users"] = .object(online)
            if subscription.user != nil {
                data["contacts"] = .object(Dictionary(uniqueKeysWithValues: contacts.map { (String($0), JSONValue.string("online")) }))
            }
        } catch {
            self.logger.error("cable presence lookup failed", metadata: ["error": "\(error)"])
            return
        }
        self.push("presence.update", data: .object(data), to: [subscription.token])
    }

    // MARK: Delivery

    /// Who hears a pushed event (Chatwoot's `ActionCableListener`).
    enum Audience: Equatable {
        /// The account's administrators and the inbox's agents; with the conversation's contact when `contact`.
        case inbox(contact: Bool)
        /// Every user of the account.
        case account
    }

    /// The cable events one published event becomes, with who hears each.
    static func pushes(_ note: Note) -> [(name: String, audience: Audience)] {
        switch note.event {
        case .messageCreated, .messageUpdated:
            // Private notes and activities never reach the contact.
            let internalOnly =
                note.payload["private"] == .bool(true) || note.payload["message_type"] == .number(2)
                || note.payload["message_type"] == .string("activity")
            return [(note.event == .messageCreated ? "message.created" : "message.updated", .inbox(contact: !internalOnly))]
        case .conversationCreated: return [("conversation.created", .inbox(contact: true))]
        case .conversationStatusChanged: return [("conversation.status_changed", .inbox(contact: true))]
        case .conversationUpdated:
            var pushes: [(name: String, audience: Audience)] = [("conversation.updated", .inbox(contact: true))]
            if note.changed.contains("assignee_id") { pushes.append(("assignee.changed", .inbox(contact: false))) }
            if note.changed.contains("team_id") { pushes.append(("team.changed", .inbox(contact: false))) }
            return pushes
        case .conversationTypingOn, .conversationTypingOff:
            // An agent typing a private note is not shown to the contact (decision 366).
            let name = note.event == .conversationTypingOn ? "conversation.typing_on" : "conversation.typing_off"
            return [(name, .inbox(contact: note.payload["is_private"] != .bool(true)))]
        case .conversationRead: return [("conversation.read", .inbox(contact: false))]
        case .conversationContactChanged: return [("conversation.contact_changed", .inbox(contact: false))]
        case .contactCreated: return [("contact.created", .account)]
        case .contactUpdated: return [("contact.updated", .account)]
        case .webwidgetTriggered, .inboxCreated, .inboxUpdated, .conversationOpened, .conversationResolved: return []
        }
    }

    /// Pushes a note's cable events to the tokens that hear them and have a subscription here.
    private func deliver(_ received: Received) async {
        let note = received.note
        guard self.state.withLock({ !$0.byToken.isEmpty }) else { return }
        let pushes = Self.pushes(note)
        guard !pushes.isEmpty else { return }
        var data = note.payload
        data["account_id"] = .number(Double(note.account))
        do {
            let audience = try await self.audience(note, arrived: received.at)
            for push in pushes {
                var tokens: Set<String>
                switch push.audience {
                case .account: tokens = audience.accountUsers
                case .inbox(let withContact):
                    tokens = audience.inboxUsers
                    if withContact, let contact = audience.contact { tokens.insert(contact) }
                }
                // A typing indicator is not sent back to the one typing.
                if let typist = audience.typist { tokens.remove(typist) }
                self.push(push.name, data: .object(data), to: tokens)
            }
        } catch {
            self.logger.error("cable delivery failed", metadata: ["event": "\(note.event.rawValue)", "error": "\(error)"])
        }
    }

    /// The tokens of everyone who may hear `note`.
    private struct Tokens {
        var inboxUsers: Set<String> = []
        var accountUsers: Set<String> = []
        var contact: String?
        var typist: String?
    }

    /// Who may hear `note`, from lookups made after it `arrived` (reused while the loop is behind) or made now.
    private func audience(_ note: Note, arrived: ContinuousClock.Instant) async throws -> Tokens {
        let account = note.account
        let conversation: Int? =
            switch note.event {
            case .messageCreated, .messageUpdated: Self.integer(note.payload["conversation_id"])
            case .conversationTypingOn, .conversationTypingOff: Self.integer(note.payload["conversation"]?.object?["id"])
            default: Self.integer(note.payload["id"])
            }
        let typist = note.event == .conversationTypingOn || note.event == .conversationTypingOff ? note.payload["user"]?.object : nil
        // Two single statements outside a transaction (the account's users with whether each is of the inbox, then the
        // contact): the cable delivers one note after another, so each round trip it waits for a pooled connection
        // adds to every later note's delay; a read transaction of four queries made it fall behind busy writers.
        let inInbox: any SQLExpression =
            if let inbox = note.inbox {
                SQLSubquery.select {
                    $0.column(SQLLiteral.numeric("1")).from("inbox_members")
                        .where(SQLColumn("inbox_id", table: "inbox_members"), .equal, SQLBind(inbox))
                        .where(SQLColumn("user_id", table: "inbox_members"), .equal, SQLColumn("id", table: "users"))
                }
            } else {
                SQLLiteral.null
            }
        let users = try await self.lookup(\.users, Lookups.UsersKey(account: account, inbox: note.inbox), arrived: arrived) {
            try await self.database.readStatement { sql in
                try await sql.select().column(SQLColumn("id", table: "users")).column(SQLColumn("pubsub_token", table: "users"))
                    .column(SQLColumn("role", table: "account_users")).column(inInbox, as: "in_inbox").from("account_users")
                    .join("users", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "account_users"))
                    .where(SQLColumn("account_id", table: "account_users"), .equal, SQLBind(account))
                    .all(AudienceRow.self)
            }
        }
        var tokens = Tokens()
        for user in users {
            guard let token = user.pubsubToken else { continue }
            tokens.accountUsers.insert(token)
            // Administrators hear every inbox; agents the inboxes they belong to.
            if user.role == "administrator" || user.inInbox != nil { tokens.inboxUsers.insert(token) }
        }
        if note.event == .contactCreated || note.event == .contactUpdated { return Tokens(accountUsers: tokens.accountUsers) }
        if let conversation {
            tokens.contact = try await self.lookup(
                \.contacts, Lookups.ConversationKey(account: account, conversation: conversation), arrived: arrived
            ) {
                try await self.database.readStatement { sql in
                    try await sql.select().column(SQLColumn("pubsub_token", table: "contact_inboxes")).from("conversations")
                        .join(
                            "contact_inboxes", on: SQLColumn("id", table: "contact_inboxes"), .equal,
                            SQLColumn("contact_inbox_id", table: "conversations")
                        )
                        .where(SQLColumn("account_id", table: "conversations"), .equal, SQLBind(account))
                        .where(SQLColumn("display_id", table: "conversations"), .equal, SQLBind(conversation))
                        .first(TokenRow.self)?.pubsubToken
                }
            }
        }
        if let typist, let id = Self.integer(typist["id"]) {
            tokens.typist = typist["type"] == .string("contact") ? tokens.contact : users.first { $0.id == id }?.pubsubToken
        }
        return tokens
    }

    /// The value `key` had in a lookup made after `arrived`, or `load`'s, kept for the notes that arrived before it.
    /// Under load the loop falls behind the commits, and each note's own lookups (a pooled connection each, shared with
    /// the writers) made it fall further; a lookup made after a note committed sees what a fresh one would, so the notes
    /// queued behind it share it. A note that arrives when the loop is idle is always looked up afresh.
    private func lookup<Key: Hashable & Sendable, Value: Sendable>(
        _ table: WritableKeyPath<Lookups, [Key: Lookups.Entry<Value>]>, _ key: Key, arrived: ContinuousClock.Instant,
        load: () async throws -> Value
    ) async throws -> Value {
        if let kept = self.lookups.withLock({ $0[keyPath: table][key] }), kept.made >= arrived { return kept.value }
        let made = ContinuousClock.now
        let value = try await load()
        self.lookups.withLock { lookups in
            if lookups[keyPath: table].count >= Lookups.capacity { lookups[keyPath: table].removeAll(keepingCapacity: true) }
            lookups[keyPath: table][key] = Lookups.Entry(value: value, made: made)
        }
        return value
    }

    /// Sends `{"identifier": ..., "message": {"event": name, "data": data}}` to every subscription on `tokens`.
    private func push(_ name: String, data: JSONValue, to tokens: Set<String>) {
        let message = JSONValue.object(["event": .string(name), "data": data])
        self.state.withLock { state in
            for token in tokens {
                for id in state.byToken[token] ?? [] {
                    for (identifier, subscription) in state.connections[id]?.subscriptions ?? [:] where subscription.token == token {
                        Self.send(Self.frame(["identifier": .string(identifier), "message": message]), to: id, in: state)
                    }
                }
            }
        }
    }

    /// A frame's JSON text.
    static func frame(_ members: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(JSONValue.object(members)), as: UTF8.self)) ?? "{}"
    }

    private struct IDRow: Decodable {
        var id: Int
    }

    private struct ContactRow: Decodable {
        var id: Int
        var accountId: Int
    }

    private struct TokenRow: Decodable {
        var pubsubToken: String?
    }

    /// A committed note and when this instance heard it.
    private struct Received: Sendable {
        var note: Note
        var at: ContinuousClock.Instant
    }

    /// The delivery loop's recent audience lookups, each with the instant it was made.
    private struct Lookups: Sendable {
        struct Entry<Value: Sendable>: Sendable {
            var value: Value
            var made: ContinuousClock.Instant
        }

        struct UsersKey: Hashable, Sendable {
            var account: Int
            var inbox: Int?
        }

        struct ConversationKey: Hashable, Sendable {
            var account: Int
            var conversation: Int
        }

        /// Entries of a kind kept at most; a full table is emptied (only a backlog reuses them).
        static let capacity = 1_000
        var users: [UsersKey: Entry<[AudienceRow]>] = [:]
        var contacts: [ConversationKey: Entry<String?>] = [:]
    }

    /// A user of the note's account: `inInbox` is set when the user is a member of the note's inbox.
    private struct AudienceRow: Decodable, Sendable {
        var id: Int
        var pubsubToken: String?
        var role: String
        var inInbox: Int?
    }

    private struct AvailabilityRow: Decodable {
        var userId: Int
        var availability: String
        var autoOffline: Bool
    }
}

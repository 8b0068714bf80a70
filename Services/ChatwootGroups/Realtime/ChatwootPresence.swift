import Synchronization

/// Which users have been on `/cable` lately (Chatwoot's `OnlineStatusTracker`: a subscription or `update_presence` in
/// the last 20 s). The cable records it; auto assignment reads it, as Chatwoot assigns only agents who are online.
/// One process's view (decision 339: instances do not share their cables).
final class ChatwootPresence: Sendable {
    private let seen = Mutex<[Key: Int64]>([:])

    private struct Key: Hashable {
        let account: Int
        let user: Int
    }

    /// How long a user counts as present after it was last seen, in milliseconds.
    static let window: Int64 = 20_000

    func record(account: Int, user: Int, at now: Int64) {
        self.seen.withLock { seen in
            seen[Key(account: account, user: user)] = now
            seen = seen.filter { $0.value >= now - Self.window }
        }
    }

    /// The account's users seen within the window before `now`.
    func users(account: Int, at now: Int64) -> Set<Int> {
        self.seen.withLock { seen in
            Set(seen.filter { $0.key.account == account && $0.value >= now - Self.window }.map(\.key.user))
        }
    }
}

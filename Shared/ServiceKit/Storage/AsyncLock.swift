import Synchronization

/// A first-come, first-served lock for async code: SQLite's writer connection is held by one transaction (or one
/// statement) at a time, and waiters are served in the order they arrived, so a burst of writes cannot starve one.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Waits until the lock is free, then holds it.
    func lock() async {
        // Uncontended, take it without suspending: a continuation resumed at once still costs a trip through the executor.
        let free = self.state.withLock { state in
            if state.locked { return false }
            state.locked = true
            return true
        }
        if free { return }
        // A waiter is resumed already holding the lock: `unlock` hands it over rather than freeing it, so no
        // newcomer can slip in between.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = self.state.withLock { state in
                if state.locked {
                    state.waiters.append(continuation)
                    return false
                }
                state.locked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock() {
        let next = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

    /// Runs `body` holding the lock.
    func withLock<T>(_ body: () async throws -> T) async throws -> T {
        await self.lock()
        defer { self.unlock() }
        return try await body()
    }
}

/// Hands out a fixed set of values (SQLite's reader connections) one user at a time, waiting when all are taken.
final class Lender<Item: Sendable>: Sendable {
    private struct State {
        var idle: [Item]
        var waiters: [CheckedContinuation<Item, Never>] = []
    }

    private let state: Mutex<State>

    init(_ items: [Item]) {
        self.state = Mutex(State(idle: items))
    }

    func borrow() async -> Item {
        // An idle item is handed out without suspending.
        if let item = self.state.withLock({ $0.idle.popLast() }) { return item }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Item, Never>) in
            let item = self.state.withLock { state -> Item? in
                if let item = state.idle.popLast() { return item }
                state.waiters.append(continuation)
                return nil
            }
            if let item { continuation.resume(returning: item) }
        }
    }

    func giveBack(_ item: Item) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Item, Never>? in
            if state.waiters.isEmpty {
                state.idle.append(item)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: item)
    }

    func withItem<T>(_ body: (Item) async throws -> T) async throws -> T {
        let item = await self.borrow()
        defer { self.giveBack(item) }
        return try await body(item)
    }
}

import Atomics

/// Opens once migrations have run, so background workers never query tables that do not exist yet.
public final class StartupGate: Sendable {
    private let isOpen = ManagedAtomic(false)

    public init() {}

    public func open() {
        self.isOpen.store(true, ordering: .releasing)
    }

    /// Returns when the gate opens or the task is cancelled (a start-up that failed never opens it).
    public func wait() async {
        while !self.isOpen.load(ordering: .acquiring), !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

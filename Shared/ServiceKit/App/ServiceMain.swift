import ConcurrencyHook
import Configuration
import Dispatch
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The body of every executable's `main`: read the configuration, choose the log backend, build and run.
public enum ServiceMain {
    /// Runs the service until it stops; called from a synchronous `main`, so that Swift concurrency is on NIO's event
    /// loops before the first task starts.
    public static func run<App: ApplicationProtocol>(_ build: @escaping @Sendable (ConfigReader) async throws -> App) throws {
        Self.runTasksOnEventLoops()
        let outcome = Mutex<(any Error)?>(nil)
        let stopped = DispatchSemaphore(value: 0)
        Task {
            do { try await self.serve(build) } catch { outcome.withLock { $0 = error } }
            stopped.signal()
        }
        stopped.wait()
        if let error = outcome.withLock({ $0 }) { throw error }
    }

    private static func serve<App: ApplicationProtocol>(_ build: @Sendable (ConfigReader) async throws -> App) async throws {
        let reader = try await ConfigReader.switchboard(defaults: [:])
        let level = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info
        // The only place a log backend is chosen: tests and libraries never bootstrap.
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let app = try await build(reader)
        try await app.runService()
    }

    /// Every task enqueued on the global executor goes to one of NIO's event loops (the current one when there is one),
    /// so a request does not hop between two thread pools: on two cores those hops cost more than the work. NIO's own
    /// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor` finds the hook with `dlsym`, which
    /// fails on release builds (the statically linked runtime exports nothing), so tasks stayed on Dispatch's threads
    /// (perf, 2026-12-01). Process-wide, so only here.
    private static func runTasksOnEventLoops() {
        switchboard_install_enqueue_global_hook { job, _ in
            let job = unsafeBitCast(job, to: UnownedJob.self)
            MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(job)
        }
    }
}

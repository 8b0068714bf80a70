import Configuration
import Dispatch
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The body of every executable's `main`: read the configuration, choose the log backend, build and run.
public enum ServiceMain {
    /// Runs the service until it stops; called from a synchronous `main`. Swift concurrency is moved onto NIO's event
    /// loops first, so a request does not hop between two thread pools (on two cores those hops cost more than the
    /// work). That is only possible before the first task starts: in an `async main` it silently fails, and tasks ran on
    /// Dispatch's threads (perf, 2026-12-01). Process-wide, so only here.
    public static func run<App: ApplicationProtocol>(_ build: @escaping @Sendable (ConfigReader) async throws -> App) throws {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
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
}

import Configuration
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The body of every executable's `main`: read the configuration, choose the log backend, build and run.
public enum ServiceMain {
    public static func run<App: ApplicationProtocol>(_ build: @Sendable (ConfigReader) async throws -> App) async throws {
        // Swift concurrency runs on NIO's event loops, so a request no longer hops between two thread pools:
        // on a two-core machine those hops cost more than the work. Process-wide, so only here, in main.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let reader = try await ConfigReader.switchboard(defaults: [:])
        let level = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info
        // The only place a log backend is chosen: tests and libraries never bootstrap.
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let app = try await build(reader)
        try await app.runService()
    }
}

// swift-tools-version:6.2
import PackageDescription

/// One list of compiler settings for every target (STYLE.md #1, #14).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// How release executables are linked. lld with packed relative relocations (150 000 RELA entries become
/// 30 KB of RELR) and without exporting every symbol (1.3 MB of dynamic symbol table nobody looks up);
/// and the functions that start-up, the first requests and idling run (`linker/function-order.txt`,
/// written by `scripts/order-functions`) laid out together, so the code an idle process keeps mapped is a few
/// contiguous megabytes instead of scattered 64 KB fault-around windows. Decision 63.
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/linker/function-order.txt",
            "-Xlinker", "--no-warn-symbol-ordering",
        ],
        .when(configuration: .release)
    )
]

/// The services: executable name, folder under `Services/`, and module name.
let services: [(executable: String, folder: String, extra: [Target.Dependency])] = [
    ("conversation", "Conversation", ["Allocation", .product(name: "CSV", package: "CSV.swift")]),
    ("livechat-config", "LiveChatConfig", ["Conditions", "Allocation"]),
    ("outreach-contact", "OutreachContact", ["Carriers", .product(name: "CSV", package: "CSV.swift")]),
    ("chatwoot-groups", "ChatwootGroups", [.product(name: "HummingbirdWebSocket", package: "hummingbird-websocket")]),
    ("sinch-cmi", "SinchCMI", [.product(name: "XMLCoder", package: "XMLCoder")]),
    ("gateway", "Gateway", [.product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"), .product(name: "NIOHTTP1", package: "swift-nio")]),
]

let serviceKitDependencies: [Target.Dependency] = [
    "WireModels", "Conditions", "ConcurrencyHook",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "Configuration", package: "swift-configuration"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "Metrics", package: "swift-metrics"),
    .product(name: "Prometheus", package: "swift-prometheus"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "SQLKit", package: "sql-kit"),
    .product(name: "SQLiteKit", package: "sqlite-kit"),
    .product(name: "PostgresKit", package: "postgres-kit"),
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "CryptoExtras", package: "swift-crypto"),
    .product(name: "Atomics", package: "swift-atomics"),
    // The SMTP client's connections (Mail/SMTPClient.swift).
    .product(name: "NIOPosix", package: "swift-nio"),
]

/// What every service executable imports beside ServiceKit.
let serviceDependencies: [Target.Dependency] = [
    "ServiceKit", "WireModels",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "Configuration", package: "swift-configuration"),
    .product(name: "SQLKit", package: "sql-kit"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "Prometheus", package: "swift-prometheus"),
    .product(name: "Atomics", package: "swift-atomics"),
]

/// What every test target imports beside what it tests.
let testDependencies: [Target.Dependency] = [
    "ServiceKit", "TestSupport", "WireModels",
    .product(name: "HummingbirdTesting", package: "hummingbird"),
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "Configuration", package: "swift-configuration"),
    .product(name: "SQLKit", package: "sql-kit"),
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "Atomics", package: "swift-atomics"),
    .product(name: "Prometheus", package: "swift-prometheus"),
]

/// What a service's test target imports beside the service: outreach-contact's tests send through the Sandbox.
/// chatwoot-groups' tests listen on `/cable` as Chatwoot's dashboard does, with a websocket client.
let serviceTestExtras: [String: [Target.Dependency]] = [
    "OutreachContact": ["Sandbox", "Carriers"],
    "ChatwootGroups": [
        .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
    ],
    // The gateway's tests splice a websocket through it to a websocket upstream.
    "Gateway": [
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
    ],
]

/// Stamps out a service's executable target and its test target.
func serviceTargets(executable: String, folder: String, extra: [Target.Dependency]) -> [Target] {
    [
        .executableTarget(
            name: folder,
            dependencies: serviceDependencies + extra,
            path: "Services/\(folder)",
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),
        .testTarget(
            name: "\(folder)Tests",
            dependencies: [.byName(name: folder)] + (serviceTestExtras[folder] ?? []) + testDependencies,
            path: "Tests/\(folder)Tests",
            swiftSettings: swiftSettings
        ),
    ]
}

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: $0.executable, targets: [$0.folder]) } + [
        // scripts/bench's baseline: a bare Hummingbird route.
        .executable(name: "bench-bare-route", targets: ["BareRoute"]),
        // Twilio and Telnyx stand-ins for tests and laptop demos.
        .executable(name: "sandbox", targets: ["Sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // chatwoot-groups' realtime `/cable` (ActionCable over a websocket).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "CommandLineArguments"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.2"),
        // outreach-contact reads contact imports and writes templates and exports as CSV; conversation writes reports.
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // Tests only: validates every service's OpenAPI document as a standard OpenAPI 3.1 reader would.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
    ],
    targets: [
        // JSON Schemas derived from Decodable wire types, and the validator that checks bodies against them.
        .target(name: "WireSchema", path: "Shared/WireSchema", swiftSettings: swiftSettings),
        .testTarget(
            name: "WireSchemaTests", dependencies: ["WireSchema", "WireModels"], path: "Tests/WireSchemaTests", swiftSettings: swiftSettings),
        .target(name: "WireModels", dependencies: ["WireSchema"], path: "Shared/WireModels", swiftSettings: swiftSettings),
        // The conditions engine (all / any / logical expression), pure and shared by the Comm100-style services.
        .target(name: "Conditions", path: "Shared/Conditions", swiftSettings: swiftSettings),
        .testTarget(name: "ConditionsTests", dependencies: ["Conditions"], path: "Tests/ConditionsTests", swiftSettings: swiftSettings),
        // Who gets the next chat or conversation (load balancing, round robin, limits), shared by livechat-config and conversation.
        .target(name: "Allocation", path: "Shared/Allocation", swiftSettings: swiftSettings),
        // Sets Swift concurrency's global-enqueue hook, so services run their tasks on NIO's event loops (decision 18).
        .target(name: "ConcurrencyHook", path: "Shared/ConcurrencyHook"),
        .target(name: "ServiceKit", dependencies: serviceKitDependencies, path: "Shared/ServiceKit", swiftSettings: swiftSettings),
        // The carriers' wire protocols (Twilio Programmable Messaging, Telnyx Messaging v2): sends and signed status callbacks.
        .target(
            name: "Carriers",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/Carriers",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WireModelsTests",
            dependencies: ["WireModels"],
            path: "Tests/WireModelsTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: testDependencies,
            path: "Tests/ServiceKitTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: services.map { .byName(name: $0.folder) } + ["Sandbox", "Carriers"] + testDependencies
                + [.product(name: "OpenAPIKit", package: "OpenAPIKit")],
            path: "Tests/IntegrationTests",
            swiftSettings: swiftSettings
        ),
        // Our stand-ins for Twilio and Telnyx (their HTTP wire protocols), used by tests and scripts/run.
        .executableTarget(
            name: "Sandbox",
            dependencies: [
                "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Services/Sandbox",
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),
        .testTarget(
            name: "SandboxTests",
            dependencies: ["Sandbox", "Carriers", .product(name: "Crypto", package: "swift-crypto")] + testDependencies,
            path: "Tests/SandboxTests",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BareRoute",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/BareRoute",
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),
    ] + services.flatMap { serviceTargets(executable: $0.executable, folder: $0.folder, extra: $0.extra) }
)

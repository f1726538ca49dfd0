// swift-tools-version:6.2
import PackageDescription

/// Mailroom: a spool-driven SendGrid delivery worker.
///
/// Modules are split by concern (see docs/ARCHITECTURE.md): the registry knows nothing of HTTP,
/// the spool knows nothing of SendGrid, the sender knows nothing of files, and the worker is
/// the only place that ties them together.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "mailroom",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mailroom", targets: ["mailroom"]),
        // For Fuzz/, a separate package built with -sanitize=fuzzer (the main build never sees fuzzer flags).
        .library(name: "MailroomCore", targets: ["MailroomCore"]),
        .library(name: "Registry", targets: ["Registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Typed, non-variadic wrappers over libcurl (and libcrypto's SHA-256); nothing else.
        .target(
            name: "CCurlShim",
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("crypto")]
        ),
        // Shared value types: jobs, addresses, API keys, durations, exit statuses.
        .target(
            name: "MailroomCore",
            dependencies: ["CCurlShim"],
            swiftSettings: swiftSettings
        ),
        // The /integrations model, validation, file store and response shape.
        .target(
            name: "Registry",
            dependencies: ["MailroomCore"],
            swiftSettings: swiftSettings
        ),
        // Intake, claims, job states, recovery and streaming listing of the spool folder.
        .target(
            name: "Spool",
            dependencies: ["MailroomCore"],
            swiftSettings: swiftSettings
        ),
        // Payload building, the libcurl client and outcome classification.
        .target(
            name: "SendGrid",
            dependencies: ["MailroomCore", "CCurlShim"],
            swiftSettings: swiftSettings
        ),
        // The delivery loop, retry policy and delivery log.
        .target(
            name: "Worker",
            dependencies: [
                "MailroomCore", "Registry", "Spool", "SendGrid",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Prometheus /metrics, /healthz and /readyz for a running worker (Hummingbird), and the text and JSON
        // log handlers every command logs through.
        .target(
            name: "Observability",
            dependencies: [
                "MailroomCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The SendGrid emulator (Hummingbird).
        .target(
            name: "Sandbox",
            dependencies: [
                "MailroomCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The /integrations HTTP API (Hummingbird).
        .target(
            name: "AdminAPI",
            dependencies: [
                "MailroomCore", "Registry",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Argument parsing and wiring only.
        .executableTarget(
            name: "mailroom",
            dependencies: [
                "MailroomCore", "Registry", "Spool", "SendGrid", "Worker", "Sandbox", "AdminAPI", "Observability",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built binary, manages temporary homes and the sandbox, scans output for secrets.
        .target(
            name: "TestSupport",
            dependencies: ["MailroomCore"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MailroomCoreTests", dependencies: ["MailroomCore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SendGridTests", dependencies: ["SendGrid", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "SendGrid", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WorkerTests", dependencies: ["Worker", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ObservabilityTests", dependencies: ["Observability", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(name: "AdminAPITests", dependencies: ["AdminAPI", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "OpsTests", dependencies: ["TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReliabilityTests", dependencies: ["MailroomCore", "TestSupport"], swiftSettings: swiftSettings),
    ]
)

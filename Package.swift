// swift-tools-version:6.2
import PackageDescription

/// Mailroom: a spool-driven SendGrid delivery worker.
///
/// Linux only: the spool relies on `renameat2(RENAME_NOREPLACE)` and inotify, the worker on
/// `prctl(PR_SET_DUMPABLE)`, and the file layer on glibc (`import Glibc`). No other platform is built
/// or tested, so the package declares none: `platforms:` only sets minimum Apple OS versions.
///
/// Modules are split by concern (see docs/ARCHITECTURE.md): the registry knows nothing of HTTP,
/// the spool knows nothing of SendGrid, the sender knows nothing of files, and the worker is
/// the only place that ties them together.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "mailroom",
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
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // Typed, non-variadic wrappers over libcurl; nothing else.
        .target(
            name: "CCurlShim",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // The few variadic system calls Swift cannot call (prctl); no library to link.
        .target(name: "CSystemShim"),
        // gunzip for the sandbox's `Content-Encoding: gzip` bodies: zlib's inflateInit2 is a macro Swift cannot call.
        .target(
            name: "CZlibShim",
            linkerSettings: [.linkedLibrary("z")]
        ),
        // Shared value types: jobs, addresses, API keys, durations, exit statuses; the file layer.
        .target(
            name: "MailroomCore",
            dependencies: ["CSystemShim", .product(name: "Crypto", package: "swift-crypto")],
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
            dependencies: ["MailroomCore", "CCurlShim", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
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
                "MailroomCore", "CZlibShim",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            // The inbox page, compiled into the binary: no files to install, no build step.
            resources: [
                .embedInCode("Inbox/Assets/index.html"), .embedInCode("Inbox/Assets/inbox.js"), .embedInCode("Inbox/Assets/inbox.css"),
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
            name: "WorkerTests",
            dependencies: [
                "Worker", "Spool", "Registry", "SendGrid", "MailroomCore", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI", "Registry", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ObservabilityTests", dependencies: ["Observability", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .testTarget(name: "OpsTests", dependencies: ["TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReliabilityTests", dependencies: ["MailroomCore", "TestSupport"], swiftSettings: swiftSettings),
    ]
)

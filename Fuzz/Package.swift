// swift-tools-version:6.2
import Foundation
import PackageDescription

/// libFuzzer targets for Mailroom's parsers, in a package of their own so that the main build never sees
/// fuzzer flags. Build and run with `Fuzz/run.sh` (what `make soak` does):
///
/// ```sh
/// cd Fuzz && swift build -c release --scratch-path ../.build-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
/// ../.build-fuzz/release/FuzzJob corpus/job -max_total_time=60
/// ```

/// SwiftPM names a path dependency after its folder: whatever the clone is called, that is the main package.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "mailroom-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        // JobParser.parse: the job parser and validator (docs/job-format.md).
        .executableTarget(
            name: "FuzzJob",
            dependencies: [.product(name: "MailroomCore", package: mainPackage)]
        ),
        // The registry: create and update request bodies (docs/registry.md#requests) and the registry file itself.
        .executableTarget(
            name: "FuzzRegistry",
            dependencies: [
                .product(name: "Registry", package: mainPackage),
                .product(name: "MailroomCore", package: mainPackage),
            ]
        ),
    ]
)

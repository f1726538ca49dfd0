import Foundation
import Testing

/// Runs the built `mailroom` binary the way a user does, and checks every byte it printed for secrets.
public enum MailroomBinary {
    /// `MAILROOM_BIN` if set, else `mailroom` beside the test bundle in the build folder.
    public static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["MAILROOM_BIN"] { return explicit }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("mailroom").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/mailroom").standardized.path
        return fallback
    }()

    /// Runs `mailroom ARGS` to completion and scans its output for every registered secret.
    @discardableResult
    public static func run(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(120), sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProcessResult {
        let result = try ProcessRunner.run(path, arguments, stdin: stdin, environment: environment, timeout: timeout)
        SecretScanner.expectClean(result.output, context: "mailroom \(arguments.joined(separator: " "))", sourceLocation: sourceLocation)
        return result
    }
}

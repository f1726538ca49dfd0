import ArgumentParser
import Foundation
import MailroomCore
import NIOCore

/// The `mailroom` command: argument parsing and wiring only; the work happens in the library modules.
@main
struct Mailroom: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mailroom",
        abstract: "Delivers email jobs from a spool folder through SendGrid.",
        version: version,
        subcommands: [
            IntegrationsCommand.self,
            EnqueueCommand.self,
            RunCommand.self,
            StatusCommand.self,
            ListCommand.self,
            ShowCommand.self,
            RetryCommand.self,
            HoldCommand.self,
            ReleaseCommand.self,
            DeleteCommand.self,
            LogCommand.self,
            ServeCommand.self,
            SandboxCommand.self,
            DebugSpoolCommand.self,
        ]
    )

    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as any MailroomFailure {
            FileHandle.standardError.write(Data("mailroom: \(failure.description)\n".utf8))
            Foundation.exit(failure.exitStatus.rawValue)
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EACCES {
            // A listener (sandbox, serve, --metrics-listen) could not bind: the service is unavailable, not a crash.
            FileHandle.standardError.write(Data("mailroom: cannot listen: \(String(cString: strerror(error.errnoCode)))\n".utf8))
            Foundation.exit(ExitStatus.unavailable.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}

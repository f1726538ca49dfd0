import ArgumentParser
import Foundation
import MailroomCore
import Spool

/// `mailroom enqueue [FILE|-] [--id ID]`: validates a job and publishes it durably to the spool (docs/spool.md#publishing).
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Validate a job and publish it to the spool; prints its ID.",
        discussion: """
            The job is written to tmp/, fsynced, renamed into new/ and the folder fsynced. An invalid job is refused \
            with the field at fault (exit 65) and nothing is written. An ID already in the spool, or sent in the last \
            7 days, writes nothing and exits 0, so an app may safely retry.
            """
    )

    @OptionGroup var paths: PathOptions

    @Argument(help: "The job file, or - for stdin (the default).")
    var file: String = "-"

    @Option(help: "The job ID (default: a new time-sortable ID). \(JobID.rule).")
    var id: String?

    func run() async throws {
        let data = try read(file)
        switch try publish(data) {
        case .enqueued(let id):
            Output.line(id)
        case .duplicate(let id, let state):
            Output.note(
                state == .sent
                    ? "job \(id) was sent in the last 7 days; nothing written"
                    : "job \(id) is already in the spool (\(state.rawValue)); nothing written")
            Output.line(id)
        }
    }

    /// Publishes through the whole spool when this user may open it (the worker's user), else through
    /// `tmp/` and `new/` only: an application's user in the worker's group (docs/operators-guide.md).
    private func publish(_ data: Data) throws -> EnqueueResult {
        let spool: Spool
        do {
            spool = try SpoolAccess.open(paths)
        } catch let error as SpoolError where error.isPermissionDenied {
            return try SpoolIntake(root: paths.layout.spool).enqueue(data, id: id)
        }
        return try spool.enqueue(data, id: id)
    }

    /// The job's bytes; reads at most one byte more than the largest job, so a huge input is refused early.
    private func read(_ source: String) throws -> Data {
        let limit = Spool.maximumJobSize + 1
        let handle: FileHandle
        if source == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: source) else {
                let reason = FileManager.default.fileExists(atPath: source) ? "permission denied" : "no such file"
                throw PlainFailure(.noInput, "cannot read \(source): \(reason)")
            }
            handle = opened
        }
        var data = Data()
        while data.count < limit {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: min(1 << 20, limit - data.count)) ?? Data()
            } catch {
                var isFolder: ObjCBool = false
                let folder = source != "-" && FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) && isFolder.boolValue
                let reason = folder ? "it is a folder, not a job file" : (error as NSError).localizedFailureReason ?? "read error"
                throw PlainFailure(.ioError, "cannot read \(source == "-" ? "stdin" : source): \(reason)")
            }
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        return data
    }
}

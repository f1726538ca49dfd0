import Foundation
import MailroomCore

/// libFuzzer entry point: every input is parsed as a job file with `JobParser.parse`. Besides "no crash, no
/// hang, no sanitizer report", it checks what callers rely on: a refusal is one short line naming a field,
/// and an accepted job keeps docs/job-format.md's limits (1 to 1,000 recipients, no CR or LF where a header is made).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJob(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let now = Date(timeIntervalSince1970: 1_767_225_600)
    do {
        let job = try JobParser.parse(data, now: now)
        require(count <= JobParser.maximumSize, "accepted a file of \(count) bytes")
        require((1...1000).contains(job.recipientCount), "accepted \(job.recipientCount) recipients")
        require(!job.to.isEmpty, "accepted a job without to")
        require(job.templateID != nil || (job.subject != nil && (job.text != nil || job.html != nil)), "accepted a job without content")
        require(job.categories.count <= 10, "accepted \(job.categories.count) categories")
        let addresses = job.to + job.cc + job.bcc
        let lineFields: [String?] = [job.subject] + addresses.flatMap { [$0.email, $0.name] } + job.headers.values.map { $0 }
        for case let field? in lineFields {
            require(!field.contains("\r") && !field.contains("\n"), "accepted CR or LF in \(field.debugDescription)")
        }
    } catch {
        let text = error.description
        require(!error.field.isEmpty, "a refusal without a field: \(text)")
        require(!text.contains("\n") && !text.contains("\r"), "a refusal on several lines: \(text.debugDescription)")
        require(text.utf8.count < 500, "a refusal of \(text.utf8.count) bytes")
    }
    return 0
}

/// Stops the run (libFuzzer saves the input) when a promise is broken.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("FuzzJob: " + message()) }
}

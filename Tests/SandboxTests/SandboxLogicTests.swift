import Foundation
import NIOCore
import Testing

@testable import Sandbox

/// The small pure pieces behind the inbox and the shared-host hardening, without a process.
struct SandboxLogicTests {
    @Test func attachmentNamesLoseFoldersQuotesAndControlsButKeepTheExactNameForBrowsers() {
        #expect(AttachmentName.disposition("report.pdf") == #"attachment; filename="report.pdf"; filename*=UTF-8''report.pdf"#)
        #expect(AttachmentName.disposition("../../etc/passwd") == #"attachment; filename="passwd"; filename*=UTF-8''passwd"#)
        #expect(AttachmentName.disposition("a\"b\r\n.txt").hasPrefix(#"attachment; filename="a_b__.txt""#))
        #expect(AttachmentName.disposition("relatório.pdf") == #"attachment; filename="relat_rio.pdf"; filename*=UTF-8''relat%C3%B3rio.pdf"#)
        #expect(AttachmentName.disposition("").hasPrefix(#"attachment; filename="attachment""#))
    }

    @Test func attachmentTypesAreKeptOnlyWhenTheyAreAPlainMediaType() {
        #expect(MessagePartRoutes.mediaType("application/pdf") == "application/pdf")
        #expect(MessagePartRoutes.mediaType("Image/PNG") == "image/png")
        #expect(MessagePartRoutes.mediaType("text/html\r\nSet-Cookie: x") == "application/octet-stream")
        #expect(MessagePartRoutes.mediaType("pdf") == "application/octet-stream")
        #expect(MessagePartRoutes.mediaType(nil) == "application/octet-stream")
    }

    @Test func loopbackIsTold() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] { #expect(SandboxExposure.isLoopback(host), "\(host)") }
        for host in ["0.0.0.0", "::", "10.0.0.5", "192.0.2.1", "127.0.0.1.example.com", "example.com"] {
            #expect(!SandboxExposure.isLoopback(host), "\(host)")
        }
    }

    @Test func byteSizesParseWithBinarySuffixes() {
        #expect(SandboxExposure.parseBytes("256M") == 256 << 20)
        #expect(SandboxExposure.parseBytes("64k") == 64 << 10)
        #expect(SandboxExposure.parseBytes("1G") == 1 << 30)
        #expect(SandboxExposure.parseBytes("1000") == 1000)
        for bad in ["", "M", "1.5M", "-1", "1T", "99999999999999999999"] { #expect(SandboxExposure.parseBytes(bad) == nil, "\(bad)") }
    }

    @Test func onlyGzipIsAnEncoding() {
        #expect(ContentEncoding(nil) == .identity)
        #expect(ContentEncoding("gzip") == .gzip)
        #expect(ContentEncoding(" GZip ") == .gzip)
        #expect(ContentEncoding("br") == .unsupported)
        #expect(ContentEncoding("x-gzip") == .unsupported)
    }

    @Test func tokensMatchOnlyExactly() throws {
        let token = try #require(SandboxToken("s3cret-token"))
        #expect(token.matches("s3cret-token"))
        #expect(!token.matches("s3cret-toke"))
        #expect(!token.matches("s3cret-token2"))
        #expect(!token.matches(""))
        #expect(SandboxToken("") == nil)
        #expect("\(token)" == "<sandbox token>")
    }

    @Test func formFieldsDecodePercentAndPlus() {
        #expect(FormFields.value(of: "token", in: "a=1&token=x%2By+z") == "x+y z")
        #expect(FormFields.value(of: "token", in: "token=%zz") == nil)
        #expect(FormFields.value(of: "token", in: "tokens=1") == nil)
    }

    @Test func perKeyStatisticsStopGrowingAtTheirBound() {
        let stats = SandboxStats()
        for index in 0..<(SandboxStats.maximumKeys + 50) { stats.record(status: 202, keyFingerprint: "sha256:\(index)") }
        stats.record(status: 202, keyFingerprint: "sha256:0")
        let json = stats.json()
        #expect(json.contains("\"requests_by_key_overflow\":50"))
        #expect(json.contains("\"sha256:0\":2"))
        #expect(!json.contains("\"sha256:\(SandboxStats.maximumKeys)\""))
    }

    static func record(_ index: Int, padding: Int = 0) -> MessageRecord {
        let request =
            #"{"personalizations":[{"to":[{"email":"s\#(index)@example.com"}]}],"subject":"S\#(index)\#(String(repeating: " ", count: padding))"}"#
        var utf8 = Array(request.utf8)
        let tree = utf8.withUnsafeMutableBytes { raw in try? JSONParser.parse(UnsafeRawBufferPointer(raw)) }
        return MessageRecord(
            id: String(format: "%022d", index), receivedAtNanoseconds: index, keyFingerprint: nil, sandboxMode: false,
            recipients: ["s\(index)@example.com"], summary: MessageSummary(request: tree), requestJSON: request)
    }

    @Test func theStoreEvictsByBytesAndPagesNewestFirst() throws {
        let one = Self.record(0).byteCount
        let store = try MessageStore(folder: nil, capacity: 100, maximumBytes: one * 3 + one / 2)
        for index in 0..<10 { try store.add(Self.record(index)) }
        #expect(store.list(.init()).map(\.receivedAtNanoseconds) == [7, 8, 9])
        let first = try store.page(.init(), limit: 2, before: nil)
        #expect(first.records.map(\.receivedAtNanoseconds) == [9, 8])
        let second = try store.page(.init(), limit: 2, before: first.nextBefore)
        #expect(second.records.map(\.receivedAtNanoseconds) == [7])
        #expect(second.nextBefore == nil)
        #expect(throws: MessageStore.UnknownCursor.self) { try store.page(.init(), limit: 2, before: Self.record(0).id) }
        #expect(store.census().bytes == one * 3)
    }

    @Test func aSingleRecordLargerThanTheBudgetIsStillKeptUntilTheNextArrives() throws {
        let store = try MessageStore(folder: nil, capacity: 100, maximumBytes: 10)
        try store.add(Self.record(1, padding: 100))
        #expect(store.list(.init()).count == 1)
        try store.add(Self.record(2))
        #expect(store.list(.init()).map(\.receivedAtNanoseconds) == [2])
    }

    @Test func searchNeedsEveryWordInAnAddressTheSubjectOrTheTemplate() {
        let record = Self.record(3)
        #expect(record.matches(search: "s3@example.com"))
        #expect(record.matches(search: "s3 example"))
        #expect(record.matches(search: "s3"), "the subject is S3")
        #expect(!record.matches(search: "s3 missing"))
    }

    @Test func gunzipStopsAtTheLimit() throws {
        // "hello\n" gzipped (gzip -n): 26 bytes.
        let hello: [UInt8] = [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36,
            0x06, 0x00, 0x00, 0x00,
        ]
        guard case .inflated(let out) = GzipBody.inflate(.init(bytes: hello), limit: 6) else {
            Issue.record("six bytes fit a six-byte limit")
            return
        }
        #expect(String(buffer: out) == "hello\n")
        guard case .tooLarge = GzipBody.inflate(.init(bytes: hello), limit: 5) else {
            Issue.record("six bytes do not fit five")
            return
        }
        guard case .badData = GzipBody.inflate(.init(bytes: hello + [0]), limit: 100) else {
            Issue.record("trailing bytes after the stream are refused")
            return
        }
        guard case .badData = GzipBody.inflate(.init(bytes: Array(hello.prefix(20))), limit: 100) else {
            Issue.record("a truncated stream is refused")
            return
        }
    }
}

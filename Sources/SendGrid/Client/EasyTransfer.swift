internal import CCurlShim
import Foundation
import MailroomCore

/// One pooled curl easy handle and the state of the transfer it is running.
///
/// Created once, configured once with everything that never changes (URL, timeouts, safety
/// options, callbacks), then reused for request after request: only the body and the header
/// list are set per request. Confined to the curl thread; never shared.
final class EasyTransfer {
    let handle: UnsafeMutableRawPointer
    /// The request this handle is running, nil while idle.
    var request: PendingRequest?
    /// The API's host, for errors that must say which endpoint failed (a certificate, say).
    let host: String

    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var bodyBuffer: UnsafeMutableRawPointer?
    private var bodyCapacity = 0
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var answer = HTTPAnswer(status: 0)

    /// Bodies above this size are not kept for reuse once sent, so one large attachment does not
    /// pin its memory in every pooled handle.
    private static let retainedBodyCapacity = 256 * 1024
    /// Longest header value kept (X-Message-Id is 22 characters; dates are ~30).
    private static let maximumHeaderValue = 1024

    init(url: String, configuration: SendGridClientConfiguration) throws(SendGridClientError) {
        guard let handle = curl_easy_init() else { throw SendGridClientError(field: "libcurl", "curl_easy_init failed") }
        self.handle = handle
        host = URLComponents(string: url)?.host ?? url
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        let context = Unmanaged.passUnretained(self).toOpaque()
        var results = [
            mr_easy_setopt_string(handle, CURLOPT_URL, url),
            // The key goes only to a peer whose certificate and name check out, over TLS 1.2 or newer.
            mr_easy_require_verified_tls(handle),
            mr_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            mr_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds),
            mr_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, configuration.totalTimeout.curlMilliseconds),
            // The key goes to the configured URL and nowhere else: no redirects, no other schemes.
            mr_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            mr_easy_setopt_long(handle, CURLOPT_UNRESTRICTED_AUTH, 0),
            mr_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, url.lowercased().hasPrefix("https:") ? "https" : "http"),
            mr_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https"),
            mr_easy_setopt_long(handle, CURLOPT_VERBOSE, 0),
            mr_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1),
            mr_easy_setopt_long(handle, CURLOPT_POST, 1),
            mr_easy_setopt_string(handle, CURLOPT_USERAGENT, "mailroom/1"),
            mr_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
            mr_easy_setopt_pointer(handle, CURLOPT_PRIVATE, context),
            mr_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
            mr_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
            mr_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
                return size * count
            },
            mr_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                let transfer = Unmanaged<EasyTransfer>.fromOpaque(context).takeUnretainedValue()
                transfer.receiveHeader(UnsafeRawBufferPointer(start: buffer, count: size * count))
                return size * count
            },
        ]
        if let caFile = configuration.caFile {
            results.append(mr_easy_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        if let failed = results.first(where: { $0 != CURLE_OK }) {
            // Every stored property is set by now, so throwing releases this object and `deinit` frees the
            // handle and the buffers, once. Freeing them here as well would free them twice.
            let text = String(cString: curl_easy_strerror(failed))
            throw SendGridClientError(field: "libcurl", "cannot configure a transfer: \(text)")
        }
    }

    /// The one place the handle and the buffers are freed, whether the transfer served for hours or its
    /// initializer failed. The header list goes first: releasing it detaches it from the handle.
    deinit {
        releaseHeaders()
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
        bodyBuffer?.deallocate()
    }

    /// Recovers the transfer from a handle curl reports as done.
    static func from(handle: UnsafeMutableRawPointer) -> EasyTransfer? {
        var context: UnsafeMutableRawPointer?
        guard mr_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &context) == CURLE_OK, let context else { return nil }
        return Unmanaged<EasyTransfer>.fromOpaque(context).takeUnretainedValue()
    }

    /// Sets the per-request options for `request`. Returns false (and leaves the request with
    /// the caller) when curl refuses them, which only happens when memory runs out.
    func prepare(_ request: PendingRequest) -> Bool {
        answer = HTTPAnswer(status: 0)
        errorBuffer[0] = 0
        let size = request.body.count
        if bodyCapacity < max(size, 1) {
            bodyBuffer?.deallocate()
            bodyCapacity = max(size, 1024)
            bodyBuffer = .allocate(byteCount: bodyCapacity, alignment: 1)
        }
        guard let bodyBuffer else { return false }
        request.body.copyBytes(to: bodyBuffer.assumingMemoryBound(to: UInt8.self), count: size)

        var list: UnsafeMutablePointer<curl_slist>?
        for line in ["Content-Type: application/json", "Accept: application/json", "Expect:", "Authorization: Bearer \(request.key.secret)"] {
            guard let extended = curl_slist_append(list, line) else {
                mr_slist_free_wiping(list)
                return false
            }
            list = extended
        }
        headerList = list
        let results = [
            mr_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list),
            mr_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(size)),
            mr_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, bodyBuffer),
        ]
        guard results.allSatisfy({ $0 == CURLE_OK }) else {
            releaseHeaders()
            return false
        }
        self.request = request
        return true
    }

    /// The outcome of the finished transfer, given curl's result code.
    func outcome(result: CURLcode, now: Date) -> SendOutcome {
        guard result == CURLE_OK else {
            let buffered = String(cString: errorBuffer)
            let text = buffered.isEmpty ? String(cString: curl_easy_strerror(result)) : buffered
            return OutcomeClassifier.transportFailure(code: Int(result.rawValue), text: text, host: host)
        }
        var status = 0
        _ = mr_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        answer.status = status
        return OutcomeClassifier.classify(answer, now: now, redacting: request?.key.secret ?? "")
    }

    /// Forgets the finished request: wipes and frees the header list (it held the key) and
    /// drops a large body buffer. The handle keeps its connection cache and options.
    func recycle() {
        request = nil
        releaseHeaders()
        answer = HTTPAnswer(status: 0)
        _ = mr_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
        if bodyCapacity > Self.retainedBodyCapacity {
            bodyBuffer?.deallocate()
            bodyBuffer = nil
            bodyCapacity = 0
        }
    }

    private func releaseHeaders() {
        guard let list = headerList else { return }
        _ = mr_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
        mr_slist_free_wiping(list)
        headerList = nil
    }

    // MARK: - Callbacks (on the curl thread, inside curl_multi_perform)

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        let room = HTTPAnswer.maximumBodySize - answer.body.count
        if room > 0 { answer.body.append(contentsOf: bytes.prefix(room)) }
    }

    /// One header line. A status line starts a new response (an interim `100 Continue`, or a
    /// proxy's `200 Connection established`), so only the final response's headers remain.
    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        if bytes.starts(with: "HTTP/".utf8) {
            answer = HTTPAnswer(status: 0)
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = bytes[..<colon]
        // Compared as bytes: most lines are headers nobody reads, and this runs for every one of them.
        guard let header = CapturedHeader.allCases.first(where: { $0.matches(name) }) else { return }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        var raw = bytes[(colon + 1)...]
        while let first = raw.first, isSpace(first) { raw = raw.dropFirst() }
        while let last = raw.last, isSpace(last) { raw = raw.dropLast() }
        let value = String(decoding: raw.prefix(Self.maximumHeaderValue), as: UTF8.self)
        switch header {
        case .messageID: answer.messageID = value
        case .retryAfter: answer.retryAfter = value
        case .rateLimitReset: answer.rateLimitReset = value
        case .location: answer.location = value
        }
    }
}

/// The response headers the outcome depends on.
private enum CapturedHeader: CaseIterable {
    case messageID, retryAfter, rateLimitReset, location

    private static let names: [CapturedHeader: [UInt8]] = [
        .messageID: Array("x-message-id".utf8), .retryAfter: Array("retry-after".utf8),
        .rateLimitReset: Array("x-ratelimit-reset".utf8), .location: Array("location".utf8),
    ]

    /// Whether `name` is this header's name, ignoring ASCII case.
    func matches(_ name: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard let expected = Self.names[self], expected.count == name.count else { return false }
        return zip(name, expected).allSatisfy { byte, lower in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == lower
        }
    }
}

@available(*, unavailable)
extension EasyTransfer: Sendable {}

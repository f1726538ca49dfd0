/// A `HOST:PORT` to listen on, as `--listen` takes it (`127.0.0.1:8080`; port 0 picks a free one).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; a bad value is a usage error (exit 64) quoting it.
    public init(parsing text: String, flag: String = "--listen") throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port),
            colon > text.startIndex
        else {
            throw PlainFailure(.usage, "\(flag) \(text): expected HOST:PORT, such as 127.0.0.1:8080")
        }
        self.init(host: String(text[..<colon]), port: port)
    }

    public var description: String { "\(host):\(port)" }
}

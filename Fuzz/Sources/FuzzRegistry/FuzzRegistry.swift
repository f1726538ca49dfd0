import Foundation
import MailroomCore
import Registry

/// libFuzzer entry point for the registry: each input is tried as a create request body, as an update request
/// body (on a registry holding one config), and as the registry file itself, through `RegistryStore`, the
/// entry point the CLI and the admin API share. Besides "no crash, no hang", it checks that an error is one
/// line and never echoes a key-shaped value from the input (docs/registry.md: an error never quotes a key).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegistry(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let keys = keyShapedValues(in: data)

    // A create request: parsed and checked before the store touches the disk; a valid one is written to a
    // fresh file so the registry stays small.
    FuzzFiles.reset()
    do {
        _ = try FuzzFiles.store.create(request: data)
    } catch {
        check(error, keys: keys)
    }

    // An update request, against a registry that holds config 1.
    FuzzFiles.reset(withConfig: true)
    do {
        _ = try FuzzFiles.store.update(id: 1, request: data)
    } catch {
        check(error, keys: keys)
    }

    // The registry file itself, as `load()` reads it (every worker start and reload).
    FuzzFiles.write(data)
    do {
        _ = try FuzzFiles.store.load()
    } catch {
        check(error, keys: keys)
    }
    return 0
}

func check(_ error: RegistryError, keys: [String]) {
    let text = error.description
    require(!text.contains("\n") && !text.contains("\r"), "an error on several lines: \(text.debugDescription)")
    for key in keys {
        require(!text.contains(key), "an error echoes a key-shaped value from the input: \(text)")
    }
}

/// Every `SG.` followed by 20 or more key characters in the input: what must never come back out.
func keyShapedValues(in data: Data) -> [String] {
    let text = String(decoding: data, as: UTF8.self)
    var found: [String] = []
    var rest = text[...]
    while let start = rest.range(of: "SG.") {
        let tail = rest[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
        if tail.count >= 20 { found.append("SG." + tail.prefix(20)) }
        rest = rest[start.upperBound...]
    }
    return found
}

/// The registry file the fuzzer works on, in a private folder (in /dev/shm when there is one).
enum FuzzFiles {
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/mailroom-fuzz-registry-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
    static let path = folder + "/registry.json"
    static let store = RegistryStore(path: path)

    static let oneConfig = Data(
        #"""
        {"next_id": 2, "integrations": [{"id": 1, "integration": 4, "status": "active",
          "data": {"environment": "stage", "api_key": "env:FUZZ_KEY", "from_email": "a@example.com", "from_name": "A"},
          "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}]}
        """#.utf8)

    static func reset(withConfig: Bool = false) {
        if withConfig { write(oneConfig) } else { unlink(path) }
    }

    static func write(_ data: Data) {
        _ = FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    }
}

/// Stops the run (libFuzzer saves the input) when a promise is broken.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("FuzzRegistry: " + message()) }
}

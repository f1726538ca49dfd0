import Foundation
import MailroomCore

/// The registry file (docs/registry.md#the-file) and every change to it. The CLI and the HTTP API both call
/// these methods, so validation, storage and ids behave the same whichever way a change arrives.
///
/// Each change is one read-modify-write under an exclusive `flock` on `PATH.lock`, written to a
/// temporary file in the same folder, flushed, renamed over the registry and the folder flushed:
/// concurrent writers (processes or requests) never lose an update, and readers never see half a file.
public struct RegistryStore: Sendable {
    public let path: String
    /// The folders a new or changed `file:` key reference may point into; others are refused.
    public let keyDirectories: KeyDirectories
    private let cache = RegistryFileCache()

    public init(path: String, keyDirectories: KeyDirectories = .configured()) {
        self.path = path
        self.keyDirectories = keyDirectories
    }

    /// The lock file beside the registry.
    public var lockPath: String { path + ".lock" }

    /// Every config, in id order. A missing file is an empty registry.
    public func load() throws(RegistryError) -> [IntegrationConfig] {
        try read().configs
    }

    /// The config with `id`.
    public func config(id: Int) throws(RegistryError) -> IntegrationConfig {
        guard let config = try load().first(where: { $0.id == id }) else { throw .unknownID(id) }
        return config
    }

    /// Checks a create request (`{"integration": 4, "data": {...}}`) and stores it under a new id.
    @discardableResult
    public func create(request: Data) throws(RegistryError) -> IntegrationConfig {
        let request = try CreateRequest(json: request)
        try permit(request.apiKey)
        return try change { file throws(RegistryError) in
            let now = Timestamps.now()
            let config = IntegrationConfig(
                id: file.nextID, status: request.status, environment: request.environment, apiKey: request.apiKey,
                fromEmail: request.fromEmail, fromName: request.fromName, createdAt: now, updatedAt: now)
            file.nextID += 1
            file.configs.append(config)
            return config
        }
    }

    /// Checks an update request (`{"data": {...}, "status": ...}`) and applies it to config `id`.
    @discardableResult
    public func update(id: Int, request: Data) throws(RegistryError) -> IntegrationConfig {
        let request = try UpdateRequest(json: request)
        if let key = request.fields.apiKey { try permit(key) }
        return try change { file throws(RegistryError) in
            try file.replace(id: id) { request.applied(to: $0, now: Timestamps.now()) }
        }
    }

    /// Activates or deactivates config `id`.
    @discardableResult
    public func setStatus(id: Int, _ status: IntegrationStatus) throws(RegistryError) -> IntegrationConfig {
        try change { file throws(RegistryError) in
            try file.replace(id: id) { config in
                var changed = config
                changed.status = status
                changed.updatedAt = Timestamps.now()
                return changed
            }
        }
    }

    /// Removes config `id` and returns what it was. Its id is not given out again.
    @discardableResult
    public func remove(id: Int) throws(RegistryError) -> IntegrationConfig {
        try change { file throws(RegistryError) in
            guard let index = file.configs.firstIndex(where: { $0.id == id }) else { throw .unknownID(id) }
            return file.configs.remove(at: index)
        }
    }

    /// Refuses a `file:` reference outside the allowed folders, naming the path and the folders.
    /// Checked when a config is written, so the admin API cannot aim a key at any file on the machine;
    /// the worker checks again when it resolves the key, since links and folders change.
    private func permit(_ key: KeyReference) throws(RegistryError) {
        guard case .file(let path) = key, case .failure(let refusal) = keyDirectories.check(path) else { return }
        throw .invalid(field: "data.api_key", message: refusal.description)
    }

    private func read() throws(RegistryError) -> RegistryFile {
        let data: Data?
        do {
            data = try PosixFile.readIfPresent(path)
        } catch {
            throw .io(path: path, detail: "cannot read: \(error.message)")
        }
        guard let data else { return RegistryFile() }
        return try cache.parse(data, path: path)
    }

    /// Runs `body` on the current file under the lock and writes the result back atomically.
    private func change<T>(_ body: (inout RegistryFile) throws(RegistryError) -> T) throws(RegistryError) -> T {
        try createFolder()
        return try FileLock.withExclusiveLock(on: lockPath) { () throws(RegistryError) -> T in
            var file = try read()
            let result = try body(&file)
            let data = file.encoded()
            // Under the lock: any temporary file here is a killed writer's copy of the keys.
            PosixFile.removeStaleTemporaries(beside: path, olderThan: 0)
            do throws(PosixFile.Failure) {
                try PosixFile.writeAtomically(data, to: path)
            } catch {
                throw .io(path: path, detail: "cannot write: \(error.message)")
            }
            cache.remember(data, as: file)
            return result
        }
    }

    private func createFolder() throws(RegistryError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw .io(path: path, detail: "\(folder) is a file, not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(path: path, detail: "cannot create folder \(folder): \((error as NSError).localizedDescription)")
        }
    }
}

extension RegistryFile {
    /// Replaces config `id` with `transform` of it and returns the new value.
    mutating func replace(id: Int, _ transform: (IntegrationConfig) -> IntegrationConfig) throws(RegistryError) -> IntegrationConfig {
        guard let index = configs.firstIndex(where: { $0.id == id }) else { throw .unknownID(id) }
        configs[index] = transform(configs[index])
        return configs[index]
    }
}

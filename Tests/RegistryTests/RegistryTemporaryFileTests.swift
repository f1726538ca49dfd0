import Foundation
import Registry
import TestSupport
import Testing

/// The registry's temporary file has a name nobody can predict and is made with `O_EXCL`, so nothing planted
/// beside the registry is written through; copies a killed writer left (they hold keys) do not pile up.
@Suite struct RegistryTemporaryFileTests {
    func names(_ home: TemporaryHome) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.path)) ?? []).sorted()
    }

    @Test func aSymlinkPlantedAtTheOldFixedTemporaryNameIsNeitherFollowedNorInTheWay() throws {
        let home = TemporaryHome()
        let outside = TemporaryHome()
        let target = try outside.write("target", "untouched")
        #expect(symlink(target, home.path + "/.registry.json.tmp") == 0)
        let store = RegistryStore(path: home.registry)
        try store.create(request: Requests.create(key: TestKeys.make()))
        #expect(try store.load().count == 1)
        #expect(outside.read("target") == "untouched")
        var info = stat()
        #expect(lstat(home.path + "/.registry.json.tmp", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the planted link is left alone")
        #expect(names(home) == [".registry.json.tmp", "registry.json", "registry.json.lock"], "no temporary file is left behind")
        var stored = stat()
        #expect(stat(home.registry, &stored) == 0 && stored.st_mode & 0o777 == 0o600)
    }

    /// Every writer holds the lock while its temporary file exists, so one found under the lock is a killed
    /// writer's copy of the keys, however young.
    @Test func temporaryFilesAKilledWriterLeftAreRemovedByTheNextWrite() throws {
        let home = TemporaryHome()
        let store = RegistryStore(path: home.registry)
        try store.create(request: Requests.create(key: TestKeys.make()))
        let old = try home.write(".registry.json.0123456789abcdef.tmp", "a copy of the keys")
        var aWhileAgo = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, old, &aWhileAgo, 0) == 0)
        let young = try home.write(".registry.json.fedcba9876543210.tmp", "killed a moment ago")
        let unrelated = try home.write(".other.json.0123456789abcdef.tmp", "not ours")

        try store.create(request: Requests.create(key: TestKeys.make()))
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(!FileManager.default.fileExists(atPath: young))
        #expect(FileManager.default.fileExists(atPath: unrelated), "only the registry's own temporary files are removed")
    }
}

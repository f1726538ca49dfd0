import Foundation
import MailroomCore
import Registry
import TestSupport
import Testing

/// `file:` key references are read without ever blocking or reading much: a FIFO, a device and a huge
/// file are refused with an error that names the reference and never the content; and only files
/// that really lie in the allowed folders are read.
@Suite struct KeyFileBoundsTests {
    /// The environment a worker would have with `folders` allowed.
    func allowing(_ folders: String...) -> [String: String] {
        [KeyDirectories.variable: folders.joined(separator: ":")]
    }

    func refusal(_ reference: KeyReference, _ environment: [String: String]) -> String {
        let error = #expect(throws: RegistryError.self) { try reference.resolve(environment: environment) }
        let text = error?.description ?? ""
        #expect(error?.exitStatus == .configuration)
        #expect(text.contains(reference.description), "the error names the reference: \(text)")
        SecretScanner.expectClean(text, context: "a key file error")
        return text
    }

    @Test(.timeLimit(.minutes(1)))
    func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let home = TemporaryHome()
        #expect(mkfifo(home.path + "/key.fifo", 0o600) == 0)
        let text = refusal(.file(home.path + "/key.fifo"), allowing(home.path))
        #expect(text.contains("is a FIFO, not a regular file"), "\(text)")
    }

    @Test func aDeviceIsRefusedWithoutReadingIt() throws {
        let text = refusal(.file("/dev/zero"), allowing("/dev"))
        #expect(text.contains("is a character device, not a regular file"), "\(text)")
    }

    @Test func aOneGibibyteFileIsRefusedWithoutReadingIt() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let path = try home.write("huge.key", key + "\n")
        let fd = open(path, O_WRONLY)
        #expect(ftruncate(fd, 1 << 30) == 0)
        close(fd)
        let start = ContinuousClock.now
        let text = refusal(.file(path), allowing(home.path))
        #expect(text.contains("holds at least 1073741824 bytes, more than a key file may (4096); not read"), "\(text)")
        #expect(ContinuousClock.now - start < .seconds(1), "the file was read")
    }

    @Test func aKeyFileOfFourKibibytesIsReadAndOneByteMoreIsNot() throws {
        let home = TemporaryHome()
        let key = TestKeys.make()
        let fits = try home.write("fits.key", key + String(repeating: "\n", count: 4096 - key.utf8.count))
        #expect(try KeyReference.file(fits).resolve(environment: allowing(home.path)) == APIKey(key))
        let over = try home.write("over.key", key + String(repeating: "\n", count: 4097 - key.utf8.count))
        #expect(refusal(.file(over), allowing(home.path)).contains("more than a key file may"))
    }

    @Test func aMissingFileSaysSo() throws {
        let home = TemporaryHome()
        let text = refusal(.file(home.path + "/absent.key"), allowing(home.path))
        #expect(text.contains("cannot read \(home.path)/absent.key: No such file or directory"), "\(text)")
    }

    @Test func aSymlinkToAKeyInsideTheAllowedFoldersIsFollowed() throws {
        // Mounted secrets (Kubernetes, systemd credentials) are symlinks into a data folder.
        let home = TemporaryHome()
        let key = TestKeys.make()
        let target = try home.write("secrets/..data/sendgrid", key)
        #expect(symlink(target, home.path + "/secrets/sendgrid") == 0)
        #expect(try KeyReference.file(home.path + "/secrets/sendgrid").resolve(environment: allowing(home.path + "/secrets")) == APIKey(key))
    }

    /// Found by FuzzRegistry: a key pasted where its path belongs must not come back in the refusal.
    @Test func aPathThatHoldsAKeyIsNeverEchoed() throws {
        let allowed = TemporaryHome()
        let key = TestKeys.make()
        for reference in [KeyReference.file("/etc/mail" + key + "/sendgrid.key"), .file(key)] {
            let error = #expect(throws: RegistryError.self) { try reference.resolve(environment: allowing(allowed.path)) }
            let text = error?.description ?? ""
            #expect(text.contains("not shown") && !text.contains("SG."), "\(text)")
            SecretScanner.expectClean(text, context: "a refused key path")
        }
        let request = #"{"integration": 4, "data": {"environment": "stage", "api_key": "file:/srv/\#(key)", "from_email": "s@e.com"}}"#
        let store = RegistryStore(path: allowed.path + "/registry.json", keyDirectories: KeyDirectories([allowed.path]))
        let refused = #expect(throws: RegistryError.self) { try store.create(request: Data(request.utf8)) }
        let refusedText = refused?.description ?? ""
        #expect(refusedText.contains("not shown") && !refusedText.contains("SG."), "\(refusedText)")
    }

    @Test func aPathLeadingOutOfTheAllowedFoldersIsRefused() throws {
        let allowed = TemporaryHome()
        let outside = TemporaryHome()
        let key = TestKeys.make()
        let secret = try outside.write("other.key", key)
        #expect(symlink(secret, allowed.path + "/link.key") == 0)
        let outsideName = (outside.path as NSString).lastPathComponent
        for reference in [
            KeyReference.file(secret), .file(allowed.path + "/link.key"), .file(allowed.path + "/../\(outsideName)/other.key"),
        ] {
            let text = refusal(reference, allowing(allowed.path))
            #expect(text.contains("is outside the folders allowed for key files (\(allowed.path))"), "\(text)")
            #expect(text.contains("--key-dir") && text.contains("MAILROOM_KEY_DIRS"), "the error says how to allow it: \(text)")
        }
    }

    @Test func flagsWinOverTheVariableWhichWinsOverTheDefaults() {
        let environment = ["HOME": "/home/mailroom", KeyDirectories.variable: "/srv/keys:/opt/keys"]
        #expect(KeyDirectories.configured(flags: ["/a"], environment: environment).folders == ["/a"])
        #expect(KeyDirectories.configured(environment: environment).folders == ["/srv/keys", "/opt/keys"])
        #expect(KeyDirectories.configured(environment: ["HOME": "/home/mailroom"]).folders == ["/home/mailroom", "/run/secrets", "/etc/mailroom"])
        #expect(
            KeyDirectories.configured(environment: ["HOME": "/home/mailroom", KeyDirectories.variable: ""]).folders == [
                "/home/mailroom", "/run/secrets", "/etc/mailroom",
            ])
    }

    @Test func theStoreRefusesToCreateOrChangeAReferenceOutsideTheAllowedFolders() throws {
        let home = TemporaryHome()
        let keys = TemporaryHome()
        let store = RegistryStore(path: home.registry, keyDirectories: KeyDirectories([keys.path]))
        let create = #expect(throws: RegistryError.self) {
            try store.create(request: Requests.create(key: "file:/etc/shadow"))
        }
        #expect(create?.field == "data.api_key")
        #expect(create?.description.contains("/etc/shadow is outside the folders allowed for key files (\(keys.path))") == true)
        let config = try store.create(request: Requests.create(key: "file:\(keys.path)/sendgrid.key"))
        let update = #expect(throws: RegistryError.self) {
            try store.update(id: config.id, request: Requests.update(data: ["changeKeys": true, "api_key": "file:\(keys.path)/../x.key"]))
        }
        #expect(update?.field == "data.api_key")
        #expect(try store.config(id: config.id).apiKey == .file("\(keys.path)/sendgrid.key"))
    }
}

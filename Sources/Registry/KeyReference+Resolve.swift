import Foundation
import MailroomCore

extension KeyReference {
    /// The key this reference stands for, read now. A worker calls this each time it loads the
    /// registry, so a rotated variable or file takes effect on the next reload.
    /// Errors name the reference (`env:SENDGRID_STAGE_KEY`), never the value found there.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(RegistryError) -> APIKey {
        switch self {
        case .literal(let key):
            return key
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw .unresolvedKey(reference: description, reason: "the variable \(name) is not set")
            }
            return try checked(value)
        case .file(let path):
            let data = try readKeyFile(path, allowed: KeyDirectories.configured(environment: environment))
            return try checked(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Most bytes a key file may hold. A SendGrid key is 69 characters: 4 KiB is far more than any key
    /// needs, and small enough that a wrong file (a log, a disk image) is refused before it is read.
    public static let maximumKeyFileSize = 4096

    /// The bytes of the key file at `path`, which must really lead into one of the `allowed` folders
    /// and be a regular file of at most 4 KiB. Errors name the path and what is wrong, never content.
    private func readKeyFile(_ path: String, allowed: KeyDirectories) throws(RegistryError) -> Data {
        let real: String
        switch allowed.check(path) {
        case .success(let resolved): real = resolved
        case .failure(let refusal): throw .unresolvedKey(reference: description, reason: refusal.description)
        }
        let shown = real == path ? path : "\(path) (it leads to \(real))"
        do {
            return try PosixFile.readBounded(real, limit: Self.maximumKeyFileSize)
        } catch {
            switch error {
            case .system(let failure):
                throw .unresolvedKey(reference: description, reason: "cannot read \(shown): \(failure.message)")
            case .notRegular(let kind):
                throw .unresolvedKey(reference: description, reason: "\(shown) is \(kind), not a regular file")
            case .tooLarge(let size):
                throw .unresolvedKey(
                    reference: description,
                    reason: "\(shown) holds at least \(size) bytes, more than a key file may (\(Self.maximumKeyFileSize)); not read")
            }
        }
    }

    private func checked(_ value: String) throws(RegistryError) -> APIKey {
        guard !value.isEmpty else { throw .unresolvedKey(reference: description, reason: "it is empty") }
        if let problem = Self.problem(withKey: value) {
            throw .unresolvedKey(reference: description, reason: "the key found there \(problem)")
        }
        return APIKey(value)
    }
}

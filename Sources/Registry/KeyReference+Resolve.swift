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
            let data: Data
            do {
                data = try PosixFile.read(path)
            } catch {
                throw .unresolvedKey(reference: description, reason: "cannot read \(path): \(error.message)")
            }
            return try checked(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
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

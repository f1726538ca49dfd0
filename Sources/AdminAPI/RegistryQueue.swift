import Dispatch
import Registry

/// Runs registry operations one at a time on a thread of their own. They block (file lock, fsync),
/// and the Swift concurrency pool must not be blocked; the file lock still orders them against
/// other processes such as `mailroom integrations add`.
struct RegistryQueue: Sendable {
    let store: RegistryStore
    private let queue = DispatchQueue(label: "mailroom.admin.registry")

    init(store: RegistryStore) {
        self.store = store
    }

    func run<T: Sendable>(_ work: @escaping @Sendable (RegistryStore) throws(RegistryError) -> T) async throws(AdminError) -> T {
        let store = self.store
        let result: Result<T, RegistryError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(RegistryError) -> T in try work(store) })
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw AdminError(error)
        }
    }
}

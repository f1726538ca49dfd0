import Dispatch
import Registry

/// Runs registry operations on threads of their own: they block (file lock, fsync, file reads), and
/// the Swift concurrency pool must not be blocked. Changes run one at a time on a serial queue (the
/// file lock still orders them against other processes such as `mailroom integrations add`); reads
/// need no lock, since the registry is only ever replaced by a rename, and run side by side.
struct RegistryQueue: Sendable {
    let store: RegistryStore
    private let writes = DispatchQueue(label: "mailroom.admin.registry-writes")
    private let reads = DispatchQueue(label: "mailroom.admin.registry-reads", attributes: .concurrent)

    init(store: RegistryStore) {
        self.store = store
    }

    /// Runs a change to the registry, after every change submitted before it.
    func write<T: Sendable>(_ work: @escaping @Sendable (RegistryStore) throws(RegistryError) -> T) async throws(AdminError) -> T {
        try await run(on: writes, work)
    }

    /// Runs a read of the registry.
    func read<T: Sendable>(_ work: @escaping @Sendable (RegistryStore) throws(RegistryError) -> T) async throws(AdminError) -> T {
        try await run(on: reads, work)
    }

    private func run<T: Sendable>(
        on queue: DispatchQueue, _ work: @escaping @Sendable (RegistryStore) throws(RegistryError) -> T
    ) async throws(AdminError) -> T {
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

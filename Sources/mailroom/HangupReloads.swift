import Logging
import ServiceLifecycle
import UnixSignals
import Worker

/// SIGHUP, as a service of the worker's group: reloads the registry and reopens the delivery log (after a
/// rotation), until the group shuts down.
struct HangupReloads: Service {
    let worker: DeliveryWorker
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            logger.info("SIGHUP: reloading the registry and reopening the delivery log")
            worker.reload()
        }
    }
}

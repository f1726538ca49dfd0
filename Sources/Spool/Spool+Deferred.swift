import Foundation
import Glibc

/// Deferred jobs come back when due; jobs a worker held come back when their integration can send again.
extension Spool {
    /// Moves every deferred job whose due time (its mtime) has passed back to ready, streaming `deferred/`.
    /// Returns how many moved. The same pass notes the next due time, which `nextDeferredDue` then returns
    /// without scanning again for a second.
    public func promoteDueDeferred(now: Date = Date()) throws -> Int {
        let started = Date()
        guard let stream = DirectoryStream(deferred) else { throw SpoolError.io("read", deferred.path, errno) }
        var promoted = 0
        var next: Date?
        while let (name, _) = stream.next() {
            guard !name.isHidden, let info = status(deferred, name.description) else { continue }
            let due = SystemCalls.modificationDate(info)
            if due > now {
                if next.map({ due < $0 }) ?? true { next = due }
                continue
            }
            do {
                try moveToReady(deferred, name, as: name, id: name.jobID ?? name.description)
                promoted += 1
            } catch {
                if status(deferred, name.description) != nil { throw error }
            }
        }
        if promoted > 0 { try new.sync() }
        deferredDue.withLock { $0 = DueCache.scanned(next, started: started, previous: $0) }
        return promoted
    }

    /// The earliest due time of a deferred job, or nil when none is deferred.
    public func nextDeferredDue() throws -> Date? {
        if let cached = deferredDue.withLock({ $0 }), Date().timeIntervalSince(cached.scannedAt) < 1 { return cached.next }
        let started = Date()
        guard let stream = DirectoryStream(deferred) else { throw SpoolError.io("read", deferred.path, errno) }
        var next: Date?
        while let (name, _) = stream.next() {
            guard !name.isHidden, let info = status(deferred, name.description) else { continue }
            let due = SystemCalls.modificationDate(info)
            if next.map({ due < $0 }) ?? true { next = due }
        }
        let cache = deferredDue.withLock { cache in
            cache = DueCache.scanned(next, started: started, previous: cache)
            return cache
        }
        return cache?.next
    }

    /// Moves the jobs a worker held for `integration` (0 or nil: jobs that named none) back to ready and
    /// returns their IDs. Jobs an operator held (`mailroom hold`) stay held.
    public func releaseHeld(integration: Int?) throws -> [String] {
        guard let folder = try? paused.child(String(integration ?? 0), create: false), let stream = DirectoryStream(folder) else { return [] }
        var released: [String] = []
        let now = Date()
        while let (name, _) = stream.next() {
            guard !name.isHidden else { continue }
            _ = name.withCString { SystemCalls.setModificationTime(folder.fd, $0, now) }
            do {
                try moveToReady(folder, name, as: name, id: name.jobID ?? name.description)
                released.append(name.jobID ?? name.description)
            } catch {
                if status(folder, name.description) != nil { throw error }
            }
        }
        if !released.isEmpty { try new.sync() }
        return released
    }
}

import Foundation
import Glibc

/// Deferred jobs come back when due; jobs a worker held come back when their integration can send again.
extension Spool {
    /// Moves every deferred job whose due time (see `dueDate(ofDeferred:)`) has passed back to ready, streaming `deferred/`.
    /// Returns how many moved. The same pass notes the next due time, which `nextDeferredDue` then returns
    /// without scanning again for a second.
    public func promoteDueDeferred(now: Date = Date()) throws -> Int {
        let started = Date()
        guard let stream = DirectoryStream(deferred) else { throw SpoolError.io("read", deferred.path, errno) }
        var promoted = 0
        var next: Date?
        while let (name, _) = stream.next() {
            guard !name.isHidden, let info = status(deferred, name.description) else { continue }
            let due = dueDate(ofDeferred: name, info)
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
            let due = dueDate(ofDeferred: name, info)
            if next.map({ due < $0 }) ?? true { next = due }
        }
        let cache = deferredDue.withLock { cache in
            cache = DueCache.scanned(next, started: started, previous: cache)
            return cache
        }
        return cache?.next
    }

    /// Moves the jobs a worker held for `integration` (0 or nil: jobs that named none) back to ready and
    /// returns their IDs. Jobs an operator held (`mailroom hold`) stay held. `announce` runs for each job
    /// before it moves (the worker logs `requeued` there, so the log never lags the spool); if it throws, that
    /// job stays held and the error is thrown.
    public func releaseHeld(integration: Int?, announce: (String) throws -> Void = { _ in }) throws -> [String] {
        try releaseHeld(integration: integration, limit: Int.max, announce: announce)
    }

    /// Like `releaseHeld(integration:announce:)`, for at most `limit` jobs (a probe of an unavailable
    /// integration releases one).
    public func releaseHeld(integration: Int?, limit: Int, announce: (String) throws -> Void = { _ in }) throws -> [String] {
        guard let folder = try? paused.child(String(integration ?? 0), create: false), let stream = DirectoryStream(folder) else { return [] }
        var released: [String] = []
        var failure: (any Error)?
        while failure == nil, released.count < limit, let (name, _) = stream.next() {
            guard !name.isHidden else { continue }
            let id = name.jobID ?? name.description
            do {
                try announce(id)
                try moveToReady(folder, name, as: name, id: id)
                released.append(id)
            } catch {
                if status(folder, name.description) != nil { failure = error }
            }
        }
        if !released.isEmpty { try new.sync() }
        if let failure { throw failure }
        return released
    }
}

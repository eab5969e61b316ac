import Foundation
import Synchronization

/// The writers still open, flushed at normal process exit.
final class OpenWriters: Sendable {
    static let shared: OpenWriters = {
        let registry = OpenWriters()
        atexit { OpenWriters.shared.flushAll() }
        return registry
    }()

    private struct Weak: Sendable { weak var writer: SummaryWriter? }
    private let writers = Mutex<[ObjectIdentifier: Weak]>([:])

    func add(_ writer: SummaryWriter) {
        writers.withLock { $0[ObjectIdentifier(writer)] = Weak(writer: writer) }
    }

    func remove(_ writer: SummaryWriter) {
        _ = writers.withLock { $0.removeValue(forKey: ObjectIdentifier(writer)) }
    }

    /// Flushes every open writer (outside the registry's lock).
    func flushAll() {
        let open = writers.withLock { $0.values.compactMap(\.writer) }
        for writer in open { writer.backgroundFlush() }
    }
}

import Foundation
import Synchronization

/// Work done on a thread of its own (the run scan, a generated file's content); `wait()` returns
/// its result or rethrows. The thread hands back only its Sendable result, behind a mutex.
final class Background<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, any Error>?>(nil)

    /// Starts `work` on a thread called `name`.
    init(name: String, _ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Blocks until the work has finished (later calls return the same result at once).
    func wait() throws -> Value {
        done.wait()
        done.signal()  // leave the semaphore open for the next call
        // Set before `done` was signalled.
        guard let outcome = result.withLock({ $0 }) else { preconditionFailure("no result after the work ended") }
        return try outcome.get()
    }
}

import Foundation
import Synchronization

/// Runs jobs `0..<count` on up to `workers` threads, each job once, and returns their results in
/// job order, whatever order they finished in. With one worker the jobs run on the caller's
/// thread, one after another. Once a job throws, no further job starts; the ones already running
/// finish (so whatever they write is complete), then the error of the earliest failed job is
/// thrown.
func runConcurrently<Value: Sendable>(
    count: Int, workers: Int, _ body: @escaping @Sendable (Int) throws -> Value
) throws -> [Value] {
    let threads = max(1, min(workers, count))
    if threads == 1 { return try (0..<count).map(body) }
    let queue = JobQueue<Value>(count: count)
    let finished = DispatchGroup()
    for n in 0..<threads {
        finished.enter()
        let thread = Thread {
            while let index = queue.take() {
                do {
                    queue.record(index, .success(try body(index)))
                } catch {
                    queue.record(index, .failure(error))
                }
            }
            finished.leave()
        }
        thread.name = "tbkit-job-\(n)"
        // The lab's training keeps its arrays on the heap, but a worker gets the main thread's
        // usual stack rather than a secondary thread's smaller default (512 KiB on macOS).
        thread.stackSize = 8 << 20
        thread.start()
    }
    finished.wait()
    return try queue.results()
}

/// The jobs not yet started and the outcomes so far, shared by the workers behind a lock.
private final class JobQueue<Value: Sendable>: Sendable {
    private struct State {
        var next = 0
        var failed = false
        var outcomes: [Result<Value, any Error>?]
    }
    private let count: Int
    private let state: Mutex<State>

    init(count: Int) {
        self.count = count
        state = Mutex(State(outcomes: Array(repeating: nil, count: count)))
    }

    /// The next job to run, or nil when none is left or one has failed.
    func take() -> Int? {
        state.withLock { s in
            guard !s.failed, s.next < count else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    func record(_ index: Int, _ outcome: Result<Value, any Error>) {
        state.withLock { s in
            s.outcomes[index] = outcome
            if case .failure = outcome { s.failed = true }
        }
    }

    /// Every job's value in order, or the error of the earliest job that failed. Jobs start in
    /// order, so the ones never started come after every started one, and after the failure
    /// that kept them from starting.
    func results() throws -> [Value] {
        try state.withLock { $0.outcomes }.compactMap { try $0?.get() }
    }
}

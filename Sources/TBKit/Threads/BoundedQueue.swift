import Dispatch
import Synchronization

/// A first-in first-out queue between two threads that holds at most `depth` elements: `put`
/// waits for room, `take` waits for an element. `stop()` makes every later `put` (and one waiting
/// now) return false without queueing or waiting, so a producer can be ended early.
package final class BoundedQueue<Element: Sendable>: Sendable {
    private struct State {
        var elements: [Element] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let free: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)
    private let depth: Int

    /// A queue of at most `depth` elements (at least one).
    package init(depth: Int) {
        self.depth = max(depth, 1)
        // Counted up from zero: libdispatch traps when a semaphore is freed below the value it
        // was made with, which a stopped queue can leave.
        free = DispatchSemaphore(value: 0)
        for _ in 0..<self.depth { free.signal() }
    }

    /// Waits for room, then queues `element`; false (nothing queued) once the queue is stopped.
    @discardableResult
    package func put(_ element: Element) -> Bool {
        // After a stop there may be no room left to wait for; `stop()` frees enough places for
        // the puts that passed this check before it.
        if state.withLock({ $0.stopped }) { return false }
        free.wait()
        let queued = state.withLock { s in
            guard !s.stopped else { return false }
            s.elements.append(element)
            return true
        }
        if queued { ready.signal() }
        return queued
    }

    /// Waits for the next element and takes it.
    package func take() -> Element {
        ready.wait()
        let element = state.withLock { $0.elements.removeFirst() }
        free.signal()
        return element
    }

    /// Refuses every later `put`, and wakes a `put` waiting for room.
    package func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0..<depth { free.signal() }
    }
}

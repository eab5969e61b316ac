import Foundation
import Synchronization
import Testing

@testable import TBKit

@Suite struct BoundedQueueTests {
    @Test func elementsComeOutInOrderAcrossThreadsWithAtMostDepthWaiting() {
        let queue = BoundedQueue<Int?>(depth: 2)
        let producer = Thread {
            for i in 0..<1_000 { queue.put(i) }
            queue.put(nil)
        }
        producer.start()
        var seen = [Int]()
        while let i = queue.take() { seen.append(i) }
        #expect(seen == Array(0..<1_000))
    }

    @Test func stopWakesAPutWaitingForRoomAndRefusesLaterOnes() {
        let queue = BoundedQueue<Int>(depth: 1)
        #expect(queue.put(1))
        let finished = DispatchSemaphore(value: 0)
        let refused = Mutex(false)
        let producer = Thread {
            let queued = queue.put(2)  // waits: the queue is full
            refused.withLock { $0 = !queued }
            finished.signal()
        }
        producer.start()
        Thread.sleep(forTimeInterval: 0.05)
        queue.stop()
        finished.wait()
        #expect(refused.withLock { $0 })
        #expect(!queue.put(3))
        #expect(queue.take() == 1)
    }
}

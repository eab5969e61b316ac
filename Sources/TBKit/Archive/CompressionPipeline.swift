import Foundation

/// Compresses and writes on a second thread while the caller keeps producing tar bytes, so
/// reading and hashing files overlaps with deflate (the slow part) on a two-core machine.
///
/// The caller's bytes are gathered into 1 MiB chunks; at most `depth` chunks wait in the queue,
/// so memory stays bounded. Invariant: exactly one thread (the caller) calls `write`/`finish`/
/// `cancel`; the worker alone touches the compressor and the output file until `finish` returns.
final class CompressionPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[UInt8]] = []
    private var closed = false
    private var workerDone = false
    private var failure: Error?
    private let depth: Int
    private let chunkSize: Int
    private var pending: [UInt8]
    private let compressor: GZipCompressor
    private let output: PosixFile

    /// Starts the worker thread that feeds `compressor` and writes to `output`.
    init(compressor: GZipCompressor, output: PosixFile, chunkSize: Int = 1 << 20, depth: Int = 4) {
        self.compressor = compressor
        self.output = output
        self.chunkSize = chunkSize
        self.depth = depth
        pending = []
        pending.reserveCapacity(chunkSize)
        let thread = Thread { [self] in work() }
        thread.name = "tbkit-archive-deflate"
        thread.start()
    }

    /// Queues bytes for compression; throws the worker's error if it has failed.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            let take = min(rest.count, chunkSize - pending.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if pending.count == chunkSize { try hand() }
        }
    }

    /// Flushes, ends the gzip stream, waits for the worker; throws its error if any.
    func finish() throws {
        try hand()
        close()
        if let failure { throw failure }
    }

    /// Stops the worker without finishing the stream (the output is then garbage).
    func cancel() {
        condition.lock()
        queue.removeAll()
        failure = failure ?? CancellationError()
        condition.unlock()
        close()
    }

    private func hand() throws {
        let chunk = pending
        pending = []
        pending.reserveCapacity(chunkSize)
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= depth && failure == nil { condition.wait() }
        if let failure { throw failure }
        if !chunk.isEmpty { queue.append(chunk) }
        condition.broadcast()
    }

    private func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !workerDone { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty || failure != nil {
                let shouldFinish = failure == nil
                condition.unlock()
                if shouldFinish {
                    do {
                        try compressor.finish { try output.write($0) }
                    } catch {
                        condition.lock()
                        failure = error
                        condition.unlock()
                    }
                }
                break
            }
            let chunk = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                try chunk.withUnsafeBytes { bytes in
                    try compressor.compress(bytes) { try output.write($0) }
                }
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                condition.broadcast()
                condition.unlock()
                break
            }
        }
        condition.lock()
        workerDone = true
        condition.broadcast()
        condition.unlock()
    }
}

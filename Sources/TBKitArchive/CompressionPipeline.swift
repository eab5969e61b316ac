import Foundation
import Synchronization
import SystemPackage
import TBKit

/// Compresses and writes on a second thread while the caller keeps producing tar bytes, so
/// reading and hashing files overlaps with deflate (the slow part) on a two-core machine.
///
/// The caller's bytes are gathered into chunks (1 MiB by default); at most `depth` chunks wait
/// in the queue, so memory stays bounded. The caller's thread alone calls `write`, `finish` and
/// `cancel`; the worker thread alone owns the gzip stream, which it creates itself. The two share
/// only a `Channel` (its state behind a `Mutex`) and hand each other Sendable values: byte arrays,
/// the output descriptor, errors.
final class CompressionPipeline {
    private let channel: Channel
    private let chunkSize: Int
    private var pending: [UInt8]
    private var ended = false

    /// Starts the worker thread, which gzips at `level` and writes to `output` (named `path` in
    /// errors). The descriptor stays the caller's to close once `finish` or `cancel` returned.
    init(level: Int32, output: FileDescriptor, path: String, chunkSize: Int = 1 << 20, depth: Int = 4) {
        let channel = Channel(depth: max(depth, 1))
        self.channel = channel
        self.chunkSize = max(chunkSize, 1)
        pending = []
        pending.reserveCapacity(self.chunkSize)
        let thread = Thread {
            Self.work(channel: channel, level: level, output: output, path: path)
        }
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

    /// Flushes, ends the gzip stream, waits for the worker; returns the compressed size, or
    /// throws the worker's error.
    @discardableResult
    func finish() throws -> UInt64 {
        try hand()
        try end(finishing: true)
        return channel.compressedCount
    }

    /// Stops the worker without finishing the stream (the output is then garbage).
    func cancel() {
        try? end(finishing: false)
    }

    private func hand() throws {
        if let failure = channel.failure { throw failure }
        guard !pending.isEmpty else { return }
        let chunk = pending
        pending = []
        pending.reserveCapacity(chunkSize)
        channel.put(.chunk(chunk))
    }

    private func end(finishing: Bool) throws {
        guard !ended else { return }
        ended = true
        channel.put(.end(finish: finishing))
        channel.waitForWorker()
        if finishing, let failure = channel.failure { throw failure }
    }

    /// The worker: takes chunks until the end message, compressing and writing them. After a
    /// failure it keeps taking (and dropping) messages, so the caller never waits for a free slot.
    private static func work(channel: Channel, level: Int32, output: FileDescriptor, path: String) {
        var stream: DeflateStream?
        do {
            stream = try DeflateStream(level: level, format: .gzip)
        } catch {
            channel.fail(error)
        }
        func sink(_ bytes: UnsafeRawBufferPointer) throws {
            do throws(Errno) {
                try output.writeFully(bytes)
            } catch {
                throw LogArchiveError.io(operation: "write", path: path, errno: error.rawValue)
            }
        }
        loop: while true {
            switch channel.take() {
            case .chunk(let bytes):
                guard channel.failure == nil, let stream else { continue }
                do {
                    try bytes.withUnsafeBytes { try stream.compress($0, into: sink) }
                } catch {
                    channel.fail(error)
                }
            case .end(let finishing):
                if finishing, channel.failure == nil, let stream {
                    do {
                        try stream.finish(into: sink)
                        channel.setCompressedCount(stream.compressedCount)
                    } catch {
                        channel.fail(error)
                    }
                }
                break loop
            }
        }
        channel.workerFinished()
    }

    /// What the caller hands the worker.
    private enum Message: Sendable {
        case chunk([UInt8])
        case end(finish: Bool)
    }

    /// A bounded queue between the two threads: `slots` counts free places, `items` queued
    /// messages; the queue, the first failure and the final size live behind the mutex.
    private final class Channel: Sendable {
        private struct State {
            var queue: [Message] = []
            var failure: (any Error)?
            var compressedCount: UInt64 = 0
        }

        private let state = Mutex(State())
        private let slots: DispatchSemaphore
        private let items = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)

        init(depth: Int) {
            slots = DispatchSemaphore(value: depth)
        }

        /// Waits for a free place, then queues `message`.
        func put(_ message: Message) {
            slots.wait()
            state.withLock { $0.queue.append(message) }
            items.signal()
        }

        /// Waits for a message and takes it.
        func take() -> Message {
            items.wait()
            let message = state.withLock { $0.queue.removeFirst() }
            slots.signal()
            return message
        }

        /// The first failure, if any.
        var failure: (any Error)? { state.withLock { $0.failure } }

        /// Records `error` unless an earlier failure is already recorded.
        func fail(_ error: any Error) {
            state.withLock { if $0.failure == nil { $0.failure = error } }
        }

        /// The size of the finished gzip stream.
        var compressedCount: UInt64 { state.withLock { $0.compressedCount } }

        func setCompressedCount(_ count: UInt64) {
            state.withLock { $0.compressedCount = count }
        }

        func workerFinished() { finished.signal() }

        func waitForWorker() { finished.wait() }
    }
}

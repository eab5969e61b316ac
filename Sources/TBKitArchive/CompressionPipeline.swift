import Foundation
import Synchronization
import SystemPackage
import TBKit

/// Compresses and writes on worker threads while the caller keeps producing tar bytes: the
/// caller's bytes are cut into blocks (1 MiB by default), each worker deflates whole blocks on
/// its own (pigz-style, `DeflateBlockCompressor`), and the blocks are written in order as one
/// gzip member, whose CRC-32 is combined from the blocks' (`GZipMemberAssembly`). Without its
/// gzip frame (`framed: false`) it writes the blocks alone, for a member assembled around them
/// later (`finishBlocks` gives the CRC-32 and size that member's trailer needs).
///
/// Deterministic: the blocks depend only on the input bytes and the block size, never on which
/// worker took which block or when. Memory stays bounded: at most `depth` blocks are in flight
/// (queued, being deflated, or deflated and waiting for the ones before them to be written).
/// The caller's thread alone calls `write`, `finish` and `cancel`; the workers share with it only
/// a `Channel` (its state behind a `Mutex`) and hand over Sendable values: byte arrays, CRCs,
/// the output descriptor, errors.
final class CompressionPipeline {
    private let channel: Channel
    private let chunkSize: Int
    private let workers: Int
    private let level: Int32
    private let output: FileDescriptor
    private let path: String
    private let framed: Bool
    private var pending: [UInt8]
    private var nextSequence = 0
    private var ended = false

    /// Starts `workers` threads (two by default, one per core here), which deflate at `level`
    /// and write to `output` (named `path` in errors). The descriptor stays the caller's to close
    /// once `finish`, `finishBlocks` or `cancel` returned. `framed` writes the gzip header before
    /// the first block (and lets `finish` end the member); unframed, only the blocks are written.
    init(
        level: Int32, output: FileDescriptor, path: String, chunkSize: Int = 1 << 20, depth: Int = 4,
        workers: Int = 2, framed: Bool = true
    ) {
        let channel = Channel(depth: max(depth, 1), header: framed ? GZipMemberAssembly.header(level: level) : [])
        self.channel = channel
        self.chunkSize = max(chunkSize, 1)
        self.workers = max(workers, 1)
        self.level = level
        self.output = output
        self.path = path
        self.framed = framed
        pending = []
        pending.reserveCapacity(self.chunkSize)
        for n in 0..<self.workers {
            let thread = Thread {
                Self.work(channel: channel, level: level, output: output, path: path)
            }
            thread.name = "tbkit-archive-deflate-\(n)"
            thread.start()
        }
    }

    /// Queues bytes for compression; throws the workers' error if one has failed.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            let take = min(rest.count, chunkSize - pending.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if pending.count == chunkSize { try hand() }
        }
    }

    /// Hands over the last block, waits for the workers, then ends the member (empty final
    /// block and trailer); returns the compressed size, or throws the workers' error.
    @discardableResult
    func finish() throws -> UInt64 {
        precondition(framed, "finish ends a framed member; an unframed pipeline ends with finishBlocks")
        let (crc, size, headerWritten) = try drain()
        var tail = headerWritten ? [] : GZipMemberAssembly.header(level: level)
        tail += GZipMemberAssembly.finalBlock + GZipMemberAssembly.trailer(crc: crc, size: size)
        try tail.withUnsafeBytes { try Self.write($0, to: output, path: path) }
        return channel.compressedCount + UInt64(tail.count)
    }

    /// Hands over the last block and waits for the workers, without ending a member; returns
    /// the CRC-32 and size of all the bytes written in, and the compressed bytes written out.
    @inline(never)
    func finishBlocks() throws -> (crc: UInt32, size: UInt64, compressed: UInt64) {
        let (crc, size, _) = try drain()
        return (crc, size, channel.compressedCount)
    }

    private func drain() throws -> (crc: UInt32, size: UInt64, headerWritten: Bool) {
        try hand()
        try end()
        if let failure = channel.failure { throw failure }
        return channel.totals
    }

    /// Stops the workers without finishing the member (the output is then garbage).
    @inline(never)
    func cancel() {
        try? end()
    }

    private func hand() throws {
        if let failure = channel.failure { throw failure }
        guard !pending.isEmpty else { return }
        let chunk = pending
        pending = []
        pending.reserveCapacity(chunkSize)
        channel.put(.block(sequence: nextSequence, bytes: chunk))
        nextSequence += 1
    }

    private func end() throws {
        guard !ended else { return }
        ended = true
        for _ in 0..<workers { channel.put(.end) }
        for _ in 0..<workers { channel.waitForWorker() }
    }

    static func write(_ bytes: UnsafeRawBufferPointer, to output: FileDescriptor, path: String) throws {
        do throws(Errno) {
            try output.writeFully(bytes)
        } catch {
            throw LogArchiveError.io(operation: "write", path: path, errno: error.rawValue)
        }
    }

    /// A worker: takes blocks until an end message, deflating each and its CRC-32, then hands
    /// the result to the channel, which writes every block that is next in order. After a failure
    /// it keeps taking (and dropping) messages, so the caller never waits for a free slot.
    private static func work(channel: Channel, level: Int32, output: FileDescriptor, path: String) {
        var compressor: DeflateBlockCompressor?
        do {
            compressor = try DeflateBlockCompressor(level: level)
        } catch {
            channel.fail(error)
        }
        loop: while true {
            switch channel.take() {
            case .block(let sequence, let bytes):
                guard channel.failure == nil, let compressor else {
                    channel.release(1)
                    continue
                }
                do {
                    let (crc, packed) = try bytes.withUnsafeBytes { raw throws -> (UInt32, [UInt8]) in
                        (GZipMemberAssembly.crc32(raw), try compressor.compress(raw))
                    }
                    try channel.deliver(
                        Compressed(sequence: sequence, crc: crc, length: bytes.count, bytes: packed)
                    ) { try write($0, to: output, path: path) }
                } catch {
                    channel.fail(error)
                }
            case .end:
                break loop
            }
        }
        channel.workerFinished()
    }

    /// What the caller hands the workers.
    private enum Message: Sendable {
        case block(sequence: Int, bytes: [UInt8])
        case end
    }

    /// One block, deflated, with the CRC-32 and length of its input.
    private struct Compressed: Sendable {
        var sequence: Int
        var crc: UInt32
        var length: Int
        var bytes: [UInt8]
    }

    /// A bounded queue between the threads, and the in-order writer: `slots` counts free places,
    /// `items` queued messages; the queue, blocks waiting for their turn, the running CRC and
    /// size, the first failure and the compressed size live behind the mutex.
    private final class Channel: Sendable {
        private struct State {
            var queue: [Message] = []
            var done: [Int: Compressed] = [:]
            var nextToWrite = 0
            var header: [UInt8]
            var headerWritten = false
            var crc: UInt32 = 0
            var size: UInt64 = 0
            var failure: (any Error)?
            var compressedCount: UInt64 = 0
        }

        private let state: Mutex<State>
        private let slots: DispatchSemaphore
        private let depth: Int
        private let items = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)

        init(depth: Int, header: [UInt8]) {
            // Counted up from zero: libdispatch traps when a semaphore is freed below the value
            // it was made with, which a cancelled pipeline could leave.
            slots = DispatchSemaphore(value: 0)
            for _ in 0..<depth { slots.signal() }
            self.depth = depth
            state = Mutex(State(header: header))
        }

        /// Waits for a free place, then queues `message`.
        func put(_ message: Message) {
            slots.wait()
            state.withLock { $0.queue.append(message) }
            items.signal()
        }

        /// Waits for a message and takes it. A block keeps its place until it is written (or
        /// dropped after a failure), so blocks in flight, finished or not, never exceed `depth`.
        func take() -> Message {
            items.wait()
            let message = state.withLock { $0.queue.removeFirst() }
            if case .end = message { slots.signal() }
            return message
        }

        /// Gives back the places of `count` blocks.
        func release(_ count: Int) {
            for _ in 0..<count { slots.signal() }
        }

        /// Files a finished block and writes, through `write`, every block now next in order (the
        /// gzip header before the first), folding their CRCs and sizes into the member's.
        func deliver(_ block: Compressed, write: (UnsafeRawBufferPointer) throws -> Void) throws {
            var written = 0
            defer { release(written) }
            try state.withLock { s in
                s.done[block.sequence] = block
                while let next = s.done.removeValue(forKey: s.nextToWrite) {
                    if !s.headerWritten {
                        try s.header.withUnsafeBytes { try write($0) }
                        s.headerWritten = true
                        s.compressedCount += UInt64(s.header.count)
                    }
                    try next.bytes.withUnsafeBytes { try write($0) }
                    s.compressedCount += UInt64(next.bytes.count)
                    s.crc = GZipMemberAssembly.combine(s.crc, next.crc, lengthOfB: next.length)
                    s.size += UInt64(next.length)
                    s.nextToWrite += 1
                    written += 1
                }
            }
        }

        /// The member's CRC-32 and size so far, and whether its header is written.
        var totals: (crc: UInt32, size: UInt64, headerWritten: Bool) {
            state.withLock { ($0.crc, $0.size, $0.headerWritten) }
        }

        /// The first failure, if any.
        var failure: (any Error)? { state.withLock { $0.failure } }

        /// Records `error` unless an earlier failure is already recorded. The first failure also
        /// frees every place, so a caller waiting to queue a block never waits for blocks that
        /// will not be written now.
        func fail(_ error: any Error) {
            let first = state.withLock { s -> Bool in
                guard s.failure == nil else { return false }
                s.failure = error
                return true
            }
            if first { release(depth) }
        }

        /// Bytes written so far (header and blocks).
        var compressedCount: UInt64 { state.withLock { $0.compressedCount } }

        func workerFinished() { finished.signal() }

        func waitForWorker() { finished.wait() }
    }
}

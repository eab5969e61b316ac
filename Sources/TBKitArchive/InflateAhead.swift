import Foundation
import Synchronization
import SystemPackage
import TBKit

/// Inflates a gzip file on its own thread, ahead of the one reading it: while the reader parses
/// tar members, hashes and writes them, the next chunks are being inflated. At most `depth`
/// chunks of `chunkSize` bytes wait at once, so memory stays flat. Errors (a read error, damaged
/// deflate data, a bad CRC-32 or size in the trailer) reach the reader at the point of the
/// stream where they happened, with their own type.
///
/// The reader's thread alone calls `read(into:)` and `stop()`; the two threads share only a
/// `BoundedQueue` of Sendable chunks.
final class InflateAhead: Sendable {
    private enum Chunk: Sendable {
        /// Inflated bytes, and the compressed offset reached once they were inflated.
        case bytes([UInt8], offset: UInt64)
        case end
        case failure(any Error, offset: UInt64)
    }

    private let chunks: BoundedQueue<Chunk>
    private let finished = DispatchSemaphore(value: 0)
    /// The chunk being read from and the position in it (the reader's thread only).
    private let current = Mutex<(bytes: [UInt8], position: Int, done: Bool)>(([], 0, false))
    private let offset = Atomic<UInt64>(0)

    /// Compressed bytes consumed to inflate what the reader has taken so far (an offset into the
    /// `.gz` file, to a chunk's precision), for messages that name where damage was met.
    var compressedOffset: UInt64 { offset.load(ordering: .relaxed) }

    /// Starts inflating the gzip stream of `file` (named `path` in errors). `stop()` must be
    /// called before the descriptor is closed.
    init(file: FileDescriptor, path: String, chunkSize: Int = 1 << 20, depth: Int = 4) {
        chunks = BoundedQueue(depth: depth)
        let thread = Thread { [self] in
            inflate(file: file, path: path, chunkSize: max(chunkSize, 1))
            finished.signal()
        }
        thread.name = "tbkit-extract-inflate"
        thread.start()
    }

    /// Fills `buffer` with inflated bytes and returns its size, or less only at the end of the
    /// stream (as `InflateReader.read` does). Rethrows the inflating thread's error once the
    /// bytes before it have been read; like `InflateReader`, the bytes of the failing call are
    /// not returned.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let target = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let copied = current.withLock { c -> Int? in
                if c.done { return 0 }
                guard c.position < c.bytes.count else { return nil }
                let n = min(buffer.count - filled, c.bytes.count - c.position)
                c.bytes.withUnsafeBytes { from in
                    if let source = from.baseAddress {
                        (target + filled).copyMemory(from: source + c.position, byteCount: n)
                    }
                }
                c.position += n
                return n
            }
            if let copied {
                if copied == 0 { break }
                filled += copied
                continue
            }
            switch chunks.take() {
            case .bytes(let bytes, let reached):
                offset.store(reached, ordering: .relaxed)
                current.withLock { $0 = (bytes, 0, false) }
            case .end:
                current.withLock { $0 = ([], 0, true) }
            case .failure(let error, let reached):
                offset.store(reached, ordering: .relaxed)
                current.withLock { $0 = ([], 0, true) }
                throw error
            }
        }
        return filled
    }

    /// Stops the inflating thread (if it has not ended) and waits for it. Call once.
    func stop() {
        chunks.stop()
        finished.wait()
    }

    private func inflate(file: FileDescriptor, path: String, chunkSize: Int) {
        do {
            let gzip = try InflateReader(format: .gzip) { buffer in
                try LogArchiveError.during("read", path) { () throws(Errno) in try file.readFully(into: buffer) }
            }
            while true {
                var chunk = [UInt8](repeating: 0, count: chunkSize)
                let (filled, failure) = chunk.withUnsafeMutableBytes { gzip.readUpToFailure(into: $0) }
                // The bytes inflated before a failure are read before it.
                if filled > 0 {
                    chunk.removeLast(chunkSize - filled)
                    guard chunks.put(.bytes(chunk, offset: gzip.compressedOffset)) else { return }
                }
                if let failure {
                    chunks.put(.failure(failure, offset: gzip.compressedOffset))
                    return
                }
                if filled < chunkSize {
                    chunks.put(.end)
                    return
                }
            }
        } catch {
            chunks.put(.failure(error, offset: 0))
        }
    }
}

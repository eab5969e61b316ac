import SystemPackage
import TBKit
import TBKitCrypto

/// Where an archive's bytes come from.
enum ArchiveBytes: Sendable {
    /// A local file.
    case file(String)
    /// A stream that starts again from the archive's first byte at each call (an object in a
    /// bucket).
    case stream(StreamedSources.Stream)
}

/// The members of a `.tar.gz` archive as its gzip stream is inflated: one pass from the start,
/// a few chunks of memory, nothing written to disk. With `ahead`, the gzip stream is inflated on
/// a thread of its own (`InflateAhead`) while this one reads the tar members and hashes them.
final class ArchiveStream {
    private let file: FileDescriptor?
    private let gzip: InflateReader?
    private let ahead: InflateAhead?
    /// The tar stream inside it.
    var tar: TarReader
    /// The index of the member the last `next()` returned (-1 before the first): the same member
    /// has the same index in every pass over the archive.
    private(set) var memberIndex = -1

    /// Opens the archive at `path` at its first byte.
    convenience init(path: String, ahead inflatingAhead: Bool = false) throws(LogSourceError) {
        try self.init(bytes: .file(path), label: path, ahead: inflatingAhead)
    }

    /// Opens the archive whose bytes come from `bytes` (named `label` in errors) at its first
    /// byte. A stream is inflated on the reading thread (its bytes already arrive ahead of it).
    init(bytes: ArchiveBytes, label: String, ahead inflatingAhead: Bool = false) throws(LogSourceError) {
        let read: StreamedSources.Read
        switch bytes {
        case .stream(let stream):
            file = nil
            read = try stream()
        case .file(let path):
            let file: FileDescriptor
            do {
                file = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
            } catch {
                throw .unreadable(path: path, errno: (error as? Errno)?.rawValue ?? Errno.ioError.rawValue)
            }
            self.file = file
            if inflatingAhead {
                let ahead = InflateAhead(file: file, path: path)
                self.ahead = ahead
                gzip = nil
                tar = TarReader { try ahead.read(into: $0) }
                return
            }
            var offset: Int64 = 0
            read = { buffer in
                let n = try file.read(fromAbsoluteOffset: offset, into: buffer)
                offset += Int64(n)
                return n
            }
        }
        ahead = nil
        let gzip: InflateReader
        do {
            gzip = try InflateReader(chunkSize: 1 << 20, format: .gzip, source: read)
        } catch {
            try? file?.close()
            throw .unreadable(path: label, errno: Errno.noMemory.rawValue)
        }
        self.gzip = gzip
        tar = TarReader { try gzip.read(into: $0) }
    }

    deinit {
        ahead?.stop()
        try? file?.close()
    }

    /// Compressed bytes consumed so far (an offset into the `.gz` file; to a chunk's precision
    /// when inflating ahead).
    var compressedOffset: UInt64 { ahead?.compressedOffset ?? gzip?.compressedOffset ?? 0 }

    /// The next member (the rest of the last one is skipped), or nil at the end-of-archive mark.
    func next() throws -> TarEntry? {
        guard let entry = try tar.next() else { return nil }
        memberIndex += 1
        return entry
    }

    /// The current member's data and its SHA-256 (lower-case hex); `keep` false reads the data
    /// for its digest only and returns no bytes.
    func readData(keep: Bool, sizeHint: UInt64) throws -> (bytes: [UInt8], sha256: String, size: UInt64) {
        var bytes: [UInt8] = []
        if keep { bytes.reserveCapacity(Int(clamping: min(sizeHint, 1 << 30))) }
        var hasher = SHA256()
        var size: UInt64 = 0
        try tar.readData { chunk in
            hasher.update(bufferPointer: chunk)
            size += UInt64(chunk.count)
            if keep { bytes.append(contentsOf: chunk) }
        }
        return (bytes, hasher.finalize().hex, size)
    }
}

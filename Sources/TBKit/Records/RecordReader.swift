import SystemPackage

/// A fatal problem while reading TFRecords: after one of these the rest of the file cannot be
/// framed (or read) and the reader stays stopped at `offset`.
package enum RecordReaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case io(path: String, operation: String, errno: Int32)
    /// The masked CRC32C stored after a record's length does not match it: the framing is lost.
    case badLengthCRC(path: String, offset: Int64, stored: UInt32, computed: UInt32)
    /// A length with a sound CRC but of 2 GiB or more: refused without allocating.
    case lengthTooLarge(path: String, offset: Int64, length: UInt64)
    /// A remote file (`s3://...`) could not be read: `reason` names the object and what to do.
    case remote(path: String, operation: String, reason: String)

    /// The file offset of the record the error is about (0 for I/O errors).
    package var offset: Int64 {
        switch self {
        case .io, .remote: return 0
        case .badLengthCRC(_, let o, _, _), .lengthTooLarge(_, let o, _): return o
        }
    }

    /// A sentence for people: what went wrong, where, and what it means for the rest of the file.
    package var description: String {
        switch self {
        case .io(let path, let op, let e):
            return "\(path): \(op) failed: \(Errno(rawValue: e)) (errno \(e))"
        case .badLengthCRC(let path, let offset, let stored, let computed):
            let zeros = computed == 0x0798_0329 ? " (the length bytes are zero: a zero-filled region)" : ""
            return
                "\(path): record at byte \(offset) has a bad length CRC (stored 0x\(hex(stored)), computed 0x\(hex(computed)))\(zeros); the framing is lost, so the rest of this file cannot be read"
        case .remote(let path, let operation, let reason):
            return "\(path): \(operation) failed: \(reason)"
        case .lengthTooLarge(let path, let offset, let length):
            return
                "\(path): record at byte \(offset) declares \(length) bytes (2 GiB or more); refused, the rest of this file cannot be read"
        }
    }
}

@inline(__always) func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// A record whose length was sound but whose payload fails its data CRC. It was skipped; the
/// next record starts right after it.
package struct DamagedRecord: Equatable, Sendable, CustomStringConvertible {
    /// The file offset where the damaged record starts.
    package var offset: Int64
    /// Its payload length (trusted: the length CRC matched).
    package var length: Int
    /// The masked CRC stored after the payload.
    package var storedCRC: UInt32
    /// The masked CRC of the payload as read.
    package var computedCRC: UInt32

    /// A sentence for people: what went wrong, where, and what it means for the rest of the file.
    package var description: String {
        "record at byte \(offset) (\(length)-byte payload) has a bad data CRC (stored 0x\(hex(storedCRC)), computed 0x\(hex(computedCRC))); skipped"
    }
}

/// Resumable TFRecord reader for a file that may still be growing.
///
/// Reads the file in large chunks and checks both CRCs of every record. Outcomes of `next()`:
/// a record (its payload borrowed until the next call), a damaged record (bad data CRC, skipped),
/// `.incomplete` (a short header or body at the end: call again after more bytes arrive; the
/// reader keeps its offset), or `.end` (the file ends exactly after a record). A bad length CRC or
/// a length of 2 GiB or more throws `RecordReaderError`, and every later call throws it again.
/// Not thread-safe: use one reader per thread.
package final class RecordReader {
    /// The outcome of one `next()` call.
    package enum Next {
        /// A sound record starting at `offset`; `payload` stays valid until the next call.
        case record(offset: Int64, payload: UnsafeRawBufferPointer)
        /// A record that failed its data CRC; it was skipped.
        case damaged(DamagedRecord)
        /// The file ends inside the record at `offset`: `available` of the `needed` bytes are
        /// there (12 for a header; 16 + length once the header is sound). Retry later.
        case incomplete(offset: Int64, available: Int, needed: Int)
        /// The file ends exactly at a record boundary (or is empty). Retry later for more.
        case end
    }

    /// Largest payload accepted; anything at or above 2 GiB is taken as corrupt.
    package static let maximumLength: UInt64 = 1 << 31

    /// The file being read.
    package let path: String
    private let file: FileDescriptor?
    /// The whole file, when it is held in memory (`MemoryEventFiles`) instead of on disk.
    private let memory: [UInt8]?
    /// The file's bytes, when a URL names it (`RemoteEventFiles`).
    private let remote: (any RemoteByteReader)?
    /// Buffered bytes live in `buffer[start..<filled]`; `start` is at file offset `bufferOffset + start`.
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var filled = 0
    private var bufferOffset: Int64 = 0
    private var failure: RecordReaderError?
    private let chunkSize: Int

    /// The file offset of the next record to read (just past everything consumed so far).
    package var offset: Int64 { bufferOffset + Int64(start) }

    /// Number of sound records returned so far.
    package private(set) var recordCount = 0

    /// Opens `path` for reading from its first byte.
    package init(path: String, chunkSize: Int = 1 << 20) throws(RecordReaderError) {
        if let bytes = try MemoryEventFiles.contents(at: path) {
            memory = bytes
            file = nil
            remote = nil
        } else if let reader = try RemoteEventFiles.open(path) {
            memory = nil
            file = nil
            remote = reader
        } else {
            memory = nil
            remote = nil
            do {
                file = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
            } catch {
                throw .io(path: path, operation: "open", errno: (error as? Errno)?.rawValue ?? 0)
            }
        }
        self.path = path
        self.chunkSize = Swift.max(chunkSize, 64)
        self.capacity = self.chunkSize
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        try? file?.close()
    }

    /// Reads the next record; see `Next`.
    package func next() throws(RecordReaderError) -> Next {
        if let failure { throw failure }
        let recordOffset = offset
        if filled - start < 12 {
            try fill(atLeast: 12)
            let have = filled - start
            if have == 0 { return .end }
            if have < 12 { return .incomplete(offset: recordOffset, available: have, needed: 12) }
        }
        let header = UnsafeRawPointer(buffer + start)
        let length = UInt64(littleEndian: header.loadUnaligned(as: UInt64.self))
        let storedLengthCRC = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let lengthCRC = CRC32C.maskedChecksum(UnsafeRawBufferPointer(start: header, count: 8))
        guard lengthCRC == storedLengthCRC else {
            let error = RecordReaderError.badLengthCRC(
                path: path, offset: recordOffset, stored: storedLengthCRC, computed: lengthCRC)
            failure = error
            throw error
        }
        guard length < RecordReader.maximumLength else {
            let error = RecordReaderError.lengthTooLarge(path: path, offset: recordOffset, length: length)
            failure = error
            throw error
        }
        let total = 16 + Int(length)
        if filled - start < total {
            try fill(atLeast: total)
            if filled - start < total {
                // The buffer may hold less than the file when the record is larger than a chunk:
                // report what the file has.
                let inFile = (try? fileSize()).map { Int(clamping: $0 - recordOffset) } ?? 0
                return .incomplete(offset: recordOffset, available: Swift.max(filled - start, inFile), needed: total)
            }
        }
        let payload = UnsafeRawBufferPointer(start: buffer + start + 12, count: Int(length))
        let storedDataCRC = UInt32(
            littleEndian: UnsafeRawPointer(buffer + start + 12 + Int(length)).loadUnaligned(as: UInt32.self))
        let dataCRC = CRC32C.maskedChecksum(payload)
        start += total
        guard dataCRC == storedDataCRC else {
            return .damaged(
                DamagedRecord(offset: recordOffset, length: Int(length), storedCRC: storedDataCRC, computedCRC: dataCRC)
            )
        }
        recordCount += 1
        return .record(offset: recordOffset, payload: payload)
    }

    /// The size of a remote file (`RemoteEventFiles`) as it was when opened; nil for a local one.
    package var remoteSize: Int64? { remote?.size }

    /// The size of the file now, from fstat.
    private func fileSize() throws(RecordReaderError) -> Int64 {
        if let remote { return remote.size }
        guard let file else { return Int64(memory?.count ?? 0) }
        do throws(Errno) {
            return try Platform.status(of: file).size
        } catch {
            throw .io(path: path, operation: "fstat", errno: error.rawValue)
        }
    }

    /// Tries to have at least `count` unread bytes buffered, reading from the file. Never grows
    /// the buffer beyond what the file holds now, so a corrupt or not-yet-written length costs
    /// no allocation.
    private func fill(atLeast count: Int) throws(RecordReaderError) {
        if count > capacity {
            // Only grow when the file really holds the bytes.
            let size = try fileSize()
            guard size - offset >= Int64(count) else { return }
        }
        if capacity - start < count || start == filled {
            // Move the unread tail to the front.
            let unread = filled - start
            if unread > 0 && start > 0 { buffer.copyMemory(from: buffer + start, byteCount: unread) }
            bufferOffset += Int64(start)
            start = 0
            filled = unread
        }
        if count > capacity {
            let newCapacity = Swift.max(count, capacity * 2)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: buffer, byteCount: filled)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        }
        while filled - start < count && filled < capacity {
            let n: Int
            if let memory {
                let from = Int(bufferOffset) + filled
                n = Swift.max(0, Swift.min(capacity - filled, memory.count - from))
                if n > 0 {
                    memory.withUnsafeBytes { bytes in
                        if let base = bytes.baseAddress {
                            (buffer + filled).copyMemory(from: base + from, byteCount: n)
                        }
                    }
                }
                if n == 0 { break }
                filled += n
                continue
            }
            if let remote {
                n = try remote.read(
                    fromAbsoluteOffset: bufferOffset + Int64(filled),
                    into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
                if n == 0 { break }
                filled += n
                continue
            }
            guard let file else { break }
            do {
                n = try file.read(
                    fromAbsoluteOffset: bufferOffset + Int64(filled),
                    into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            } catch {
                throw .io(path: path, operation: "read", errno: (error as? Errno)?.rawValue ?? 0)
            }
            if n == 0 { break }
            filled += n
        }
    }
}

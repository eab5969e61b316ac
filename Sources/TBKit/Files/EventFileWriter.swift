import Foundation
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends framed records to one event file: names the file, writes the `file_version` record
/// first, buffers records in memory and writes them out with whole records only.
///
/// Invariant: the file always ends at a record boundary or inside the one record being written;
/// a failed write (a full disk, say) is cut back to the last whole record and the unwritten
/// records stay buffered, so every record accepted before the failure stays readable and a
/// later `flush()` can retry. Not thread-safe: `SummaryWriter` serializes access.
package final class EventFileWriter {
    /// The event file's path.
    package let path: String
    /// Records framed but not yet written to the file.
    let buffer: RecordBuffer
    /// Bytes of the file known to hold whole records.
    package private(set) var bytesWritten: Int = 0
    /// Whether each flush ends with fsync (see `Durability.fsyncOnFlush`).
    package let syncOnFlush: Bool
    /// The wall time of the file_version record (when the file was made).
    package let createdAt: Double
    private var fd: Int32
    /// Once the buffer holds this many bytes, it is written out without waiting for a flush.
    private let bufferLimit: Int
    /// Writes a whole buffer to the file: swift-system's `writeAll`, which carries on after short
    /// and interrupted writes. Fault-injection tests put a disk that fills up mid-write here.
    var writeAll: (FileDescriptor, UnsafeRawBufferPointer) throws(Errno) -> Void = { file, bytes throws(Errno) in
        try file.writeFully(bytes)
    }

    /// `events.out.tfevents.<10-digit secs>.<host>.<pid>.<n>.<random><suffix>`: the name
    /// TensorBoard's own writers use, plus a random part. `n` counts the files this process has
    /// made, zero-padded to 6 digits so that a process's files sort in the order they were made,
    /// even within one second. The 8 random hex digits keep apart two processes that share host,
    /// pid and second (a container restarted as pid 1); the file is created exclusively, so even
    /// then nothing is overwritten.
    package static func fileName(seconds: Int, suffix: String = "") -> String {
        let host = Platform.hostName
        let n = fileCounter.add(1, ordering: .relaxed).oldValue
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "events.out.tfevents.\(zeroPadded(seconds, 10)).\(host).\(getpid()).\(zeroPadded(n, 6))."
            + "\(String(repeating: "0", count: 8 - random.count))\(random)\(suffix)"
    }

    private static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }

    /// Creates `directory` (and its parents) if needed, then a new event file in it whose first
    /// record is `Event{wall_time: now, file_version: "brain.Event:2"}`, written at once. The
    /// file is created exclusively (a name already taken gets a new random part).
    /// With `syncOnFlush`, every flush ends with fsync.
    package convenience init(
        directory: String, suffix: String = "", bufferLimit: Int = 1 << 20, syncOnFlush: Bool = false
    ) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SummaryWriterError.cannotCreateDirectory(
                path: directory, reason: Self.directoryProblem(directory) ?? Self.reason(of: error))
        }
        let now = Date().timeIntervalSince1970
        var attempt = 0
        while true {
            let name = Self.fileName(seconds: Int(now), suffix: suffix)
            let path = FilePath(directory).appending(name).string
            let file: FileDescriptor
            do {
                file = try FileDescriptor.open(
                    FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .append, .closeOnExec],
                    permissions: [.ownerReadWrite, .groupRead, .otherRead])
            } catch let error as Errno {
                attempt += 1
                if error == .fileExists && attempt < 8 { continue }
                throw SummaryWriterError.cannotCreateFile(path: path, reason: String(cString: strerror(error.rawValue)))
            } catch {
                throw SummaryWriterError.cannotCreateFile(path: path, reason: "\(error)")
            }
            try self.init(
                fileDescriptor: file.rawValue, path: path, bufferLimit: bufferLimit, wallTime: now,
                syncOnFlush: syncOnFlush)
            return
        }
    }

    /// Writes to an already open descriptor (taken over and closed by `close()`); for tests.
    init(
        fileDescriptor: Int32, path: String, bufferLimit: Int = 1 << 20, wallTime: Double, syncOnFlush: Bool = false
    ) throws {
        self.syncOnFlush = syncOnFlush
        self.fd = fileDescriptor
        self.path = path
        self.createdAt = wallTime
        self.bufferLimit = bufferLimit
        self.buffer = RecordBuffer(capacity: Swift.min(bufferLimit, 1 << 16) + 256)
        append(Event(wallTime: wallTime, what: .fileVersion("brain.Event:2")))
        do {
            try flush()
        } catch {
            try? FileDescriptor(rawValue: fileDescriptor).close()
            self.fd = -1
            throw error
        }
    }

    deinit {
        if fd >= 0 {
            try? flush()
            try? FileDescriptor(rawValue: fd).close()
        }
    }

    /// Frames `event` into the buffer.
    package func append(_ event: Event) {
        appendRecord { event.encode(into: &$0) }
    }

    /// Frames the protobuf message that `body` writes as one record.
    package func appendRecord(_ body: (inout ProtoWriter) -> Void) {
        buffer.appendRecord(body)
    }

    /// Frames a v1 scalar event (see `RecordBuffer.appendScalarEvent`).
    package func appendScalarEvent(wallTime: Double, step: Int64, tag: UnsafeRawBufferPointer, value: Float) {
        buffer.appendScalarEvent(wallTime: wallTime, step: step, tag: tag, value: value)
    }

    /// Frames a v1 scalar event whose tag is given as a string (its UTF-8 is read in place).
    func appendScalarEvent(wallTime: Double, step: Int64, tag: String, value: Float) {
        var text = tag
        text.withUTF8 { utf8 in
            buffer.appendScalarEvent(wallTime: wallTime, step: step, tag: UnsafeRawBufferPointer(utf8), value: value)
        }
    }

    /// Bytes written plus bytes buffered: the file's size once flushed.
    package var size: Int { bytesWritten + buffer.count }

    /// True when the buffer has grown past its limit and should be written out.
    package var wantsWrite: Bool { buffer.count >= bufferLimit }

    /// Writes every buffered record to the file. On failure the file is cut back to its last
    /// whole record, the records stay buffered, and the error says where and why.
    package func flush() throws {
        guard buffer.count > 0 else { return }
        guard fd >= 0 else { throw SummaryWriterError.closed(path: path) }
        let total = buffer.count
        let failure: Errno? = buffer.withBytes { raw in
            do throws(Errno) {
                try writeAll(FileDescriptor(rawValue: fd), raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure {
            // Drop whatever part of the buffer reached the file, so the next write starts on a
            // record boundary (the file held exactly `bytesWritten` bytes before this write).
            try? FileDescriptor(rawValue: fd).resize(to: Int64(bytesWritten))
            throw SummaryWriterError.writeFailed(
                path: path, offset: bytesWritten, reason: failure.description,
                diskFull: failure == .noSpace || failure == .diskQuotaExceeded)
        }
        bytesWritten += total
        buffer.removeAll()
        if syncOnFlush {
            let code = platformSync(fd)
            if code != 0 {
                throw SummaryWriterError.syncFailed(path: path, reason: String(cString: strerror(code)))
            }
        }
    }

    /// Flushes and closes the file. Closing twice is harmless.
    package func close() throws {
        guard fd >= 0 else { return }
        defer {
            try? FileDescriptor(rawValue: fd).close()
            fd = -1
        }
        try flush()
    }

    /// What stands in the way of creating `directory`, found by looking at it and its parents:
    /// a file where a directory must be, or a parent that cannot be written. Nil when nothing is
    /// visibly wrong.
    static func directoryProblem(_ directory: String) -> String? {
        var isDirectory: ObjCBool = false
        var path = (directory as NSString).standardizingPath
        while !path.isEmpty {
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "\(path) is a file, not a directory" }
                if path != directory && !FileManager.default.isWritableFile(atPath: path) {
                    return "permission denied: \(path) cannot be written by this user"
                }
                return nil
            }
            let parent = (path as NSString).deletingLastPathComponent
            if parent == path { break }
            path = parent
        }
        return nil
    }

    /// A plain sentence for a Foundation error: the POSIX reason when there is one.
    private static func reason(of error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "the disk is full"
        case .fileWriteVolumeReadOnly: return "the file system is read-only"
        case .fileWriteFileExists: return "a file is in the way"
        default: return ns.localizedDescription
        }
    }
}

/// Numbers the event files this process creates.
let fileCounter = Atomic<Int>(0)

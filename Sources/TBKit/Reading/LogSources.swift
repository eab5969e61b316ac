import Synchronization
import SystemPackage

/// Opens paths as sources and reads runs from several sources at once.
///
/// A path is tried against the registered openers first (other modules register theirs, as
/// TBKitArchive does for its archives), then read as a log directory when it is a directory, as
/// an event file when its name contains "tfevents" or it starts with a sound TFRecord header;
/// anything else is refused with what it looks like (`LogSourceError.notASource`).
public enum LogSources {
    /// Makes a source of `path`, or nil when the path is not of its kind.
    public typealias Opener = @Sendable (_ path: String) throws(LogSourceError) -> (any LogSource)?

    private static let openers = Mutex<[Opener]>([])

    /// Adds an opener tried, in order of registration, before the built-in kinds.
    public static func register(_ opener: @escaping Opener) {
        openers.withLock { $0.append(opener) }
    }

    /// The source at `path`.
    public static func open(_ path: String) throws(LogSourceError) -> any LogSource {
        for opener in openers.withLock({ $0 }) {
            if let source = try opener(path) { return source }
        }
        let status: FileStatus?
        do throws(Errno) {
            status = try Platform.status(path)
        } catch {
            // A name too long to exist, or a path through a file, names nothing.
            if error == .fileNameTooLong || error == .notDirectory { throw .logdir(.notFound(path: path)) }
            throw .unreadable(path: path, errno: error.rawValue)
        }
        guard let status else { throw .logdir(.notFound(path: path)) }
        if status.isDirectory { return LocalLogdir(path: path) }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if RunDirectory.isEventFileName(name) { return EventFileSource(path: path) }
        let head = try SourceSniffer.head(of: path)
        if SourceSniffer.startsWithRecord(head, fileSize: status.size) { return EventFileSource(path: path) }
        throw .notASource(path: path, looksLike: SourceSniffer.describe(head, path: path))
    }

    /// The sources at `paths`, in the order given; a path naming the same file or directory as
    /// an earlier one (the same path twice, `logs` and `logs/`) is read once.
    public static func open(_ paths: [String]) throws(LogSourceError) -> [any LogSource] {
        var seen: Set<String> = []
        var sources: [any LogSource] = []
        for path in paths {
            guard seen.insert(identity(of: path)).inserted else { continue }
            sources.append(try open(path))
        }
        return sources
    }

    /// What makes two paths the same source: the device and inode of what they name, or the
    /// path itself when it names nothing on the file system (a URL).
    package static func identity(of path: String) -> String {
        if let status = try? Platform.status(path) { return "\(status.device):\(status.inode)" }
        return path
    }

    /// The runs of every source, sorted by output name. With one source the names are the
    /// source's own; with several, a name that two sources share becomes `<source>/<run>`.
    public static func runs(of sources: [any LogSource]) throws(LogSourceError) -> [SourcedRun] {
        var all: [SourcedRun] = []
        for source in sources {
            let label = trimmed(source.label)
            for run in try source.discover() {
                all.append(SourcedRun(name: run.name, source: label, run: run))
            }
        }
        if sources.count > 1 {
            var count: [String: Int] = [:]
            for run in all { count[run.name, default: 0] += 1 }
            for i in all.indices where count[all[i].name, default: 0] > 1 {
                all[i].name = all[i].run.name == "." ? all[i].source : all[i].source + "/" + all[i].run.name
            }
        }
        all.sortShared { $0.name < $1.name }
        return all
    }

    /// The runs at `paths` (see `open(_:)` and `runs(of:)`).
    public static func runs(at paths: [String]) throws(LogSourceError) -> [SourcedRun] {
        try runs(of: open(paths))
    }

    /// True when `path` is a file holding gzip data whose first tar member is
    /// `tbkit-manifest.json`: an archive made by `tbkit archive`.
    package static func isTBKitArchive(_ path: String) -> Bool {
        guard let status = try? Platform.status(path), status.isRegular,
            let head = try? SourceSniffer.head(of: path), head.count >= 2, head[0] == 0x1F, head[1] == 0x8B
        else { return false }
        return SourceSniffer.describeGzip(path) == SourceSniffer.tbkitArchive
    }

    /// A label without trailing slashes (but "/" stays "/").
    package static func trimmed(_ label: String) -> String {
        var s = Substring(label)
        while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }
}

/// What the first bytes of a file say about it.
enum SourceSniffer {
    /// Up to 512 bytes from the start of `path`.
    static func head(of path: String) throws(LogSourceError) -> [UInt8] {
        do {
            let fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
            defer { try? fd.close() }
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = try buffer.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: 0, into: $0) }
            return Array(buffer.prefix(n))
        } catch let error as Errno {
            throw .unreadable(path: path, errno: error.rawValue)
        } catch {
            throw .unreadable(path: path, errno: Errno.ioError.rawValue)
        }
    }

    /// True when `head` starts with a TFRecord header whose length CRC matches and whose length
    /// fits in the file: an event file under another name.
    static func startsWithRecord(_ head: [UInt8], fileSize: Int64) -> Bool {
        guard head.count >= 12 else { return false }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(head[i]) << (8 * UInt64(i)) }
        var stored: UInt32 = 0
        for i in 0..<4 { stored |= UInt32(head[8 + i]) << (8 * UInt32(i)) }
        let crc = head.withUnsafeBytes { CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: $0[0..<8])) }
        return crc == stored && length <= UInt64(max(0, fileSize - 16))
    }

    /// What a gzip file holds, judged from its first 512 inflated bytes: a TBKit archive (a tar
    /// whose first member is `tbkit-manifest.json`), another tar, or something else.
    static func describeGzip(_ path: String) -> String {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) else {
            return "gzip-compressed data"
        }
        defer { try? fd.close() }
        var offset: Int64 = 0
        return describeGzip { buffer in
            let n = try fd.read(fromAbsoluteOffset: offset, into: buffer)
            offset += Int64(n)
            return n
        }
    }

    /// What the gzip stream `read` gives holds (see `describeGzip(_:)`); `read` fills a buffer
    /// and returns the bytes it put there, 0 at the end.
    static func describeGzip(reading read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) -> String {
        let inflated: [UInt8]
        do {
            let reader = try InflateReader(format: .gzip, source: read)
            var block = [UInt8](repeating: 0, count: 512)
            let (n, _) = block.withUnsafeMutableBytes { reader.readUpToFailure(into: $0) }
            inflated = Array(block.prefix(n))
        } catch {
            return "gzip-compressed data that does not inflate"
        }
        guard inflated.count == 512, Array(inflated[257..<262]) == Array("ustar".utf8) else {
            return "gzip-compressed data that is not a tar archive"
        }
        let name = inflated[0..<100].prefix { $0 != 0 }
        if Array(name) == Array("tbkit-manifest.json".utf8) { return tbkitArchive }
        return "a gzip-compressed tar archive without TBKit's manifest (tbkit-manifest.json first)"
    }

    /// What `describeGzip` says of a TBKit archive (read in place where TBKitArchive is linked).
    static let tbkitArchive = "a TBKit log archive, which only tbkit-storage reads in place"

    /// A few words on what `head` looks like, for an error message.
    static func describe(_ head: [UInt8], path: String) -> String {
        if head.isEmpty { return "an empty file" }
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B { return describeGzip(path) }
        if head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8) {
            return "an uncompressed tar archive (TBKit archives are .tar.gz files with tbkit-manifest.json first)"
        }
        if head.count >= 4 && Array(head[0..<4]) == [0x50, 0x4B, 0x03, 0x04] { return "a zip archive" }
        let printable = head.filter { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (0x20..<0x7F).contains($0) }.count
        if printable * 10 >= head.count * 9 { return "text" }
        let hex = head.prefix(8).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "binary data of an unknown kind (first bytes \(hex.joined(separator: " ")))"
    }
}

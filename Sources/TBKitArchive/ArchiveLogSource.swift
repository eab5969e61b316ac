import Synchronization
import SystemPackage
import TBKit
import TBKitCrypto

/// A `.tar.gz` made by `tbkit archive`, read in place as a log source: the members are read as
/// the gzip stream is inflated, each event file's SHA-256 is checked against the manifest before
/// its data is used, and nothing is written to disk (the event files are held in memory while the
/// command reads them).
///
/// Damage does not stop the reading: a member whose SHA-256 or size does not match the manifest
/// is named in `damage` and left out; a truncated or corrupt archive gives the runs read before
/// the damage, and the damage with the member and the compressed byte offset where it was met.
/// `register()` plugs this kind into `LogSources`, so TBKit itself links no archive code.
public final class ArchiveLogSource: LogSource {
    /// The archive's path (or URL, when it is read from a stream).
    public let path: String
    /// The path, as given.
    public var label: String { path }
    private let found = Mutex<[String]>([])
    /// Where the archive's bytes come from when it is not a local file (an object in a bucket).
    private let stream: StreamedSources.Stream?

    /// The archive at `path` (`isArchive(path)` tells whether it is one).
    public init(path: String) {
        self.path = path
        self.stream = nil
    }

    /// The archive whose bytes `stream` gives, labelled `label` (its URL): read exactly as a
    /// local archive, its event files readable under `<label>/<member>`.
    package init(label: String, stream: @escaping StreamedSources.Stream) {
        self.path = label
        self.stream = stream
    }

    /// Damage met while reading the archive, one sentence each.
    public var damage: [String] { found.withLock { $0 } }

    /// Makes `LogSources.open` read TBKit archives in place.
    public static func register() {
        LogSources.register { path in
            LogSources.isTBKitArchive(path) ? ArchiveLogSource(path: path) : nil
        }
        StreamedSources.register { label, head, stream throws(LogSourceError) in
            try StreamedSources.isTBKitArchive(head: head, stream: stream)
                ? ArchiveLogSource(label: label, stream: stream) : nil
        }
    }

    /// A function that reads the archive from its first byte: the stream, or the local file.
    private func openBytes() throws(LogSourceError) -> (read: StreamedSources.Read, close: () -> Void) {
        if let stream { return (try stream(), {}) }
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
        } catch {
            throw .unreadable(path: path, errno: (error as? Errno)?.rawValue ?? Errno.ioError.rawValue)
        }
        var offset: Int64 = 0
        let read: StreamedSources.Read = { buffer in
            let n = try file.read(fromAbsoluteOffset: offset, into: buffer)
            offset += Int64(n)
            return n
        }
        return (read, { try? file.close() })
    }

    /// Reads the archive through and returns its runs; their event files are readable under
    /// `<archive>/<member>` (see `MemoryEventFiles`).
    public func discover() throws(LogSourceError) -> [RunDirectory] {
        let bytes = try openBytes()
        defer { bytes.close() }
        let gzip: InflateReader
        do {
            gzip = try InflateReader(chunkSize: 1 << 20, format: .gzip, source: bytes.read)
        } catch {
            throw .unreadable(path: path, errno: Errno.noMemory.rawValue)
        }
        var tar = TarReader { try gzip.read(into: $0) }
        var files: [String: [String]] = [:]
        var member: String?
        do {
            guard let first = try tar.next(), first.path == ArchiveManifest.memberName, first.kind == .regular,
                first.size <= 1 << 28
            else {
                throw ArchiveSourceDamage.noManifest
            }
            member = first.path
            var manifestBytes: [UInt8] = []
            try tar.readData { manifestBytes.append(contentsOf: $0) }
            let manifest = try ArchiveManifest.decode(manifestBytes, archive: path)
            var expected: [String: ArchiveManifest.File] = [:]
            for row in manifest.files { expected[row.path] = row }
            member = nil
            while let entry = try tar.next() {
                member = entry.path
                let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.path
                guard entry.kind == .regular, RunDirectory.isEventFileName(name) else {
                    member = nil
                    continue  // `next()` skips the rest of it
                }
                if let bytes = try verifiedData(of: entry, expected: expected[entry.path], tar: &tar) {
                    let virtual = path + "/" + entry.path
                    MemoryEventFiles.add(bytes, at: virtual)
                    let parts = entry.path.split(separator: "/").dropLast()
                    files[parts.isEmpty ? "." : parts.joined(separator: "/"), default: []].append(virtual)
                }
                member = nil
            }
            // The zero padding after the end marker, so the gzip trailer (its CRC) is checked.
            try tar.drainToEnd()
        } catch ArchiveSourceDamage.noManifest {
            throw .notASource(path: path, looksLike: "a tar.gz whose first member is not tbkit-manifest.json")
        } catch {
            let place = member.map { "member \($0)" } ?? "between members"
            note(
                "\(path): damaged at compressed byte \(gzip.compressedOffset) (\(place)): \(error); the runs before it are read"
            )
        }
        return files.keys.sorted().map { name in
            let sorted = (files[name] ?? []).sorted {
                $0.split(separator: "/").last.map(String.init) ?? $0 < $1.split(separator: "/").last.map(String.init)
                    ?? $1
            }
            return RunDirectory(name: name, path: name == "." ? path : path + "/" + name, eventFiles: sorted)
        }
    }

    /// The member's data when its size and SHA-256 match the manifest; nil (and a note) when not.
    private func verifiedData(of entry: TarEntry, expected: ArchiveManifest.File?, tar: inout TarReader) throws
        -> [UInt8]?
    {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(clamping: min(entry.size, 1 << 30)))
        var hasher = SHA256()
        try tar.readData { chunk in
            hasher.update(bufferPointer: chunk)
            bytes.append(contentsOf: chunk)
        }
        let digest = hasher.finalize().hex
        guard let expected else {
            note("\(path): member \(entry.path) is not in the manifest; its data is not used")
            return nil
        }
        guard UInt64(bytes.count) == expected.size, digest == expected.sha256 else {
            note(
                "\(path): member \(entry.path): SHA-256 \(digest) does not match the manifest's \(expected.sha256 ?? "-"); its data is not used"
            )
            return nil
        }
        return bytes
    }

    private func note(_ sentence: String) {
        found.withLock { $0.append(sentence) }
    }
}

/// The first member of the archive is not the manifest.
private enum ArchiveSourceDamage: Error {
    case noManifest
}

import Crypto
import Foundation
import Synchronization
import SystemPackage
import TBKit

/// Writes a log directory to a deterministic `.tar.gz` with a manifest as its first member.
///
/// Determinism policy (the same logdir gives the same bytes):
/// - members sorted by the UTF-8 bytes of their path relative to the logdir, directories
///   included (so empty ones survive); the manifest (`tbkit-manifest.json`) comes first;
/// - each member keeps its modification time (whole seconds); the manifest takes the newest
///   mtime in the logdir; uid/gid are 0 and uname/gname empty;
/// - modes are normalized: directories 0755, files 0644 (0755 when the owner may execute);
/// - gzip header with no file name and a zero timestamp (zlib's default), level 6 unless told.
/// Files are read twice, streaming: once to hash them for the manifest, once to copy them; a file
/// whose inode, size, mtime or ctime moved in between is re-hashed while copied, so a growing
/// event file is archived as its first `size` bytes and any other change is an error. Deflate
/// runs on a second thread. Memory stays flat (a few MiB).
public struct LogArchiver {
    /// What was written.
    public struct Summary: Sendable {
        /// Regular files archived.
        public var files: Int
        /// Directories archived.
        public var directories: Int
        /// Symlinks archived.
        public var symlinks: Int
        /// Sum of file sizes.
        public var contentBytes: UInt64
        /// Size of the `.tar.gz`.
        public var archiveBytes: UInt64
        /// The manifest that was written.
        public var manifest: ArchiveManifest
    }

    /// Scans one run directory's event files into tag rows; nil leaves runs out of the manifest.
    public typealias RunScanner = @Sendable (_ runDirectory: String) throws -> [ArchiveManifest.Run.Tag]

    /// The directory to archive.
    public var logdir: String
    /// gzip level 0...9.
    public var level: Int32
    /// Replace an existing archive file.
    public var overwrite: Bool
    /// Fills the manifest's per-run part; nil writes no `runs`.
    public var runScanner: RunScanner?
    /// Files made in memory (a report of the logdir, say) that go in at the archive root like any
    /// other file: hashed in the manifest, sorted with the rest, with the newest mtime of the
    /// logdir. A regular file of the same name in the logdir is replaced by the generated one.
    public var generatedFiles: [GeneratedFile] = []

    /// A file added to the archive from memory.
    public struct GeneratedFile: Sendable {
        /// Its name at the archive root (no `/`).
        public var name: String
        /// Its content.
        public var bytes: [UInt8]

        /// A file called `name` holding `bytes`.
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// Runs after the hashing pass, before the copying pass (a seam for tests of files that
    /// change in between).
    var betweenPasses: (() -> Void)?

    /// An archiver for `logdir`; by default the manifest lists each run's tags and step ranges.
    public init(
        logdir: String, level: Int32 = 6, overwrite: Bool = false,
        runScanner: RunScanner? = ArchiveRunScanner.eventFiles
    ) {
        self.logdir = logdir
        self.level = level
        self.overwrite = overwrite
        self.runScanner = runScanner
    }

    private struct Item {
        var path: String  // relative, '/'-separated
        var kind: TarEntry.Kind
        var size: UInt64
        var mode: UInt32
        var mtime: Int64
        var target: String
        var generated: [UInt8]? = nil
    }

    /// Archives the logdir into `archivePath` (written to a temporary name, renamed at the end).
    @discardableResult
    public func write(to archivePath: String) throws -> Summary {
        // The logdir itself may be a symlink (followed); nothing inside it is followed.
        guard
            let root = try LogArchiveError.during(
                "open logdir", logdir, { () throws(Errno) in try Platform.status(logdir) })
        else {
            throw LogArchiveError.io(
                operation: "open logdir", path: logdir, errno: Errno.noSuchFileOrDirectory.rawValue)
        }
        guard root.isDirectory else {
            throw LogArchiveError.io(operation: "open logdir", path: logdir, errno: Errno.notDirectory.rawValue)
        }
        if !overwrite, try Self.linkStatus(archivePath) != nil {
            throw LogArchiveError.archiveExists(path: archivePath)
        }
        let temporary = archivePath + ".tbkit-partial.\(Platform.processID)"
        let output = try LogArchiveError.during("create", temporary) { () throws(Errno) in
            try FileDescriptor.typed {
                try FileDescriptor.open(
                    FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec, .noFollow],
                    permissions: FilePermissions(rawValue: 0o644))
            }
        }
        var outputOpen = true
        var committed = false
        defer {
            if outputOpen { try? output.close() }
            if !committed { Platform.removeFile(temporary) }
        }
        let outputInfo = try LogArchiveError.during("fstat", temporary) { () throws(Errno) in
            try Platform.status(of: output)
        }

        var items = [Item]()
        try walk(relative: "", into: &items, skip: (outputInfo.device, outputInfo.inode))
        items.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        if items.contains(where: { $0.path == ArchiveManifest.memberName }) {
            throw LogArchiveError.manifestNameTaken(path: join(logdir, ArchiveManifest.memberName))
        }
        try addGenerated(to: &items)

        // The per-run scan reads the event files on a second thread while pass 1 hashes.
        let runNames = Set(
            items.filter { $0.kind == .regular && Self.isEventFile($0.path) }.map { Self.parent($0.path) })
        let runScan = runScanner.map { scanner in
            RunScan(
                runs: runNames.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
                    (name.isEmpty ? "." : name, name.isEmpty ? logdir : join(logdir, name))
                }, scanner: scanner)
        }
        defer { _ = try? runScan?.wait() }

        // Pass 1: hash every file, noting its identity (inode, size, mtime, ctime) after the read.
        var rows = [ArchiveManifest.File]()
        var identities = [String: FileIdentity]()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for item in items where item.kind != .directory {
            if item.kind == .symlink {
                rows.append(.init(path: item.path, kind: .symlink, size: 0, sha256: nil, target: item.target))
                continue
            }
            var hasher = SHA256()
            if let bytes = item.generated {
                bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            } else {
                // A file growing meanwhile is hashed over its first `size` bytes, as it will be copied.
                let (_, after) = try copy(item, buffer: &buffer) { hasher.update(bufferPointer: $0) }
                identities[item.path] = after
            }
            rows.append(
                .init(path: item.path, kind: .file, size: item.size, sha256: hasher.finalize().hex, target: nil))
        }
        let directories = items.filter { $0.kind == .directory }.map(\.path)
        betweenPasses?()
        let runs = try runScan?.wait()
        let manifest = ArchiveManifest(directories: directories, files: rows, runs: runs)
        let manifestBytes = try manifest.encoded()

        // Pass 2: stream the tar through gzip into the file.
        let pipeline = CompressionPipeline(level: level, output: output, path: temporary)
        var pipelineOpen = true
        defer { if pipelineOpen { pipeline.cancel() } }
        var tar = TarWriter { chunk in try pipeline.write(chunk) }
        let newest = items.map(\.mtime).max() ?? 0
        try tar.append(
            TarEntry(path: ArchiveManifest.memberName, kind: .regular, mode: 0o644, mtime: newest),
            data: manifestBytes)
        var expected = [String: String]()
        for row in rows { if let sha = row.sha256 { expected[row.path] = sha } }
        for item in items {
            let entry = TarEntry(
                path: item.path, kind: item.kind, size: item.kind == .regular ? item.size : 0,
                mode: item.mode, mtime: item.mtime, linkTarget: item.target)
            if let bytes = item.generated {
                try tar.append(entry, data: bytes)
                continue
            }
            try tar.beginEntry(entry)
            if item.kind == .regular {
                // A file untouched since pass 1 (same identity before and after this read) is
                // copied without hashing again; one that changed (a run appending to its event
                // file) is re-hashed, and only its first `size` bytes being unchanged lets it pass.
                var hasher = SHA256()
                var hashing = false
                let (before, after) = try copy(
                    item, buffer: &buffer,
                    opened: { hashing = $0 != identities[item.path] },
                    chunk: { chunk in
                        if hashing { hasher.update(bufferPointer: chunk) }
                        try tar.writeData(chunk)
                    })
                let unchanged = !hashing && before == after
                guard unchanged || (hashing && hasher.finalize().hex == expected[item.path]) else {
                    throw LogArchiveError.fileChanged(path: join(logdir, item.path))
                }
            }
            try tar.endEntry()
        }
        try tar.finish()
        pipelineOpen = false
        let archiveBytes = try pipeline.finish()
        outputOpen = false
        try LogArchiveError.during("close", temporary) { () throws(Errno) in try output.closeReportingErrors() }
        try LogArchiveError.during("rename into place", archivePath) { () throws(Errno) in
            try Platform.rename(temporary, to: archivePath)
        }
        committed = true
        return Summary(
            files: rows.filter { $0.kind == .file }.count, directories: directories.count,
            symlinks: rows.filter { $0.kind == .symlink }.count,
            contentBytes: rows.reduce(0) { $0 + $1.size }, archiveBytes: archiveBytes,
            manifest: manifest)
    }

    /// Puts the generated files among the sorted items, replacing regular files of the same name;
    /// each takes the newest mtime of the logdir so the archive stays deterministic.
    private func addGenerated(to items: inout [Item]) throws {
        guard !generatedFiles.isEmpty else { return }
        let newest = items.map(\.mtime).max() ?? 0
        for file in generatedFiles {
            let name = file.name
            if name.isEmpty || name == "." || name == ".." || name.contains("/") || name == ArchiveManifest.memberName {
                throw LogArchiveError.generatedFileClash(
                    path: name, reason: "a generated file needs a plain name at the archive root")
            }
            if let existing = items.first(where: { $0.path == name }), existing.kind != .regular {
                throw LogArchiveError.generatedFileClash(
                    path: join(logdir, name), reason: "the logdir has a directory or symlink of that name")
            }
            items.removeAll { $0.path == name }
            items.append(
                Item(
                    path: name, kind: .regular, size: UInt64(file.bytes.count), mode: 0o644, mtime: newest, target: "",
                    generated: file.bytes))
        }
        items.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// True for a file TensorBoard would load (the same test `RunDirectory` applies).
    static func isEventFile(_ path: String) -> Bool {
        RunDirectory.isEventFileName(path.split(separator: "/").last.map(String.init) ?? path)
    }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    private func join(_ base: String, _ relative: String) -> String {
        relative.isEmpty ? base : (base.hasSuffix("/") ? base + relative : base + "/" + relative)
    }

    /// What identifies a file's content without reading it: a write changes ctime (which users
    /// cannot set), a replacement changes the inode.
    struct FileIdentity: Equatable {
        var device: UInt64, inode: UInt64, size: Int64
        var mtime: Int64, mtimeNanos: Int, ctime: Int64, ctimeNanos: Int

        init(_ info: FileStatus) {
            device = info.device
            inode = info.inode
            size = info.size
            mtime = info.modifiedSeconds
            mtimeNanos = info.modifiedNanoseconds
            ctime = info.changedSeconds
            ctimeNanos = info.changedNanoseconds
        }
    }

    /// Streams exactly `item.size` bytes of the file to `body`; a shorter file is an error.
    /// Returns the file's identity when opened and after the read; `opened` sees the first.
    private func copy(
        _ item: Item, buffer: inout [UInt8], opened: (FileIdentity) -> Void = { _ in },
        chunk body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (FileIdentity, FileIdentity) {
        let path = join(logdir, item.path)
        let file = try LogArchiveError.during("open", path) { () throws(Errno) in
            try FileDescriptor.typed {
                try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, .noFollow])
            }
        }
        var open = true
        defer { if open { try? file.close() } }
        let before = FileIdentity(
            try LogArchiveError.during("fstat", path) { () throws(Errno) in try Platform.status(of: file) })
        opened(before)
        var left = item.size
        while left > 0 {
            let want = Int(min(left, UInt64(buffer.count)))
            let got = try buffer.withUnsafeMutableBytes { raw in
                try LogArchiveError.during("read", path) { () throws(Errno) in
                    try file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]))
                }
            }
            if got < want { throw LogArchiveError.fileChanged(path: path) }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            left -= UInt64(got)
        }
        let after = FileIdentity(
            try LogArchiveError.during("fstat", path) { () throws(Errno) in try Platform.status(of: file) })
        open = false
        try LogArchiveError.during("close", path) { () throws(Errno) in try file.closeReportingErrors() }
        return (before, after)
    }

    /// `lstat` of `path`, or nil when nothing is there.
    static func linkStatus(_ path: String) throws(LogArchiveError) -> FileStatus? {
        try LogArchiveError.during("lstat", path) { () throws(Errno) in try Platform.linkStatus(path) }
    }

    private func walk(relative: String, into items: inout [Item], skip: (UInt64, UInt64)) throws {
        let directory = join(logdir, relative)
        let names = try LogArchiveError.during("list directory", directory) { () throws(Errno) in
            try Platform.directoryEntries(directory)
        }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let path = join(logdir, rel)
            guard let info = try Self.linkStatus(path) else { continue }  // vanished meanwhile
            if info.device == skip.0 && info.inode == skip.1 { continue }  // the archive itself
            let mtime = info.modifiedSeconds
            if info.isDirectory {
                items.append(Item(path: rel, kind: .directory, size: 0, mode: 0o755, mtime: mtime, target: ""))
                try walk(relative: rel, into: &items, skip: skip)
            } else if info.isRegular {
                let mode: UInt32 = info.isOwnerExecutable ? 0o755 : 0o644
                items.append(
                    Item(path: rel, kind: .regular, size: UInt64(info.size), mode: mode, mtime: mtime, target: ""))
            } else if info.isSymlink {
                let target = try LogArchiveError.during("readlink", path) { () throws(Errno) in
                    try Platform.linkTarget(path)
                }
                guard ArchivePath.resolve(linkTarget: target, linkPath: rel) != nil else {
                    throw LogArchiveError.symlinkLeavesLogdir(path: path, target: target)
                }
                items.append(Item(path: rel, kind: .symlink, size: 0, mode: 0o777, mtime: mtime, target: target))
            } else {
                throw LogArchiveError.unsupportedFile(path: path, kind: info.kind.name)
            }
        }
    }
}

/// Scans runs on its own thread; `wait()` returns the rows (sorted by run name) or rethrows. The
/// thread hands back only its Sendable result, behind a mutex.
private final class RunScan: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<[ArchiveManifest.Run], any Error>?>(nil)

    init(runs: [(name: String, path: String)], scanner: @escaping LogArchiver.RunScanner) {
        let thread = Thread { [self] in
            let outcome: Result<[ArchiveManifest.Run], any Error>
            do {
                var rows = [ArchiveManifest.Run]()
                for (name, path) in runs {
                    let tags = try scanner(path).sorted { $0.tag.utf8.lexicographicallyPrecedes($1.tag.utf8) }
                    rows.append(.init(name: name, tags: tags))
                }
                outcome = .success(rows)
            } catch {
                outcome = .failure(error)
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.name = "tbkit-archive-run-scan"
        thread.start()
    }

    /// Blocks until the scan has finished (later calls return the same result at once).
    func wait() throws -> [ArchiveManifest.Run] {
        done.wait()
        done.signal()  // leave the semaphore open for the next call
        guard let outcome = result.withLock({ $0 }) else { return [] }
        return try outcome.get()
    }
}
